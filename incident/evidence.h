// Evidence files of an incident: the limits of an upload, the assembly and
// checking of its streamed chunks, and its content address.
//
// An upload is assembled whole in memory (at most max_file_bytes) before
// anything is stored: text is redacted as one piece, so a secret split across
// two chunks is still found, and a stream that breaks off stores nothing.
#ifndef SENTINEL_INCIDENT_EVIDENCE_H_
#define SENTINEL_INCIDENT_EVIDENCE_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "sentinel/v1/incident.pb.h"

namespace sentinel::incident {

// Bytes of one EvidenceChunk's data, in uploads and in ReadEvidence replies.
inline constexpr size_t kMaxEvidenceChunkBytes = 1 << 20;
inline constexpr int64_t kDefaultMaxEvidenceFileBytes = 20 << 20;
inline constexpr int kMaxEvidenceFiles = 100;
inline constexpr size_t kMaxEvidenceFileNameBytes = 255;
inline constexpr size_t kMaxContentTypeBytes = 127;

struct EvidenceLimits {
  // Largest file accepted, after nothing else: 1..kDefaultMaxEvidenceFileBytes
  // is the sane range; the server flag --max_evidence_bytes sets it.
  int64_t max_file_bytes = kDefaultMaxEvidenceFileBytes;
  // Content types accepted, lowercase "type/subtype".
  std::vector<std::string> content_types = {
      "image/png",  "image/jpeg", "image/webp",      "application/pdf",
      "text/plain", "text/csv",   "application/json"};
};

// The checked contents of one upload stream.
struct EvidenceUpload {
  std::string incident_id;
  std::string file_name;
  std::string content_type;
  std::string data;
};

// Assembles an AddEvidence stream chunk by chunk, refusing it at the first
// chunk that breaks a rule. Not thread-safe.
class EvidenceAssembler final {
 public:
  explicit EvidenceAssembler(const EvidenceLimits& limits) : limits_(limits) {}

  // Takes the next chunk. kInvalidArgument naming the field and the reason:
  // a first chunk without incident_id, file_name or content_type (or with
  // malformed ones, or a content type not accepted), a later chunk naming
  // different ones, any evidence_id, data empty or over 1 MiB, or the file
  // growing past max_file_bytes. After an error the upload is void.
  absl::Status Add(const v1::EvidenceChunk& chunk);

  // The whole upload once the stream has ended; kInvalidArgument when no
  // chunk arrived.
  absl::StatusOr<EvidenceUpload> Finish() &&;

 private:
  const EvidenceLimits& limits_;
  std::optional<EvidenceUpload> upload_;
};

// Whether content of this type is text, to be redacted before it is stored.
bool IsTextContent(absl::string_view content_type);

// The SHA-256 of `data`, as 64 lowercase hex characters.
std::string ContentAddress(absl::string_view data);

// "evd-<n>" and back.
std::string EvidenceId(uint64_t number);
std::optional<uint64_t> ParseEvidenceId(absl::string_view id);

// Checks a ReadEvidenceRequest's fields; kInvalidArgument naming the field.
absl::Status ValidateReadEvidence(const v1::ReadEvidenceRequest& request);

}  // namespace sentinel::incident

#endif  // SENTINEL_INCIDENT_EVIDENCE_H_
