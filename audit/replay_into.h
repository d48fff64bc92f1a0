// Copying one RocksDB WriteBatch into another: how a group commit (the audit
// log's sequencer, the audit outbox) writes the changes of several callers
// in one synced write.
#ifndef SENTINEL_AUDIT_REPLAY_INTO_H_
#define SENTINEL_AUDIT_REPLAY_INTO_H_

#include <cstdint>

#include "common/rocks_database.h"
#include "rocksdb/write_batch.h"

namespace sentinel::audit {

// Copies the puts and deletes of a batch (batch.Iterate(&replay)) into
// `target`. Any other operation, or a column family `database` does not
// know, fails the Iterate with a non-OK status and `target` must be rolled
// back (or dropped) by the caller.
class ReplayInto final : public rocksdb::WriteBatch::Handler {
 public:
  ReplayInto(const RocksDatabase& database, rocksdb::WriteBatch& target)
      : database_(database), target_(target) {}

  rocksdb::Status PutCF(uint32_t family_id, const rocksdb::Slice& key,
                        const rocksdb::Slice& value) override {
    rocksdb::ColumnFamilyHandle* family = database_.FamilyById(family_id);
    if (family == nullptr) return rocksdb::Status::InvalidArgument("family");
    return target_.Put(family, key, value);
  }

  rocksdb::Status DeleteCF(uint32_t family_id,
                           const rocksdb::Slice& key) override {
    rocksdb::ColumnFamilyHandle* family = database_.FamilyById(family_id);
    if (family == nullptr) return rocksdb::Status::InvalidArgument("family");
    return target_.Delete(family, key);
  }

 private:
  const RocksDatabase& database_;
  rocksdb::WriteBatch& target_;
};

}  // namespace sentinel::audit

#endif  // SENTINEL_AUDIT_REPLAY_INTO_H_
