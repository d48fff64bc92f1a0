// The disk model of PowerLossEnv on its own, through RocksDB's FileSystem
// interface: what survives a power loss and what does not.
#include "tests/crash/power_loss_env.h"

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rocksdb/file_system.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace sentinel::testing {
namespace {

using ::rocksdb::FileOptions;
using ::rocksdb::FSDirectory;
using ::rocksdb::FSWritableFile;
using ::rocksdb::IOOptions;

std::string Contents(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)),
                     std::istreambuf_iterator<char>());
}

class PowerLossEnvTest : public ::testing::Test {
 protected:
  rocksdb::FileSystem& fs() { return *power_.env()->GetFileSystem(); }
  std::string Path(const std::string& name) const {
    return dir_.path() + "/" + name;
  }

  std::unique_ptr<FSWritableFile> Create(const std::string& name) {
    std::unique_ptr<FSWritableFile> file;
    EXPECT_TRUE(
        fs().NewWritableFile(Path(name), FileOptions(), &file, nullptr).ok());
    return file;
  }
  void Append(FSWritableFile& file, const std::string& data) {
    EXPECT_TRUE(file.Append(data, IOOptions(), nullptr).ok());
  }
  void Sync(FSWritableFile& file) {
    EXPECT_TRUE(file.Sync(IOOptions(), nullptr).ok());
  }
  void Close(FSWritableFile& file) {
    EXPECT_TRUE(file.Close(IOOptions(), nullptr).ok());
  }
  void SyncDirectory() {
    std::unique_ptr<FSDirectory> directory;
    ASSERT_TRUE(
        fs().NewDirectory(dir_.path(), IOOptions(), &directory, nullptr).ok());
    ASSERT_TRUE(directory->Fsync(IOOptions(), nullptr).ok());
  }
  // A file holding `data`, synced, with a durable name.
  void CreateDurable(const std::string& name, const std::string& data) {
    std::unique_ptr<FSWritableFile> file = Create(name);
    Append(*file, data);
    Sync(*file);
    Close(*file);
    SyncDirectory();
  }
  PowerLossReport PowerLoss() {
    power_.Crash();
    absl::StatusOr<PowerLossReport> report = power_.DropUnsyncedData();
    EXPECT_OK(report.status());
    power_.Restart();
    return report.ok() ? *report : PowerLossReport();
  }

  TempDir dir_;
  PowerLossEnv power_;
};

TEST_F(PowerLossEnvTest, KeepsSyncedDataAndDropsTheUnsyncedTail) {
  std::unique_ptr<FSWritableFile> file = Create("wal");
  SyncDirectory();
  Append(*file, "synced,");
  Sync(*file);
  Append(*file, "flushed but not synced");
  ASSERT_TRUE(file->Flush(IOOptions(), nullptr).ok());
  ASSERT_TRUE(file->RangeSync(0, 100, IOOptions(), nullptr).ok());
  Close(*file);
  file.reset();

  const PowerLossReport report = PowerLoss();

  EXPECT_EQ(Contents(Path("wal")), "synced,");
  EXPECT_EQ(report.files_truncated, 1u);
  EXPECT_EQ(report.bytes_dropped, std::string("flushed but not synced").size());
}

TEST_F(PowerLossEnvTest, RemovesANewFileWhoseDirectoryWasNeverSynced) {
  std::unique_ptr<FSWritableFile> file = Create("000007.sst");
  Append(*file, "table");
  Sync(*file);
  Close(*file);
  file.reset();

  const PowerLossReport report = PowerLoss();

  EXPECT_FALSE(std::filesystem::exists(Path("000007.sst")));
  EXPECT_EQ(report.files_removed, 1u);
}

TEST_F(PowerLossEnvTest, UndoesARenameUntilTheDirectoryIsSynced) {
  CreateDurable("CURRENT", "MANIFEST-000001\n");
  CreateDurable("CURRENT.dbtmp", "MANIFEST-000009\n");
  ASSERT_TRUE(fs().RenameFile(Path("CURRENT.dbtmp"), Path("CURRENT"),
                              IOOptions(), nullptr)
                  .ok());

  const PowerLossReport report = PowerLoss();

  EXPECT_EQ(Contents(Path("CURRENT")), "MANIFEST-000001\n");
  EXPECT_EQ(report.names_restored, 1u);

  CreateDurable("CURRENT.dbtmp", "MANIFEST-000009\n");
  ASSERT_TRUE(fs().RenameFile(Path("CURRENT.dbtmp"), Path("CURRENT"),
                              IOOptions(), nullptr)
                  .ok());
  SyncDirectory();
  PowerLoss();
  EXPECT_EQ(Contents(Path("CURRENT")), "MANIFEST-000009\n");
  EXPECT_FALSE(std::filesystem::exists(Path("CURRENT.dbtmp")));
}

TEST_F(PowerLossEnvTest, DiscardsEveryWriteAfterTheCrash) {
  CreateDurable("kept", "before");
  std::unique_ptr<FSWritableFile> open = Create("open");
  SyncDirectory();

  power_.Crash();
  Append(*open, "after the crash");
  Sync(*open);
  Close(*open);
  open.reset();
  std::unique_ptr<FSWritableFile> created = Create("created");
  Append(*created, "after the crash");
  Sync(*created);
  Close(*created);
  created.reset();
  EXPECT_TRUE(
      fs().RenameFile(Path("kept"), Path("renamed"), IOOptions(), nullptr)
          .ok());
  EXPECT_TRUE(fs().DeleteFile(Path("kept"), IOOptions(), nullptr).ok());
  ASSERT_OK(power_.DropUnsyncedData().status());
  power_.Restart();

  EXPECT_EQ(Contents(Path("kept")), "before");
  EXPECT_EQ(Contents(Path("open")), "");
  EXPECT_FALSE(std::filesystem::exists(Path("created")));
  EXPECT_FALSE(std::filesystem::exists(Path("renamed")));
}

TEST_F(PowerLossEnvTest, IgnoredSyncsMakeNothingDurable) {
  power_.set_ignore_syncs(true);
  CreateDurable("wal", "acknowledged");

  const PowerLossReport report = PowerLoss();

  EXPECT_FALSE(std::filesystem::exists(Path("wal")));
  EXPECT_EQ(report.bytes_dropped, std::string("acknowledged").size());
}

TEST_F(PowerLossEnvTest, DropNeedsTheCrashAndClosedFiles) {
  std::unique_ptr<FSWritableFile> file = Create("wal");
  EXPECT_THAT(power_.DropUnsyncedData(),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       ::testing::HasSubstr("Crash()")));
  power_.Crash();
  EXPECT_THAT(power_.DropUnsyncedData(),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       ::testing::HasSubstr("still open")));
  file.reset();
  EXPECT_OK(power_.DropUnsyncedData().status());
}

TEST_F(PowerLossEnvTest, ARestartWithoutPowerLossKeepsUnsyncedData) {
  std::unique_ptr<FSWritableFile> file = Create("wal");
  Append(*file, "in the page cache");
  Close(*file);
  file.reset();

  power_.Crash();  // the process dies, the machine does not
  power_.Restart();

  EXPECT_EQ(Contents(Path("wal")), "in the page cache");
}

}  // namespace
}  // namespace sentinel::testing
