// The RFC 6962 / RFC 9162 Merkle tree: generators read perfect subtrees from a
// NodeReader and follow the recursive definitions of RFC 9162 §2.1, unrolled
// into loops; the verifiers follow the bit arithmetic of §2.1.3.2 and §2.1.4.2
// instead, so a bug in one side is not mirrored in the other.
#include "audit/merkle.h"

#include <algorithm>
#include <bit>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "audit/sha256.h"
#include "common/status_macros.h"

namespace sentinel::audit {
namespace {

constexpr absl::string_view kLeafPrefix("\x00", 1);
constexpr absl::string_view kNodePrefix("\x01", 1);

// RFC 9162's k: the largest power of two smaller than n, for n >= 2.
uint64_t SplitPoint(uint64_t n) { return std::bit_floor(n - 1); }

// Whether [begin, end) is a node of the left-balanced tree of every size >=
// end: begin is a multiple of the smallest power of two >= end - begin.
bool IsSubtree(uint64_t begin, uint64_t end) {
  const uint64_t length = end - begin;
  if (length <= 1) return true;
  const int log2_width = std::bit_width(length - 1);
  if (log2_width >= 64) return begin == 0;
  return (begin & ((uint64_t{1} << log2_width) - 1)) == 0;
}

absl::StatusOr<std::string> ReadNode(const NodeReader& nodes, int level,
                                     uint64_t index) {
  absl::StatusOr<std::string> hash = nodes.PerfectNode(level, index);
  if (!hash.ok()) {
    return absl::Status(hash.status().code(),
                        absl::StrCat("merkle node (level ", level, ", index ",
                                     index, "): ", hash.status().message()));
  }
  if (hash->size() != kHashBytes) {
    return absl::DataLossError(absl::StrCat(
        "merkle node (level ", level, ", index ", index, "): stored hash is ",
        hash->size(), " bytes, expected ", kHashBytes));
  }
  return hash;
}

// The perfect nodes that tile the subtree [begin, end) left to right, one per
// set bit of its length, largest first. Each is aligned because begin is
// aligned to a power of two >= the length and the tiles before it are larger
// powers of two.
absl::StatusOr<std::vector<std::string>> ReadTiles(const NodeReader& nodes,
                                                   uint64_t begin,
                                                   uint64_t end) {
  const uint64_t length = end - begin;
  std::vector<std::string> tiles;
  uint64_t at = begin;
  for (int level = 63; level >= 0; --level) {
    const uint64_t width = uint64_t{1} << level;
    if ((length & width) == 0) continue;
    SENTINEL_ASSIGN_OR_RETURN(std::string hash,
                              ReadNode(nodes, level, at >> level));
    tiles.push_back(std::move(hash));
    at += width;
  }
  return tiles;
}

// The root over non-empty `tiles` (perfect subtrees, largest first): in the
// left-balanced tree each tile is the left child of the node spanning it and
// everything to its right.
std::string FoldTiles(const std::vector<std::string>& tiles) {
  std::string hash = tiles.back();
  for (size_t i = tiles.size() - 1; i-- > 0;) {
    hash = NodeHash(tiles[i], hash);
  }
  return hash;
}

// MTH(D[begin:end]) for a non-empty subtree (IsSubtree(begin, end)).
absl::StatusOr<std::string> SubtreeHash(const NodeReader& nodes, uint64_t begin,
                                        uint64_t end) {
  SENTINEL_ASSIGN_OR_RETURN(std::vector<std::string> tiles,
                            ReadTiles(nodes, begin, end));
  return FoldTiles(tiles);
}

// --- Verifier helpers: RFC 9162 bit arithmetic only. ---

absl::Status CheckArgumentHash(absl::string_view proof_kind,
                               absl::string_view name, absl::string_view hash) {
  if (hash.size() == kHashBytes) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat(proof_kind, ": ", name, " is ", hash.size(),
                   " bytes, expected ", kHashBytes));
}

absl::Status CheckProofHashes(absl::string_view proof_kind,
                              const std::vector<std::string>& proof) {
  for (size_t i = 0; i < proof.size(); ++i) {
    if (proof[i].size() != kHashBytes) {
      return absl::DataLossError(absl::StrCat(proof_kind, ": hash ", i, " is ",
                                              proof[i].size(),
                                              " bytes, expected ", kHashBytes));
    }
  }
  return absl::OkStatus();
}

absl::Status CheckProofLength(absl::string_view proof_kind, size_t actual,
                              size_t expected) {
  if (actual == expected) return absl::OkStatus();
  return absl::DataLossError(absl::StrCat(proof_kind, ": ", actual,
                                          actual == 1 ? " hash" : " hashes",
                                          ", expected ", expected));
}

// §2.1.3.2 step 4.b.ii and §2.1.4.2 step 6.b.iii: after hashing a left
// sibling on the right edge, skip the levels where the node has no sibling.
void SkipLoneLevels(uint64_t& fn, uint64_t& sn) {
  while (fn != 0 && (fn & 1) == 0) {
    fn >>= 1;
    sn >>= 1;
  }
}

// The number of iterations of the loops of §2.1.3.2 step 4 and §2.1.4.2
// step 6 that bring sn to 0 from (fn, sn): the number of path entries a valid
// proof feeds them.
size_t IterationsToRoot(uint64_t fn, uint64_t sn) {
  size_t length = 0;
  while (sn != 0) {
    if ((fn & 1) == 1 || fn == sn) SkipLoneLevels(fn, sn);
    fn >>= 1;
    sn >>= 1;
    ++length;
  }
  return length;
}

}  // namespace

std::string LeafHash(absl::string_view entry_bytes) {
  return Sha256({kLeafPrefix, entry_bytes});
}

std::string NodeHash(absl::string_view left, absl::string_view right) {
  return Sha256({kNodePrefix, left, right});
}

std::string EmptyRoot() { return Sha256({}); }

absl::StatusOr<std::string> RangeHash(const NodeReader& nodes, uint64_t begin,
                                      uint64_t end) {
  if (begin > end) {
    return absl::InvalidArgumentError(absl::StrCat(
        "range hash: begin ", begin, " is greater than end ", end));
  }
  if (begin == end) return EmptyRoot();
  if (!IsSubtree(begin, end)) {
    return absl::InvalidArgumentError(
        absl::StrCat("range hash: [", begin, ", ", end,
                     ") is not a subtree: begin must be a multiple of 2^",
                     std::bit_width(end - begin - 1)));
  }
  return SubtreeHash(nodes, begin, end);
}

absl::StatusOr<std::string> RootAt(const NodeReader& nodes, uint64_t size) {
  if (size == 0) return EmptyRoot();
  return SubtreeHash(nodes, 0, size);
}

absl::StatusOr<std::vector<std::string>> InclusionProof(const NodeReader& nodes,
                                                        uint64_t index,
                                                        uint64_t size) {
  if (index >= size) {
    return absl::InvalidArgumentError(absl::StrCat(
        "inclusion proof: index ", index, " is not less than size ", size));
  }
  // PATH(m, D[begin:end]) from the root down; each step adds the sibling of
  // the half holding the leaf. Only the first step to the left can have a
  // non-perfect sibling (the rest of the right edge), so reads are O(log n).
  std::vector<std::string> path;
  uint64_t begin = 0;
  uint64_t end = size;
  while (end - begin > 1) {
    const uint64_t middle = begin + SplitPoint(end - begin);
    if (index < middle) {
      SENTINEL_ASSIGN_OR_RETURN(std::string right,
                                SubtreeHash(nodes, middle, end));
      path.push_back(std::move(right));
      end = middle;
    } else {
      SENTINEL_ASSIGN_OR_RETURN(std::string left,
                                SubtreeHash(nodes, begin, middle));
      path.push_back(std::move(left));
      begin = middle;
    }
  }
  std::reverse(path.begin(), path.end());  // The RFC lists the leaf side first.
  return path;
}

absl::StatusOr<std::vector<std::string>> ConsistencyProof(
    const NodeReader& nodes, uint64_t old_size, uint64_t new_size) {
  if (old_size == 0) {
    return absl::InvalidArgumentError(
        "consistency proof: old_size must be positive");
  }
  if (old_size > new_size) {
    return absl::InvalidArgumentError(
        absl::StrCat("consistency proof: old_size ", old_size,
                     " is greater than new_size ", new_size));
  }
  // SUBPROOF(m, D[begin:end], b) from the root down, with m = old_size -
  // begin and b = old_is_whole_left_edge. Each step adds the sibling of the
  // half holding the old tree's last leaf.
  std::vector<std::string> siblings;
  uint64_t begin = 0;
  uint64_t end = new_size;
  bool old_is_whole_left_edge = true;
  while (old_size != end) {
    const uint64_t middle = begin + SplitPoint(end - begin);
    if (old_size <= middle) {
      SENTINEL_ASSIGN_OR_RETURN(std::string right,
                                SubtreeHash(nodes, middle, end));
      siblings.push_back(std::move(right));
      end = middle;
    } else {
      SENTINEL_ASSIGN_OR_RETURN(std::string left,
                                SubtreeHash(nodes, begin, middle));
      siblings.push_back(std::move(left));
      begin = middle;
      old_is_whole_left_edge = false;
    }
  }
  std::vector<std::string> proof;
  proof.reserve(siblings.size() + 1);
  if (!old_is_whole_left_edge) {
    // The subtree [begin, old_size) the recursion ended on, unless it is the
    // whole old tree, whose root the verifier already has.
    SENTINEL_ASSIGN_OR_RETURN(std::string last, SubtreeHash(nodes, begin, end));
    proof.push_back(std::move(last));
  }
  proof.insert(proof.end(), std::make_move_iterator(siblings.rbegin()),
               std::make_move_iterator(siblings.rend()));
  return proof;
}

absl::Status VerifyInclusion(uint64_t index, uint64_t size,
                             absl::string_view leaf_hash,
                             const std::vector<std::string>& proof,
                             absl::string_view root) {
  constexpr absl::string_view kKind = "inclusion proof";
  // Step 1.
  if (index >= size) {
    return absl::InvalidArgumentError(absl::StrCat(
        kKind, ": index ", index, " is not less than size ", size));
  }
  SENTINEL_RETURN_IF_ERROR(CheckArgumentHash(kKind, "leaf_hash", leaf_hash));
  SENTINEL_RETURN_IF_ERROR(CheckArgumentHash(kKind, "root", root));
  SENTINEL_RETURN_IF_ERROR(CheckProofHashes(kKind, proof));
  // Steps 4.a and 5 ("sn is 0" exactly when the path is used up), checked
  // before hashing so the error can say how long the path should be.
  SENTINEL_RETURN_IF_ERROR(
      CheckProofLength(kKind, proof.size(), IterationsToRoot(index, size - 1)));
  // Steps 2-4.
  uint64_t fn = index;
  uint64_t sn = size - 1;
  std::string r(leaf_hash);
  for (const std::string& p : proof) {
    if ((fn & 1) == 1 || fn == sn) {
      r = NodeHash(p, r);
      SkipLoneLevels(fn, sn);
    } else {
      r = NodeHash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  // Step 5.
  if (r != root) {
    return absl::DataLossError(
        absl::StrCat(kKind, ": computed root differs from the expected root"));
  }
  return absl::OkStatus();
}

absl::Status VerifyConsistency(uint64_t old_size, uint64_t new_size,
                               absl::string_view old_root,
                               absl::string_view new_root,
                               const std::vector<std::string>& proof) {
  constexpr absl::string_view kKind = "consistency proof";
  if (old_size == 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(kKind, ": old_size must be positive"));
  }
  if (old_size > new_size) {
    return absl::InvalidArgumentError(
        absl::StrCat(kKind, ": old_size ", old_size,
                     " is greater than new_size ", new_size));
  }
  SENTINEL_RETURN_IF_ERROR(CheckArgumentHash(kKind, "old_root", old_root));
  SENTINEL_RETURN_IF_ERROR(CheckArgumentHash(kKind, "new_root", new_root));
  SENTINEL_RETURN_IF_ERROR(CheckProofHashes(kKind, proof));
  if (old_size == new_size) {
    // §2.1.4.1: the proof between equal sizes is empty.
    SENTINEL_RETURN_IF_ERROR(CheckProofLength(kKind, proof.size(), 0));
    if (old_root != new_root) {
      return absl::DataLossError(
          absl::StrCat(kKind, ": equal sizes but the roots differ"));
    }
    return absl::OkStatus();
  }

  // Step 2: a power-of-two old tree is a node of the new one, so the proof
  // omits its root and the verifier supplies it.
  const bool old_is_perfect = std::has_single_bit(old_size);
  std::vector<absl::string_view> path;
  path.reserve(proof.size() + 1);
  if (old_is_perfect) path.push_back(old_root);
  path.insert(path.end(), proof.begin(), proof.end());

  // Steps 3-4.
  uint64_t fn = old_size - 1;
  uint64_t sn = new_size - 1;
  while ((fn & 1) == 1) {
    fn >>= 1;
    sn >>= 1;
  }
  // Steps 1, 6.a and 7 ("sn is 0" exactly when the path is used up), checked
  // before hashing so the error can say how long the proof should be.
  const size_t expected_path = 1 + IterationsToRoot(fn, sn);
  SENTINEL_RETURN_IF_ERROR(CheckProofLength(
      kKind, proof.size(), expected_path - (old_is_perfect ? 1 : 0)));

  // Steps 5-6.
  std::string fr(path[0]);
  std::string sr(path[0]);
  for (size_t i = 1; i < path.size(); ++i) {
    const absl::string_view c = path[i];
    if ((fn & 1) == 1 || fn == sn) {
      fr = NodeHash(c, fr);
      sr = NodeHash(c, sr);
      SkipLoneLevels(fn, sn);
    } else {
      sr = NodeHash(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  // Step 7.
  if (fr != old_root) {
    return absl::DataLossError(absl::StrCat(
        kKind, ": computed old root differs from the expected old root"));
  }
  if (sr != new_root) {
    return absl::DataLossError(absl::StrCat(
        kKind, ": computed new root differs from the expected new root"));
  }
  return absl::OkStatus();
}

absl::StatusOr<CompactRange> CompactRange::Load(const NodeReader& nodes,
                                                uint64_t size) {
  SENTINEL_ASSIGN_OR_RETURN(std::vector<std::string> hashes,
                            ReadTiles(nodes, 0, size));
  return CompactRange(size, std::move(hashes));
}

void CompactRange::Append(
    std::string leaf_hash,
    absl::FunctionRef<void(int level, uint64_t index, const std::string& hash)>
        on_node) {
  const uint64_t leaf_index = size_;
  on_node(0, leaf_index, leaf_hash);
  // Every set low bit of the old size is a perfect subtree of that level
  // ending just left of the new leaf: merging with it completes the parent.
  std::string hash = std::move(leaf_hash);
  int level = 0;
  while (((leaf_index >> level) & 1) == 1) {
    hash = NodeHash(hashes_.back(), hash);
    hashes_.pop_back();
    ++level;
    on_node(level, leaf_index >> level, hash);
  }
  hashes_.push_back(std::move(hash));
  ++size_;
}

std::string CompactRange::Root() const {
  if (hashes_.empty()) return EmptyRoot();
  return FoldTiles(hashes_);
}

}  // namespace sentinel::audit
