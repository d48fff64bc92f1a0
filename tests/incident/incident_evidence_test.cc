// Evidence files through the intake domain: storage by content address,
// redaction of text, the per-incident limits, who may read, and the audit
// entry of every read.

#include <string>

#include "audit/audit_reader.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "incident/evidence.h"
#include "tests/incident/incident_manager_fixture.h"

namespace sentinel::incident {
namespace {

using ::sentinel::testing::StatusIs;
using ::testing::HasSubstr;

class IncidentEvidenceTest : public IncidentManagerTest {
 protected:
  absl::StatusOr<v1::Evidence> Add(const std::string& incident_id,
                                   std::string data,
                                   std::string content_type = "image/png") {
    EvidenceUpload upload;
    upload.incident_id = incident_id;
    upload.file_name = "file";
    upload.content_type = std::move(content_type);
    upload.data = std::move(data);
    return manager_->AddEvidence(agent_, std::move(upload));
  }

  static v1::ReadEvidenceRequest ReadRequest(const v1::Evidence& evidence) {
    v1::ReadEvidenceRequest request;
    request.set_incident_id(evidence.incident_id());
    request.set_evidence_id(evidence.evidence_id());
    return request;
  }

  // The whole stored content, part by part.
  std::string ReadAll(const v1::Evidence& evidence) {
    std::string content;
    for (uint64_t part = 0;; ++part) {
      absl::StatusOr<std::string> bytes =
          manager_->ReadEvidencePart(evidence, part);
      if (absl::IsNotFound(bytes.status())) break;
      EXPECT_OK(bytes.status());
      if (!bytes.ok() || part > 100) break;
      content += *bytes;
    }
    return content;
  }

  // Audit entries recorded for action `action`.
  std::vector<v1::AuditEntry> AuditEntriesFor(const std::string& action) {
    std::vector<v1::AuditEntry> found;
    audit::AuditReader reader(*database_);
    absl::StatusOr<std::vector<v1::AuditEntry>> entries =
        reader.ReadEntries(0, 1000, log_->size());
    EXPECT_OK(entries.status());
    if (!entries.ok()) return found;
    for (const v1::AuditEntry& entry : *entries) {
      if (entry.action() == action) found.push_back(entry);
    }
    return found;
  }

  const Principal security_{v1::ROLE_SECURITY, "sam"};
};

TEST_F(IncidentEvidenceTest, StoresAndListsEvidence) {
  const v1::Incident incident =
      Report(Request("acct-1", v1::INCIDENT_CATEGORY_TRADE_DISPUTE));
  // Three parts: 1 MiB, 1 MiB and 5 bytes.
  std::string data(2 * kMaxEvidenceChunkBytes + 5, '\0');
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<char>(i * 7);
  ASSERT_OK_AND_ASSIGN(v1::Evidence evidence,
                       Add(incident.incident_id(), data));
  EXPECT_EQ(evidence.evidence_id(), "evd-1");
  EXPECT_EQ(evidence.incident_id(), incident.incident_id());
  EXPECT_EQ(evidence.size_bytes(), static_cast<int64_t>(data.size()));
  EXPECT_EQ(evidence.sha256(), ContentAddress(data));
  EXPECT_EQ(evidence.uploaded_by(), "agent/alice");
  EXPECT_EQ(evidence.redactions(), 0);
  EXPECT_EQ(evidence.scan(), v1::EVIDENCE_SCAN_NOT_SCANNED);

  v1::GetIncidentRequest get;
  get.set_incident_id(incident.incident_id());
  ASSERT_OK_AND_ASSIGN(v1::Incident stored, manager_->Get(get));
  EXPECT_EQ(stored.evidence_count(), 1);
  ASSERT_EQ(stored.evidence_size(), 1);
  EXPECT_EQ(stored.evidence(0).sha256(), evidence.sha256());
  EXPECT_EQ(ReadAll(evidence), data);

  // The evidence and its content survive a restart.
  Open();
  ASSERT_OK_AND_ASSIGN(stored, manager_->Get(get));
  EXPECT_EQ(stored.evidence_count(), 1);
  EXPECT_EQ(ReadAll(stored.evidence(0)), data);
  ASSERT_EQ(AuditEntriesFor("IncidentService.AddEvidence").size(), 1u);
}

TEST_F(IncidentEvidenceTest, TextEvidenceIsRedactedBeforeStorage) {
  const v1::Incident incident =
      Report(Request("acct-1", v1::INCIDENT_CATEGORY_ACCOUNT_TAKEOVER));
  const std::string chat =
      "user: my seed is abandon abandon abandon abandon abandon abandon "
      "abandon abandon abandon abandon abandon about\n> thanks";
  ASSERT_OK_AND_ASSIGN(v1::Evidence evidence,
                       Add(incident.incident_id(), chat, "text/plain"));
  const std::string redacted =
      "user: my seed is [REDACTED:bip39_mnemonic]\n> thanks";
  EXPECT_EQ(evidence.redactions(), 1);
  EXPECT_EQ(evidence.scan(), v1::EVIDENCE_SCAN_REDACTED);
  EXPECT_EQ(evidence.size_bytes(), static_cast<int64_t>(redacted.size()));
  EXPECT_EQ(evidence.sha256(), ContentAddress(redacted));
  EXPECT_EQ(ReadAll(evidence), redacted);
  // Images are stored byte for byte, even when they look like text.
  ASSERT_OK_AND_ASSIGN(v1::Evidence image,
                       Add(incident.incident_id(), chat, "image/png"));
  EXPECT_EQ(image.redactions(), 0);
  EXPECT_EQ(image.scan(), v1::EVIDENCE_SCAN_NOT_SCANNED);
  EXPECT_EQ(ReadAll(image), chat);

  // The scan marking is stored with the incident.
  v1::GetIncidentRequest get;
  get.set_incident_id(incident.incident_id());
  ASSERT_OK_AND_ASSIGN(v1::Incident stored, manager_->Get(get));
  ASSERT_EQ(stored.evidence_size(), 2);
  EXPECT_EQ(stored.evidence(0).scan(), v1::EVIDENCE_SCAN_REDACTED);
  EXPECT_EQ(stored.evidence(1).scan(), v1::EVIDENCE_SCAN_NOT_SCANNED);
}

// A file name is typed by a person: a key in it is redacted, whatever the
// content type, and counted.
TEST_F(IncidentEvidenceTest, FileNamesAreRedacted) {
  const v1::Incident incident =
      Report(Request("acct-1", v1::INCIDENT_CATEGORY_ACCOUNT_TAKEOVER));
  EvidenceUpload upload;
  upload.incident_id = incident.incident_id();
  upload.file_name =
      "key 5HueCGU8rMjxEXxiPuD5BDku4MkFqeZyd4dZ1jvhTVqvbTLvyTJ.png";
  upload.content_type = "image/png";
  upload.data = "\x89PNG";
  ASSERT_OK_AND_ASSIGN(v1::Evidence evidence,
                       manager_->AddEvidence(agent_, std::move(upload)));
  EXPECT_EQ(evidence.file_name(), "key [REDACTED:wif_private_key].png");
  EXPECT_EQ(evidence.redactions(), 1);
  EXPECT_EQ(evidence.scan(), v1::EVIDENCE_SCAN_NOT_SCANNED);
  EXPECT_EQ(ReadAll(evidence), "\x89PNG");
}

TEST_F(IncidentEvidenceTest, LimitsPerIncident) {
  EXPECT_THAT(Add("inc-99", "x").status(),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("inc-99")));
  const v1::Incident incident =
      Report(Request("acct-1", v1::INCIDENT_CATEGORY_POLICY_QUESTION));
  for (int i = 0; i < kMaxEvidenceFiles; ++i) {
    ASSERT_OK(Add(incident.incident_id(), absl::StrCat("file ", i)).status());
  }
  EXPECT_THAT(Add(incident.incident_id(), "one more").status(),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       "incident inc-1 has the maximum of 100 evidence files"));

  const v1::Incident other =
      Report(Request("acct-2", v1::INCIDENT_CATEGORY_POLICY_QUESTION));
  for (v1::IncidentStatus status :
       {v1::INCIDENT_STATUS_ACKNOWLEDGED, v1::INCIDENT_STATUS_INVESTIGATING,
        v1::INCIDENT_STATUS_RESOLVED}) {
    ASSERT_OK(Move(other.incident_id(), status).status());
  }
  EXPECT_OK(Add(other.incident_id(), "after resolution").status());
  ASSERT_OK(Move(other.incident_id(), v1::INCIDENT_STATUS_CLOSED).status());
  EXPECT_THAT(Add(other.incident_id(), "too late").status(),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       "incident inc-2 is CLOSED; evidence can no longer be "
                       "added"));
}

TEST_F(IncidentEvidenceTest, OnlyPermittedRolesRead) {
  const v1::Incident incident =
      Report(Request("acct-1", v1::INCIDENT_CATEGORY_TRADE_DISPUTE));
  ASSERT_OK_AND_ASSIGN(v1::Evidence evidence,
                       Add(incident.incident_id(), "passport scan"));
  const v1::ReadEvidenceRequest request = ReadRequest(evidence);

  // Unassigned: agents may not read it, security may.
  EXPECT_THAT(manager_->OpenEvidence(agent_, request).status(),
              StatusIs(absl::StatusCode::kPermissionDenied,
                       HasSubstr("agents read only the evidence of incidents "
                                 "assigned to them")));
  ASSERT_OK_AND_ASSIGN(v1::Evidence opened,
                       manager_->OpenEvidence(security_, request));
  EXPECT_EQ(opened.sha256(), evidence.sha256());
  EXPECT_THAT(
      manager_->OpenEvidence(Principal{v1::ROLE_AUDITOR, "aud"}, request)
          .status(),
      StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("aud")));

  // Once claimed by alice, alice may read and bob may not.
  ASSERT_OK(manager_->ClaimNext(agent_).status());
  EXPECT_OK(manager_->OpenEvidence(agent_, request).status());
  EXPECT_THAT(
      manager_->OpenEvidence(Principal{v1::ROLE_AGENT, "bob"}, request)
          .status(),
      StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("agent/bob")));

  v1::ReadEvidenceRequest missing = request;
  missing.set_evidence_id("evd-2");
  EXPECT_THAT(
      manager_->OpenEvidence(security_, missing).status(),
      StatusIs(absl::StatusCode::kNotFound, "evidence_id: inc-1 has no evd-2"));

  // Every attempt is in the audit log with its outcome, in order.
  const std::vector<v1::AuditEntry> reads =
      AuditEntriesFor("IncidentService.ReadEvidence");
  ASSERT_EQ(reads.size(), 6u);
  const std::vector<std::pair<std::string, int>> expected = {
      {"agent/alice", 7}, {"security/sam", 0}, {"auditor/aud", 7},
      {"agent/alice", 0}, {"agent/bob", 7},    {"security/sam", 5}};
  for (size_t i = 0; i < reads.size(); ++i) {
    EXPECT_EQ(reads[i].principal(), expected[i].first) << i;
    EXPECT_EQ(reads[i].outcome().code(), expected[i].second) << i;
    EXPECT_EQ(reads[i].subject().incident_id(), "inc-1") << i;
  }
}

}  // namespace
}  // namespace sentinel::incident
