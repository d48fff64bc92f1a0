// Fuzzes the assembly of an AddEvidence upload (incident::EvidenceAssembler,
// incident/evidence.h) with a small file limit (4096 bytes). The input is a
// stream of sentinel.v1.EvidenceChunk messages, each a 2-byte big-endian
// length and that many bytes of serialized message; the stream ends at the
// input's end, at a truncated record, or at a record that does not parse.
// Checks:
// - Add() returns OK or kInvalidArgument, and the upload stops at its first
//   error (as AddEvidence does);
// - a stream whose every chunk was taken finishes: kInvalidArgument with no
//   chunk, otherwise the first chunk's incident id, file name and content
//   type, and data that is exactly the taken chunks' data concatenated and
//   at most max_file_bytes long.
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "fuzz/fuzz_check.h"
#include "google/protobuf/stubs/logging.h"
#include "incident/evidence.h"
#include "incident/incident_validation.h"
#include "sentinel/v1/incident.pb.h"

namespace {

namespace incident = ::sentinel::incident;

constexpr int64_t kMaxFileBytes = 4096;
constexpr size_t kLengthBytes = 2;

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  // Parsing refuses invalid UTF-8 in string fields, logging each time.
  google::protobuf::SetLogHandler(nullptr);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  incident::EvidenceLimits limits;
  limits.max_file_bytes = kMaxFileBytes;
  incident::EvidenceAssembler assembler(limits);

  sentinel::v1::EvidenceChunk first;
  std::string taken;
  int chunks = 0;
  while (size >= kLengthBytes) {
    const size_t length = size_t{data[0]} << 8 | data[1];
    data += kLengthBytes;
    size -= kLengthBytes;
    if (length > size) break;
    sentinel::v1::EvidenceChunk chunk;
    if (!chunk.ParseFromArray(data, static_cast<int>(length))) break;
    data += length;
    size -= length;
    const absl::Status added = assembler.Add(chunk);
    SENTINEL_FUZZ_CHECK(added.ok() || absl::IsInvalidArgument(added));
    if (!added.ok()) return 0;  // The upload is void.
    if (chunks++ == 0) first = chunk;
    taken += chunk.data();
  }

  absl::StatusOr<incident::EvidenceUpload> upload =
      std::move(assembler).Finish();
  if (chunks == 0) {
    SENTINEL_FUZZ_CHECK(absl::IsInvalidArgument(upload.status()));
    return 0;
  }
  SENTINEL_FUZZ_CHECK(upload.ok());
  SENTINEL_FUZZ_CHECK(upload->incident_id == first.incident_id());
  SENTINEL_FUZZ_CHECK(
      incident::ValidateIncidentId("incident_id", upload->incident_id).ok());
  SENTINEL_FUZZ_CHECK(upload->file_name == first.file_name());
  SENTINEL_FUZZ_CHECK(upload->content_type == first.content_type());
  SENTINEL_FUZZ_CHECK(upload->data == taken);
  SENTINEL_FUZZ_CHECK(static_cast<int64_t>(upload->data.size()) <=
                      kMaxFileBytes);
  return 0;
}
