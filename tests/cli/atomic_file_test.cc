// Tests of AtomicFileWriter: a file appears under its name whole or not at
// all.
#include "cli/atomic_file.h"

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace sentinel::cli {
namespace {

using ::sentinel::testing::StatusIs;
using ::testing::HasSubstr;

std::string ReadAll(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

class AtomicFileWriterTest : public ::testing::Test {
 protected:
  std::string Path(const std::string& name) const {
    return dir_.path() + "/" + name;
  }

  sentinel::testing::TempDir dir_;
};

TEST_F(AtomicFileWriterTest, CommitPublishesTheWholeFile) {
  const std::string path = Path("bundle");
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<AtomicFileWriter> file,
                       AtomicFileWriter::Create(path));
  file->stream() << "first part, ";
  // Nothing under the real name until the commit.
  EXPECT_FALSE(std::filesystem::exists(path));
  EXPECT_TRUE(std::filesystem::exists(path + ".tmp"));
  file->stream() << std::string("second\0part", 11);
  ASSERT_OK(file->Commit());
  EXPECT_EQ(ReadAll(path), std::string("first part, second\0part", 23));
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
  file.reset();
  EXPECT_TRUE(std::filesystem::exists(path));
}

TEST_F(AtomicFileWriterTest, AbandonedWriteLeavesNothingAndKeepsTheOldFile) {
  const std::string path = Path("bundle");
  std::ofstream(path) << "old";
  {
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<AtomicFileWriter> file,
                         AtomicFileWriter::Create(path));
    file->stream() << "partial";
  }
  EXPECT_EQ(ReadAll(path), "old");
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
}

TEST_F(AtomicFileWriterTest, CommitReplacesAnExistingFile) {
  const std::string path = Path("receipt");
  std::ofstream(path) << "old";
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<AtomicFileWriter> file,
                       AtomicFileWriter::Create(path));
  file->stream() << "new";
  ASSERT_OK(file->Commit());
  EXPECT_EQ(ReadAll(path), "new");
}

// What the CLI writes (evidence, audit bundles, receipts) is owner-only,
// whatever the umask, also when it replaces a world-readable file.
TEST_F(AtomicFileWriterTest, FilesAreOwnerOnly) {
  const std::string path = Path("evidence.png");
  {
    std::ofstream old(path);
    old << "old";
  }
  ASSERT_EQ(::chmod(path.c_str(), 0644), 0);
  const mode_t umask_before = ::umask(0);
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<AtomicFileWriter> file,
                       AtomicFileWriter::Create(path));
  file->stream() << "secret";
  const absl::Status committed = file->Commit();
  ::umask(umask_before);
  ASSERT_OK(committed);
  struct stat info;
  ASSERT_EQ(::stat(path.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  EXPECT_EQ(ReadAll(path), "secret");
}

TEST_F(AtomicFileWriterTest, MissingDirectoryIsNotFound) {
  EXPECT_THAT(AtomicFileWriter::Create(Path("no-such-dir/bundle")),
              StatusIs(absl::StatusCode::kNotFound,
                       HasSubstr("no-such-dir/bundle.tmp")));
}

TEST_F(AtomicFileWriterTest, RenameOntoADirectoryFailsAndCleansUp) {
  const std::string path = Path("taken");
  std::filesystem::create_directory(path);
  std::filesystem::create_directory(path + "/inside");
  {
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<AtomicFileWriter> file,
                         AtomicFileWriter::Create(path));
    file->stream() << "bundle";
    EXPECT_THAT(file->Commit(), StatusIs(absl::StatusCode::kUnavailable,
                                         HasSubstr("cannot rename")));
  }
  EXPECT_TRUE(std::filesystem::is_directory(path));
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
}

}  // namespace
}  // namespace sentinel::cli
