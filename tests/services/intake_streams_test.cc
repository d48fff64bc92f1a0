// The streaming calls of IncidentService through a real gRPC server on
// loopback port 0: evidence uploads and reads, and the incident watch.

#include <memory>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "incident/evidence.h"
#include "services/common/idle_stream_reaper.h"
#include "services/intake/evidence_upload.h"
#include "tests/services/server_fixture.h"
#include "tests/testing/fake_clock.h"

namespace sentinel::services {
namespace {

using ::sentinel::testing::ServerFixture;
using ::testing::HasSubstr;

v1::Incident ReportTicket(ServerFixture& server, const std::string& account) {
  v1::ReportIncidentRequest request;
  request.set_account_id(account);
  request.set_category(v1::INCIDENT_CATEGORY_WITHDRAWAL_NOT_RECEIVED);
  request.set_description("withdrawal pending for two days");
  request.set_channel(v1::CHANNEL_TICKET);
  v1::Incident incident;
  EXPECT_TRUE(server.intake_stub()
                  .ReportIncident(ServerFixture::As("agent/alice").get(),
                                  request, &incident)
                  .ok());
  return incident;
}

// Uploads `chunks` as `principal`; returns the status and fills `evidence`.
grpc::Status Upload(ServerFixture& server, const std::string& principal,
                    const std::vector<v1::EvidenceChunk>& chunks,
                    v1::Evidence* evidence) {
  auto context = ServerFixture::As(principal);
  auto writer = server.intake_stub().AddEvidence(context.get(), evidence);
  for (const v1::EvidenceChunk& chunk : chunks) {
    if (!writer->Write(chunk)) break;  // the server refused the stream
  }
  writer->WritesDone();
  return writer->Finish();
}

std::vector<v1::EvidenceChunk> Chunks(const std::string& incident_id,
                                      const std::string& data,
                                      size_t chunk_bytes) {
  std::vector<v1::EvidenceChunk> chunks;
  for (size_t at = 0; at < data.size(); at += chunk_bytes) {
    v1::EvidenceChunk& chunk = chunks.emplace_back();
    if (at == 0) {
      chunk.set_incident_id(incident_id);
      chunk.set_file_name("statement.pdf");
      chunk.set_content_type("application/pdf");
    }
    chunk.set_data(data.substr(at, chunk_bytes));
  }
  return chunks;
}

TEST(IntakeStreamsTest, EvidenceRoundTrip) {
  ServerFixture server;
  const v1::Incident incident = ReportTicket(server, "acct-1");
  std::string data(incident::kMaxEvidenceChunkBytes * 5 / 2, '\0');
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<char>(i % 251);

  v1::Evidence evidence;
  const grpc::Status uploaded =
      Upload(server, "agent/alice",
             Chunks(incident.incident_id(), data, 700 * 1024), &evidence);
  ASSERT_TRUE(uploaded.ok()) << uploaded.error_message();
  EXPECT_EQ(evidence.evidence_id(), "evd-1");
  EXPECT_EQ(evidence.size_bytes(), static_cast<int64_t>(data.size()));
  EXPECT_EQ(evidence.sha256(), incident::ContentAddress(data));
  EXPECT_EQ(evidence.uploaded_by(), "agent/alice");

  v1::ReadEvidenceRequest request;
  request.set_incident_id(incident.incident_id());
  request.set_evidence_id("evd-1");
  auto context = ServerFixture::As("security/sam");
  auto reader = server.intake_stub().ReadEvidence(context.get(), request);
  std::vector<v1::EvidenceChunk> received;
  v1::EvidenceChunk chunk;
  while (received.size() < 10 && reader->Read(&chunk)) {
    received.push_back(chunk);
  }
  ASSERT_TRUE(reader->Finish().ok());
  ASSERT_EQ(received.size(), 3u);  // 1 MiB, 1 MiB, 0.5 MiB
  EXPECT_EQ(received[0].incident_id(), incident.incident_id());
  EXPECT_EQ(received[0].evidence_id(), "evd-1");
  EXPECT_EQ(received[0].file_name(), "statement.pdf");
  EXPECT_EQ(received[0].content_type(), "application/pdf");
  EXPECT_EQ(received[1].evidence_id(), "");
  std::string content;
  for (const v1::EvidenceChunk& part : received) {
    EXPECT_LE(part.data().size(), incident::kMaxEvidenceChunkBytes);
    content += part.data();
  }
  EXPECT_EQ(content, data);
}

TEST(IntakeStreamsTest, BadUploadsStoreNothing) {
  ServerFixture server;
  const v1::Incident incident = ReportTicket(server, "acct-1");
  v1::Evidence evidence;
  const grpc::Status oversized =
      Upload(server, "agent/alice",
             Chunks(incident.incident_id(),
                    std::string(incident::kMaxEvidenceChunkBytes + 1, 'x'),
                    incident::kMaxEvidenceChunkBytes + 1),
             &evidence);
  EXPECT_EQ(oversized.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(oversized.error_message(),
            "data: a chunk carries at most 1048576 bytes");

  std::vector<v1::EvidenceChunk> unnamed =
      Chunks(incident.incident_id(), "x", 1);
  unnamed[0].clear_file_name();
  const grpc::Status no_name =
      Upload(server, "agent/alice", unnamed, &evidence);
  EXPECT_EQ(no_name.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(no_name.error_message(), "file_name: required");

  const grpc::Status denied = Upload(
      server, "auditor/ann", Chunks(incident.incident_id(), "x", 1), &evidence);
  EXPECT_EQ(denied.error_code(), grpc::StatusCode::PERMISSION_DENIED);

  v1::GetIncidentRequest get;
  get.set_incident_id(incident.incident_id());
  v1::Incident stored;
  ASSERT_TRUE(
      server.intake_stub()
          .GetIncident(ServerFixture::As("agent/alice").get(), get, &stored)
          .ok());
  EXPECT_EQ(stored.evidence_count(), 0);
}

TEST(IntakeStreamsTest, UnassignedAgentMayNotReadEvidence) {
  ServerFixture server;
  const v1::Incident incident = ReportTicket(server, "acct-1");
  v1::Evidence evidence;
  ASSERT_TRUE(Upload(server, "agent/alice",
                     Chunks(incident.incident_id(), "scan", 4), &evidence)
                  .ok());
  v1::ReadEvidenceRequest request;
  request.set_incident_id(incident.incident_id());
  request.set_evidence_id(evidence.evidence_id());
  auto context = ServerFixture::As("agent/alice");
  auto reader = server.intake_stub().ReadEvidence(context.get(), request);
  v1::EvidenceChunk chunk;
  EXPECT_FALSE(reader->Read(&chunk));
  const grpc::Status status = reader->Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(status.error_message(), HasSubstr("assigned to them"));
}

TEST(IntakeStreamsTest, WatchReplaysThenStreamsLive) {
  ServerFixture server;
  ReportTicket(server, "acct-1");
  ReportTicket(server, "acct-2");
  auto context = ServerFixture::As("agent/console");
  v1::WatchIncidentsRequest request;
  request.set_from_version(1);
  auto reader = server.intake_stub().WatchIncidents(context.get(), request);
  v1::IncidentEvent event;
  ASSERT_TRUE(reader->Read(&event));
  EXPECT_EQ(event.version(), 2u);
  EXPECT_EQ(event.kind(), v1::INCIDENT_EVENT_KIND_CREATED);
  EXPECT_EQ(event.incident().account_id(), "acct-2");
  // A change made now arrives on the open stream.
  v1::Incident claimed;
  ASSERT_TRUE(
      server.intake_stub()
          .ClaimNextIncident(ServerFixture::As("agent/bob").get(), {}, &claimed)
          .ok());
  ASSERT_TRUE(reader->Read(&event));
  EXPECT_EQ(event.version(), 3u);
  EXPECT_EQ(event.kind(), v1::INCIDENT_EVENT_KIND_CLAIMED);
  EXPECT_EQ(event.actor(), "agent/bob");
  EXPECT_EQ(event.incident().incident_id(), claimed.incident_id());
  context->TryCancel();
  EXPECT_EQ(reader->Finish().error_code(), grpc::StatusCode::CANCELLED);
}

TEST(IntakeStreamsTest, WatchRefusesBadFilters) {
  ServerFixture server;
  auto context = ServerFixture::As("agent/console");
  v1::WatchIncidentsRequest request;
  request.add_priorities(static_cast<v1::Priority>(9));
  auto reader = server.intake_stub().WatchIncidents(context.get(), request);
  v1::IncidentEvent event;
  EXPECT_FALSE(reader->Read(&event));
  const grpc::Status status = reader->Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(), "priorities: unknown priority 9");
}

// The bound on uploads assembled at once, at and past it, and each
// person's share of it (a person whatever the role or case).
TEST(StreamSlotsTest, BoundsConcurrentStreamsAndEachPersonsShare) {
  const Principal alice{v1::ROLE_AGENT, "alice"};
  const Principal alice_too{v1::ROLE_SECURITY, "Alice"};
  const Principal bob{v1::ROLE_AGENT, "bob"};
  StreamSlots slots(3, 2);
  EXPECT_TRUE(slots.TryTake(alice));
  EXPECT_TRUE(slots.TryTake(alice_too));
  EXPECT_FALSE(slots.TryTake(alice));
  EXPECT_TRUE(slots.TryTake(bob));
  EXPECT_FALSE(slots.TryTake(Principal{v1::ROLE_AGENT, "carol"}));
  slots.Give(alice);
  EXPECT_TRUE(slots.TryTake(alice_too));
  // A share is at least one slot and at most all of them.
  StreamSlots one(2, 0);
  EXPECT_TRUE(one.TryTake(alice));
  EXPECT_FALSE(one.TryTake(alice));
}

// A share handed out with TakeShared is given back when its last copy goes,
// run or not (a queued report whose caller gave up is dropped unrun).
TEST(StreamSlotsTest, SharedHoldsGiveTheirSlotBack) {
  const Principal detector{v1::ROLE_INTERNAL, "login-service"};
  StreamSlots slots(100, 2);
  std::shared_ptr<const void> first = slots.TakeShared(detector);
  std::shared_ptr<const void> copy = first;
  std::shared_ptr<const void> second = slots.TakeShared(detector);
  ASSERT_NE(first, nullptr);
  ASSERT_NE(second, nullptr);
  EXPECT_EQ(slots.TakeShared(detector), nullptr);
  EXPECT_NE(slots.TakeShared(Principal{v1::ROLE_AGENT, "alice"}), nullptr);
  first.reset();
  EXPECT_EQ(slots.TakeShared(detector), nullptr);
  copy.reset();
  EXPECT_NE(slots.TakeShared(detector), nullptr);
}

// The attack (sentineld form, a real server): one agent opens eight uploads
// and sends nothing more, which used to take every slot and block all
// evidence uploads. Now they hold only their share: another agent's upload
// goes through; of the eight, six were refused for load and the two taken
// end, once sent, refused for another reason (the incident is not theirs).
TEST(IntakeStreamsTest, OnePersonsIdleUploadsDoNotBlockOthers) {
  ServerFixture server;
  const v1::Incident incident = ReportTicket(server, "acct-1");
  std::vector<std::unique_ptr<grpc::ClientContext>> contexts;
  std::vector<std::unique_ptr<grpc::ClientWriter<v1::EvidenceChunk>>> writers;
  std::vector<v1::Evidence> responses(8);
  const std::vector<v1::EvidenceChunk> first =
      Chunks(incident.incident_id(), "first part", 1024);
  for (int i = 0; i < 8; ++i) {
    contexts.push_back(ServerFixture::As("agent/mallory"));
    writers.push_back(
        server.intake_stub().AddEvidence(contexts.back().get(), &responses[i]));
    writers.back()->Write(first[0]);
  }

  v1::Evidence evidence;
  const grpc::Status alice =
      Upload(server, "agent/alice",
             Chunks(incident.incident_id(), "bank statement", 1024), &evidence);
  EXPECT_TRUE(alice.ok()) << alice.error_message();
  EXPECT_EQ(evidence.size_bytes(), 14);

  int overloaded = 0;
  int not_theirs = 0;
  for (int i = 0; i < 8; ++i) {
    writers[i]->WritesDone();
    const grpc::StatusCode code = writers[i]->Finish().error_code();
    overloaded += code == grpc::StatusCode::RESOURCE_EXHAUSTED;
    not_theirs += code == grpc::StatusCode::PERMISSION_DENIED;
  }
  EXPECT_EQ(overloaded, 6);
  EXPECT_EQ(not_theirs, 2);
}

// An upload that sends nothing for the idle timeout is cancelled and
// forgotten; progress resets the clock; a forgotten stream is never
// cancelled.
TEST(IdleStreamReaperTest, CancelsStreamsIdleForTheTimeout) {
  sentinel::testing::FakeClock clock;
  IdleStreamReaper reaper(clock, absl::Seconds(30), absl::ZeroDuration());
  int quiet_cancelled = 0;
  int busy_cancelled = 0;
  int done_cancelled = 0;
  const uint64_t quiet = reaper.Watch([&] { ++quiet_cancelled; });
  const uint64_t busy = reaper.Watch([&] { ++busy_cancelled; });
  const uint64_t done = reaper.Watch([&] { ++done_cancelled; });
  reaper.Forget(done);
  clock.Advance(absl::Seconds(29));
  reaper.Touch(busy);
  EXPECT_EQ(reaper.ReapIdle(), 0);
  clock.Advance(absl::Seconds(1));
  EXPECT_EQ(reaper.ReapIdle(), 1);
  EXPECT_EQ(quiet_cancelled, 1);
  EXPECT_EQ(busy_cancelled, 0);
  clock.Advance(absl::Seconds(29));
  EXPECT_EQ(reaper.ReapIdle(), 1);
  EXPECT_EQ(busy_cancelled, 1);
  EXPECT_EQ(reaper.ReapIdle(), 0);
  EXPECT_EQ(quiet_cancelled, 1);
  EXPECT_EQ(done_cancelled, 0);
  reaper.Forget(quiet);
  reaper.Forget(busy);
}

}  // namespace
}  // namespace sentinel::services
