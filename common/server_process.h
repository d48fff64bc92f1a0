// Process-wide settings of a Sentinel server process, applied once at the
// start of main() by every server binary and by the benchmarks that host a
// server in process (so they measure what the binaries run).
#ifndef SENTINEL_COMMON_SERVER_PROCESS_H_
#define SENTINEL_COMMON_SERVER_PROCESS_H_

namespace sentinel {

// Turns off Abseil's mutex deadlock detection. Debian's Abseil is built
// with it on: every lock then updates a global lock graph (a reader lock
// taken from two threads measured about 565 ns with it, 36 ns without), and
// a lock-order cycle it suspects would abort a server mid-incident. The
// benchmarks' end-to-end figures moved within noise either way. Unit tests
// keep it on, where the cycles it finds are bugs to fix.
void ConfigureServerProcess();

}  // namespace sentinel

#endif  // SENTINEL_COMMON_SERVER_PROCESS_H_
