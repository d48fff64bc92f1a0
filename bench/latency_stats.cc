#include "bench/latency_stats.h"

#include <stdlib.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "absl/strings/str_cat.h"

namespace sentinel::bench {

absl::Duration Percentile(const std::vector<absl::Duration>& sorted, double p) {
  if (sorted.empty()) return absl::ZeroDuration();
  return sorted[std::min(sorted.size() - 1,
                         static_cast<size_t>(p * sorted.size()))];
}

std::string Micros(absl::Duration duration) {
  return absl::StrCat(
      static_cast<int64_t>(absl::ToDoubleMicroseconds(duration)));
}

std::string MakeScratchDir(std::string base) {
  if (base.empty()) {
    const char* tmp = std::getenv("TMPDIR");
    base = tmp != nullptr && tmp[0] != '\0' ? tmp : "/tmp";
  }
  std::string pattern = base + "/sentinel-bench-XXXXXX";
  if (mkdtemp(pattern.data()) == nullptr) {
    std::fprintf(stderr, "cannot create a directory under %s\n", base.c_str());
    std::exit(1);
  }
  return pattern;
}

}  // namespace sentinel::bench
