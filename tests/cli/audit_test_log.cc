// Implements the in-memory audit log of the sentinelctl tests.
#include "tests/cli/audit_test_log.h"

#include "absl/strings/str_cat.h"
#include "audit/checkpoint_note.h"
#include "gtest/gtest.h"

namespace sentinel::cli::testing {

// Reads the stored perfect subtrees, as the server's storage would.
class AuditTestLog::Nodes final : public audit::NodeReader {
 public:
  explicit Nodes(const std::map<std::pair<int, uint64_t>, std::string>& nodes)
      : nodes_(nodes) {}

  absl::StatusOr<std::string> PerfectNode(int level,
                                          uint64_t index) const override {
    auto found = nodes_.find({level, index});
    if (found == nodes_.end()) {
      return absl::NotFoundError(absl::StrCat("node ", level, "/", index));
    }
    return found->second;
  }

 private:
  const std::map<std::pair<int, uint64_t>, std::string>& nodes_;
};

absl::StatusOr<std::unique_ptr<AuditTestLog>> AuditTestLog::Create(
    const std::string& key_path, std::string name) {
  absl::StatusOr<audit::Ed25519PrivateKey> key =
      audit::Ed25519PrivateKey::LoadOrCreate(key_path);
  if (!key.ok()) return key.status();
  return std::unique_ptr<AuditTestLog>(
      new AuditTestLog(*std::move(key), std::move(name)));
}

AuditTestLog::AuditTestLog(audit::Ed25519PrivateKey key, std::string name)
    : key_(std::move(key)), name_(std::move(name)) {}

void AuditTestLog::Append(uint64_t count) {
  for (uint64_t i = 0; i < count; ++i) {
    v1::AuditEntry entry;
    entry.set_seq(entries_.size());
    entry.mutable_time()->set_seconds(1795000000 + entry.seq());
    entry.set_principal("agent/alice");
    entry.set_action("FreezeService.FreezeAccount");
    entry.mutable_subject()->set_account_id(absl::StrCat("acct-", entry.seq()));
    entry.set_stored_bytes(entry.SerializeAsString());
    entry.set_leaf_hash(audit::LeafHash(entry.stored_bytes()));
    tree_.Append(entry.leaf_hash(),
                 [this](int level, uint64_t index, const std::string& hash) {
                   nodes_[{level, index}] = hash;
                 });
    entries_.push_back(std::move(entry));
  }
}

v1::GetEntriesResponse AuditTestLog::Entries(uint64_t start_seq,
                                             int32_t max_entries) const {
  v1::GetEntriesResponse response;
  for (uint64_t seq = start_seq;
       seq < entries_.size() && seq < start_seq + max_entries; ++seq) {
    *response.add_entries() = entries_[seq];
  }
  return response;
}

v1::Checkpoint AuditTestLog::Checkpoint() const {
  v1::Checkpoint checkpoint;
  checkpoint.set_tree_size(tree_.size());
  checkpoint.set_root_hash(tree_.Root());
  checkpoint.set_note(audit::SignCheckpoint(
      {.origin = name_, .size = tree_.size(), .root_hash = tree_.Root()}, name_,
      key_));
  return checkpoint;
}

v1::InclusionProof AuditTestLog::Proof(uint64_t seq, uint64_t tree_size) const {
  absl::StatusOr<std::vector<std::string>> hashes =
      audit::InclusionProof(Nodes(nodes_), seq, tree_size);
  EXPECT_TRUE(hashes.ok()) << hashes.status();
  v1::InclusionProof proof;
  proof.set_seq(seq);
  proof.set_tree_size(tree_size);
  if (hashes.ok()) {
    for (const std::string& hash : *hashes) proof.add_hashes(hash);
  }
  return proof;
}

std::string AuditTestLog::VerifierKeyText() const {
  return audit::VerifierKey(name_, key_.PublicKey());
}

}  // namespace sentinel::cli::testing
