#include "freeze/scope_set.h"

#include "absl/strings/match.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"

namespace sentinel::freeze {

ScopeSet ScopeSet::Of(const google::protobuf::RepeatedField<int>& scopes) {
  uint32_t bits = 0;
  for (int scope : scopes) bits |= Bit(static_cast<v1::FreezeScope>(scope));
  return ScopeSet(bits);
}

ScopeSet ScopeSet::Of(std::initializer_list<v1::FreezeScope> scopes) {
  uint32_t bits = 0;
  for (v1::FreezeScope scope : scopes) bits |= Bit(scope);
  return ScopeSet(bits);
}

std::vector<v1::FreezeScope> ScopeSet::ToSorted() const {
  std::vector<v1::FreezeScope> sorted;
  for (int value = v1::FreezeScope_MIN; value <= v1::FreezeScope_MAX; ++value) {
    const auto scope = static_cast<v1::FreezeScope>(value);
    if (v1::FreezeScope_IsValid(value) && Contains(scope))
      sorted.push_back(scope);
  }
  return sorted;
}

void ScopeSet::CopyTo(google::protobuf::RepeatedField<int>* out) const {
  out->Clear();
  for (v1::FreezeScope scope : ToSorted()) out->Add(scope);
}

std::string ScopeSet::ToString() const {
  if (empty()) return "-";
  std::vector<std::string> names;
  for (v1::FreezeScope scope : ToSorted()) names.push_back(ScopeName(scope));
  return absl::StrJoin(names, ",");
}

std::string ScopeName(v1::FreezeScope scope) {
  absl::string_view name = v1::FreezeScope_Name(scope);
  absl::ConsumePrefix(&name, "FREEZE_SCOPE_");
  return std::string(name);
}

}  // namespace sentinel::freeze
