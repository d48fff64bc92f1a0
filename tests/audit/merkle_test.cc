// Tests of the RFC 6962 / RFC 9162 Merkle tree: published test vectors, the
// incremental compact range and the stored-node readers against the recursive
// definitions of RFC 9162 §2.1, the proof generators against the independent
// verifiers, and the rejection of every kind of tampered proof.
//
// Published vectors come from transparency-dev/merkle: the 8-leaf reference
// tree, its roots and proofs in proof/verify_test.go (the same values as
// testdata/inclusion/*/happy-path.json and testdata/consistency/*/
// happy-path.json), the hasher values in rfc6962/rfc6962_test.go, and the
// 7-leaf node lists in proof/proof_test.go.

#include "audit/merkle.h"

#include <bit>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"

namespace sentinel::audit {
namespace {

using ::sentinel::testing::StatusIs;
using ::testing::_;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Pair;

std::string Hex(absl::string_view bytes) {
  return absl::BytesToHexString(bytes);
}

std::vector<std::string> FromHex(std::initializer_list<absl::string_view> hex) {
  std::vector<std::string> bytes;
  for (absl::string_view h : hex) bytes.push_back(absl::HexStringToBytes(h));
  return bytes;
}

std::vector<std::string> ToHex(const std::vector<std::string>& hashes) {
  std::vector<std::string> hex;
  for (const std::string& hash : hashes) hex.push_back(Hex(hash));
  return hex;
}

// `hash` with bit `bit` flipped.
std::string Flipped(std::string hash, size_t bit) {
  hash[bit / 8] = static_cast<char>(hash[bit / 8] ^ (1 << (bit % 8)));
  return hash;
}

// The stored perfect nodes, in memory. Counts reads, and fails the test if a
// node is ever written twice (storage is append-only).
class MemoryNodes final : public NodeReader {
 public:
  absl::StatusOr<std::string> PerfectNode(int level,
                                          uint64_t index) const override {
    ++reads_;
    auto it = nodes_.find(std::make_pair(level, index));
    if (it == nodes_.end()) return absl::NotFoundError("not stored");
    return it->second;
  }

  void Put(int level, uint64_t index, const std::string& hash) {
    const bool inserted =
        nodes_.emplace(std::make_pair(level, index), hash).second;
    EXPECT_TRUE(inserted) << "node (" << level << ", " << index
                          << ") written twice";
  }

  size_t size() const { return nodes_.size(); }
  int64_t reads() const { return reads_; }
  void ResetReads() { reads_ = 0; }

 private:
  absl::flat_hash_map<std::pair<int, uint64_t>, std::string> nodes_;
  mutable int64_t reads_ = 0;
};

// A reader whose answers come from a function, for storage failures and for
// counting reads in trees too large to build.
class FunctionNodes final : public NodeReader {
 public:
  explicit FunctionNodes(
      std::function<absl::StatusOr<std::string>(int, uint64_t)> read)
      : read_(std::move(read)) {}

  absl::StatusOr<std::string> PerfectNode(int level,
                                          uint64_t index) const override {
    ++reads_;
    return read_(level, index);
  }

  int64_t reads() const { return reads_; }
  void ResetReads() { reads_ = 0; }

 private:
  std::function<absl::StatusOr<std::string>(int, uint64_t)> read_;
  mutable int64_t reads_ = 0;
};

// MTH, PATH and SUBPROOF written directly from their recursive definitions in
// RFC 9162 §2.1.1, §2.1.3.1 and §2.1.4.1, over a list of leaf hashes. MTH is
// a pure function of the leaves, so it is memoized per range to keep
// thousands of tree sizes fast; the memo holds nothing but the definition's
// own values.
class ReferenceTree {
 public:
  explicit ReferenceTree(const std::vector<std::string>& leaf_hashes)
      : leaves_(leaf_hashes) {}

  std::string Mth(uint64_t begin, uint64_t end) {
    const uint64_t n = end - begin;
    if (n == 0) return EmptyRoot();
    if (n == 1) return leaves_[begin];
    auto it = memo_.find(std::make_pair(begin, end));
    if (it != memo_.end()) return it->second;
    const uint64_t k = LargestPowerOfTwoBelow(n);
    std::string hash = NodeHash(Mth(begin, begin + k), Mth(begin + k, end));
    memo_.emplace(std::make_pair(begin, end), hash);
    return hash;
  }

  // PATH(m, D[begin:end]).
  std::vector<std::string> Path(uint64_t m, uint64_t begin, uint64_t end) {
    const uint64_t n = end - begin;
    if (n == 1) return {};
    const uint64_t k = LargestPowerOfTwoBelow(n);
    std::vector<std::string> path;
    if (m < k) {
      path = Path(m, begin, begin + k);
      path.push_back(Mth(begin + k, end));
    } else {
      path = Path(m - k, begin + k, end);
      path.push_back(Mth(begin, begin + k));
    }
    return path;
  }

  // SUBPROOF(m, D[begin:end], b).
  std::vector<std::string> Subproof(uint64_t m, uint64_t begin, uint64_t end,
                                    bool b) {
    const uint64_t n = end - begin;
    if (m == n) {
      if (b) return {};
      return {Mth(begin, end)};
    }
    const uint64_t k = LargestPowerOfTwoBelow(n);
    std::vector<std::string> proof;
    if (m <= k) {
      proof = Subproof(m, begin, begin + k, b);
      proof.push_back(Mth(begin + k, end));
    } else {
      proof = Subproof(m - k, begin + k, end, false);
      proof.push_back(Mth(begin, begin + k));
    }
    return proof;
  }

 private:
  static uint64_t LargestPowerOfTwoBelow(uint64_t n) {
    uint64_t k = 1;
    while (k * 2 < n) k *= 2;
    return k;
  }

  const std::vector<std::string>& leaves_;
  absl::flat_hash_map<std::pair<uint64_t, uint64_t>, std::string> memo_;
};

// Whether [begin, end) is a subtree in the sense of RangeHash, written
// independently of the library.
bool IsAlignedRange(uint64_t begin, uint64_t end) {
  uint64_t width = 1;
  while (width < end - begin) width *= 2;
  return begin % width == 0;
}

// The hash of a distinct test entry.
std::string TestLeaf(uint64_t i) { return LeafHash(absl::StrCat("entry ", i)); }

// A log built by appending leaves through a CompactRange that stores every
// node it reports, as the audit log's writer does.
struct TestLog {
  std::vector<std::string> leaves;
  MemoryNodes nodes;
  CompactRange range;

  void Append(const std::string& leaf_hash) {
    leaves.push_back(leaf_hash);
    range.Append(leaf_hash,
                 [this](int level, uint64_t index, const std::string& hash) {
                   nodes.Put(level, index, hash);
                 });
  }
};

constexpr uint64_t kBigLogSize = 100000;

// The sizes at which the big log records its compact range's root: edge cases
// around 2^16 and random sizes up to kBigLogSize (fixed seed).
std::vector<uint64_t> BigLogRecordedSizes() {
  std::vector<uint64_t> sizes = {65535, 65536, 65537, kBigLogSize};
  std::mt19937_64 random(6962);
  std::uniform_int_distribution<uint64_t> pick(2049, kBigLogSize);
  for (int i = 0; i < 8; ++i) sizes.push_back(pick(random));
  return sizes;
}

// One large log shared by the tests that sample big trees, built once, with
// the incremental root recorded at BigLogRecordedSizes() and one shared
// reference tree (whose memo is the expensive part).
struct BigTestLog {
  TestLog log;
  absl::flat_hash_map<uint64_t, std::string> recorded_roots;
  ReferenceTree reference{log.leaves};
};

BigTestLog& BigLog() {
  static BigTestLog* const big = [] {
    auto* built = new BigTestLog;
    absl::flat_hash_map<uint64_t, bool> record;
    for (uint64_t size : BigLogRecordedSizes()) record[size] = true;
    for (uint64_t i = 0; i < kBigLogSize; ++i) {
      built->log.Append(TestLeaf(i));
      if (record.contains(i + 1)) {
        built->recorded_roots[i + 1] = built->log.range.Root();
      }
    }
    return built;
  }();
  return *big;
}

// Every way of tampering with a valid inclusion proof is rejected with the
// status the contract names.
void ExpectInclusionTamperingRejected(uint64_t index, uint64_t size,
                                      const std::string& leaf,
                                      const std::vector<std::string>& proof,
                                      const std::string& root,
                                      const std::string& other_hash) {
  const size_t n = proof.size();
  const std::string kRootDiffers =
      "inclusion proof: computed root differs from the expected root";
  auto length_error = [n](size_t actual) {
    return absl::StrCat("inclusion proof: ", actual,
                        actual == 1 ? " hash" : " hashes", ", expected ", n);
  };
  // A flipped bit in any hash.
  for (size_t i = 0; i < n; ++i) {
    std::vector<std::string> bad = proof;
    bad[i] = Flipped(bad[i], (i * 37 + 3) % 256);
    EXPECT_THAT(VerifyInclusion(index, size, leaf, bad, root),
                StatusIs(absl::StatusCode::kDataLoss, kRootDiffers))
        << "flipped hash " << i;
  }
  // A dropped hash.
  for (size_t i = 0; i < n; ++i) {
    std::vector<std::string> bad = proof;
    bad.erase(bad.begin() + i);
    EXPECT_THAT(VerifyInclusion(index, size, leaf, bad, root),
                StatusIs(absl::StatusCode::kDataLoss, length_error(n - 1)))
        << "dropped hash " << i;
  }
  // An added hash, at either end.
  std::vector<std::string> longer = proof;
  longer.push_back(other_hash);
  EXPECT_THAT(VerifyInclusion(index, size, leaf, longer, root),
              StatusIs(absl::StatusCode::kDataLoss, length_error(n + 1)));
  longer = proof;
  longer.insert(longer.begin(), root);
  EXPECT_THAT(VerifyInclusion(index, size, leaf, longer, root),
              StatusIs(absl::StatusCode::kDataLoss, length_error(n + 1)));
  // A wrong index or size: out of range is an argument error, otherwise the
  // proof does not match.
  auto expect_position_rejected = [&](uint64_t bad_index, uint64_t bad_size) {
    if (bad_index >= bad_size) {
      EXPECT_THAT(VerifyInclusion(bad_index, bad_size, leaf, proof, root),
                  StatusIs(absl::StatusCode::kInvalidArgument,
                           HasSubstr("is not less than size")))
          << "index " << bad_index << " size " << bad_size;
    } else {
      EXPECT_THAT(VerifyInclusion(bad_index, bad_size, leaf, proof, root),
                  StatusIs(absl::StatusCode::kDataLoss, _))
          << "index " << bad_index << " size " << bad_size;
    }
  };
  if (index > 0) expect_position_rejected(index - 1, size);
  expect_position_rejected(index + 1, size);
  expect_position_rejected(index, size * 2);
  expect_position_rejected(index, size / 2);
  // A wrong leaf or root.
  EXPECT_THAT(VerifyInclusion(index, size, other_hash, proof, root),
              StatusIs(absl::StatusCode::kDataLoss, kRootDiffers));
  EXPECT_THAT(VerifyInclusion(index, size, leaf, proof, other_hash),
              StatusIs(absl::StatusCode::kDataLoss, kRootDiffers));
  EXPECT_THAT(VerifyInclusion(index, size, leaf, proof, EmptyRoot()),
              StatusIs(absl::StatusCode::kDataLoss, kRootDiffers));
}

// Every way of tampering with a valid consistency proof between different
// sizes is rejected with the status the contract names.
void ExpectConsistencyTamperingRejected(uint64_t old_size, uint64_t new_size,
                                        const std::string& old_root,
                                        const std::string& new_root,
                                        const std::vector<std::string>& proof,
                                        const std::string& other_hash) {
  ASSERT_LT(old_size, new_size);
  const size_t n = proof.size();
  auto length_error = [n](size_t actual) {
    return absl::StrCat("consistency proof: ", actual,
                        actual == 1 ? " hash" : " hashes", ", expected ", n);
  };
  const auto kRootDiffers = StatusIs(
      absl::StatusCode::kDataLoss, HasSubstr("root differs from the expected"));
  for (size_t i = 0; i < n; ++i) {
    std::vector<std::string> bad = proof;
    bad[i] = Flipped(bad[i], (i * 53 + 4) % 256);
    EXPECT_THAT(VerifyConsistency(old_size, new_size, old_root, new_root, bad),
                kRootDiffers)
        << "flipped hash " << i;
  }
  for (size_t i = 0; i < n; ++i) {
    std::vector<std::string> bad = proof;
    bad.erase(bad.begin() + i);
    EXPECT_THAT(VerifyConsistency(old_size, new_size, old_root, new_root, bad),
                StatusIs(absl::StatusCode::kDataLoss, length_error(n - 1)))
        << "dropped hash " << i;
  }
  for (const std::string& extra : {other_hash, old_root, new_root}) {
    std::vector<std::string> longer = proof;
    longer.push_back(extra);
    EXPECT_THAT(
        VerifyConsistency(old_size, new_size, old_root, new_root, longer),
        StatusIs(absl::StatusCode::kDataLoss, length_error(n + 1)));
    longer = proof;
    longer.insert(longer.begin(), extra);
    EXPECT_THAT(
        VerifyConsistency(old_size, new_size, old_root, new_root, longer),
        StatusIs(absl::StatusCode::kDataLoss, length_error(n + 1)));
  }
  // Wrong sizes: out of order is an argument error; equal sizes need an
  // empty proof; otherwise the proof does not match.
  auto expect_sizes_rejected = [&](uint64_t bad_old, uint64_t bad_new) {
    const absl::Status status =
        VerifyConsistency(bad_old, bad_new, old_root, new_root, proof);
    if (bad_old == 0) {
      EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument,
                                   HasSubstr("old_size must be positive")));
    } else if (bad_old > bad_new) {
      EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument,
                                   HasSubstr("is greater than new_size")));
    } else if (bad_old == bad_new) {
      EXPECT_THAT(status, StatusIs(absl::StatusCode::kDataLoss,
                                   HasSubstr("expected 0")));
    } else {
      EXPECT_THAT(status, StatusIs(absl::StatusCode::kDataLoss, _))
          << "sizes " << bad_old << " -> " << bad_new;
    }
  };
  expect_sizes_rejected(old_size - 1, new_size);
  expect_sizes_rejected(old_size + 1, new_size);
  expect_sizes_rejected(old_size, new_size * 2);
  expect_sizes_rejected(old_size, new_size / 2);
  // Wrong, swapped or missing roots and proof.
  EXPECT_THAT(
      VerifyConsistency(old_size, new_size, other_hash, new_root, proof),
      StatusIs(absl::StatusCode::kDataLoss, _));
  EXPECT_THAT(
      VerifyConsistency(old_size, new_size, old_root, other_hash, proof),
      StatusIs(absl::StatusCode::kDataLoss,
               "consistency proof: computed new root differs from the "
               "expected new root"));
  EXPECT_THAT(VerifyConsistency(old_size, new_size, new_root, old_root, proof),
              StatusIs(absl::StatusCode::kDataLoss, _));
  EXPECT_THAT(VerifyConsistency(old_size, new_size, old_root, new_root, {}),
              StatusIs(absl::StatusCode::kDataLoss, length_error(0)));
}

// --- Published vectors. ---

// transparency-dev/merkle proof/verify_test.go: the RFC 6962 reference tree.
const std::vector<std::string>& ReferenceEntries() {
  static const auto* const entries = new std::vector<std::string>(FromHex({
      "",
      "00",
      "10",
      "2021",
      "3031",
      "40414243",
      "5051525354555657",
      "606162636465666768696a6b6c6d6e6f",
  }));
  return *entries;
}

// Roots of the reference tree of sizes 1..8 (verify_test.go `roots`).
constexpr absl::string_view kReferenceRoots[] = {
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
};

// The hashes in the published proofs, named for the reference-tree node each
// one is (leaf i is node (0, i); checked by PublishedHashesAreTheNamedNodes).
constexpr absl::string_view kLeaf0Hex =
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d";
constexpr absl::string_view kLeaf1Hex =
    "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7";
constexpr absl::string_view kLeaf4Hex =
    "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b";
constexpr absl::string_view kLeaf6Hex =
    "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f";
constexpr absl::string_view kNode1_0Hex =
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125";
constexpr absl::string_view kNode1_1Hex =
    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e";
constexpr absl::string_view kNode1_2Hex =
    "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a";
constexpr absl::string_view kNode1_3Hex =
    "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0";
constexpr absl::string_view kNode2_0Hex =
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7";
constexpr absl::string_view kNode2_1Hex =
    "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4";

constexpr absl::string_view kEmptyRootHex =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

// verify_test.go `sha256SomeHash`, used there as a wrong root.
constexpr absl::string_view kSomeHashHex =
    "abacaba000000000000000000000000000000000000000000060061e00123456";

std::string ReferenceRoot(uint64_t size) {
  return absl::HexStringToBytes(kReferenceRoots[size - 1]);
}

// The reference tree, built through CompactRange.
TestLog ReferenceLog() {
  TestLog log;
  for (const std::string& entry : ReferenceEntries()) {
    log.Append(LeafHash(entry));
  }
  return log;
}

// The hash functions give the published RFC 6962 values
// (transparency-dev/merkle rfc6962/rfc6962_test.go).
TEST(MerkleHashTest, MatchesPublishedValues) {
  EXPECT_EQ(Hex(EmptyRoot()), kEmptyRootHex);
  EXPECT_EQ(Hex(LeafHash("")),
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d");
  EXPECT_EQ(Hex(LeafHash("L123456")),
            "395aa064aa4c29f7010acfe3f25db9485bbd4b91897b6ad7ad547639252b4d56");
  EXPECT_EQ(Hex(NodeHash("N123", "N456")),
            "aa217fe888e47007fa15edab33c2b492a722cb106c64667fc2b044444de66bbb");
  EXPECT_EQ(kHashBytes, 32u);
}

// Appending the reference entries one by one gives the published root at every
// size, both from the compact range and from the stored nodes.
TEST(MerkleReferenceTest, RootsAtEverySize) {
  TestLog log;
  EXPECT_EQ(Hex(log.range.Root()), kEmptyRootHex);
  ASSERT_OK_AND_ASSIGN(std::string empty, RootAt(log.nodes, 0));
  EXPECT_EQ(Hex(empty), kEmptyRootHex);
  for (uint64_t size = 1; size <= 8; ++size) {
    log.Append(LeafHash(ReferenceEntries()[size - 1]));
    EXPECT_EQ(log.range.size(), size);
    EXPECT_EQ(Hex(log.range.Root()), kReferenceRoots[size - 1])
        << "size " << size;
  }
  for (uint64_t size = 1; size <= 8; ++size) {
    ASSERT_OK_AND_ASSIGN(std::string root, RootAt(log.nodes, size));
    EXPECT_EQ(Hex(root), kReferenceRoots[size - 1]) << "size " << size;
  }
}

// A published inclusion proof (verify_test.go `inclusionProofs`, whose leaf
// numbers are 1-based, so leaf 6 there is index 5 here).
struct PublishedInclusion {
  uint64_t index;
  uint64_t size;
  std::vector<std::string> proof;
};

std::vector<PublishedInclusion> PublishedInclusionProofs() {
  return {
      {0, 1, {}},
      {0, 8, FromHex({kLeaf1Hex, kNode1_1Hex, kNode2_1Hex})},
      {5, 8, FromHex({kLeaf4Hex, kNode1_3Hex, kNode2_0Hex})},
      {2, 3, FromHex({kNode1_0Hex})},
      {1, 5, FromHex({kLeaf0Hex, kNode1_1Hex, kLeaf4Hex})},
  };
}

// A published consistency proof (verify_test.go `consistencyProofs`).
struct PublishedConsistency {
  uint64_t old_size;
  uint64_t new_size;
  std::vector<std::string> proof;
};

std::vector<PublishedConsistency> PublishedConsistencyProofs() {
  return {
      {1, 1, {}},
      {1, 8, FromHex({kLeaf1Hex, kNode1_1Hex, kNode2_1Hex})},
      {6, 8, FromHex({kNode1_2Hex, kNode1_3Hex, kNode2_0Hex})},
      {2, 5, FromHex({kNode1_1Hex, kLeaf4Hex})},
      {6, 7, FromHex({kNode1_2Hex, kLeaf6Hex, kNode2_0Hex})},
  };
}

// The inclusion proofs of the reference tree are the published ones and
// verify against the published roots.
TEST(MerkleReferenceTest, PublishedInclusionProofs) {
  const TestLog log = ReferenceLog();
  for (const PublishedInclusion& c : PublishedInclusionProofs()) {
    SCOPED_TRACE(absl::StrCat("index ", c.index, " size ", c.size));
    ASSERT_OK_AND_ASSIGN(std::vector<std::string> proof,
                         InclusionProof(log.nodes, c.index, c.size));
    EXPECT_EQ(ToHex(proof), ToHex(c.proof));
    EXPECT_OK(VerifyInclusion(c.index, c.size,
                              LeafHash(ReferenceEntries()[c.index]), c.proof,
                              ReferenceRoot(c.size)));
  }
}

// The consistency proofs of the reference tree are the published ones and
// verify against the published roots.
TEST(MerkleReferenceTest, PublishedConsistencyProofs) {
  const TestLog log = ReferenceLog();
  for (const PublishedConsistency& c : PublishedConsistencyProofs()) {
    SCOPED_TRACE(absl::StrCat("sizes ", c.old_size, " -> ", c.new_size));
    ASSERT_OK_AND_ASSIGN(std::vector<std::string> proof,
                         ConsistencyProof(log.nodes, c.old_size, c.new_size));
    EXPECT_EQ(ToHex(proof), ToHex(c.proof));
    EXPECT_OK(VerifyConsistency(c.old_size, c.new_size,
                                ReferenceRoot(c.old_size),
                                ReferenceRoot(c.new_size), c.proof));
  }
}

// The published proofs, tampered with in the ways transparency-dev/merkle's
// verify_test.go (corruptInclusionProof / corruptConsistencyProof) and
// testdata/ do, are all rejected; its wrong root is `sha256SomeHash`.
TEST(MerkleReferenceTest, TamperedPublishedProofsAreRejected) {
  const std::string some_hash = absl::HexStringToBytes(kSomeHashHex);
  for (const PublishedInclusion& c : PublishedInclusionProofs()) {
    SCOPED_TRACE(absl::StrCat("index ", c.index, " size ", c.size));
    ExpectInclusionTamperingRejected(c.index, c.size,
                                     LeafHash(ReferenceEntries()[c.index]),
                                     c.proof, ReferenceRoot(c.size), some_hash);
  }
  for (const PublishedConsistency& c : PublishedConsistencyProofs()) {
    if (c.old_size == c.new_size) continue;  // Tested in ProofArgumentsTest.
    SCOPED_TRACE(absl::StrCat("sizes ", c.old_size, " -> ", c.new_size));
    ExpectConsistencyTamperingRejected(
        c.old_size, c.new_size, ReferenceRoot(c.old_size),
        ReferenceRoot(c.new_size), c.proof, some_hash);
  }
}

// Proofs consist of the nodes transparency-dev/merkle proof/proof_test.go
// lists for its 7-leaf example tree (leaves a-f, j; level-1 nodes g, h, i;
// level-2 node k; l = hash(i, j)).
TEST(MerkleReferenceTest, ProofsUseThePublishedNodes) {
  const TestLog log = ReferenceLog();
  const std::vector<std::string>& leaf = log.leaves;
  const std::string g = NodeHash(leaf[0], leaf[1]);
  const std::string h = NodeHash(leaf[2], leaf[3]);
  const std::string i = NodeHash(leaf[4], leaf[5]);
  const std::string k = NodeHash(g, h);
  const std::string l = NodeHash(i, leaf[6]);
  ASSERT_OK_AND_ASSIGN(std::vector<std::string> inclusion_0_7,
                       InclusionProof(log.nodes, 0, 7));
  EXPECT_EQ(inclusion_0_7, (std::vector<std::string>{leaf[1], h, l}));
  ASSERT_OK_AND_ASSIGN(std::vector<std::string> inclusion_4_7,
                       InclusionProof(log.nodes, 4, 7));
  EXPECT_EQ(inclusion_4_7, (std::vector<std::string>{leaf[5], leaf[6], k}));
  ASSERT_OK_AND_ASSIGN(std::vector<std::string> inclusion_6_7,
                       InclusionProof(log.nodes, 6, 7));
  EXPECT_EQ(inclusion_6_7, (std::vector<std::string>{i, k}));
  ASSERT_OK_AND_ASSIGN(std::vector<std::string> consistency_3_7,
                       ConsistencyProof(log.nodes, 3, 7));
  EXPECT_EQ(consistency_3_7,
            (std::vector<std::string>{leaf[2], leaf[3], g, l}));
  ASSERT_OK_AND_ASSIGN(std::vector<std::string> consistency_4_7,
                       ConsistencyProof(log.nodes, 4, 7));
  EXPECT_EQ(consistency_4_7, (std::vector<std::string>{l}));
  ASSERT_OK_AND_ASSIGN(std::vector<std::string> consistency_5_7,
                       ConsistencyProof(log.nodes, 5, 7));
  EXPECT_EQ(consistency_5_7,
            (std::vector<std::string>{leaf[4], leaf[5], leaf[6], k}));
  ASSERT_OK_AND_ASSIGN(std::vector<std::string> consistency_6_7,
                       ConsistencyProof(log.nodes, 6, 7));
  EXPECT_EQ(consistency_6_7, (std::vector<std::string>{i, leaf[6], k}));
}

// The hashes of the published proofs are the reference-tree nodes they are
// named for here.
TEST(MerkleReferenceTest, PublishedHashesAreTheNamedNodes) {
  const TestLog log = ReferenceLog();
  const std::vector<std::pair<absl::string_view, std::pair<int, uint64_t>>>
      named = {{kLeaf0Hex, {0, 0}},   {kLeaf1Hex, {0, 1}},
               {kLeaf4Hex, {0, 4}},   {kLeaf6Hex, {0, 6}},
               {kNode1_0Hex, {1, 0}}, {kNode1_1Hex, {1, 1}},
               {kNode1_2Hex, {1, 2}}, {kNode1_3Hex, {1, 3}},
               {kNode2_0Hex, {2, 0}}, {kNode2_1Hex, {2, 1}}};
  for (const auto& [hex, node] : named) {
    ASSERT_OK_AND_ASSIGN(std::string hash,
                         log.nodes.PerfectNode(node.first, node.second));
    EXPECT_EQ(Hex(hash), hex)
        << "node (" << node.first << ", " << node.second << ")";
  }
}

// --- Compact range and stored nodes against the definition. ---

// Appending reports each newly completed perfect subtree once, leaf first.
TEST(CompactRangeTest, ReportsCompletedSubtreesLeafFirst) {
  CompactRange range;
  std::vector<std::vector<std::pair<int, uint64_t>>> reported;
  for (uint64_t i = 0; i < 8; ++i) {
    reported.emplace_back();
    range.Append(TestLeaf(i),
                 [&](int level, uint64_t index, const std::string& hash) {
                   EXPECT_EQ(hash.size(), kHashBytes);
                   reported.back().emplace_back(level, index);
                 });
  }
  EXPECT_THAT(
      reported,
      ElementsAre(ElementsAre(Pair(0, 0)), ElementsAre(Pair(0, 1), Pair(1, 0)),
                  ElementsAre(Pair(0, 2)),
                  ElementsAre(Pair(0, 3), Pair(1, 1), Pair(2, 0)),
                  ElementsAre(Pair(0, 4)), ElementsAre(Pair(0, 5), Pair(1, 2)),
                  ElementsAre(Pair(0, 6)),
                  ElementsAre(Pair(0, 7), Pair(1, 3), Pair(2, 1), Pair(3, 0))));
  EXPECT_EQ(range.size(), 8u);
}

// For every size 0..2048, the incrementally built root, the root read back
// from the stored nodes and the recursive MTH agree, and every node is stored
// exactly once (2n - 1 nodes for n a power of two).
TEST(CompactRangeTest, MatchesDefinitionAtEverySizeUpTo2048) {
  constexpr uint64_t kMaxSize = 2048;
  TestLog log;
  ReferenceTree reference(log.leaves);
  for (uint64_t size = 0; size <= kMaxSize; ++size) {
    if (size > 0) log.Append(TestLeaf(size - 1));
    const std::string want = reference.Mth(0, size);
    ASSERT_EQ(log.range.size(), size);
    ASSERT_EQ(Hex(log.range.Root()), Hex(want)) << "size " << size;
    ASSERT_OK_AND_ASSIGN(std::string stored, RootAt(log.nodes, size));
    ASSERT_EQ(Hex(stored), Hex(want)) << "size " << size;
  }
  EXPECT_EQ(log.nodes.size(), 2 * kMaxSize - 1);
}

// At random sizes up to 100000 (fixed seed) the root of the incrementally
// built compact range, the root read back from the stored nodes and the
// recursive MTH agree.
TEST(CompactRangeTest, MatchesDefinitionAtRandomLargeSizes) {
  BigTestLog& big = BigLog();
  ReferenceTree& reference = big.reference;
  for (uint64_t size : BigLogRecordedSizes()) {
    SCOPED_TRACE(absl::StrCat("size ", size));
    const std::string want = reference.Mth(0, size);
    ASSERT_TRUE(big.recorded_roots.contains(size));
    EXPECT_EQ(Hex(big.recorded_roots[size]), Hex(want));
    ASSERT_OK_AND_ASSIGN(std::string stored, RootAt(big.log.nodes, size));
    EXPECT_EQ(Hex(stored), Hex(want));
  }
  EXPECT_EQ(big.log.nodes.size(), 2 * kBigLogSize - std::popcount(kBigLogSize));
}

// A compact range loaded from stored nodes has the stored tree's root, and
// appending to it reports exactly the nodes the original writer stored and
// gives the same roots.
TEST(CompactRangeTest, LoadThenAppendContinuesTheSameTree) {
  TestLog& big = BigLog().log;
  ReferenceTree& reference = BigLog().reference;
  std::vector<uint64_t> sizes;
  for (uint64_t size = 0; size <= 300; ++size) sizes.push_back(size);
  std::mt19937_64 random(9162);
  std::uniform_int_distribution<uint64_t> pick(301, kBigLogSize - 100);
  for (int i = 0; i < 40; ++i) sizes.push_back(pick(random));

  for (uint64_t size : sizes) {
    SCOPED_TRACE(absl::StrCat("loaded size ", size));
    big.nodes.ResetReads();
    ASSERT_OK_AND_ASSIGN(CompactRange range,
                         CompactRange::Load(big.nodes, size));
    EXPECT_EQ(big.nodes.reads(), std::popcount(size));
    EXPECT_EQ(range.size(), size);
    ASSERT_EQ(Hex(range.Root()), Hex(reference.Mth(0, size)));
    const uint64_t appends = size <= 300 ? 70 : 20;
    for (uint64_t i = size; i < size + appends; ++i) {
      range.Append(big.leaves[i],
                   [&](int level, uint64_t index, const std::string& hash) {
                     absl::StatusOr<std::string> stored =
                         big.nodes.PerfectNode(level, index);
                     ASSERT_TRUE(stored.ok()) << stored.status();
                     EXPECT_EQ(Hex(hash), Hex(*stored))
                         << "node (" << level << ", " << index << ")";
                   });
      ASSERT_EQ(Hex(range.Root()), Hex(reference.Mth(0, i + 1)))
          << "size " << i + 1;
    }
  }
}

// RangeHash gives MTH(D[begin:end]) for every aligned range of a 130-leaf log
// and rejects every other range, naming it.
TEST(RangeHashTest, MatchesDefinitionForEveryRange) {
  TestLog log;
  for (uint64_t i = 0; i < 130; ++i) log.Append(TestLeaf(i));
  ReferenceTree reference(log.leaves);
  for (uint64_t end = 0; end <= 130; ++end) {
    for (uint64_t begin = 0; begin <= end; ++begin) {
      SCOPED_TRACE(absl::StrCat("[", begin, ", ", end, ")"));
      if (IsAlignedRange(begin, end)) {
        ASSERT_OK_AND_ASSIGN(std::string hash,
                             RangeHash(log.nodes, begin, end));
        EXPECT_EQ(Hex(hash), Hex(reference.Mth(begin, end)));
      } else {
        EXPECT_THAT(RangeHash(log.nodes, begin, end),
                    StatusIs(absl::StatusCode::kInvalidArgument,
                             HasSubstr(absl::StrCat("[", begin, ", ", end,
                                                    ") is not a subtree"))));
      }
    }
  }
}

// RangeHash names begin and end when they are out of order or misaligned, and
// gives the empty root for an empty range.
TEST(RangeHashTest, RejectsBadRanges) {
  MemoryNodes nodes;
  EXPECT_THAT(RangeHash(nodes, 5, 3),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "range hash: begin 5 is greater than end 3"));
  EXPECT_THAT(RangeHash(nodes, 1, 3),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "range hash: [1, 3) is not a subtree: begin must be a "
                       "multiple of 2^1"));
  ASSERT_OK_AND_ASSIGN(std::string empty, RangeHash(nodes, 7, 7));
  EXPECT_EQ(Hex(empty), kEmptyRootHex);
  EXPECT_EQ(nodes.reads(), 0);
}

// --- Proofs against the definitions and the independent verifiers. ---

// Every inclusion proof for every index of every size up to 130 is the
// RFC 9162 PATH and verifies; every one up to size 64, and those at the edges
// and the middle of larger trees, is rejected once tampered with.
TEST(InclusionProofTest, EveryProofUpTo130VerifiesAndTamperingIsRejected) {
  TestLog log;
  for (uint64_t i = 0; i < 130; ++i) log.Append(TestLeaf(i));
  ReferenceTree reference(log.leaves);
  const std::string other = LeafHash("not in the log");
  for (uint64_t size = 1; size <= 130; ++size) {
    const std::string root = reference.Mth(0, size);
    for (uint64_t index = 0; index < size; ++index) {
      SCOPED_TRACE(absl::StrCat("index ", index, " size ", size));
      ASSERT_OK_AND_ASSIGN(std::vector<std::string> proof,
                           InclusionProof(log.nodes, index, size));
      ASSERT_EQ(proof, reference.Path(index, 0, size));
      ASSERT_OK(VerifyInclusion(index, size, log.leaves[index], proof, root));
      if (size <= 64 || index <= 1 || index == size / 2 || index + 2 >= size) {
        ExpectInclusionTamperingRejected(index, size, log.leaves[index], proof,
                                         root, other);
      }
    }
  }
}

// Every consistency proof between sizes up to 70 is the RFC 9162 PROOF,
// verifies, and is rejected once tampered with.
TEST(ConsistencyProofTest, EveryProofUpTo70VerifiesAndTamperingIsRejected) {
  TestLog log;
  for (uint64_t i = 0; i < 70; ++i) log.Append(TestLeaf(i));
  ReferenceTree reference(log.leaves);
  const std::string other = LeafHash("not a root");
  for (uint64_t new_size = 1; new_size <= 70; ++new_size) {
    const std::string new_root = reference.Mth(0, new_size);
    for (uint64_t old_size = 1; old_size <= new_size; ++old_size) {
      SCOPED_TRACE(absl::StrCat("sizes ", old_size, " -> ", new_size));
      const std::string old_root = reference.Mth(0, old_size);
      ASSERT_OK_AND_ASSIGN(std::vector<std::string> proof,
                           ConsistencyProof(log.nodes, old_size, new_size));
      ASSERT_EQ(proof, reference.Subproof(old_size, 0, new_size, true));
      ASSERT_OK(
          VerifyConsistency(old_size, new_size, old_root, new_root, proof));
      if (old_size < new_size) {
        ExpectConsistencyTamperingRejected(old_size, new_size, old_root,
                                           new_root, proof, other);
      }
    }
  }
}

// Sampled inclusion and consistency proofs in a 100000-leaf log (fixed seed)
// are the RFC 9162 ones, verify, and are rejected once tampered with.
TEST(ProofTest, SampledProofsInALargeLogVerify) {
  TestLog& big = BigLog().log;
  ReferenceTree& reference = BigLog().reference;
  std::mt19937_64 random(2024);
  std::uniform_int_distribution<uint64_t> pick_size(1, kBigLogSize);
  const std::string other = LeafHash("elsewhere");
  for (int sample = 0; sample < 100; ++sample) {
    const uint64_t size = pick_size(random);
    const uint64_t index =
        std::uniform_int_distribution<uint64_t>(0, size - 1)(random);
    SCOPED_TRACE(absl::StrCat("index ", index, " size ", size));
    ASSERT_OK_AND_ASSIGN(std::vector<std::string> proof,
                         InclusionProof(big.nodes, index, size));
    ASSERT_EQ(proof, reference.Path(index, 0, size));
    const std::string root = reference.Mth(0, size);
    ASSERT_OK(VerifyInclusion(index, size, big.leaves[index], proof, root));
    if (sample < 20) {
      ExpectInclusionTamperingRejected(index, size, big.leaves[index], proof,
                                       root, other);
    }
  }
  for (int sample = 0; sample < 100; ++sample) {
    const uint64_t new_size = pick_size(random);
    const uint64_t old_size =
        std::uniform_int_distribution<uint64_t>(1, new_size)(random);
    SCOPED_TRACE(absl::StrCat("sizes ", old_size, " -> ", new_size));
    ASSERT_OK_AND_ASSIGN(std::vector<std::string> proof,
                         ConsistencyProof(big.nodes, old_size, new_size));
    ASSERT_EQ(proof, reference.Subproof(old_size, 0, new_size, true));
    const std::string old_root = reference.Mth(0, old_size);
    const std::string new_root = reference.Mth(0, new_size);
    ASSERT_OK(VerifyConsistency(old_size, new_size, old_root, new_root, proof));
    if (sample < 20 && old_size < new_size) {
      ExpectConsistencyTamperingRejected(old_size, new_size, old_root, new_root,
                                         proof, other);
    }
  }
}

// Proofs and roots of trees near 2^40 and 2^63 leaves take O(log n) reads:
// one per set bit for a root, at most 2 per level for a proof.
TEST(ProofTest, ReadsAreLogarithmic) {
  FunctionNodes nodes(
      [](int level, uint64_t index) -> absl::StatusOr<std::string> {
        return LeafHash(absl::StrCat(level, "/", index));
      });
  for (uint64_t size :
       {(uint64_t{1} << 40) - 1, (uint64_t{1} << 40) + 12345,
        (uint64_t{1} << 63) + 0x5555555555555555u, ~uint64_t{0}}) {
    SCOPED_TRACE(absl::StrCat("size ", size));
    const int64_t max_proof_reads = 2 * std::bit_width(size) + 1;
    nodes.ResetReads();
    ASSERT_OK(RootAt(nodes, size).status());
    EXPECT_EQ(nodes.reads(), std::popcount(size));
    for (uint64_t index : {uint64_t{0}, size / 3, size - 2, size - 1}) {
      nodes.ResetReads();
      ASSERT_OK_AND_ASSIGN(std::vector<std::string> proof,
                           InclusionProof(nodes, index, size));
      EXPECT_LE(proof.size(), 64u);
      EXPECT_LE(nodes.reads(), max_proof_reads) << "index " << index;
    }
    for (uint64_t old_size : {uint64_t{1}, size / 3, size - 1}) {
      nodes.ResetReads();
      ASSERT_OK_AND_ASSIGN(std::vector<std::string> proof,
                           ConsistencyProof(nodes, old_size, size));
      EXPECT_LE(proof.size(), 65u);
      EXPECT_LE(nodes.reads(), max_proof_reads) << "old size " << old_size;
    }
  }
}

// Neither proof binds the tree size by itself (the header's warning): a proof
// for size 7 also verifies as one for size 8 against the size-7 root, so the
// size must come from the same signed checkpoint as the root.
TEST(ProofTest, ProofsDoNotBindTheSizeAlone) {
  const TestLog log = ReferenceLog();
  ASSERT_OK_AND_ASSIGN(std::vector<std::string> inclusion,
                       InclusionProof(log.nodes, 0, 7));
  EXPECT_OK(VerifyInclusion(0, 8, log.leaves[0], inclusion, ReferenceRoot(7)));
  ASSERT_OK_AND_ASSIGN(std::vector<std::string> consistency,
                       ConsistencyProof(log.nodes, 4, 7));
  EXPECT_OK(
      VerifyConsistency(4, 8, ReferenceRoot(4), ReferenceRoot(7), consistency));
}

// --- Argument and storage errors. ---

// The generators reject an index outside the tree and sizes out of order,
// naming the bad argument.
TEST(ProofArgumentsTest, GeneratorsNameTheBadArgument) {
  const TestLog log = ReferenceLog();
  EXPECT_THAT(InclusionProof(log.nodes, 8, 8),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "inclusion proof: index 8 is not less than size 8"));
  EXPECT_THAT(InclusionProof(log.nodes, 0, 0),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "inclusion proof: index 0 is not less than size 0"));
  EXPECT_THAT(ConsistencyProof(log.nodes, 0, 5),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "consistency proof: old_size must be positive"));
  EXPECT_THAT(
      ConsistencyProof(log.nodes, 9, 8),
      StatusIs(absl::StatusCode::kInvalidArgument,
               "consistency proof: old_size 9 is greater than new_size 8"));
  ASSERT_OK_AND_ASSIGN(std::vector<std::string> same,
                       ConsistencyProof(log.nodes, 8, 8));
  EXPECT_THAT(same, IsEmpty());
}

// The verifiers reject out-of-range positions and malformed hashes: the
// caller's own arguments are kInvalidArgument, the proof's are kDataLoss.
TEST(ProofArgumentsTest, VerifiersNameTheBadArgument) {
  const std::string root = ReferenceRoot(8);
  const std::string leaf = LeafHash(ReferenceEntries()[0]);
  const std::vector<std::string> proof =
      FromHex({kLeaf1Hex, kNode1_1Hex, kNode2_1Hex});
  ASSERT_OK(VerifyInclusion(0, 8, leaf, proof, root));
  EXPECT_THAT(VerifyInclusion(8, 8, leaf, proof, root),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "inclusion proof: index 8 is not less than size 8"));
  EXPECT_THAT(VerifyInclusion(0, 0, leaf, {}, EmptyRoot()),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "inclusion proof: index 0 is not less than size 0"));
  EXPECT_THAT(VerifyInclusion(0, 8, "WrongLeaf", proof, root),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "inclusion proof: leaf_hash is 9 bytes, expected 32"));
  EXPECT_THAT(VerifyInclusion(0, 8, leaf, proof, ""),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "inclusion proof: root is 0 bytes, expected 32"));
  std::vector<std::string> short_hash = proof;
  short_hash[1].pop_back();
  EXPECT_THAT(VerifyInclusion(0, 8, leaf, short_hash, root),
              StatusIs(absl::StatusCode::kDataLoss,
                       "inclusion proof: hash 1 is 31 bytes, expected 32"));
  EXPECT_THAT(VerifyInclusion(0, 8, leaf, {proof[0], proof[1]}, root),
              StatusIs(absl::StatusCode::kDataLoss,
                       "inclusion proof: 2 hashes, expected 3"));

  const std::string old_root = ReferenceRoot(6);
  const std::vector<std::string> consistency =
      FromHex({kNode1_2Hex, kNode1_3Hex, kNode2_0Hex});
  ASSERT_OK(VerifyConsistency(6, 8, old_root, root, consistency));
  EXPECT_THAT(VerifyConsistency(0, 8, EmptyRoot(), root, {}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "consistency proof: old_size must be positive"));
  EXPECT_THAT(
      VerifyConsistency(9, 8, old_root, root, consistency),
      StatusIs(absl::StatusCode::kInvalidArgument,
               "consistency proof: old_size 9 is greater than new_size 8"));
  EXPECT_THAT(VerifyConsistency(6, 8, "WrongRoot", root, consistency),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "consistency proof: old_root is 9 bytes, expected 32"));
  EXPECT_THAT(VerifyConsistency(6, 8, old_root, "WrongRoot", consistency),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "consistency proof: new_root is 9 bytes, expected 32"));
  std::vector<std::string> empty_hash = consistency;
  empty_hash[2].clear();
  EXPECT_THAT(VerifyConsistency(6, 8, old_root, root, empty_hash),
              StatusIs(absl::StatusCode::kDataLoss,
                       "consistency proof: hash 2 is 0 bytes, expected 32"));
}

// Between equal sizes the proof is empty and the roots must be equal.
TEST(ProofArgumentsTest, EqualSizesNeedEqualRootsAndAnEmptyProof) {
  const std::string root = ReferenceRoot(5);
  EXPECT_OK(VerifyConsistency(5, 5, root, root, {}));
  EXPECT_THAT(VerifyConsistency(5, 5, root, ReferenceRoot(4), {}),
              StatusIs(absl::StatusCode::kDataLoss,
                       "consistency proof: equal sizes but the roots differ"));
  EXPECT_THAT(VerifyConsistency(5, 5, root, root, {root}),
              StatusIs(absl::StatusCode::kDataLoss,
                       "consistency proof: 1 hash, expected 0"));
}

// A node the reader does not have is kNotFound, a storage failure keeps its
// code, and a stored hash of the wrong length is kDataLoss; each names the
// node.
TEST(NodeReaderErrorsTest, ErrorsNameTheNode) {
  MemoryNodes empty;
  EXPECT_THAT(RootAt(empty, 5),
              StatusIs(absl::StatusCode::kNotFound,
                       "merkle node (level 2, index 0): not stored"));
  EXPECT_THAT(CompactRange::Load(empty, 3),
              StatusIs(absl::StatusCode::kNotFound,
                       "merkle node (level 1, index 0): not stored"));

  FunctionNodes failing([](int, uint64_t) -> absl::StatusOr<std::string> {
    return absl::UnavailableError("disk is failing");
  });
  EXPECT_THAT(InclusionProof(failing, 0, 2),
              StatusIs(absl::StatusCode::kUnavailable,
                       "merkle node (level 0, index 1): disk is failing"));
  EXPECT_THAT(ConsistencyProof(failing, 1, 2),
              StatusIs(absl::StatusCode::kUnavailable,
                       "merkle node (level 0, index 1): disk is failing"));

  FunctionNodes truncated([](int, uint64_t) -> absl::StatusOr<std::string> {
    return std::string("short");
  });
  EXPECT_THAT(RangeHash(truncated, 4, 6),
              StatusIs(absl::StatusCode::kDataLoss,
                       "merkle node (level 1, index 2): stored hash is 5 "
                       "bytes, expected 32"));
}

}  // namespace
}  // namespace sentinel::audit
