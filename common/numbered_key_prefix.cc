#include "common/numbered_key_prefix.h"

namespace sentinel {
namespace {

constexpr size_t kNumberBytes = 8;

class NumberedKeyPrefixTransform final : public rocksdb::SliceTransform {
 public:
  const char* Name() const override { return "sentinel.NumberedKeyPrefix"; }
  rocksdb::Slice Transform(const rocksdb::Slice& key) const override {
    return rocksdb::Slice(key.data(), key.size() - kNumberBytes);
  }
  bool InDomain(const rocksdb::Slice& key) const override {
    return key.size() > kNumberBytes;
  }
};

}  // namespace

std::shared_ptr<const rocksdb::SliceTransform> NumberedKeyPrefix() {
  static const std::shared_ptr<const rocksdb::SliceTransform> transform =
      std::make_shared<NumberedKeyPrefixTransform>();
  return transform;
}

}  // namespace sentinel
