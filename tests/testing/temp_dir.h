// A fresh directory under the test's temporary directory, removed afterwards.
#ifndef SENTINEL_TESTS_TESTING_TEMP_DIR_H_
#define SENTINEL_TESTS_TESTING_TEMP_DIR_H_

#include <string>

namespace sentinel::testing {

class TempDir final {
 public:
  // Created under $TEST_TMPDIR, else $TMPDIR, else /tmp. Crashes the test if
  // the directory cannot be made.
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace sentinel::testing

#endif  // SENTINEL_TESTS_TESTING_TEMP_DIR_H_
