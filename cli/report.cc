// Implements sentinelctl's output and failure reporting.
#include "cli/report.h"

#include <cstdio>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/time/time.h"
#include "common/proto_json.h"
#include "common/time_util.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace sentinel::cli {
namespace {

// Failures are one line, whatever the server put in its message.
void PrintFailureLine(absl::string_view text) {
  const std::string line =
      absl::StrReplaceAll(text, {{"\r\n", " "}, {"\n", " "}, {"\r", " "}});
  std::fprintf(stderr, "sentinelctl: %s\n", line.c_str());
}

// " (retry after 500ms)" from a google.rpc.RetryInfo in the status
// details, or "" when there is none.
std::string RetryHint(const grpc::Status& status) {
  if (status.error_details().empty()) return "";
  google::rpc::Status details;
  if (!details.ParseFromString(status.error_details())) return "";
  for (const google::protobuf::Any& detail : details.details()) {
    google::rpc::RetryInfo retry;
    if (detail.UnpackTo(&retry)) {
      return absl::StrCat(
          " (retry after ",
          absl::FormatDuration(FromProtoDuration(retry.retry_delay())), ")");
    }
  }
  return "";
}

}  // namespace

int UsageFailure(absl::string_view message) {
  PrintFailureLine(absl::StrCat(message, " (see --help)"));
  return kExitUsage;
}

int RpcFailure(const grpc::Status& status) {
  // grpc::StatusCode and absl::StatusCode share their numbering.
  const std::string code = absl::StatusCodeToString(
      static_cast<absl::StatusCode>(status.error_code()));
  if (status.error_message().empty()) {
    PrintFailureLine(absl::StrCat(code, RetryHint(status)));
  } else {
    PrintFailureLine(
        absl::StrCat(code, ": ", status.error_message(), RetryHint(status)));
  }
  return kExitFailure;
}

int Failure(const absl::Status& status) {
  return RpcFailure(grpc::Status(static_cast<grpc::StatusCode>(status.code()),
                                 std::string(status.message())));
}

int PrintResult(const google::protobuf::Message& message, bool json,
                absl::FunctionRef<std::string()> human) {
  if (!json) return WriteOut(human());
  absl::StatusOr<std::string> text = ToJson(message, /*pretty=*/true);
  if (!text.ok()) return Failure(text.status());
  if (text->empty() || text->back() != '\n') text->push_back('\n');
  return WriteOut(*text);
}

int WriteOut(absl::string_view text) {
  if (std::fwrite(text.data(), 1, text.size(), stdout) != text.size() ||
      std::fflush(stdout) != 0) {
    return Failure(absl::UnavailableError("cannot write to stdout"));
  }
  return kExitOk;
}

}  // namespace sentinel::cli
