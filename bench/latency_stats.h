// Small helpers the benchmarks share: percentiles of sorted latencies, and a
// scratch directory for a run's databases.
#ifndef SENTINEL_BENCH_LATENCY_STATS_H_
#define SENTINEL_BENCH_LATENCY_STATS_H_

#include <string>
#include <vector>

#include "absl/time/time.h"

namespace sentinel::bench {

// The `p`-quantile (0..1) of `sorted`; zero when empty.
absl::Duration Percentile(const std::vector<absl::Duration>& sorted, double p);

// Whole microseconds, for table cells.
std::string Micros(absl::Duration duration);

// A new directory under `base` (empty: $TMPDIR, else /tmp). Exits the
// program with a message when it cannot be made.
std::string MakeScratchDir(std::string base);

}  // namespace sentinel::bench

#endif  // SENTINEL_BENCH_LATENCY_STATS_H_
