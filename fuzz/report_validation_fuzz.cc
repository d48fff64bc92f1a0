// Fuzzes the checks of incident intake (incident/incident_validation.h) with
// the input read as a serialized sentinel.v1.ReportIncidentRequest and,
// independently, as an UpdateIncidentStatusRequest (their first fields have
// the same numbers and wire types, so one corpus serves both). Checks:
// - each validation returns OK or kInvalidArgument;
// - a valid report's description, redacted as intake stores it
//   (RedactSecrets), is still a valid description: redaction only shortens
//   text and adds no control character;
// - a valid status update's incident id prints back (IncidentId) as given.
#include <cstddef>
#include <cstdint>

#include "absl/status/status.h"
#include "common/identifiers.h"
#include "fuzz/fuzz_check.h"
#include "google/protobuf/stubs/logging.h"
#include "incident/incident_validation.h"
#include "redaction/secret_redactor.h"
#include "sentinel/v1/incident.pb.h"

namespace {

namespace incident = ::sentinel::incident;
namespace redaction = ::sentinel::redaction;

void CheckReport(const uint8_t* data, size_t size) {
  sentinel::v1::ReportIncidentRequest request;
  if (!request.ParseFromArray(data, static_cast<int>(size))) return;
  const absl::Status valid = incident::ValidateReport(request);
  SENTINEL_FUZZ_CHECK(valid.ok() || absl::IsInvalidArgument(valid));
  if (!valid.ok()) return;
  const redaction::Redaction redacted =
      redaction::RedactSecrets(request.description());
  SENTINEL_FUZZ_CHECK(sentinel::ValidateText("description", redacted.text,
                                             incident::kMaxDescriptionBytes,
                                             /*required=*/true)
                          .ok());
}

void CheckStatusUpdate(const uint8_t* data, size_t size) {
  sentinel::v1::UpdateIncidentStatusRequest request;
  if (!request.ParseFromArray(data, static_cast<int>(size))) return;
  const absl::Status valid = incident::ValidateStatusUpdate(request);
  SENTINEL_FUZZ_CHECK(valid.ok() || absl::IsInvalidArgument(valid));
  if (!valid.ok()) return;
  SENTINEL_FUZZ_CHECK(incident::IncidentId(*incident::ParseIncidentId(
                          request.incident_id())) == request.incident_id());
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  // Parsing refuses invalid UTF-8 in string fields, logging each time.
  google::protobuf::SetLogHandler(nullptr);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  CheckReport(data, size);
  CheckStatusUpdate(data, size);
  return 0;
}
