#include "cli/trace_names.h"

#include "cli/enum_names.h"

namespace sentinel::cli {
namespace {

EnumNames Models() {
  return {v1::TaintModel_descriptor(), "TAINT_MODEL_", "model"};
}
EnumNames AccountKinds() {
  return {v1::AccountKind_descriptor(), "ACCOUNT_KIND_", "account kind"};
}

}  // namespace

absl::StatusOr<v1::TaintModel> ParseTaintModelName(absl::string_view name) {
  absl::StatusOr<int> value = ParseShortName(Models(), name);
  if (!value.ok()) return value.status();
  return static_cast<v1::TaintModel>(*value);
}

absl::StatusOr<v1::AccountKind> ParseAccountKindName(absl::string_view name) {
  absl::StatusOr<int> value = ParseShortName(AccountKinds(), name);
  if (!value.ok()) return value.status();
  return static_cast<v1::AccountKind>(*value);
}

std::string ModelName(int model) { return ShortName(Models(), model); }

std::string AccountKindName(int kind) {
  return ShortName(AccountKinds(), kind);
}

std::string CandidateOutcomeName(int outcome) {
  return ShortName({v1::CandidateFreezeOutcome_descriptor(),
                    "CANDIDATE_FREEZE_OUTCOME_", "outcome"},
                   outcome);
}

}  // namespace sentinel::cli
