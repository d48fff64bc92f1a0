#include "common/rocksdb_info_log.h"

#include <filesystem>
#include <system_error>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace sentinel {

absl::StatusOr<std::shared_ptr<RocksDbInfoLog>> RocksDbInfoLog::Open(
    const std::string& directory) {
  std::error_code error;
  std::filesystem::create_directories(directory, error);
  const std::string path = directory + "/LOG";
  // A missing LOG is not an error; nor is failing to keep the old one.
  std::filesystem::rename(path, path + ".old", error);
  std::FILE* file = std::fopen(path.c_str(), "a");
  if (file == nullptr) {
    return absl::UnavailableError(
        absl::StrCat("cannot open RocksDB's info log ", path));
  }
  return std::shared_ptr<RocksDbInfoLog>(new RocksDbInfoLog(file));
}

RocksDbInfoLog::~RocksDbInfoLog() { std::fclose(file_); }

void RocksDbInfoLog::Logv(const char* format, va_list ap) {
  char message[1024];
  std::vsnprintf(message, sizeof(message), format, ap);
  const std::string time = absl::FormatTime("%Y/%m/%d-%H:%M:%E6S", absl::Now(),
                                            absl::LocalTimeZone());
  absl::MutexLock lock(&mu_);
  // Errors (a full disk) are ignored: the line is lost, nothing else.
  std::fprintf(file_, "%s %s\n", time.c_str(), message);
  std::fflush(file_);
}

void RocksDbInfoLog::Flush() {
  absl::MutexLock lock(&mu_);
  std::fflush(file_);
}

}  // namespace sentinel
