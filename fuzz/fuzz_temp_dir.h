// Scratch directories for the fuzz targets that run real RocksDB.
#ifndef SENTINEL_FUZZ_FUZZ_TEMP_DIR_H_
#define SENTINEL_FUZZ_FUZZ_TEMP_DIR_H_

#include <stdlib.h>

#include <filesystem>
#include <string>

#include "fuzz/fuzz_check.h"

// A new empty directory "<name>.XXXXXX" on /dev/shm when there is one (so
// that synced writes cost no disk flush), else in the system's temporary
// directory. The caller removes it.
inline std::string MakeFuzzTempDir(const std::string& name) {
  const std::string root =
      std::filesystem::exists("/dev/shm")
          ? "/dev/shm"
          : std::filesystem::temp_directory_path().string();
  std::string dir = root + "/" + name + ".XXXXXX";
  SENTINEL_FUZZ_CHECK(::mkdtemp(dir.data()) != nullptr);
  return dir;
}

#endif  // SENTINEL_FUZZ_FUZZ_TEMP_DIR_H_
