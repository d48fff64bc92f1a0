// The incident change log behind WatchIncidents: one event per committed
// change, numbered in commit order, the incident's version equal to its
// event's, replay from any version, priority filters, and versions that
// continue after a restart.

#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/incident/incident_manager_fixture.h"

namespace sentinel::incident {
namespace {

using ::sentinel::testing::StatusIs;

class IncidentWatchTest : public IncidentManagerTest {
 protected:
  // Everything the subscription has after `from_version`.
  std::vector<v1::IncidentEvent> Drain(v1::WatchIncidentsRequest request) {
    std::vector<v1::IncidentEvent> events;
    absl::StatusOr<std::unique_ptr<LogSubscription<v1::IncidentEvent>>>
        subscription = manager_->Subscribe(request);
    EXPECT_OK(subscription.status());
    if (!subscription.ok()) return events;
    for (int batch = 0; batch < 100; ++batch) {
      absl::StatusOr<FeedBatch<v1::IncidentEvent>> next =
          (*subscription)->Next(2);
      EXPECT_OK(next.status());
      if (!next.ok()) break;
      for (auto& event : next->events) events.push_back(std::move(event));
      if ((*subscription)->cursor() >= next->head) break;
    }
    return events;
  }

  static v1::WatchIncidentsRequest From(uint64_t version) {
    v1::WatchIncidentsRequest request;
    request.set_from_version(version);
    return request;
  }
};

TEST_F(IncidentWatchTest, EveryChangeIsOneEventInOrder) {
  const v1::Incident p0 =
      Report(Request("acct-1", v1::INCIDENT_CATEGORY_ACCOUNT_TAKEOVER));
  const v1::Incident p3 =
      Report(Request("acct-2", v1::INCIDENT_CATEGORY_POLICY_QUESTION));
  const v1::Incident folded =
      Report(Request("acct-1", v1::INCIDENT_CATEGORY_ACCOUNT_TAKEOVER));
  ASSERT_OK_AND_ASSIGN(v1::Incident claimed, manager_->ClaimNext(agent_));
  ASSERT_OK_AND_ASSIGN(
      v1::Incident acknowledged,
      Move(p3.incident_id(), v1::INCIDENT_STATUS_ACKNOWLEDGED));
  EXPECT_EQ(p0.version(), 1u);
  EXPECT_EQ(p3.version(), 2u);
  EXPECT_EQ(folded.version(), 3u);
  EXPECT_EQ(claimed.version(), 4u);
  EXPECT_EQ(acknowledged.version(), 5u);

  const std::vector<v1::IncidentEvent> events = Drain(From(0));
  ASSERT_EQ(events.size(), 5u);
  const std::vector<std::pair<v1::IncidentEventKind, std::string>> expected = {
      {v1::INCIDENT_EVENT_KIND_CREATED, "inc-1"},
      {v1::INCIDENT_EVENT_KIND_CREATED, "inc-2"},
      {v1::INCIDENT_EVENT_KIND_FOLDED, "inc-1"},
      {v1::INCIDENT_EVENT_KIND_CLAIMED, "inc-1"},
      {v1::INCIDENT_EVENT_KIND_STATUS_CHANGED, "inc-2"}};
  for (size_t i = 0; i < events.size(); ++i) {
    EXPECT_EQ(events[i].version(), i + 1);
    EXPECT_EQ(events[i].kind(), expected[i].first) << i;
    EXPECT_EQ(events[i].incident().incident_id(), expected[i].second) << i;
    EXPECT_EQ(events[i].incident().version(), i + 1) << i;
    EXPECT_EQ(events[i].actor(), "agent/alice") << i;
    // The summary view.
    EXPECT_EQ(events[i].incident().history_size(), 0) << i;
  }
  EXPECT_EQ(events[2].incident().occurrence_count(), 2);
  EXPECT_EQ(events[3].incident().assignee(), "agent/alice");
  EXPECT_EQ(events[4].incident().status(), v1::INCIDENT_STATUS_ACKNOWLEDGED);

  // Replay from a version sends only what follows it.
  const std::vector<v1::IncidentEvent> later = Drain(From(3));
  ASSERT_EQ(later.size(), 2u);
  EXPECT_EQ(later[0].version(), 4u);
}

TEST_F(IncidentWatchTest, PriorityFilter) {
  Report(Request("acct-1", v1::INCIDENT_CATEGORY_ACCOUNT_TAKEOVER));
  Report(Request("acct-2", v1::INCIDENT_CATEGORY_POLICY_QUESTION));
  Report(Request("acct-3", v1::INCIDENT_CATEGORY_PHISHING));
  Report(Request("acct-4", v1::INCIDENT_CATEGORY_POLICY_QUESTION));
  v1::WatchIncidentsRequest request = From(0);
  request.add_priorities(v1::PRIORITY_P3);
  const std::vector<v1::IncidentEvent> p3 = Drain(request);
  ASSERT_EQ(p3.size(), 2u);
  EXPECT_EQ(p3[0].incident().incident_id(), "inc-2");
  EXPECT_EQ(p3[1].incident().incident_id(), "inc-4");

  request.add_priorities(v1::PRIORITY_P3);
  EXPECT_THAT(manager_->Subscribe(request).status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "priorities: PRIORITY_P3 is listed twice"));
  request.clear_priorities();
  request.add_priorities(v1::PRIORITY_UNSPECIFIED);
  EXPECT_THAT(manager_->Subscribe(request).status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "priorities: unknown priority 0"));
}

TEST_F(IncidentWatchTest, VersionsContinueAfterRestart) {
  Report(Request("acct-1", v1::INCIDENT_CATEGORY_POLICY_QUESTION));
  Report(Request("acct-2", v1::INCIDENT_CATEGORY_POLICY_QUESTION));
  Open();
  EXPECT_EQ(manager_->feed().head(), 2u);
  const v1::Incident third =
      Report(Request("acct-3", v1::INCIDENT_CATEGORY_POLICY_QUESTION));
  EXPECT_EQ(third.version(), 3u);
  EXPECT_EQ(Drain(From(0)).size(), 3u);
}

}  // namespace
}  // namespace sentinel::incident
