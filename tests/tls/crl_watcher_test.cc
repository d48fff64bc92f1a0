// CrlWatcher on a real file in a temporary directory and a fake clock: when
// it looks at the file, what it puts in force, what it refuses and logs.

#include "tls/crl_watcher.h"

#include <unistd.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/fake_clock.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"
#include "tests/tls/tls_testing.h"

namespace sentinel::tls {
namespace {

using ::sentinel::testing::CertificateOf;
using ::sentinel::testing::FakeClock;
using ::sentinel::testing::MintCa;
using ::sentinel::testing::MintClient;
using ::sentinel::testing::MintCrl;
using ::sentinel::testing::ReplaceFile;
using ::sentinel::testing::SerialHexOf;
using ::sentinel::testing::StatusIs;
using ::sentinel::testing::TempDir;
using ::sentinel::testing::WriteFile;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::StartsWith;

// The log lines a watcher wrote.
class LogLines {
 public:
  std::function<void(const std::string&)> Sink() {
    return [this](const std::string& line) {
      absl::MutexLock lock(&mu_);
      lines_.push_back(line);
    };
  }
  std::vector<std::string> lines() const {
    absl::MutexLock lock(&mu_);
    return lines_;
  }

 private:
  mutable absl::Mutex mu_;
  std::vector<std::string> lines_ ABSL_GUARDED_BY(mu_);
};

class CrlWatcherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    WriteFile(ca_path_, ca_.certificate_pem, 0644);
    ReplaceFile(crl_path_, CrlRevoking({alice_serial_}));
  }

  std::string CrlRevoking(const std::vector<std::string>& serials) const {
    return MintCrl(ca_, serials, clock_.Now() - absl::Hours(1),
                   clock_.Now() + absl::Hours(24));
  }

  absl::StatusOr<std::shared_ptr<CrlWatcher>> Start() {
    CrlWatcherOptions options;
    options.crl_path = crl_path_;
    options.client_ca_path = ca_path_;
    options.clock = &clock_;
    options.check_interval = absl::Seconds(1);
    options.log = log_.Sink();
    return CrlWatcher::Start(std::move(options));
  }

  bool Revoked(CrlWatcher& watcher, const CertifiedKey& client) {
    X509Ptr certificate = CertificateOf(client.certificate_pem);
    return watcher.IsRevoked(certificate.get());
  }

  TempDir dir_;
  FakeClock clock_{absl::Now()};
  LogLines log_;
  const std::string ca_path_ = dir_.path() + "/ca.pem";
  const std::string crl_path_ = dir_.path() + "/crl.pem";
  const CertifiedKey ca_ = MintCa("Sentinel CA");
  const CertifiedKey alice_ =
      MintClient(ca_, "spiffe://sentinel/role/agent/user/alice");
  const CertifiedKey bob_ =
      MintClient(ca_, "spiffe://sentinel/role/agent/user/bob");
  const std::string alice_serial_ = SerialHexOf(alice_.certificate_pem);
  const std::string bob_serial_ = SerialHexOf(bob_.certificate_pem);
};

TEST_F(CrlWatcherTest, StartPutsTheCrlInForce) {
  ASSERT_OK_AND_ASSIGN(std::shared_ptr<CrlWatcher> watcher, Start());
  EXPECT_TRUE(Revoked(*watcher, alice_));
  EXPECT_FALSE(Revoked(*watcher, bob_));
  EXPECT_EQ(watcher->current()->size(), 1u);
  EXPECT_THAT(log_.lines(), IsEmpty());  // Start reports by its status.
}

// The file is looked at on use, at most once per check_interval.
TEST_F(CrlWatcherTest, AChangedFileIsInForceWithinTheInterval) {
  ASSERT_OK_AND_ASSIGN(std::shared_ptr<CrlWatcher> watcher, Start());
  EXPECT_FALSE(Revoked(*watcher, bob_));  // Checked: unchanged.
  ReplaceFile(crl_path_, CrlRevoking({alice_serial_, bob_serial_}));
  clock_.Advance(absl::Milliseconds(999));
  EXPECT_FALSE(Revoked(*watcher, bob_));  // Not looked at yet.
  clock_.Advance(absl::Milliseconds(1));
  EXPECT_TRUE(Revoked(*watcher, bob_));
  EXPECT_TRUE(Revoked(*watcher, alice_));
  EXPECT_THAT(log_.lines(), ElementsAre(StartsWith("event=crl_loaded path=" +
                                                   crl_path_ + " revoked=2")));
}

// An in-place rewrite counts as well as a rename; CheckNow does not wait.
TEST_F(CrlWatcherTest, CheckNowReadsAFileRewrittenInPlace) {
  ASSERT_OK_AND_ASSIGN(std::shared_ptr<CrlWatcher> watcher, Start());
  WriteFile(crl_path_, CrlRevoking({bob_serial_}), 0644);
  EXPECT_OK(watcher->CheckNow());
  EXPECT_TRUE(Revoked(*watcher, bob_));
  EXPECT_FALSE(Revoked(*watcher, alice_));
}

TEST_F(CrlWatcherTest, ACorruptFileKeepsTheListInForceAndIsLoggedOnce) {
  ASSERT_OK_AND_ASSIGN(std::shared_ptr<CrlWatcher> watcher, Start());
  ReplaceFile(crl_path_, "-----BEGIN X509 CRL-----\nnot base64\n");
  EXPECT_THAT(watcher->CheckNow(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr(crl_path_ + ": CRL 1 does not parse")));
  for (int i = 0; i < 3; ++i) {
    clock_.Advance(absl::Seconds(1));
    EXPECT_TRUE(Revoked(*watcher, alice_));
    EXPECT_FALSE(Revoked(*watcher, bob_));
  }
  EXPECT_THAT(log_.lines(),
              ElementsAre(AllOf(StartsWith("event=crl_refused " + crl_path_),
                                HasSubstr("stays in force (1 revoked)"))));
  // A good version after it is put in force.
  ReplaceFile(crl_path_, CrlRevoking({bob_serial_}));
  EXPECT_OK(watcher->CheckNow());
  EXPECT_TRUE(Revoked(*watcher, bob_));
  EXPECT_EQ(log_.lines().size(), 2u);
}

TEST_F(CrlWatcherTest, ACrlOfAnotherCaOrExpiredKeepsTheListInForce) {
  ASSERT_OK_AND_ASSIGN(std::shared_ptr<CrlWatcher> watcher, Start());
  ReplaceFile(crl_path_, MintCrl(MintCa("Sentinel CA"), {bob_serial_},
                                 clock_.Now(), clock_.Now() + absl::Hours(1)));
  EXPECT_THAT(watcher->CheckNow(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("signature does not verify")));
  ReplaceFile(crl_path_,
              MintCrl(ca_, {bob_serial_}, clock_.Now() - absl::Hours(2),
                      clock_.Now() - absl::Hours(1)));
  EXPECT_THAT(watcher->CheckNow(), StatusIs(absl::StatusCode::kInvalidArgument,
                                            HasSubstr("expired: nextUpdate")));
  EXPECT_TRUE(Revoked(*watcher, alice_));
  EXPECT_FALSE(Revoked(*watcher, bob_));
  EXPECT_EQ(log_.lines().size(), 2u);
}

TEST_F(CrlWatcherTest, ARemovedFileKeepsTheListInForce) {
  ASSERT_OK_AND_ASSIGN(std::shared_ptr<CrlWatcher> watcher, Start());
  ASSERT_EQ(::unlink(crl_path_.c_str()), 0);
  EXPECT_THAT(watcher->CheckNow(),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr(crl_path_)));
  clock_.Advance(absl::Seconds(1));
  EXPECT_TRUE(Revoked(*watcher, alice_));
  EXPECT_EQ(log_.lines().size(), 1u);
}

// Past its nextUpdate the list still revokes what it lists, with one
// warning: refusing every client would be worse.
TEST_F(CrlWatcherTest, AListPastItsNextUpdateStillRevokes) {
  ASSERT_OK_AND_ASSIGN(std::shared_ptr<CrlWatcher> watcher, Start());
  clock_.Advance(absl::Hours(25));
  EXPECT_TRUE(Revoked(*watcher, alice_));
  clock_.Advance(absl::Hours(1));
  EXPECT_TRUE(Revoked(*watcher, alice_));
  EXPECT_THAT(log_.lines(),
              ElementsAre(StartsWith("event=crl_stale path=" + crl_path_)));
}

TEST_F(CrlWatcherTest, StartRefusesWhatItCannotPutInForce) {
  ReplaceFile(crl_path_, MintCrl(MintCa("Other CA"), {}, clock_.Now(),
                                 clock_.Now() + absl::Hours(1)));
  EXPECT_THAT(Start().status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(StartsWith(crl_path_ + ": CRL 1 (issuer "
                                                    "CN=Other CA)"),
                             HasSubstr("not issued by a client CA"))));
  ASSERT_EQ(::unlink(crl_path_.c_str()), 0);
  EXPECT_THAT(Start().status(),
              StatusIs(absl::StatusCode::kNotFound,
                       HasSubstr(crl_path_ + ": cannot open the CRL")));
  ReplaceFile(crl_path_, "");
  EXPECT_THAT(Start().status(), StatusIs(absl::StatusCode::kInvalidArgument,
                                         crl_path_ + ": no PEM CRL"));
  ReplaceFile(crl_path_, CrlRevoking({}));
  ReplaceFile(ca_path_, "not a certificate");
  EXPECT_THAT(Start().status(), StatusIs(absl::StatusCode::kInvalidArgument,
                                         HasSubstr(ca_path_)));
}

}  // namespace
}  // namespace sentinel::tls
