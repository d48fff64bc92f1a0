// Enum values as operators type and read them: the name without the proto
// prefix ("FIFO" for TAINT_MODEL_FIFO, "P0" for PRIORITY_P0), any case on
// input and upper case on output, read from the proto descriptors so that a
// value added to a proto is accepted and printed without a change here.
#ifndef SENTINEL_CLI_ENUM_NAMES_H_
#define SENTINEL_CLI_ENUM_NAMES_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"

namespace sentinel::cli {

// One enum as the command line shows it: its values' common prefix and what
// an error message calls a value.
struct EnumNames {
  const google::protobuf::EnumDescriptor* descriptor;
  absl::string_view prefix;
  absl::string_view what;
};

// The value's short name; "-" for UNSPECIFIED (0); the number for a value
// this build does not know (a newer server's), so nothing is hidden.
std::string ShortName(const EnumNames& names, int value);

// The short names of every value but UNSPECIFIED, comma-separated, for
// usage messages.
std::string ValidNames(const EnumNames& names);

// The number of the value called `name` (short, any case), never 0.
// kInvalidArgument naming `name` and listing the valid short names
// otherwise, including for UNSPECIFIED and for a full proto name.
//
// Example:
//   ParseShortName({v1::TaintModel_descriptor(), "TAINT_MODEL_", "model"},
//                  "lifo")
//     -> kInvalidArgument: unknown model "lifo" (expected one of POISON,
//        HAIRCUT, FIFO)
absl::StatusOr<int> ParseShortName(const EnumNames& names,
                                   absl::string_view name);

}  // namespace sentinel::cli

#endif  // SENTINEL_CLI_ENUM_NAMES_H_
