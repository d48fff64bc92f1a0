// Process-wide settings of a Sentinel server process, applied once at the
// start of main() by every server binary and by the benchmarks that host a
// server in process (so they measure what the binaries run).
#ifndef SENTINEL_COMMON_SERVER_PROCESS_H_
#define SENTINEL_COMMON_SERVER_PROCESS_H_

namespace sentinel {

// Turns off Abseil's mutex deadlock detection. Debian's Abseil is built
// with it on: every lock then updates a global lock graph, which costs
// about half a microsecond per reader lock taken from two threads, on the
// CheckAccounts and audit commit paths. Unit tests keep it on, where the
// cycles it finds are bugs.
void ConfigureServerProcess();

}  // namespace sentinel

#endif  // SENTINEL_COMMON_SERVER_PROCESS_H_
