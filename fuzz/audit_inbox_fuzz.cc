// Fuzzes AuditInbox::Deliver (the audit service's side of DeliverAudit)
// with batches decoded from the input, over a real RocksDB and audit log in
// a fresh temporary directory (on /dev/shm when there is one, so that synced
// writes cost no disk flush) for each input.
//
// Input: up to kMaxSteps steps, each
//   byte 0   who and where: bits 0-1 the origin (one of them invalid),
//            bit 2 the caller, bits 3-4 where the batch starts:
//              0 at the next position, 1 `k` positions back (a
//              redelivery), 2 `k` positions ahead (a jump),
//              3 at the 8-byte big-endian position that follows;
//            bit 5 breaks the batch's consecutiveness at one record,
//            bit 6 moves the fake clock back 1 s before the call;
//   byte 1   k (modes 1 and 2), and the record count: 1 + k % 8, or 257
//            (one over the limit) when k is 255;
//   then one byte per record: bits 0-1 the entry (valid, no action, an
//   action over 128 bytes, or an entry over 64 KiB), bits 2-3 its time
//   (none, the clock's, an hour ahead, year 9999).
// Missing bytes read as zero.
//
// Properties: nothing crashes; an accepted batch never starts past the next
// position of its (caller, origin), so the positions accepted are gap-free;
// each newly covered position gets exactly one entry, in order, carrying
// its origin and position (the record's, or a refusal when malformed); a
// refused call stores nothing; no entry is dated after the audit service's
// clock, and no origin_time after its entry's time; and the log passes the
// full offline check (CheckStoredLog) at the end.
#include <unistd.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "audit/audit_inbox.h"
#include "audit/audit_log_layout.h"
#include "audit/audit_reader.h"
#include "audit/ed25519.h"
#include "audit/log_verifier.h"
#include "audit/merkle_audit_log.h"
#include "common/clock.h"
#include "common/rocks_database.h"
#include "common/time_util.h"
#include "fuzz/fuzz_check.h"
#include "fuzz/fuzz_temp_dir.h"
#include "google/protobuf/stubs/logging.h"

namespace {

using ::sentinel::RocksDatabase;
using ::sentinel::audit::AuditInbox;
using ::sentinel::audit::AuditReader;
using ::sentinel::audit::Ed25519PrivateKey;
using ::sentinel::audit::MerkleAuditLog;

constexpr size_t kMaxSteps = 12;
constexpr const char* kOrigins[] = {"sentinel-freeze", "sentinel-intake",
                                    "sentinel-trace", "Not An Origin"};
constexpr const char* kCallers[] = {"service/freeze", "service/trace"};

// Reads the input front to back; zeros past its end.
class Reader {
 public:
  Reader(const uint8_t* data, size_t size) : data_(data), size_(size) {}
  bool done() const { return at_ >= size_; }
  uint8_t Byte() { return at_ < size_ ? data_[at_++] : 0; }
  uint64_t Number() {
    uint64_t number = 0;
    for (int i = 0; i < 8; ++i) number = number << 8 | Byte();
    return number;
  }

 private:
  const uint8_t* data_;
  size_t size_;
  size_t at_ = 0;
};

class FuzzClock final : public sentinel::Clock {
 public:
  absl::Time Now() const override { return now_; }
  void Advance(absl::Duration by) { now_ += by; }

 private:
  absl::Time now_ = absl::FromUnixSeconds(1798761600);
};

// The signing key, made once per process.
const std::string& KeyPath() {
  static const std::string* const path = [] {
    const std::string dir = MakeFuzzTempDir("audit_inbox_fuzz_key");
    auto* key_path = new std::string(dir + "/audit.pem");
    SENTINEL_FUZZ_CHECK(Ed25519PrivateKey::LoadOrCreate(*key_path).ok());
    return key_path;
  }();
  return *path;
}

sentinel::v1::AuditEntry EntryOf(uint8_t kind, absl::Time now) {
  sentinel::v1::AuditEntry entry;
  switch (kind & 3) {
    case 0:
      entry.set_action("FreezeService.FreezeAccount");
      break;
    case 1:
      break;  // no action
    case 2:
      entry.set_action(std::string(129, 'a'));
      break;
    default:
      entry.set_action("IncidentService.ReportIncident");
      entry.set_after(std::string(65 * 1024, 'x'));
      break;
  }
  entry.mutable_subject()->set_account_id("acct-1");
  switch ((kind >> 2) & 3) {
    case 0:
      break;
    case 1:
      *entry.mutable_time() = sentinel::ToProtoTime(now);
      break;
    case 2:
      *entry.mutable_time() = sentinel::ToProtoTime(now + absl::Hours(1));
      break;
    default:
      entry.mutable_time()->set_seconds(253402300799);
      break;
  }
  return entry;
}

void Run(Reader& input, const std::string& dir) {
  auto database = RocksDatabase::Open(
      dir + "/db",
      {sentinel::audit::kAuditFamily, sentinel::audit::kInboxFamily});
  SENTINEL_FUZZ_CHECK(database.ok());
  auto key = Ed25519PrivateKey::Load(KeyPath());
  SENTINEL_FUZZ_CHECK(key.ok());
  auto log = MerkleAuditLog::Open(**database, *std::move(key), {});
  SENTINEL_FUZZ_CHECK(log.ok());
  FuzzClock clock;
  AuditInbox inbox(**database, **log, clock);
  AuditReader reader(**database);

  // The model: the last position accepted per (caller, origin).
  std::map<std::pair<int, int>, uint64_t> marks;
  absl::Time latest = clock.Now();
  for (size_t step = 0; step < kMaxSteps && !input.done(); ++step) {
    const uint8_t who = input.Byte();
    const int origin = who & 3;
    const int caller = (who >> 2) & 1;
    const int mode = (who >> 3) & 3;
    if (who & 0x40) clock.Advance(absl::Seconds(-1));
    clock.Advance(absl::Milliseconds(1));
    latest = std::max(latest, clock.Now());
    const uint8_t k = input.Byte();
    uint64_t& mark = marks[{caller, origin}];
    uint64_t first = mark + 1;
    if (mode == 1) first = mark + 1 - std::min<uint64_t>(k, mark + 1);
    if (mode == 2) first = mark + 1 + k;
    if (mode == 3) first = input.Number();
    const size_t count = k == 255 ? 257 : 1 + k % 8;
    std::vector<sentinel::v1::OutboxRecord> records;
    for (size_t i = 0; i < count; ++i) {
      sentinel::v1::OutboxRecord& record = records.emplace_back();
      const bool broken = (who & 0x20) && i == count / 2 && i > 0;
      record.set_outbox_seq(first + i + (broken ? 1 : 0));
      *record.mutable_entry() = EntryOf(input.Byte(), clock.Now());
    }

    const uint64_t size_before = (*log)->size();
    const uint64_t last = records.back().outbox_seq();
    absl::StatusOr<uint64_t> through =
        inbox.Deliver(kCallers[caller], kOrigins[origin], records);
    if (!through.ok()) {
      SENTINEL_FUZZ_CHECK(absl::IsInvalidArgument(through.status()) ||
                          absl::IsFailedPrecondition(through.status()));
      if (absl::IsFailedPrecondition(through.status())) {
        SENTINEL_FUZZ_CHECK(first > mark + 1);
      }
      SENTINEL_FUZZ_CHECK((*log)->size() == size_before);
      continue;
    }
    // Accepted: it started at or before the next position, and the mark
    // moved to its last record (or stayed, for a pure redelivery).
    SENTINEL_FUZZ_CHECK(first >= 1 && first <= mark + 1);
    SENTINEL_FUZZ_CHECK(*through == std::max(mark, last));
    const uint64_t added = *through - mark;
    SENTINEL_FUZZ_CHECK((*log)->size() == size_before + added);
    auto entries = reader.ReadEntries(size_before, added + 1, (*log)->size());
    SENTINEL_FUZZ_CHECK(entries.ok() && entries->size() == added);
    for (size_t i = 0; i < entries->size(); ++i) {
      const sentinel::v1::AuditEntry& entry = (*entries)[i];
      SENTINEL_FUZZ_CHECK(entry.origin() == kOrigins[origin]);
      SENTINEL_FUZZ_CHECK(entry.origin_seq() == mark + 1 + i);
      const absl::Time time = sentinel::FromProtoTime(entry.time());
      // When the clock went back an entry keeps the previous entry's time
      // (times never decrease along the log): never one the clock has not
      // shown.
      SENTINEL_FUZZ_CHECK(time <= latest);
      if (entry.has_origin_time()) {
        SENTINEL_FUZZ_CHECK(sentinel::FromProtoTime(entry.origin_time()) <=
                            time);
      }
    }
    mark = *through;
  }

  auto report = sentinel::audit::CheckStoredLog(
      **database, (*log)->public_key(), (*log)->origin(),
      {.all_checkpoints = true, .all_nodes = true});
  SENTINEL_FUZZ_CHECK(report.ok());
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  // Parsing refuses invalid UTF-8 in string fields, logging each time.
  google::protobuf::SetLogHandler(nullptr);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string dir = MakeFuzzTempDir("audit_inbox_fuzz");
  Reader input(data, size);
  Run(input, dir);
  std::filesystem::remove_all(dir);
  return 0;
}
