// An audit log built in memory for the sentinelctl tests: entries with their
// stored bytes, the RFC 6962 tree over them, and checkpoints signed with a
// fresh Ed25519 key, so the CLI's checks run against real signatures and
// proofs without a server.
#ifndef SENTINEL_TESTS_CLI_AUDIT_TEST_LOG_H_
#define SENTINEL_TESTS_CLI_AUDIT_TEST_LOG_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "audit/ed25519.h"
#include "audit/merkle.h"
#include "sentinel/v1/audit.pb.h"

namespace sentinel::cli::testing {

// Not thread-safe.
class AuditTestLog final {
 public:
  // A log whose checkpoints carry origin and key name `name`, signed with a
  // key generated at `key_path` (which must not exist yet).
  static absl::StatusOr<std::unique_ptr<AuditTestLog>> Create(
      const std::string& key_path, std::string name);

  // Appends `count` entries ("FreezeService.FreezeAccount" by agent/alice on
  // acct-<seq>).
  void Append(uint64_t count);

  uint64_t size() const { return entries_.size(); }

  // Entry `seq` as GetEntries returns it (stored_bytes and leaf_hash set).
  const v1::AuditEntry& entry(uint64_t seq) const { return entries_.at(seq); }

  // GetEntries: up to `max_entries` entries from `start_seq`.
  v1::GetEntriesResponse Entries(uint64_t start_seq, int32_t max_entries) const;

  // The signed checkpoint of the whole log as GetCheckpoint returns it.
  v1::Checkpoint Checkpoint() const;

  // GetInclusionProof(seq, tree_size); crashes the test if out of range.
  v1::InclusionProof Proof(uint64_t seq, uint64_t tree_size) const;

  // The verifier key text, as sentineld writes it to audit.vkey.
  std::string VerifierKeyText() const;

 private:
  class Nodes;

  AuditTestLog(audit::Ed25519PrivateKey key, std::string name);

  audit::Ed25519PrivateKey key_;
  const std::string name_;
  std::vector<v1::AuditEntry> entries_;
  audit::CompactRange tree_;
  std::map<std::pair<int, uint64_t>, std::string> nodes_;
};

}  // namespace sentinel::cli::testing

#endif  // SENTINEL_TESTS_CLI_AUDIT_TEST_LOG_H_
