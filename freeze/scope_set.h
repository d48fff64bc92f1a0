// A set of freeze scopes as a bitmask: the union of several freezes is one OR.
#ifndef SENTINEL_FREEZE_SCOPE_SET_H_
#define SENTINEL_FREEZE_SCOPE_SET_H_

#include <cstdint>
#include <string>
#include <vector>

#include "google/protobuf/repeated_field.h"
#include "sentinel/v1/freeze.pb.h"

namespace sentinel::freeze {

class ScopeSet final {
 public:
  ScopeSet() = default;

  // Scopes must be valid, non-UNSPECIFIED enum values (validation ensures it).
  static ScopeSet Of(const google::protobuf::RepeatedField<int>& scopes);
  static ScopeSet Of(std::initializer_list<v1::FreezeScope> scopes);

  bool Contains(v1::FreezeScope scope) const {
    return (bits_ & Bit(scope)) != 0;
  }
  bool empty() const { return bits_ == 0; }
  ScopeSet Union(ScopeSet other) const { return ScopeSet(bits_ | other.bits_); }

  // The scopes in enum order, as a repeated proto field expects them.
  std::vector<v1::FreezeScope> ToSorted() const;
  void CopyTo(google::protobuf::RepeatedField<int>* out) const;

  // "WITHDRAW,TRANSFER_OUT" (enum order, prefix dropped); "-" when empty.
  std::string ToString() const;

  friend bool operator==(ScopeSet a, ScopeSet b) { return a.bits_ == b.bits_; }

 private:
  explicit ScopeSet(uint32_t bits) : bits_(bits) {}
  static uint32_t Bit(v1::FreezeScope scope) { return 1u << scope; }

  uint32_t bits_ = 0;
};

// "WITHDRAW" for FREEZE_SCOPE_WITHDRAW.
std::string ScopeName(v1::FreezeScope scope);

}  // namespace sentinel::freeze

#endif  // SENTINEL_FREEZE_SCOPE_SET_H_
