#include "audit/audit_entries.h"

#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "audit/sha256.h"
#include "common/proto_json.h"
#include "common/status_macros.h"
#include "common/time_util.h"

namespace sentinel::audit {
namespace {

absl::Status SetJson(const google::protobuf::Message* message,
                     std::string* out) {
  if (message == nullptr) return absl::OkStatus();
  SENTINEL_ASSIGN_OR_RETURN(*out, ToJson(*message));
  return absl::OkStatus();
}

// Text fields other than the JSON details longer than this are digested by
// BoundEntry.
constexpr size_t kMaxPlainTextBytes = 1024;

// {"sha256":"<hex>","json_bytes":<length>}: at most 111 bytes.
std::string DigestObject(absl::string_view text) {
  return absl::StrCat("{\"sha256\":\"", absl::BytesToHexString(Sha256({text})),
                      "\",\"json_bytes\":", text.size(), "}");
}

// One member of a JSON object: the exact text of its key (quotes included)
// and of its value.
struct JsonMember {
  absl::string_view key;
  absl::string_view value;
};

size_t SkipSpace(absl::string_view text, size_t at) {
  while (at < text.size() && (text[at] == ' ' || text[at] == '\n' ||
                              text[at] == '\r' || text[at] == '\t')) {
    ++at;
  }
  return at;
}

// The end of the string starting at `at` (a '"'); npos when unterminated.
size_t SkipString(absl::string_view text, size_t at) {
  for (++at; at < text.size(); ++at) {
    if (text[at] == '\\') {
      ++at;
    } else if (text[at] == '"') {
      return at + 1;
    }
  }
  return absl::string_view::npos;
}

// The end of the value starting at `at`: a string, a nested object or
// array, or a scalar. npos when unterminated. Lenient: only the spans
// matter, and only well-formed JSON (ToJson's) is expected.
size_t SkipValue(absl::string_view text, size_t at) {
  if (at >= text.size()) return absl::string_view::npos;
  if (text[at] == '"') return SkipString(text, at);
  if (text[at] == '{' || text[at] == '[') {
    int depth = 0;
    while (at < text.size()) {
      const char c = text[at];
      if (c == '"') {
        at = SkipString(text, at);
        if (at == absl::string_view::npos) return at;
        continue;
      }
      if (c == '{' || c == '[') ++depth;
      if (c == '}' || c == ']') --depth;
      ++at;
      if (depth == 0) return at;
    }
    return absl::string_view::npos;
  }
  while (at < text.size() && text[at] != ',' && text[at] != '}' &&
         text[at] != ']' && text[at] != ' ' && text[at] != '\n' &&
         text[at] != '\r' && text[at] != '\t') {
    ++at;
  }
  return at;
}

// The members of the JSON object `json`; nullopt when it is not one.
std::optional<std::vector<JsonMember>> TopLevelMembers(absl::string_view json) {
  std::vector<JsonMember> members;
  size_t at = SkipSpace(json, 0);
  if (at >= json.size() || json[at] != '{') return std::nullopt;
  at = SkipSpace(json, at + 1);
  if (at < json.size() && json[at] == '}') {
    if (SkipSpace(json, at + 1) != json.size()) return std::nullopt;
    return members;
  }
  while (at < json.size()) {
    if (json[at] != '"') return std::nullopt;
    const size_t key_end = SkipString(json, at);
    if (key_end == absl::string_view::npos) return std::nullopt;
    const absl::string_view key = json.substr(at, key_end - at);
    at = SkipSpace(json, key_end);
    if (at >= json.size() || json[at] != ':') return std::nullopt;
    at = SkipSpace(json, at + 1);
    const size_t value_end = SkipValue(json, at);
    if (value_end == absl::string_view::npos || value_end == at) {
      return std::nullopt;
    }
    members.push_back({key, json.substr(at, value_end - at)});
    at = SkipSpace(json, value_end);
    if (at >= json.size()) return std::nullopt;
    if (json[at] == '}') {
      if (SkipSpace(json, at + 1) != json.size()) return std::nullopt;
      return members;
    }
    if (json[at] != ',') return std::nullopt;
    at = SkipSpace(json, at + 1);
  }
  return std::nullopt;
}

}  // namespace

absl::StatusOr<v1::AuditEntry> ChangeEntry(const Principal& actor,
                                           absl::Time time,
                                           absl::string_view action,
                                           v1::AuditSubject subject,
                                           const ChangeDetails& details) {
  v1::AuditEntry entry;
  *entry.mutable_time() = ToProtoTime(time);
  entry.set_principal(actor.ToString());
  entry.set_via(actor.via);
  entry.set_action(std::string(action));
  *entry.mutable_subject() = std::move(subject);
  entry.mutable_outcome()->set_code(0);
  SENTINEL_RETURN_IF_ERROR(SetJson(details.before, entry.mutable_before()));
  SENTINEL_RETURN_IF_ERROR(SetJson(details.after, entry.mutable_after()));
  SENTINEL_RETURN_IF_ERROR(
      SetJson(details.parameters, entry.mutable_parameters()));
  return entry;
}

std::string BoundedJson(absl::string_view json, size_t max_bytes) {
  if (json.size() <= max_bytes) return std::string(json);
  const std::optional<std::vector<JsonMember>> members = TopLevelMembers(json);
  if (!members.has_value()) return DigestObject(json);
  // Largest first; equal sizes in the order they appear.
  std::vector<size_t> order(members->size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return (*members)[a].value.size() > (*members)[b].value.size();
  });
  // "{" + members joined by "," + "}".
  size_t size = 2 + (members->empty() ? 0 : members->size() - 1);
  for (const JsonMember& member : *members) {
    size += member.key.size() + 1 + member.value.size();
  }
  std::vector<std::string> digests(members->size());
  for (size_t i : order) {
    // The rest are no longer than a digest: replacing them saves nothing.
    if (size <= max_bytes ||
        (*members)[i].value.size() <= kMinBoundedJsonBytes) {
      break;
    }
    digests[i] = DigestObject((*members)[i].value);
    size = size - (*members)[i].value.size() + digests[i].size();
  }
  if (size > max_bytes) return DigestObject(json);
  std::string bounded = "{";
  for (size_t i = 0; i < members->size(); ++i) {
    if (i > 0) bounded += ",";
    const absl::string_view value = digests[i].empty()
                                        ? (*members)[i].value
                                        : absl::string_view(digests[i]);
    absl::StrAppend(&bounded, (*members)[i].key, ":", value);
  }
  bounded += "}";
  return bounded;
}

void BoundEntry(v1::AuditEntry& entry, size_t max_bytes) {
  if (entry.ByteSizeLong() <= max_bytes) return;
  std::vector<std::string*> texts = {entry.mutable_principal(),
                                     entry.mutable_action()};
  if (entry.has_subject()) {
    texts.push_back(entry.mutable_subject()->mutable_account_id());
    texts.push_back(entry.mutable_subject()->mutable_incident_id());
  }
  if (entry.has_outcome()) {
    texts.push_back(entry.mutable_outcome()->mutable_message());
  }
  for (std::string* text : texts) {
    if (text->size() > kMaxPlainTextBytes) {
      *text = absl::StrCat("sha256:", absl::BytesToHexString(Sha256({*text})),
                           "/", text->size());
    }
  }
  std::array<std::string*, 3> details = {entry.mutable_before(),
                                         entry.mutable_after(),
                                         entry.mutable_parameters()};
  v1::AuditEntry rest = entry;
  rest.clear_before();
  rest.clear_after();
  rest.clear_parameters();
  // Each detail adds a tag and a length of at most 1 + 5 bytes.
  const size_t fixed = rest.ByteSizeLong() + details.size() * 6;
  size_t left = max_bytes > fixed ? max_bytes - fixed : 0;
  // The smaller details first: what they leave goes to the larger ones.
  std::stable_sort(details.begin(), details.end(),
                   [](const std::string* a, const std::string* b) {
                     return a->size() < b->size();
                   });
  for (size_t i = 0; i < details.size(); ++i) {
    const size_t share = left / (details.size() - i);
    *details[i] = BoundedJson(*details[i], share);
    left -= std::min(left, details[i]->size());
  }
}

}  // namespace sentinel::audit
