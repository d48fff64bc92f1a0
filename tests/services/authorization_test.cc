// The authorization table covers every RPC of the API exactly once, and the
// server enforces every cell of its rows.

#include "services/common/authorization.h"

#include <fstream>
#include <future>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/descriptor.h"
#include "grpcpp/generic/generic_stub.h"
#include "gtest/gtest.h"
#include "sentinel/v1/audit.pb.h"
#include "sentinel/v1/freeze.pb.h"
#include "sentinel/v1/incident.pb.h"
#include "sentinel/v1/trace.pb.h"
#include "services/audit/audit_grpc_service.h"
#include "services/common/authenticator.h"
#include "services/common/call_gate.h"
#include "tests/services/server_fixture.h"

namespace sentinel::services {
namespace {

using ::sentinel::testing::FreezeRequest;
using ::sentinel::testing::ServerFixture;

const std::vector<const google::protobuf::ServiceDescriptor*>& ApiServices() {
  static const auto* const services =
      new std::vector<const google::protobuf::ServiceDescriptor*>{
          v1::FreezeAccountRequest::descriptor()->file()->service(0),
          v1::ReportIncidentRequest::descriptor()->file()->service(0),
          v1::LedgerEvent::descriptor()->file()->service(0),
          v1::AuditEntry::descriptor()->file()->service(0),
      };
  return *services;
}

const std::vector<v1::Role>& AllRoles() {
  static const auto* const roles = new std::vector<v1::Role>{
      v1::ROLE_AGENT,   v1::ROLE_SECURITY, v1::ROLE_INTERNAL,
      v1::ROLE_AUDITOR, v1::ROLE_ADMIN,    v1::ROLE_SERVICE};
  return *roles;
}

// A principal holding `role`: "<role>/tester" for people and outside
// systems; Sentinel's audit service (which acts only as itself) for
// ROLE_SERVICE.
std::string TesterWith(v1::Role role) {
  if (role == v1::ROLE_SERVICE) return "service/audit";
  return absl::StrCat(RoleName(role), "/tester");
}

const std::vector<std::string>& PeopleRoles() {
  static const auto* const roles = new std::vector<std::string>{
      "agent", "security", "internal", "auditor", "admin"};
  return *roles;
}

// Every method of the four services has exactly one row, and every row
// names a real method with at least one role.
TEST(AuthorizationTableTest, CoversTheWholeApiOnce) {
  std::set<std::string> api_methods;
  for (const auto* service : ApiServices()) {
    for (int i = 0; i < service->method_count(); ++i) {
      api_methods.insert(absl::StrCat("/", service->full_name(), "/",
                                      service->method(i)->name()));
    }
  }
  std::set<std::string> table_methods;
  for (const MethodPolicy& policy : AuthorizationTable()) {
    EXPECT_TRUE(table_methods.insert(std::string(policy.method)).second)
        << "duplicate row " << policy.method;
    EXPECT_FALSE(policy.allowed_roles.empty()) << policy.method;
  }
  EXPECT_EQ(table_methods, api_methods);
}

// docs/security.md prints the same matrix, row for row.
TEST(AuthorizationTableTest, SecurityDocShowsTheTable) {
  std::ifstream doc(std::string(SENTINEL_SOURCE_DIR) + "/docs/security.md");
  ASSERT_TRUE(doc.is_open());
  std::vector<std::string> documented;
  bool in_matrix = false;
  for (std::string line; std::getline(doc, line);) {
    if (absl::StartsWith(line, "<!-- matrix:")) in_matrix = true;
    if (absl::StartsWith(line, "<!-- end matrix")) in_matrix = false;
    if (in_matrix && absl::StartsWith(line, "| `")) documented.push_back(line);
  }
  std::vector<std::string> expected;
  for (const MethodPolicy& policy : AuthorizationTable()) {
    std::vector<std::string> roles;
    for (v1::Role role : policy.allowed_roles) {
      roles.emplace_back(RoleName(role));
    }
    expected.push_back(absl::StrCat("| `", AuditActionName(policy.method),
                                    "` | ", absl::StrJoin(roles, ", "), " |"));
  }
  EXPECT_EQ(documented, expected);
}

// Unknown methods and unspecified roles are denied.
TEST(AuthorizationTableTest, FailsClosed) {
  EXPECT_FALSE(IsAllowed("/sentinel.v1.FreezeService/Nope", v1::ROLE_ADMIN));
  EXPECT_FALSE(IsAllowed("/sentinel.v1.FreezeService/FreezeAccount",
                         v1::ROLE_UNSPECIFIED));
  EXPECT_TRUE(IsAllowed("/sentinel.v1.FreezeService/ApproveUnfreeze",
                        v1::ROLE_SECURITY));
  EXPECT_FALSE(
      IsAllowed("/sentinel.v1.FreezeService/ApproveUnfreeze", v1::ROLE_ADMIN));
}

// Calls `method` with `message` (serialized; empty by default) on
// `channel` (which carries the caller's certificate) with `context` and
// returns the status.
grpc::Status CallUnary(grpc::GenericStub& stub, const std::string& method,
                       grpc::ClientContext* context,
                       const std::string& message = "") {
  grpc::Slice payload(message);
  grpc::ByteBuffer request(&payload, 1);
  grpc::ByteBuffer response;
  std::promise<grpc::Status> done;
  stub.UnaryCall(context, method, grpc::StubOptions(), &request, &response,
                 [&done](grpc::Status status) { done.set_value(status); });
  return done.get_future().get();
}

// The status of calling `method` on `channel` as `caller` (the channel's
// certificate), on behalf of `on_behalf_of` when it is not empty: unary calls
// with an empty request (DeliverAudit with the caller's own origin); streams
// opened, read once (allowed roles get an event, since the server holds a
// freeze, an incident and audit entries), then cancelled; evidence streams
// empty, so allowed roles reach validation.
grpc::Status CallMethod(const std::shared_ptr<grpc::Channel>& channel,
                        absl::string_view method, bool allowed,
                        const std::string& caller,
                        const std::string& on_behalf_of = "") {
  auto context = ServerFixture::As("");
  if (!on_behalf_of.empty()) {
    context->AddMetadata(kOnBehalfOfHeader, on_behalf_of);
  }
  if (method == "/sentinel.v1.FreezeService/WatchFreezes") {
    auto reader =
        v1::FreezeService::NewStub(channel)->WatchFreezes(context.get(), {});
    v1::FreezeEvent event;
    const bool got = reader->Read(&event);
    EXPECT_EQ(got, allowed) << method;
    if (got) context->TryCancel();  // the stream would never end
    return reader->Finish();
  }
  if (method == "/sentinel.v1.AuditService/WatchAudit") {
    auto reader =
        v1::AuditService::NewStub(channel)->WatchAudit(context.get(), {});
    v1::AuditEntry entry;
    const bool got = reader->Read(&entry);
    EXPECT_EQ(got, allowed) << method;
    if (got) context->TryCancel();  // the stream would never end
    return reader->Finish();
  }
  if (method == "/sentinel.v1.IncidentService/WatchIncidents") {
    auto reader = v1::IncidentService::NewStub(channel)->WatchIncidents(
        context.get(), {});
    v1::IncidentEvent event;
    const bool got = reader->Read(&event);
    EXPECT_EQ(got, allowed) << method;
    if (got) context->TryCancel();  // the stream would never end
    return reader->Finish();
  }
  if (method == "/sentinel.v1.IncidentService/ReadEvidence") {
    auto reader =
        v1::IncidentService::NewStub(channel)->ReadEvidence(context.get(), {});
    v1::EvidenceChunk chunk;
    EXPECT_FALSE(reader->Read(&chunk));
    return reader->Finish();
  }
  if (method == "/sentinel.v1.TraceService/IngestLedger") {
    v1::IngestSummary summary;
    auto writer = v1::TraceService::NewStub(channel)->IngestLedger(
        context.get(), &summary);
    writer->WritesDone();
    return writer->Finish();
  }
  if (method == "/sentinel.v1.IncidentService/AddEvidence") {
    v1::Evidence evidence;
    auto writer = v1::IncidentService::NewStub(channel)->AddEvidence(
        context.get(), &evidence);
    writer->WritesDone();
    return writer->Finish();
  }
  grpc::GenericStub stub(channel);
  if (method == "/sentinel.v1.AuditService/DeliverAudit") {
    v1::DeliverAuditRequest request;
    absl::StatusOr<Principal> principal = ParsePrincipalShort(caller);
    if (principal.ok()) request.set_origin(OutboxOrigin(*principal));
    return CallUnary(stub, std::string(method), context.get(),
                     request.SerializeAsString());
  }
  return CallUnary(stub, std::string(method), context.get());
}

// The server of the matrix tests, holding a freeze, an incident and audit
// entries so that allowed watchers get an event.
void PrepareMatrixServer(ServerFixture& server) {
  const std::shared_ptr<grpc::Channel> setup = server.ChannelAs("agent/setup");
  v1::FreezeRecord record;
  ASSERT_TRUE(v1::FreezeService::NewStub(setup)
                  ->FreezeAccount(ServerFixture::As("").get(),
                                  FreezeRequest("acct-1"), &record)
                  .ok());
  v1::ReportIncidentRequest report;
  report.set_account_id("acct-2");
  report.set_category(v1::INCIDENT_CATEGORY_POLICY_QUESTION);
  report.set_description("how do fees work");
  report.set_channel(v1::CHANNEL_TICKET);
  v1::Incident incident;
  ASSERT_TRUE(
      v1::IncidentService::NewStub(setup)
          ->ReportIncident(ServerFixture::As("").get(), report, &incident)
          .ok());
}

// Checks one cell: `code` is what calling `method` returned, `allowed` what
// the table says for the principal acting.
void ExpectCell(grpc::StatusCode code, bool allowed, absl::string_view method,
                const std::string& who) {
  if (allowed) {
    EXPECT_NE(code, grpc::StatusCode::PERMISSION_DENIED)
        << method << " as " << who;
    EXPECT_NE(code, grpc::StatusCode::UNAUTHENTICATED)
        << method << " as " << who;
    EXPECT_NE(code, grpc::StatusCode::UNAVAILABLE) << method << " as " << who;
  } else {
    EXPECT_EQ(code, grpc::StatusCode::PERMISSION_DENIED)
        << method << " as " << who;
  }
}

// Every cell of the table, through the real server over mutual TLS, each role
// calling with its own certificate: denied roles get PERMISSION_DENIED, allowed
// roles get past authorization.
TEST(AuthorizationMatrixTest, ServedMethodsEnforceEveryCell) {
  ServerFixture server(64, 64, /*mutual_tls=*/true);
  PrepareMatrixServer(server);
  int cells = 0;
  for (v1::Role role : AllRoles()) {
    const std::string principal = TesterWith(role);
    const std::shared_ptr<grpc::Channel> channel = server.ChannelAs(principal);
    for (const MethodPolicy& policy : AuthorizationTable()) {
      const bool allowed = IsAllowed(policy.method, role);
      ExpectCell(
          CallMethod(channel, policy.method, allowed, principal).error_code(),
          allowed, policy.method, principal);
      ++cells;
    }
  }
  EXPECT_EQ(cells, (10 + 8 + 9 + 6) * 6);
}

// Only Sentinel's own services may deliver or record audit entries: the
// internal role (the withdrawal engine's, the login service's) may not,
// whatever it sends.
TEST(AuthorizationTableTest, OnlySentinelServicesWriteTheAuditLog) {
  for (const char* method : {"/sentinel.v1.AuditService/DeliverAudit",
                             "/sentinel.v1.AuditService/RecordAudit"}) {
    for (v1::Role role : AllRoles()) {
      EXPECT_EQ(IsAllowed(method, role), role == v1::ROLE_SERVICE)
          << method << " " << RoleName(role);
    }
  }
}

// On behalf of, cell by cell: a delegating service carrying a person's call
// gets exactly that person's row of the table; the header from anyone else
// (every person role, and the services that are not delegators) is refused.
TEST(AuthorizationMatrixTest, OnBehalfOfFollowsThePersonsRow) {
  ServerFixture server(64, 64, /*mutual_tls=*/true);
  PrepareMatrixServer(server);
  int cells = 0;
  for (absl::string_view service : DelegatingServices()) {
    const std::string carrier = absl::StrCat("service/", service);
    const std::shared_ptr<grpc::Channel> channel = server.ChannelAs(carrier);
    for (const std::string& role : PeopleRoles()) {
      const std::string person = absl::StrCat(role, "/tester");
      const v1::Role person_role = ParseRole(role).value();
      for (const MethodPolicy& policy : AuthorizationTable()) {
        const bool allowed = IsAllowed(policy.method, person_role);
        ExpectCell(CallMethod(channel, policy.method, allowed, carrier, person)
                       .error_code(),
                   allowed, policy.method,
                   absl::StrCat(person, " via ", carrier));
        ++cells;
      }
    }
    // A service acts only as itself, even through a delegator.
    EXPECT_EQ(CallMethod(channel, "/sentinel.v1.AuditService/RecordAudit",
                         false, carrier, "service/audit")
                  .error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
  }
  EXPECT_EQ(cells, 3 * 5 * (10 + 8 + 9 + 6));

  std::vector<std::string> not_delegators;
  for (const std::string& role : PeopleRoles()) {
    not_delegators.push_back(absl::StrCat(role, "/tester"));
  }
  for (absl::string_view service : kServiceNames) {
    Principal principal{v1::ROLE_SERVICE, std::string(service)};
    if (!MayActOnBehalf(principal))
      not_delegators.push_back(principal.ToString());
  }
  EXPECT_EQ(not_delegators.size(), 5u + 2u);
  for (const std::string& caller : not_delegators) {
    EXPECT_EQ(CallMethod(server.ChannelAs(caller),
                         "/sentinel.v1.FreezeService/GetFreezeState", false,
                         caller, "admin/root")
                  .error_code(),
              grpc::StatusCode::PERMISSION_DENIED)
        << caller;
  }
}

// Every refused call is in the audit log before the refusal arrives: who
// (when known), which method, and why.
TEST(AuthorizationMatrixTest, RefusalsAreAudited) {
  ServerFixture server;
  v1::FreezeRecord record;
  const grpc::Status denied =
      server.stub().FreezeAccount(ServerFixture::As("auditor/carol").get(),
                                  FreezeRequest("acct-1"), &record);
  ASSERT_EQ(denied.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  const grpc::Status anonymous = server.stub().FreezeAccount(
      ServerFixture::As("").get(), FreezeRequest("acct-1"), &record);
  ASSERT_EQ(anonymous.error_code(), grpc::StatusCode::UNAUTHENTICATED);

  const std::vector<v1::AuditEntry> entries = server.domain().AuditEntries();
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].principal(), "auditor/carol");
  EXPECT_EQ(entries[0].action(), "FreezeService.FreezeAccount");
  EXPECT_EQ(entries[0].outcome().code(),
            static_cast<int>(absl::StatusCode::kPermissionDenied));
  EXPECT_EQ(entries[0].outcome().message(),
            "role auditor may not call "
            "/sentinel.v1.FreezeService/FreezeAccount");
  EXPECT_EQ(entries[1].principal(), "");
  EXPECT_EQ(entries[1].action(), "FreezeService.FreezeAccount");
  EXPECT_EQ(entries[1].outcome().code(),
            static_cast<int>(absl::StatusCode::kUnauthenticated));
  EXPECT_EQ(entries[1].outcome().message(), anonymous.error_message());
  EXPECT_EQ(server.domain().VerifyAudit().value_or(0), 2u);
}

// A freeze carried by intake for agent/alice is alice's: created_by names
// her and the audit entry names both her and the service that carried it.
// The header from a caller that may not delegate is refused, and the
// refusal is recorded with who tried.
TEST(AuthorizationMatrixTest, OnBehalfOfIsRecordedAsThePerson) {
  ServerFixture server;
  auto carried = ServerFixture::As("service/intake");
  carried->AddMetadata(kOnBehalfOfHeader, "agent/alice");
  v1::FreezeRecord record;
  ASSERT_TRUE(
      server.stub()
          .FreezeAccount(carried.get(), FreezeRequest("acct-1"), &record)
          .ok());
  EXPECT_EQ(record.created_by(), "agent/alice");

  auto forged = ServerFixture::As("agent/mallory");
  forged->AddMetadata(kOnBehalfOfHeader, "security/bob");
  const grpc::Status refused = server.stub().FreezeAccount(
      forged.get(), FreezeRequest("acct-2"), &record);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(refused.error_message(),
            "agent/mallory may not act on behalf of another "
            "(x-sentinel-on-behalf-of)");

  const std::vector<v1::AuditEntry> entries = server.domain().AuditEntries();
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].principal(), "agent/alice");
  EXPECT_EQ(entries[0].via(), "service/intake");
  EXPECT_EQ(entries[0].action(), "FreezeService.FreezeAccount");
  EXPECT_EQ(entries[1].principal(), "agent/mallory");
  EXPECT_EQ(entries[1].via(), "");
  EXPECT_EQ(entries[1].outcome().code(),
            static_cast<int>(absl::StatusCode::kPermissionDenied));
  EXPECT_EQ(server.domain().VerifyAudit().value_or(0), 2u);
}

// A refusal decided past the gate, by the domain, leaves a trail too: a
// security officer approving their own unfreeze request is refused and the
// refusal is an audit entry with its reason.
TEST(AuthorizationMatrixTest, RefusalsPastTheGateAreAudited) {
  ServerFixture server;
  v1::FreezeRecord record;
  ASSERT_TRUE(server.stub()
                  .FreezeAccount(ServerFixture::As("agent/alice").get(),
                                 FreezeRequest("acct-1"), &record)
                  .ok());
  v1::RequestUnfreezeRequest request;
  request.set_account_id("acct-1");
  request.set_freeze_id(record.freeze_id());
  request.set_reason("verified on a video call");
  v1::UnfreezeRequest pending;
  ASSERT_TRUE(server.stub()
                  .RequestUnfreeze(ServerFixture::As("security/carol").get(),
                                   request, &pending)
                  .ok());
  v1::ApproveUnfreezeRequest approve;
  approve.set_request_id(pending.request_id());
  const grpc::Status refused = server.stub().ApproveUnfreeze(
      ServerFixture::As("security/carol").get(), approve, &record);
  ASSERT_EQ(refused.error_code(), grpc::StatusCode::PERMISSION_DENIED);

  const std::vector<v1::AuditEntry> entries = server.domain().AuditEntries();
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[2].principal(), "security/carol");
  EXPECT_EQ(entries[2].action(), "FreezeService.ApproveUnfreeze");
  EXPECT_EQ(entries[2].outcome().code(),
            static_cast<int>(absl::StatusCode::kPermissionDenied));
  EXPECT_EQ(entries[2].outcome().message(), refused.error_message());
  EXPECT_EQ(server.domain().VerifyAudit().value_or(0), 3u);
}

// A Sentinel service delivers audit records only under its own origin: the
// freeze service cannot pose as intake's outbox.
TEST(AuthorizationMatrixTest, DeliverAuditOnlyUnderTheCallersOrigin) {
  ServerFixture server;
  v1::DeliverAuditRequest request;
  request.set_origin("sentinel-intake");
  v1::DeliverAuditResponse response;
  const grpc::Status refused = server.audit_stub().DeliverAudit(
      ServerFixture::As("service/freeze").get(), request, &response);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(refused.error_message(),
            "origin: service/freeze delivers only as sentinel-freeze");
  const std::vector<v1::AuditEntry> entries = server.domain().AuditEntries();
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].principal(), "service/freeze");
  EXPECT_EQ(entries[0].action(), "AuditService.DeliverAudit");
}

}  // namespace
}  // namespace sentinel::services
