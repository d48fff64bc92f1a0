// Implements writing an audit bundle from pages of entries.
#include "cli/audit_export.h"

#include <algorithm>
#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "audit/merkle.h"
#include "common/status_macros.h"

namespace sentinel::cli {

absl::Status WriteBundle(const v1::Checkpoint& checkpoint, FetchEntries fetch,
                         audit::BundleWriter& writer,
                         absl::FunctionRef<void(uint64_t written)> progress) {
  const uint64_t tree_size = checkpoint.tree_size();
  audit::CompactRange tree;
  while (tree.size() < tree_size) {
    const uint64_t start = tree.size();
    const int32_t wanted = static_cast<int32_t>(
        std::min<uint64_t>(kExportPageEntries, tree_size - start));
    SENTINEL_ASSIGN_OR_RETURN(v1::GetEntriesResponse page,
                              fetch(start, wanted));
    if (page.entries().empty()) {
      return absl::DataLossError(
          absl::StrCat("the server returned no entries at ", start,
                       " although its checkpoint covers ", tree_size));
    }
    for (const v1::AuditEntry& entry : page.entries()) {
      // The server may return entries committed after the checkpoint.
      if (tree.size() == tree_size) break;
      if (entry.seq() != tree.size()) {
        return absl::DataLossError(absl::StrCat("the server returned entry ",
                                                entry.seq(), " where entry ",
                                                tree.size(), " belongs"));
      }
      SENTINEL_RETURN_IF_ERROR(writer.AddEntry(entry.stored_bytes()));
      tree.Append(audit::LeafHash(entry.stored_bytes()),
                  [](int, uint64_t, const std::string&) {});
      if (tree.size() % kExportProgressInterval == 0) progress(tree.size());
    }
  }
  if (tree.Root() != checkpoint.root_hash()) {
    return absl::DataLossError(absl::StrCat(
        "the ", tree_size, " entries hash to root ",
        absl::Base64Escape(tree.Root()), ", not to the checkpoint's root ",
        absl::Base64Escape(checkpoint.root_hash())));
  }
  return writer.AddCheckpoint(checkpoint.note());
}

}  // namespace sentinel::cli
