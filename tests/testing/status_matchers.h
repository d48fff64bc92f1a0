// gMock matchers for absl::Status and absl::StatusOr, which Abseil 20220623
// does not ship.
//
// Example:
//   EXPECT_THAT(manager.FreezeAccount(caller, request),
//               StatusIs(absl::StatusCode::kInvalidArgument,
//                        HasSubstr("reason")));
#ifndef SENTINEL_TESTS_TESTING_STATUS_MATCHERS_H_
#define SENTINEL_TESTS_TESTING_STATUS_MATCHERS_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gmock/gmock.h"

namespace sentinel::testing {

inline const absl::Status& GetStatus(const absl::Status& status) {
  return status;
}
template <typename T>
const absl::Status& GetStatus(const absl::StatusOr<T>& status_or) {
  return status_or.status();
}

MATCHER_P2(StatusIs, code, message_matcher,
           "has code " + absl::StatusCodeToString(code)) {
  const absl::Status& status = GetStatus(arg);
  *result_listener << "which is " << status;
  return status.code() == code &&
         ::testing::ExplainMatchResult(
             message_matcher, std::string(status.message()), result_listener);
}

MATCHER(IsOk, "is OK") {
  const absl::Status& status = GetStatus(arg);
  *result_listener << "which is " << status;
  return status.ok();
}

}  // namespace sentinel::testing

// ASSERT that `rexpr` (a StatusOr) is OK and move its value into `lhs`.
#define ASSERT_OK_AND_ASSIGN(lhs, rexpr) \
  ASSERT_OK_AND_ASSIGN_IMPL_(            \
      SENTINEL_TEST_CONCAT_(sentinel_test_statusor_, __LINE__), lhs, rexpr)
#define ASSERT_OK_AND_ASSIGN_IMPL_(statusor, lhs, rexpr) \
  auto statusor = (rexpr);                               \
  ASSERT_TRUE(statusor.ok()) << statusor.status();       \
  lhs = *std::move(statusor)
#define SENTINEL_TEST_CONCAT_INNER_(a, b) a##b
#define SENTINEL_TEST_CONCAT_(a, b) SENTINEL_TEST_CONCAT_INNER_(a, b)

#define ASSERT_OK(expr) ASSERT_THAT((expr), ::sentinel::testing::IsOk())
#define EXPECT_OK(expr) EXPECT_THAT((expr), ::sentinel::testing::IsOk())

#endif  // SENTINEL_TESTS_TESTING_STATUS_MATCHERS_H_
