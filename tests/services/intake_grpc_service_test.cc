// IncidentService through a real gRPC server on loopback port 0: the
// emergency flow end to end and the lanes.

#include "services/intake/intake_grpc_service.h"

#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"
#include "tests/services/server_fixture.h"
#include "tests/testing/freeze_fixture.h"

namespace sentinel::services {
namespace {

using ::sentinel::testing::ServerFixture;
using ::testing::HasSubstr;

v1::ReportIncidentRequest Request(const std::string& account,
                                  v1::IncidentCategory category) {
  v1::ReportIncidentRequest request;
  request.set_account_id(account);
  request.set_category(category);
  request.set_description("password and 2FA changed from a new device");
  request.set_channel(v1::CHANNEL_LIVE_CHAT);
  return request;
}

// The attack on the protective freeze (sentineld form, all four services in
// one server): agent mallory freezes a decoy account with the idempotency
// key the next P0's protective freeze uses, in its old form and in the
// reserved form. Neither takes the key from intake: alice's P0 report still
// freezes the victim's account before the reply.
TEST(IntakeGrpcServiceTest, NoCallerCanTakeTheProtectiveFreezesKey) {
  ServerFixture server;
  v1::FreezeAccountRequest decoy = testing::FreezeRequest("decoy-1");
  decoy.set_idempotency_key("protective:inc-1");
  v1::FreezeRecord record;
  ASSERT_TRUE(server.stub()
                  .FreezeAccount(ServerFixture::As("agent/mallory").get(),
                                 decoy, &record)
                  .ok());
  decoy.set_idempotency_key("sentinel:protective:inc-1");
  const grpc::Status reserved = server.stub().FreezeAccount(
      ServerFixture::As("agent/mallory").get(), decoy, &record);
  EXPECT_EQ(reserved.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(reserved.error_message(),
            "idempotency_key: the prefix \"sentinel:\" is reserved for "
            "Sentinel's own services");

  v1::Incident incident;
  ASSERT_TRUE(
      server.intake_stub()
          .ReportIncident(
              ServerFixture::As("agent/alice").get(),
              Request("victim-1", v1::INCIDENT_CATEGORY_ACCOUNT_TAKEOVER),
              &incident)
          .ok());
  EXPECT_EQ(incident.incident_id(), "inc-1");
  EXPECT_FALSE(incident.freeze_failed());
  EXPECT_EQ(incident.protective_freeze_id(), "frz-2");
  v1::GetFreezeStateRequest get;
  get.set_account_id("victim-1");
  v1::AccountFreezeState state;
  ASSERT_TRUE(
      server.stub()
          .GetFreezeState(ServerFixture::As("agent/alice").get(), get, &state)
          .ok());
  ASSERT_EQ(state.active_freezes_size(), 1);
  EXPECT_EQ(state.active_freezes(0).created_by(), "agent/alice");
  EXPECT_EQ(state.active_freezes(0).reason(),
            "protective freeze for P0 incident inc-1 "
            "(INCIDENT_CATEGORY_ACCOUNT_TAKEOVER)");
}

// A hijacked-account report freezes the account before the reply: the
// withdrawal engine's next check is denied, naming the incident.
TEST(IntakeGrpcServiceTest, EmergencyReportFreezesBeforeTheReply) {
  ServerFixture server;
  v1::Incident incident;
  const grpc::Status status = server.intake_stub().ReportIncident(
      ServerFixture::As("agent/alice").get(),
      Request("acct-1", v1::INCIDENT_CATEGORY_ACCOUNT_TAKEOVER), &incident);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(incident.priority(), v1::PRIORITY_P0);
  EXPECT_EQ(incident.protective_freeze_id(), "frz-1");
  EXPECT_FALSE(incident.freeze_failed());

  v1::CheckAccountsRequest check;
  check.add_account_ids("acct-1");
  check.set_action(v1::FREEZE_SCOPE_WITHDRAW);
  v1::CheckAccountsResponse checked;
  ASSERT_TRUE(
      server.stub()
          .CheckAccounts(ServerFixture::As("internal/withdrawals").get(), check,
                         &checked)
          .ok());
  ASSERT_EQ(checked.results_size(), 1);
  EXPECT_FALSE(checked.results(0).allowed());
  EXPECT_EQ(checked.results(0).reason(),
            "frozen for WITHDRAW by frz-1 (incident inc-1)");
}

// With the ticket lane full, tickets get RESOURCE_EXHAUSTED with a retry
// hint, and emergencies are still served.
TEST(IntakeGrpcServiceTest, FullTicketLaneRefusesTicketsNotEmergencies) {
  ServerFixture server(/*max_queued_writes=*/64, /*max_queued_tickets=*/0);
  v1::Incident incident;
  const grpc::Status refused = server.intake_stub().ReportIncident(
      ServerFixture::As("agent/alice").get(),
      Request("acct-1", v1::INCIDENT_CATEGORY_TRADE_DISPUTE), &incident);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(refused.error_message(),
            "test ticket reports queue is full; retry with backoff");
  google::rpc::Status details;
  ASSERT_TRUE(details.ParseFromString(refused.error_details()));
  ASSERT_EQ(details.details_size(), 1);
  google::rpc::RetryInfo retry;
  ASSERT_TRUE(details.details(0).UnpackTo(&retry));
  EXPECT_EQ(retry.retry_delay().nanos(), 100000000);

  const grpc::Status emergency = server.intake_stub().ReportIncident(
      ServerFixture::As("agent/alice").get(),
      Request("acct-2", v1::INCIDENT_CATEGORY_TWO_FA_FAILURE), &incident);
  EXPECT_TRUE(emergency.ok()) << emergency.error_message();
  EXPECT_EQ(incident.priority(), v1::PRIORITY_P0);
}

// Bad input is refused with the field named.
TEST(IntakeGrpcServiceTest, UnknownCategoryIsRefused) {
  ServerFixture server;
  v1::ReportIncidentRequest request =
      Request("acct-1", v1::INCIDENT_CATEGORY_OTHER);
  request.set_category(static_cast<v1::IncidentCategory>(77));
  v1::Incident incident;
  const grpc::Status status = server.intake_stub().ReportIncident(
      ServerFixture::As("agent/alice").get(), request, &incident);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(), "category: unknown value 77");
}

// The agent flow over the wire: claim, then move the incident along.
TEST(IntakeGrpcServiceTest, ClaimAndUpdate) {
  ServerFixture server;
  v1::Incident incident;
  ASSERT_TRUE(
      server.intake_stub()
          .ReportIncident(ServerFixture::As("internal/risk-engine").get(),
                          Request("acct-1", v1::INCIDENT_CATEGORY_PHISHING),
                          &incident)
          .ok());
  v1::Incident claimed;
  ASSERT_TRUE(
      server.intake_stub()
          .ClaimNextIncident(ServerFixture::As("agent/bob").get(), {}, &claimed)
          .ok());
  EXPECT_EQ(claimed.incident_id(), incident.incident_id());
  EXPECT_EQ(claimed.assignee(), "agent/bob");
  v1::UpdateIncidentStatusRequest update;
  update.set_incident_id(incident.incident_id());
  update.set_status(v1::INCIDENT_STATUS_INVESTIGATING);
  v1::Incident updated;
  const grpc::Status status = server.intake_stub().UpdateIncidentStatus(
      ServerFixture::As("agent/bob").get(), update, &updated);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(status.error_message(),
              HasSubstr("cannot move from INCIDENT_STATUS_NEW"));
}

}  // namespace
}  // namespace sentinel::services
