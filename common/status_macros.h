// Early-return helpers for absl::Status, which Abseil 20220623 lacks.
#ifndef SENTINEL_COMMON_STATUS_MACROS_H_
#define SENTINEL_COMMON_STATUS_MACROS_H_

#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

// Returns from the current function with the status of `expr` unless it is OK.
//
// Example:
//   SENTINEL_RETURN_IF_ERROR(store.Commit(change));
#define SENTINEL_RETURN_IF_ERROR(expr)                   \
  do {                                                   \
    ::absl::Status sentinel_status_ = (expr);            \
    if (!sentinel_status_.ok()) return sentinel_status_; \
  } while (false)

#define SENTINEL_STATUS_CONCAT_INNER_(a, b) a##b
#define SENTINEL_STATUS_CONCAT_(a, b) SENTINEL_STATUS_CONCAT_INNER_(a, b)

// Evaluates `rexpr` (an absl::StatusOr<T>); on error returns its status,
// otherwise moves the value into `lhs`, which may be a declaration.
//
// Example:
//   SENTINEL_ASSIGN_OR_RETURN(FreezeRecord record, store.GetFreeze(id));
#define SENTINEL_ASSIGN_OR_RETURN(lhs, rexpr) \
  SENTINEL_ASSIGN_OR_RETURN_IMPL_(            \
      SENTINEL_STATUS_CONCAT_(sentinel_statusor_, __LINE__), lhs, rexpr)

#define SENTINEL_ASSIGN_OR_RETURN_IMPL_(statusor, lhs, rexpr) \
  auto statusor = (rexpr);                                    \
  if (!statusor.ok()) return std::move(statusor).status();    \
  lhs = *std::move(statusor)

#endif  // SENTINEL_COMMON_STATUS_MACROS_H_
