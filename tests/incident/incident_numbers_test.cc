// Incident numbers are never handed out twice, even when the process dies
// between handing one out and storing its incident (the window in which a
// P0 report's protective freeze already carries the id).
#include "incident/incident_numbers.h"

#include "tests/incident/incident_manager_fixture.h"

namespace sentinel::incident {
namespace {

using IncidentNumbersTest = IncidentManagerTest;

TEST_F(IncidentNumbersTest, NumbersCountUpWithinALease) {
  IncidentNumbers numbers(*store_, 0);
  for (uint64_t expected = 1; expected <= kIncidentNumberLease + 1;
       ++expected) {
    ASSERT_OK_AND_ASSIGN(const uint64_t number, numbers.Next());
    ASSERT_EQ(number, expected);
  }
}

// inc-1 went to a protective freeze, then the process died before the
// incident was stored: after the restart the next report must not be inc-1.
TEST_F(IncidentNumbersTest, AnUnstoredNumberIsNotReissuedAfterRestart) {
  {
    IncidentNumbers numbers(*store_, 0);
    ASSERT_OK_AND_ASSIGN(const uint64_t number, numbers.Next());
    ASSERT_EQ(number, 1u);
  }
  Open();
  const v1::Incident incident =
      Report(Request("acct-2", v1::INCIDENT_CATEGORY_ACCOUNT_TAKEOVER));
  EXPECT_EQ(incident.incident_id(), "inc-101");
  EXPECT_EQ(incident.protective_freeze_id(), "frz-for-inc-101");
}

TEST_F(IncidentNumbersTest, ARestartContinuesAfterTheLastLease) {
  {
    IncidentNumbers numbers(*store_, 0);
    for (uint64_t i = 0; i < kIncidentNumberLease + 1; ++i) {
      ASSERT_OK(numbers.Next().status());
    }
  }
  Open();
  EXPECT_EQ(
      Report(Request("acct-2", v1::INCIDENT_CATEGORY_OTHER)).incident_id(),
      "inc-201");
}

TEST_F(IncidentNumbersTest, ALeaseIsNeverLowered) {
  ASSERT_OK(store_->LeaseNumbers(300));
  ASSERT_OK(store_->LeaseNumbers(200));
  ASSERT_OK_AND_ASSIGN(const uint64_t last, store_->LastNumber());
  EXPECT_EQ(last, 300u);
}

}  // namespace
}  // namespace sentinel::incident
