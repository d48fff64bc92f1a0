// Implements the pre-parse check of sentinelctl's command line.
#include "cli/command_line.h"

#include <array>

#include "absl/flags/commandlineflag.h"
#include "absl/flags/reflection.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"

namespace sentinel::cli {
namespace {

constexpr std::array<absl::string_view, 8> kHelpFlags = {
    "help",      "helpfull",    "helpshort", "helpon",
    "helpmatch", "helppackage", "version",   "only_check_args"};

// Splits "--name=value" into its parts; false for a positional argument.
bool SplitOption(absl::string_view arg, absl::string_view* name,
                 absl::string_view* value, bool* has_value) {
  if (arg.size() < 2 || arg[0] != '-') return false;
  if (!absl::ConsumePrefix(&arg, "--")) absl::ConsumePrefix(&arg, "-");
  const size_t equals = arg.find('=');
  *has_value = equals != absl::string_view::npos;
  *name = arg.substr(0, equals);
  *value = *has_value ? arg.substr(equals + 1) : absl::string_view();
  return true;
}

// The flag called `name`, or for "noNAME" the bool flag NAME (negated).
absl::CommandLineFlag* FindFlag(absl::string_view name, bool* negated) {
  *negated = false;
  absl::CommandLineFlag* flag = absl::FindCommandLineFlag(name);
  if (flag != nullptr && !flag->IsRetired()) return flag;
  if (absl::ConsumePrefix(&name, "no")) {
    flag = absl::FindCommandLineFlag(name);
    if (flag != nullptr && !flag->IsRetired() && flag->IsOfType<bool>()) {
      *negated = true;
      return flag;
    }
  }
  return nullptr;
}

}  // namespace

bool WantsHelp(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    absl::string_view name, value;
    bool has_value = false;
    if (absl::string_view(argv[i]) == "--") return false;
    if (!SplitOption(argv[i], &name, &value, &has_value)) continue;
    for (absl::string_view help : kHelpFlags) {
      if (name == help) return true;
    }
  }
  return false;
}

absl::StatusOr<GivenFlags> CheckCommandLine(int argc, char** argv) {
  GivenFlags given;
  for (int i = 1; i < argc; ++i) {
    absl::string_view name, value;
    bool has_value = false;
    if (absl::string_view(argv[i]) == "--") break;
    if (!SplitOption(argv[i], &name, &value, &has_value)) continue;

    bool negated = false;
    absl::CommandLineFlag* flag = FindFlag(name, &negated);
    if (flag == nullptr || name.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown option --", name));
    }
    if (negated && has_value) {
      return absl::InvalidArgumentError(
          absl::StrCat("--", name, " takes no value"));
    }
    std::string owned_value(value);
    if (flag->IsOfType<bool>()) {
      if (!has_value) owned_value = negated ? "false" : "true";
    } else if (!has_value) {
      if (i + 1 >= argc) {
        return absl::InvalidArgumentError(
            absl::StrCat("--", name, " needs a value"));
      }
      owned_value = argv[++i];
    }
    // Sets the flag now; absl::ParseCommandLine sets it again to the same.
    std::string error;
    if (!flag->ParseFrom(owned_value, &error)) {
      return absl::InvalidArgumentError(
          absl::StrCat("--", flag->Name(), ": ", error));
    }
    given.insert(std::string(flag->Name()));
  }
  return given;
}

}  // namespace sentinel::cli
