#include "freeze/rocksdb_freeze_store.h"

#include <memory>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/key_codec.h"
#include "common/numbered_records.h"
#include "common/rocksdb_slices.h"
#include "common/rocksdb_status.h"
#include "common/status_macros.h"
#include "freeze/freeze_validation.h"
#include "rocksdb/write_batch.h"

namespace sentinel::freeze {
namespace {

constexpr absl::string_view kFreezePrefix = "f/";
constexpr absl::string_view kActivePrefix = "a/";
// Unfreeze requests by number ("r" and 8 big-endian bytes), so they list
// oldest first. Requests stored before the approval workflow are under
// "u/<request_id>" and still found by id.
constexpr absl::string_view kRequestPrefix = "r";
constexpr absl::string_view kLegacyRequestPrefix = "u/";
constexpr absl::string_view kIdempotencyPrefix = "i/";
constexpr absl::string_view kHoldPrefix = "h/";
constexpr absl::string_view kEventPrefix = "v";

std::string ActiveKey(const v1::FreezeRecord& record) {
  return absl::StrCat(kActivePrefix, record.account_id(), std::string(1, '\0'),
                      record.freeze_id());
}

std::string Serialize(const google::protobuf::MessageLite& message) {
  std::string bytes;
  message.SerializeToString(&bytes);
  return bytes;
}

template <typename Message>
absl::StatusOr<Message> ParseStored(absl::string_view bytes,
                                    absl::string_view key) {
  return ParseStoredMessage<Message>(bytes,
                                     absl::StrCat("freeze store: ", key));
}

// Reads `key`, returning nullopt when absent.
template <typename Message>
absl::StatusOr<std::optional<Message>> FindMessage(
    const RocksDatabase& database, const std::string& key) {
  absl::StatusOr<std::string> bytes = database.Get(kFreezeFamily, key);
  if (absl::IsNotFound(bytes.status())) return std::optional<Message>();
  if (!bytes.ok()) return bytes.status();
  SENTINEL_ASSIGN_OR_RETURN(Message message, ParseStored<Message>(*bytes, key));
  return std::optional<Message>(std::move(message));
}

}  // namespace

RocksDbFreezeStore::RocksDbFreezeStore(RocksDatabase& database,
                                       audit::AuditSink& audit)
    : database_(database), audit_(audit) {}

absl::Status RocksDbFreezeStore::Commit(const FreezeChange& change) {
  rocksdb::ColumnFamilyHandle* family = database_.Family(kFreezeFamily);
  rocksdb::WriteBatch batch;
  rocksdb::Status status;
  const auto stage = [&](const std::string& key, const std::string& value) {
    if (status.ok()) status = batch.Put(family, key, value);
  };
  if (change.freeze.has_value()) {
    const v1::FreezeRecord& record = *change.freeze;
    const std::string bytes = Serialize(record);
    stage(absl::StrCat(kFreezePrefix, record.freeze_id()), bytes);
    if (record.state() == v1::FREEZE_STATE_ACTIVE) {
      stage(ActiveKey(record), bytes);
    } else if (status.ok()) {
      status = batch.Delete(family, ActiveKey(record));
    }
    if (!change.idempotency_key.empty()) {
      stage(absl::StrCat(kIdempotencyPrefix, change.idempotency_key),
            record.freeze_id());
    }
  }
  if (change.unfreeze_request.has_value()) {
    const std::optional<uint64_t> number =
        ParseUnfreezeRequestId(change.unfreeze_request->request_id());
    if (!number.has_value()) {
      return absl::InternalError(
          absl::StrCat("freeze store: malformed unfreeze request id ",
                       change.unfreeze_request->request_id()));
    }
    stage(KeyWithNumber(kRequestPrefix, *number),
          Serialize(*change.unfreeze_request));
  }
  if (change.withdrawal_hold.has_value()) {
    stage(absl::StrCat(kHoldPrefix, change.withdrawal_hold->first),
          absl::StrCat(absl::ToUnixNanos(change.withdrawal_hold->second)));
  }
  stage(KeyWithNumber(kEventPrefix, change.event.version()),
        Serialize(change.event));
  SENTINEL_RETURN_IF_ERROR(FromRocksStatus(status, "freeze store: staging"));
  // Freezes and unfreezes are protective actions: never held for batching.
  return audit_
      .CommitWithAudit(batch, change.audit, audit::CommitUrgency::kUrgent,
                       change.audit_rule)
      .status();
}

absl::StatusOr<std::optional<v1::FreezeRecord>> RocksDbFreezeStore::FindFreeze(
    absl::string_view freeze_id) const {
  return FindMessage<v1::FreezeRecord>(database_,
                                       absl::StrCat(kFreezePrefix, freeze_id));
}

absl::StatusOr<std::optional<v1::UnfreezeRequest>>
RocksDbFreezeStore::FindUnfreezeRequest(absl::string_view request_id) const {
  const std::optional<uint64_t> number = ParseUnfreezeRequestId(request_id);
  if (!number.has_value()) return std::optional<v1::UnfreezeRequest>();
  SENTINEL_ASSIGN_OR_RETURN(
      std::optional<v1::UnfreezeRequest> request,
      FindMessage<v1::UnfreezeRequest>(database_,
                                       KeyWithNumber(kRequestPrefix, *number)));
  if (request.has_value()) return request;
  return FindMessage<v1::UnfreezeRequest>(
      database_, absl::StrCat(kLegacyRequestPrefix, request_id));
}

absl::StatusOr<std::vector<v1::UnfreezeRequest>>
RocksDbFreezeStore::ReadUnfreezeRequests(uint64_t after_number,
                                         size_t max_requests) const {
  return ReadNumberedMessages<v1::UnfreezeRequest>(
      database_, kFreezeFamily, kRequestPrefix, after_number, max_requests,
      "freeze store: reading unfreeze requests");
}

absl::StatusOr<std::optional<std::string>>
RocksDbFreezeStore::FindIdempotencyKey(absl::string_view key) const {
  absl::StatusOr<std::string> freeze_id =
      database_.Get(kFreezeFamily, absl::StrCat(kIdempotencyPrefix, key));
  if (absl::IsNotFound(freeze_id.status())) return std::optional<std::string>();
  if (!freeze_id.ok()) return freeze_id.status();
  return std::optional<std::string>(*std::move(freeze_id));
}

absl::StatusOr<FreezeSnapshot> RocksDbFreezeStore::LoadSnapshot() const {
  FreezeSnapshot snapshot;
  std::unique_ptr<rocksdb::Iterator> it = database_.NewIterator(kFreezeFamily);
  for (it->Seek(ToSlice(kActivePrefix));
       it->Valid() && absl::StartsWith(ToView(it->key()), kActivePrefix);
       it->Next()) {
    SENTINEL_ASSIGN_OR_RETURN(
        v1::FreezeRecord record,
        ParseStored<v1::FreezeRecord>(ToView(it->value()), ToView(it->key())));
    snapshot.active_freezes.push_back(std::move(record));
  }
  for (it->Seek(ToSlice(kHoldPrefix));
       it->Valid() && absl::StartsWith(ToView(it->key()), kHoldPrefix);
       it->Next()) {
    int64_t nanos = 0;
    if (!absl::SimpleAtoi(ToView(it->value()), &nanos)) {
      return absl::DataLossError("freeze store: malformed withdrawal hold");
    }
    absl::string_view account = ToView(it->key());
    account.remove_prefix(kHoldPrefix.size());
    snapshot.withdrawal_holds.emplace_back(std::string(account),
                                           absl::FromUnixNanos(nanos));
  }
  SENTINEL_RETURN_IF_ERROR(
      FromRocksStatus(it->status(), "freeze store: loading snapshot"));
  SENTINEL_ASSIGN_OR_RETURN(
      snapshot.last_version,
      LastNumberUnder(database_, kFreezeFamily, kEventPrefix,
                      "freeze store: loading snapshot"));
  return snapshot;
}

absl::StatusOr<std::vector<v1::FreezeEvent>> RocksDbFreezeStore::ReadEvents(
    uint64_t after_version, size_t max_events) const {
  return ReadNumberedMessages<v1::FreezeEvent>(
      database_, kFreezeFamily, kEventPrefix, after_version, max_events,
      "freeze store: reading events");
}

}  // namespace sentinel::freeze
