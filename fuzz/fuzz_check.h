// The property check of the fuzz targets: a broken property aborts like a
// crash, so libFuzzer reports it and saves the input that broke it.
#ifndef SENTINEL_FUZZ_FUZZ_CHECK_H_
#define SENTINEL_FUZZ_FUZZ_CHECK_H_

#include <cstdio>
#include <cstdlib>

// Aborts with the failed condition and its location unless `condition`
// holds. Always evaluated (also in release builds).
//
// Example:
//   SENTINEL_FUZZ_CHECK(again.count == 0);
#define SENTINEL_FUZZ_CHECK(condition)                                         \
  do {                                                                         \
    if (!(condition)) {                                                        \
      std::fprintf(stderr, "%s:%d: property failed: %s\n", __FILE__, __LINE__, \
                   #condition);                                                \
      std::abort();                                                            \
    }                                                                          \
  } while (0)

#endif  // SENTINEL_FUZZ_FUZZ_CHECK_H_
