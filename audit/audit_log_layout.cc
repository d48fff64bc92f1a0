#include "audit/audit_log_layout.h"

#include "absl/algorithm/container.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/key_codec.h"

namespace sentinel::audit {

std::string EntryKey(uint64_t seq) { return KeyWithNumber(kEntryPrefix, seq); }

std::string NodeKey(int level, uint64_t index) {
  std::string prefix = "n";
  prefix.push_back(static_cast<char>(level));
  return KeyWithNumber(prefix, index);
}

std::string CheckpointKey(uint64_t tree_size) {
  return KeyWithNumber(kCheckpointPrefix, tree_size);
}

std::string IndexPrefix(absl::string_view index, absl::string_view value) {
  return absl::StrCat(index, value, absl::string_view("\0", 1));
}

std::string IndexKey(absl::string_view index, absl::string_view value,
                     uint64_t seq) {
  return KeyWithNumber(IndexPrefix(index, value), seq);
}

std::vector<absl::string_view> SubjectValues(const v1::AuditSubject& subject) {
  std::vector<absl::string_view> values;
  const auto add = [&](absl::string_view value) {
    if (!value.empty() && !absl::c_linear_search(values, value)) {
      values.push_back(value);
    }
  };
  add(subject.account_id());
  for (const std::string& account : subject.other_account_ids()) add(account);
  add(subject.incident_id());
  return values;
}

std::vector<std::string> IndexKeysFor(const v1::AuditEntry& entry,
                                      uint64_t seq) {
  std::vector<std::string> keys;
  // A value with a NUL byte (the separator) is never indexed: no query can
  // name it, and its key would sort among another value's keys.
  const auto add = [&](absl::string_view index, absl::string_view value) {
    if (!value.empty() && !absl::StrContains(value, '\0')) {
      keys.push_back(IndexKey(index, value, seq));
    }
  };
  for (absl::string_view value : SubjectValues(entry.subject())) {
    add(kSubjectIndex, value);
  }
  add(kActorIndex, entry.principal());
  add(kActionIndex, entry.action());
  return keys;
}

std::optional<uint64_t> SeqFromIndexKey(absl::string_view prefix,
                                        absl::string_view key) {
  return NumberFromKey(prefix, key);
}

absl::StatusOr<std::string> StoredNodes::PerfectNode(int level,
                                                     uint64_t index) const {
  if (level > 0) return database_.Get(kAuditFamily, NodeKey(level, index));
  absl::StatusOr<std::string> entry =
      database_.Get(kAuditFamily, EntryKey(index));
  if (!entry.ok()) return entry.status();
  return LeafHash(*entry);
}

}  // namespace sentinel::audit
