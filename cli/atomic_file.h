// Files the audit subcommands leave behind (bundles, receipts) appear whole
// or not at all: they are written under a temporary name and renamed into
// place once complete, so a failed or interrupted export never leaves a
// partial file under the name an auditor will open.
#ifndef SENTINEL_CLI_ATOMIC_FILE_H_
#define SENTINEL_CLI_ATOMIC_FILE_H_

#include <fstream>
#include <memory>
#include <ostream>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace sentinel::cli {

// Writes `path` through `path` + ".tmp". Not thread-safe.
//
// Example:
//   SENTINEL_ASSIGN_OR_RETURN(std::unique_ptr<AtomicFileWriter> file,
//                             AtomicFileWriter::Create(path));
//   file->stream() << text;
//   SENTINEL_RETURN_IF_ERROR(file->Commit());
class AtomicFileWriter final {
 public:
  // Creates (or truncates) `path` + ".tmp", owner-only (mode 0600, whatever
  // the umask; the committed file keeps it). Errors, naming the file:
  // kNotFound when its directory does not exist, kPermissionDenied when it
  // may not be written, kUnavailable for other failures.
  static absl::StatusOr<std::unique_ptr<AtomicFileWriter>> Create(
      std::string path);

  // Removes the temporary file unless Commit() succeeded.
  ~AtomicFileWriter();

  AtomicFileWriter(const AtomicFileWriter&) = delete;
  AtomicFileWriter& operator=(const AtomicFileWriter&) = delete;

  // Where the contents go (opened in binary mode). Errors show in its state
  // and are reported by Commit().
  std::ostream& stream() { return out_; }

  // Flushes and closes the temporary file, syncs it to disk, and renames it
  // to `path`, replacing any file there. Errors, naming the file: the codes
  // of Create() (kUnavailable for a write that failed, e.g. a full disk).
  // On error the temporary file is removed when the writer is destroyed,
  // and `path` is left as it was. Call at most once.
  absl::Status Commit();

  const std::string& path() const { return path_; }

 private:
  explicit AtomicFileWriter(std::string path);

  const std::string path_;
  const std::string temp_path_;
  std::ofstream out_;
  bool committed_ = false;
};

}  // namespace sentinel::cli

#endif  // SENTINEL_CLI_ATOMIC_FILE_H_
