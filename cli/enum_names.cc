#include "cli/enum_names.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"

namespace sentinel::cli {

std::string ShortName(const EnumNames& names, int value) {
  if (value == 0) return "-";
  const google::protobuf::EnumValueDescriptor* found =
      names.descriptor->FindValueByNumber(value);
  if (found == nullptr) return absl::StrCat(value);
  absl::string_view name = found->name();
  absl::ConsumePrefix(&name, names.prefix);
  return std::string(name);
}

std::string ValidNames(const EnumNames& names) {
  std::vector<std::string> valid;
  for (int i = 0; i < names.descriptor->value_count(); ++i) {
    const int number = names.descriptor->value(i)->number();
    if (number != 0) valid.push_back(ShortName(names, number));
  }
  return absl::StrJoin(valid, ", ");
}

absl::StatusOr<int> ParseShortName(const EnumNames& names,
                                   absl::string_view name) {
  const google::protobuf::EnumValueDescriptor* found =
      names.descriptor->FindValueByName(
          absl::StrCat(names.prefix, absl::AsciiStrToUpper(name)));
  if (found == nullptr || found->number() == 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown ", names.what, " \"", name,
                     "\" (expected one of ", ValidNames(names), ")"));
  }
  return found->number();
}

}  // namespace sentinel::cli
