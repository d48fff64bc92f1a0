// The RFC 6962 / RFC 9162 Merkle tree of the append-only audit log: leaf and
// node hashing, tree heads, inclusion and consistency proofs read from stored
// perfect subtrees, their verifiers, and the compact range a writer keeps to
// extend the tree without rewriting anything it has stored.
//
// The tree is the left-balanced tree of RFC 9162 §2.1.1 (and C2SP
// merkle-tree), so roots and proofs interoperate with Certificate
// Transparency, tlog-tiles and transparency-dev/merkle clients. Hashes are
// std::string values of kHashBytes raw bytes.
//
// Node (level, index) is the root of the perfect subtree over leaves
// [index << level, (index + 1) << level); level 0 nodes are leaf hashes. Such
// a node never changes once its last leaf is appended, so storage only ever
// gains nodes: CompactRange reports each one exactly once, and every other
// hash is recomputed from them in O(log n).
//
// Thread-safety: the free functions are as thread-safe as the NodeReader they
// are given. A CompactRange needs external synchronization for writes.
#ifndef SENTINEL_AUDIT_MERKLE_H_
#define SENTINEL_AUDIT_MERKLE_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace sentinel::audit {

inline constexpr size_t kHashBytes = 32;

// RFC 9162 §2.1.1 hashing with SHA-256.
//
// SHA-256(0x00 || entry_bytes): the hash of a leaf.
std::string LeafHash(absl::string_view entry_bytes);
// SHA-256(0x01 || left || right): the hash of an interior node.
std::string NodeHash(absl::string_view left, absl::string_view right);
// SHA-256 of the empty string: the root of the empty tree.
std::string EmptyRoot();

// Source of stored perfect-subtree hashes (see the file comment for node
// numbering). Implementations must be safe for the concurrency their callers
// use; the functions below only read.
class NodeReader {
 public:
  virtual ~NodeReader() = default;

  // The hash of node (level, index): kNotFound if it is not stored, any other
  // error for a storage failure.
  virtual absl::StatusOr<std::string> PerfectNode(int level,
                                                  uint64_t index) const = 0;
};

// Errors shared by every function that reads a NodeReader: a reader error is
// returned with its code and the node named in the message (kNotFound when a
// needed node is not stored, e.g. a size beyond the stored tree), and a
// stored hash that is not kHashBytes long is kDataLoss.

// MTH(D[begin:end]), the hash of leaves [begin, end) as a subtree of every
// tree of at least `end` leaves, computed from at most 64 perfect nodes.
// [begin, end) is such a subtree exactly when `begin` is a multiple of the
// smallest power of two >= end - begin; begin == end gives EmptyRoot().
// kInvalidArgument (naming begin/end) when begin > end or the range is not
// such a subtree.
//
// Example:
//   // The right half of a 7-leaf tree: MTH(D[4:7]).
//   SENTINEL_ASSIGN_OR_RETURN(std::string right, RangeHash(nodes, 4, 7));
absl::StatusOr<std::string> RangeHash(const NodeReader& nodes, uint64_t begin,
                                      uint64_t end);

// The root of the tree of the first `size` leaves; EmptyRoot() for 0.
//
// Example:
//   SENTINEL_ASSIGN_OR_RETURN(std::string root, RootAt(nodes, tree_size));
absl::StatusOr<std::string> RootAt(const NodeReader& nodes, uint64_t size);

// The RFC 9162 §2.1.3.1 inclusion proof (audit path) of leaf `index` in the
// tree of `size` leaves, leaf-side sibling first; O(log size) reads.
// kInvalidArgument (naming index and size) when index >= size.
//
// Example:
//   SENTINEL_ASSIGN_OR_RETURN(std::vector<std::string> proof,
//                             InclusionProof(nodes, seq, checkpoint_size));
absl::StatusOr<std::vector<std::string>> InclusionProof(const NodeReader& nodes,
                                                        uint64_t index,
                                                        uint64_t size);

// The RFC 9162 §2.1.4.1 consistency proof from the tree of `old_size` leaves
// to the tree of `new_size` leaves; empty when the sizes are equal;
// O(log new_size) reads. kInvalidArgument (naming old_size / new_size)
// unless 0 < old_size <= new_size: the empty tree is consistent with every
// tree and has nothing to prove.
absl::StatusOr<std::vector<std::string>> ConsistencyProof(
    const NodeReader& nodes, uint64_t old_size, uint64_t new_size);

// Verifiers, written from the RFC 9162 algorithms alone (they share no code
// with the proof generators above, only NodeHash). They take untrusted
// proofs: OK means the proof shows what the function names.
//
// Neither proof binds the tree size on its own (e.g. a proof for size 7 can
// also verify as one for size 8 against the same root), so `size`, `new_size`
// and the roots must come from the same signed checkpoint.

// OK when `proof` shows that `leaf_hash` is leaf `index` of the tree of `size`
// leaves whose root is `root` (RFC 9162 §2.1.3.2).
// kInvalidArgument: index >= size, or leaf_hash / root not kHashBytes long.
// kDataLoss: the proof does not match, with the message saying how, e.g.
// "inclusion proof: 5 hashes, expected 4" or "inclusion proof: computed root
// differs from the expected root".
//
// Example:
//   SENTINEL_RETURN_IF_ERROR(
//       VerifyInclusion(seq, checkpoint.size, LeafHash(entry), proof,
//                       checkpoint.root));
absl::Status VerifyInclusion(uint64_t index, uint64_t size,
                             absl::string_view leaf_hash,
                             const std::vector<std::string>& proof,
                             absl::string_view root);

// OK when `proof` shows that the tree of `new_size` leaves with root
// `new_root` extends the tree of `old_size` leaves with root `old_root`
// (RFC 9162 §2.1.4.2; for equal sizes, the proof must be empty and the roots
// equal).
// kInvalidArgument: old_size is 0 or greater than new_size, or a root is not
// kHashBytes long.
// kDataLoss: the proof does not match, with the message saying how, e.g.
// "consistency proof: 2 hashes, expected 3" or "consistency proof: computed
// new root differs from the expected new root".
absl::Status VerifyConsistency(uint64_t old_size, uint64_t new_size,
                               absl::string_view old_root,
                               absl::string_view new_root,
                               const std::vector<std::string>& proof);

// The right edge of a growing tree: the roots of its perfect subtrees, largest
// first (a "compact range" over [0, size)). Appending costs O(log n) hashing
// and reports every perfect subtree it completes, so a writer stores each
// node once and never rewrites one.
//
// Not thread-safe for writes; copyable.
//
// Example:
//   SENTINEL_ASSIGN_OR_RETURN(CompactRange tree,
//                             CompactRange::Load(nodes, stored_size));
//   tree.Append(LeafHash(entry), [&](int level, uint64_t index,
//                                    const std::string& hash) {
//     batch.PutNode(level, index, hash);
//   });
//   std::string root = tree.Root();
class CompactRange {
 public:
  // The empty tree.
  CompactRange() = default;

  // Rebuilds the right edge of the tree of `size` leaves from stored perfect
  // nodes (one read per set bit of `size`). Errors as for RangeHash.
  static absl::StatusOr<CompactRange> Load(const NodeReader& nodes,
                                           uint64_t size);

  // Appends one leaf hash (kHashBytes long) as leaf size(). Calls
  // on_node(level, index, hash) for each perfect subtree this completes, leaf
  // first (level 0, index size()), then each new parent up the right edge.
  void Append(std::string leaf_hash,
              absl::FunctionRef<void(int level, uint64_t index,
                                     const std::string& hash)>
                  on_node);

  // The number of leaves.
  uint64_t size() const { return size_; }

  // The tree's root (MTH of all leaves), EmptyRoot() when empty; O(log n)
  // hashing per call.
  std::string Root() const;

 private:
  CompactRange(uint64_t size, std::vector<std::string> hashes)
      : size_(size), hashes_(std::move(hashes)) {}

  uint64_t size_ = 0;
  // One hash per set bit of size_, from the most significant bit down: the
  // perfect subtrees that tile [0, size_) left to right.
  std::vector<std::string> hashes_;
};

}  // namespace sentinel::audit

#endif  // SENTINEL_AUDIT_MERKLE_H_
