// The crash harness's reading of the audit log: every entry, in order,
// through AuditService.GetEntries, picked up where the last read stopped,
// with the checks that need the whole log: positions without gaps, and each
// outbox's records (origin, origin_seq) arriving once each, in order and
// without gaps.
#ifndef SENTINEL_TESTS_CRASH_AUDIT_LOG_SCAN_H_
#define SENTINEL_TESTS_CRASH_AUDIT_LOG_SCAN_H_

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "grpcpp/support/status.h"
#include "sentinel/v1/audit.grpc.pb.h"

namespace sentinel::crash {

// Not thread-safe.
class AuditLogScan {
 public:
  // `audit` (a role allowed GetEntries) must outlive the scan.
  explicit AuditLogScan(v1::AuditService::Stub& audit) : audit_(audit) {}

  // Reads the entries after those already read, up to the newest checkpoint
  // as of the start of the call (every read is audited, so the log grows as
  // it is read). The call's error when a read fails; what was read before
  // it is kept.
  grpc::Status ReadNew();

  // Successful (outcome OK) entries of `action` about account `account_id`
  // read so far.
  int Count(const std::string& action, const std::string& account_id) const;

  // Entries read so far.
  uint64_t size() const { return next_seq_; }

  // Outboxes seen, with how many records each delivered.
  const std::map<std::string, uint64_t>& records_by_origin() const {
    return records_by_origin_;
  }

  // Every entry whose seq is not its position, and every outbox record that
  // is not right after the same outbox's previous one (delivered twice, out
  // of order, or with positions missing: positions are consecutive from 1);
  // empty when the log read so far is in order.
  const std::vector<std::string>& problems() const { return problems_; }

 private:
  void Add(const v1::AuditEntry& entry);

  v1::AuditService::Stub& audit_;
  uint64_t next_seq_ = 0;
  std::map<std::pair<std::string, std::string>, int> ok_counts_;
  std::map<std::string, uint64_t> last_origin_seq_;
  std::map<std::string, uint64_t> records_by_origin_;
  std::vector<std::string> problems_;
};

}  // namespace sentinel::crash

#endif  // SENTINEL_TESTS_CRASH_AUDIT_LOG_SCAN_H_
