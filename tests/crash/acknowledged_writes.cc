#include "tests/crash/acknowledged_writes.h"

#include <initializer_list>
#include <optional>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "audit/log_verifier.h"
#include "common/principal.h"
#include "common/status_macros.h"
#include "google/protobuf/util/message_differencer.h"

namespace sentinel::testing {
namespace {

using ::google::protobuf::util::MessageDifferencer;

const Principal kAgent{v1::ROLE_AGENT, "alice"};
const Principal kRequester{v1::ROLE_SECURITY, "bob"};
const Principal kApprover{v1::ROLE_SECURITY, "carol"};

// The fields of a freeze fixed when it was created (its lifecycle fields
// change with later acknowledged writes).
v1::FreezeRecord CreationOf(v1::FreezeRecord record) {
  record.clear_state();
  record.clear_unfreeze_request_id();
  record.clear_lift_requested_by();
  record.clear_lifted_by();
  record.clear_lifted_at();
  record.clear_withdrawals_held_until();
  return record;
}

// The fields of a report fixed when it was filed (Get also computes SLA
// states from the clock).
v1::Incident ReportOf(const v1::Incident& incident) {
  v1::Incident kept;
  kept.set_incident_id(incident.incident_id());
  kept.set_account_id(incident.account_id());
  kept.set_category(incident.category());
  kept.set_priority(incident.priority());
  kept.set_description(incident.description());
  kept.set_channel(incident.channel());
  kept.set_reported_by(incident.reported_by());
  *kept.mutable_created_at() = incident.created_at();
  kept.set_protective_freeze_id(incident.protective_freeze_id());
  return kept;
}

absl::Status Freeze(SentinelProcess& process, Acknowledged& ack,
                    const std::string& account,
                    std::initializer_list<v1::FreezeScope> scopes,
                    const std::string& idempotency_key) {
  v1::FreezeAccountRequest request;
  request.set_account_id(account);
  for (v1::FreezeScope scope : scopes) request.add_scopes(scope);
  request.set_reason("account takeover reported");
  request.set_idempotency_key(idempotency_key);
  SENTINEL_ASSIGN_OR_RETURN(v1::FreezeRecord record,
                            process.freezes().FreezeAccount(kAgent, request));
  ack.freezes[record.freeze_id()] = record;
  if (!idempotency_key.empty()) {
    ack.freeze_requests[record.freeze_id()] = request;
  }
  return absl::OkStatus();
}

absl::Status Report(SentinelProcess& process, Acknowledged& ack,
                    const std::string& account, v1::IncidentCategory category,
                    const std::string& idempotency_key) {
  v1::ReportIncidentRequest request;
  request.set_account_id(account);
  request.set_category(category);
  request.set_description("user reports: " +
                          v1::IncidentCategory_Name(category));
  request.set_channel(v1::CHANNEL_LIVE_CHAT);
  request.set_idempotency_key(idempotency_key);
  SENTINEL_ASSIGN_OR_RETURN(v1::Incident incident,
                            process.incidents().Report(kAgent, request));
  ack.incidents[incident.incident_id()] = incident;
  if (!incident.protective_freeze_id().empty()) {
    ack.protective_freezes[incident.protective_freeze_id()] = incident;
  }
  return absl::OkStatus();
}

// The acknowledged, still active freeze on `account`.
std::string ActiveFreezeOn(const Acknowledged& ack,
                           const std::string& account) {
  for (const auto& [id, record] : ack.freezes) {
    if (record.account_id() == account &&
        record.state() == v1::FREEZE_STATE_ACTIVE) {
      return id;
    }
  }
  return "";
}

}  // namespace

std::vector<Step> Workload() {
  return {
      {"freeze acct-1 (idempotent)",
       [](SentinelProcess& process, Acknowledged& ack) {
         return Freeze(
             process, ack, "acct-1",
             {v1::FREEZE_SCOPE_WITHDRAW, v1::FREEZE_SCOPE_TRANSFER_OUT},
             "freeze-acct-1");
       }},
      {"report a P2 missing withdrawal on acct-2",
       [](SentinelProcess& process, Acknowledged& ack) {
         return Report(process, ack, "acct-2",
                       v1::INCIDENT_CATEGORY_WITHDRAWAL_NOT_RECEIVED,
                       "report-acct-2");
       }},
      {"freeze acct-3 (no idempotency key)",
       [](SentinelProcess& process, Acknowledged& ack) {
         return Freeze(process, ack, "acct-3", {v1::FREEZE_SCOPE_LOGIN}, "");
       }},
      {"request to unfreeze acct-1",
       [](SentinelProcess& process, Acknowledged& ack) {
         v1::RequestUnfreezeRequest request;
         request.set_account_id("acct-1");
         request.set_freeze_id(ActiveFreezeOn(ack, "acct-1"));
         request.set_reason("identity confirmed");
         SENTINEL_ASSIGN_OR_RETURN(
             v1::UnfreezeRequest unfreeze,
             process.freezes().RequestUnfreeze(kRequester, request));
         ack.unfreeze_requests[unfreeze.request_id()] = unfreeze;
         return absl::OkStatus();
       }},
      {"report a P0 account takeover on acct-4 (protective freeze)",
       [](SentinelProcess& process, Acknowledged& ack) {
         SENTINEL_RETURN_IF_ERROR(Report(process, ack, "acct-4",
                                         v1::INCIDENT_CATEGORY_ACCOUNT_TAKEOVER,
                                         ""));
         if (ack.protective_freezes.empty()) {
           return absl::FailedPreconditionError(
               "the P0 report made no protective freeze");
         }
         return absl::OkStatus();
       }},
      {"approve the unfreeze of acct-1",
       [](SentinelProcess& process, Acknowledged& ack) {
         v1::UnfreezeRequest& pending = ack.unfreeze_requests.begin()->second;
         v1::ApproveUnfreezeRequest request;
         request.set_request_id(pending.request_id());
         SENTINEL_ASSIGN_OR_RETURN(
             v1::FreezeRecord lifted,
             process.freezes().ApproveUnfreeze(kApprover, request));
         ack.freezes[lifted.freeze_id()] = lifted;
         pending.set_state(v1::UNFREEZE_REQUEST_STATE_APPROVED);
         pending.set_approved_by(kApprover.ToString());
         return absl::OkStatus();
       }},
      {"freeze trading on acct-1 (idempotent)",
       [](SentinelProcess& process, Acknowledged& ack) {
         return Freeze(process, ack, "acct-1", {v1::FREEZE_SCOPE_TRADE},
                       "freeze-acct-1-trade");
       }},
      {"report a P3 policy question on acct-5 (idempotent)",
       [](SentinelProcess& process, Acknowledged& ack) {
         return Report(process, ack, "acct-5",
                       v1::INCIDENT_CATEGORY_POLICY_QUESTION, "report-acct-5");
       }},
  };
}

Acknowledged StartRecord(SentinelProcess& process) {
  Acknowledged ack;
  ack.audit_checkpoint = process.audit_log().latest_checkpoint().note;
  return ack;
}

absl::Status RunStep(const Step& step, SentinelProcess& process,
                     Acknowledged& ack, FakeClock& clock) {
  clock.Advance(absl::Minutes(1));
  SENTINEL_RETURN_IF_ERROR(step.run(process, ack));
  ack.audit_size = process.audit_log().size();
  ack.audit_checkpoint = process.audit_log().latest_checkpoint().note;
  return absl::OkStatus();
}

std::vector<std::string> LostAcknowledgedWrites(SentinelProcess& process,
                                                const Acknowledged& ack) {
  std::vector<std::string> problems;

  // Freezes: each acknowledged one stored as acknowledged.
  std::map<std::string, v1::FreezeState> expected_states;
  for (const auto& [id, record] : ack.freezes) {
    expected_states[id] = record.state();
  }
  for (const auto& [id, incident] : ack.protective_freezes) {
    expected_states[id] = v1::FREEZE_STATE_ACTIVE;
  }
  for (const auto& [id, state] : expected_states) {
    absl::StatusOr<std::optional<v1::FreezeRecord>> stored =
        process.freeze_store().FindFreeze(id);
    if (!stored.ok()) {
      problems.push_back(absl::StrCat("reading freeze ", id, ": ",
                                      stored.status().ToString()));
      continue;
    }
    if (!stored->has_value()) {
      problems.push_back(
          absl::StrCat("acknowledged freeze ", id, " is missing"));
      continue;
    }
    const v1::FreezeRecord& record = **stored;
    if (record.state() != state) {
      problems.push_back(absl::StrCat(
          "freeze ", id, " is ", v1::FreezeState_Name(record.state()),
          ", acknowledged ", v1::FreezeState_Name(state)));
    }
    auto acknowledged = ack.freezes.find(id);
    if (acknowledged != ack.freezes.end() &&
        !MessageDifferencer::Equals(CreationOf(record),
                                    CreationOf(acknowledged->second))) {
      problems.push_back(
          absl::StrCat("acknowledged freeze ", id,
                       " is missing: another freeze has its id: ",
                       record.ShortDebugString()));
    }
    auto protective = ack.protective_freezes.find(id);
    if (protective != ack.protective_freezes.end() &&
        (record.account_id() != protective->second.account_id() ||
         record.incident_id() != protective->second.incident_id())) {
      problems.push_back(
          absl::StrCat("acknowledged protective freeze ", id, " of ",
                       protective->second.incident_id(),
                       " is missing: another freeze has its id: ",
                       record.ShortDebugString()));
    }
  }

  // Active freezes: each acknowledged one exactly once, and no others.
  std::map<std::string, int> active;
  v1::ListFrozenAccountsRequest list;
  list.set_page_size(1000);
  do {
    absl::StatusOr<v1::ListFrozenAccountsResponse> page =
        process.freezes().ListFrozenAccounts(list);
    if (!page.ok()) {
      problems.push_back(
          absl::StrCat("listing frozen accounts: ", page.status().ToString()));
      break;
    }
    for (const v1::AccountFreezeState& account : page->accounts()) {
      for (const v1::FreezeRecord& record : account.active_freezes()) {
        ++active[record.freeze_id()];
      }
    }
    list.set_page_token(page->next_page_token());
  } while (!list.page_token().empty());
  for (const auto& [id, state] : expected_states) {
    if (state == v1::FREEZE_STATE_ACTIVE && active[id] != 1) {
      problems.push_back(absl::StrCat("acknowledged active freeze ", id,
                                      " is listed ", active[id], " times"));
    }
  }
  for (const auto& [id, count] : active) {
    if (count > 0 && expected_states.find(id) == expected_states.end()) {
      problems.push_back(
          absl::StrCat("active freeze ", id, " was never acknowledged"));
    }
  }

  // Unfreeze requests.
  for (const auto& [id, acknowledged] : ack.unfreeze_requests) {
    absl::StatusOr<std::optional<v1::UnfreezeRequest>> stored =
        process.freeze_store().FindUnfreezeRequest(id);
    if (!stored.ok() || !stored->has_value()) {
      problems.push_back(
          absl::StrCat("acknowledged unfreeze request ", id, " is missing"));
      continue;
    }
    const v1::UnfreezeRequest& request = **stored;
    if (request.freeze_id() != acknowledged.freeze_id() ||
        request.requested_by() != acknowledged.requested_by() ||
        !MessageDifferencer::Equals(request.requested_at(),
                                    acknowledged.requested_at()) ||
        request.state() != acknowledged.state() ||
        request.approved_by() != acknowledged.approved_by()) {
      problems.push_back(absl::StrCat(
          "unfreeze request ", id, " is ", request.ShortDebugString(),
          ", acknowledged ", acknowledged.ShortDebugString()));
    }
  }

  // Incidents: each acknowledged one as reported, exactly once, no others.
  for (const auto& [id, acknowledged] : ack.incidents) {
    v1::GetIncidentRequest get;
    get.set_incident_id(id);
    absl::StatusOr<v1::Incident> stored = process.incidents().Get(get);
    if (!stored.ok()) {
      problems.push_back(
          absl::StrCat("acknowledged incident ", id,
                       " is missing: ", stored.status().ToString()));
      continue;
    }
    if (!MessageDifferencer::Equals(ReportOf(*stored),
                                    ReportOf(acknowledged))) {
      problems.push_back(absl::StrCat("acknowledged incident ", id,
                                      " is missing: another has its id: ",
                                      ReportOf(*stored).ShortDebugString()));
    }
  }
  std::map<std::string, int> listed;
  v1::ListIncidentsRequest list_incidents;
  list_incidents.set_page_size(1000);
  do {
    absl::StatusOr<v1::ListIncidentsResponse> page =
        process.incidents().List(list_incidents);
    if (!page.ok()) {
      problems.push_back(
          absl::StrCat("listing incidents: ", page.status().ToString()));
      break;
    }
    for (const v1::Incident& incident : page->incidents()) {
      ++listed[incident.incident_id()];
    }
    list_incidents.set_page_token(page->next_page_token());
  } while (!list_incidents.page_token().empty());
  for (const auto& [id, acknowledged] : ack.incidents) {
    if (listed[id] != 1) {
      problems.push_back(absl::StrCat("acknowledged incident ", id,
                                      " is listed ", listed[id], " times"));
    }
  }
  for (const auto& [id, count] : listed) {
    if (count > 0 && ack.incidents.find(id) == ack.incidents.end()) {
      problems.push_back(
          absl::StrCat("incident ", id, " was never acknowledged"));
    }
  }

  // The audit log: contiguous, every checkpoint and node verifies, and it
  // contains the tree of the newest checkpoint a client saw.
  audit::StoredLogCheck check;
  check.all_checkpoints = true;
  check.all_nodes = true;
  check.trusted_checkpoint = ack.audit_checkpoint;
  absl::StatusOr<audit::StoredLogReport> report = audit::CheckStoredLog(
      process.database(), process.audit_log().public_key(),
      process.audit_log().origin(), check);
  if (!report.ok()) {
    problems.push_back(absl::StrCat("audit log: ", report.status().ToString()));
  } else if (report->entries != ack.audit_size ||
             process.audit_log().size() != ack.audit_size) {
    problems.push_back(absl::StrCat("audit log holds ", report->entries,
                                    " entries (serving ",
                                    process.audit_log().size(), "); ",
                                    ack.audit_size, " were acknowledged"));
  }

  // A client that lost an answer resends the request: it must get the
  // acknowledged freeze back, not a second one. Only meaningful (and only
  // harmless to try) when nothing was lost.
  if (problems.empty()) {
    for (const auto& [id, request] : ack.freeze_requests) {
      absl::StatusOr<v1::FreezeRecord> retry =
          process.freezes().FreezeAccount(kAgent, request);
      if (!retry.ok() || retry->freeze_id() != id) {
        problems.push_back(absl::StrCat(
            "resending the request of freeze ", id, " gave ",
            retry.ok() ? retry->freeze_id() : retry.status().ToString()));
      }
    }
    if (process.audit_log().size() != ack.audit_size) {
      problems.push_back("resending acknowledged freezes wrote to the log");
    }
  }
  return problems;
}

}  // namespace sentinel::testing
