// RocksDB's info log ("LOG" in the database directory), written so that a
// failing disk costs log lines and nothing more.
//
// RocksDB 7.8's own file logger aborts the process on the first log line
// after a failed write (an assertion in WritableFileWriter that Debian's
// build keeps), so a full disk would take the server down the moment
// RocksDB logs the write error. This logger writes with stdio, ignores its
// write errors, and never syncs (the info log is diagnostics, not data).
#ifndef SENTINEL_COMMON_ROCKSDB_INFO_LOG_H_
#define SENTINEL_COMMON_ROCKSDB_INFO_LOG_H_

#include <cstdarg>
#include <cstdio>
#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "rocksdb/env.h"

namespace sentinel {

// Thread-safe.
class RocksDbInfoLog final : public rocksdb::Logger {
 public:
  // Starts a new log in `directory`/LOG (created if missing), keeping the
  // previous one as LOG.old. kUnavailable when the file cannot be opened.
  static absl::StatusOr<std::shared_ptr<RocksDbInfoLog>> Open(
      const std::string& directory);

  ~RocksDbInfoLog() override;

  // One line: local time with microseconds, then the message.
  void Logv(const char* format, va_list ap) override;
  void Flush() override;

 private:
  explicit RocksDbInfoLog(std::FILE* file) : file_(file) {}

  absl::Mutex mu_;
  std::FILE* const file_ ABSL_PT_GUARDED_BY(mu_);
};

}  // namespace sentinel

#endif  // SENTINEL_COMMON_ROCKSDB_INFO_LOG_H_
