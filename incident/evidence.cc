#include "incident/evidence.h"

#include <algorithm>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "audit/sha256.h"
#include "common/identifiers.h"
#include "common/status_macros.h"
#include "incident/incident_validation.h"

namespace sentinel::incident {
namespace {

absl::Status ValidateFileName(absl::string_view name) {
  if (name.empty()) return absl::InvalidArgumentError("file_name: required");
  if (name.size() > kMaxEvidenceFileNameBytes) {
    return absl::InvalidArgumentError(absl::StrCat(
        "file_name: longer than ", kMaxEvidenceFileNameBytes, " bytes"));
  }
  if (name == "." || name == "..") {
    return absl::InvalidArgumentError("file_name: not a file name");
  }
  for (char c : name) {
    if (c == '/' || c == '\\') {
      return absl::InvalidArgumentError(
          "file_name: path separators are not allowed");
    }
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      return absl::InvalidArgumentError(
          "file_name: control characters are not allowed");
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateContentType(absl::string_view type,
                                 const EvidenceLimits& limits) {
  if (type.empty()) return absl::InvalidArgumentError("content_type: required");
  if (type.size() > kMaxContentTypeBytes) {
    return absl::InvalidArgumentError(absl::StrCat(
        "content_type: longer than ", kMaxContentTypeBytes, " bytes"));
  }
  if (std::find(limits.content_types.begin(), limits.content_types.end(),
                type) == limits.content_types.end()) {
    return absl::InvalidArgumentError(
        absl::StrCat("content_type: ", type, " is not accepted (accepted: ",
                     absl::StrJoin(limits.content_types, ", "), ")"));
  }
  return absl::OkStatus();
}

// A later chunk may leave a header field empty or repeat the first value.
absl::Status CheckRepeated(absl::string_view field, absl::string_view first,
                           absl::string_view again) {
  if (again.empty() || again == first) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(
      field, ": differs from the first chunk's; a stream uploads one file"));
}

}  // namespace

absl::Status EvidenceAssembler::Add(const v1::EvidenceChunk& chunk) {
  if (!chunk.evidence_id().empty()) {
    return absl::InvalidArgumentError(
        "evidence_id: must be empty in uploads (the server assigns it)");
  }
  if (!upload_.has_value()) {
    SENTINEL_RETURN_IF_ERROR(
        ValidateIncidentId("incident_id", chunk.incident_id()));
    SENTINEL_RETURN_IF_ERROR(ValidateFileName(chunk.file_name()));
    SENTINEL_RETURN_IF_ERROR(
        ValidateContentType(chunk.content_type(), limits_));
    upload_.emplace();
    upload_->incident_id = chunk.incident_id();
    upload_->file_name = chunk.file_name();
    upload_->content_type = chunk.content_type();
  } else {
    SENTINEL_RETURN_IF_ERROR(CheckRepeated("incident_id", upload_->incident_id,
                                           chunk.incident_id()));
    SENTINEL_RETURN_IF_ERROR(
        CheckRepeated("file_name", upload_->file_name, chunk.file_name()));
    SENTINEL_RETURN_IF_ERROR(CheckRepeated(
        "content_type", upload_->content_type, chunk.content_type()));
  }
  if (chunk.data().empty()) {
    return absl::InvalidArgumentError(
        "data: a chunk must carry 1 or more bytes");
  }
  if (chunk.data().size() > kMaxEvidenceChunkBytes) {
    return absl::InvalidArgumentError(absl::StrCat(
        "data: a chunk carries at most ", kMaxEvidenceChunkBytes, " bytes"));
  }
  if (static_cast<int64_t>(upload_->data.size() + chunk.data().size()) >
      limits_.max_file_bytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("data: the file exceeds the limit of ",
                     limits_.max_file_bytes, " bytes"));
  }
  upload_->data.append(chunk.data());
  return absl::OkStatus();
}

absl::StatusOr<EvidenceUpload> EvidenceAssembler::Finish() && {
  if (!upload_.has_value()) {
    return absl::InvalidArgumentError(
        "data: the stream ended before the first chunk");
  }
  return *std::move(upload_);
}

bool IsTextContent(absl::string_view content_type) {
  return absl::StartsWith(content_type, "text/") ||
         content_type == "application/json";
}

std::string ContentAddress(absl::string_view data) {
  return absl::BytesToHexString(audit::Sha256({data}));
}

std::string EvidenceId(uint64_t number) { return absl::StrCat("evd-", number); }

std::optional<uint64_t> ParseEvidenceId(absl::string_view id) {
  return ParseNumberedId("evd-", id);
}

absl::Status ValidateReadEvidence(const v1::ReadEvidenceRequest& request) {
  SENTINEL_RETURN_IF_ERROR(
      ValidateIncidentId("incident_id", request.incident_id()));
  if (request.evidence_id().empty()) {
    return absl::InvalidArgumentError("evidence_id: required");
  }
  if (!ParseEvidenceId(request.evidence_id()).has_value()) {
    return absl::InvalidArgumentError(
        "evidence_id: malformed (expected evd-<number>)");
  }
  return absl::OkStatus();
}

}  // namespace sentinel::incident
