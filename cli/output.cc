// Implements the human-readable forms of FreezeService responses.
#include "cli/output.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "cli/scope_names.h"
#include "cli/table.h"
#include "common/time_util.h"
#include "freeze/scope_set.h"

namespace sentinel::cli {
namespace {

// Column widths of watch's lines, wide enough for typical values; longer
// values push the rest of their line to the right.
const std::vector<size_t>& WatchWidths() {
  static const auto* const kWidths =
      new std::vector<size_t>{7, 20, 18, 12, 10, 16};
  return *kWidths;
}

std::string Time(bool present, const google::protobuf::Timestamp& timestamp) {
  return present ? FormatUtc(FromProtoTime(timestamp)) : "-";
}

// Values a newer server might send that this build does not know are left
// out rather than handed to ScopeSet, which accepts only known scopes.
std::string Scopes(const google::protobuf::RepeatedField<int>& scopes) {
  google::protobuf::RepeatedField<int> known;
  for (int scope : scopes) {
    if (v1::FreezeScope_IsValid(scope)) known.Add(scope);
  }
  return freeze::ScopeSet::Of(known).ToString();
}

std::string EnumName(const std::string& full, absl::string_view prefix) {
  absl::string_view name = full;
  absl::ConsumePrefix(&name, prefix);
  return name.empty() ? "-" : std::string(name);
}

// Tabs are allowed in reasons; they would break a table's alignment.
std::string OneLine(absl::string_view text) {
  return absl::StrReplaceAll(text, {{"\t", " "}, {"\n", " "}, {"\r", " "}});
}

std::string PendingUnfreeze(const v1::FreezeRecord& record) {
  if (record.unfreeze_request_id().empty()) return "-";
  return absl::StrCat(record.unfreeze_request_id(), " by ",
                      record.lift_requested_by());
}

}  // namespace

std::string FrozenText(const v1::FreezeRecord& record) {
  std::string text =
      absl::StrCat("frozen ", record.account_id(), ": ", record.freeze_id(),
                   " scopes=", Scopes(record.scopes()));
  if (!record.incident_id().empty()) {
    absl::StrAppend(&text, " incident=", record.incident_id());
  }
  absl::StrAppend(
      &text, " state=",
      EnumName(v1::FreezeState_Name(record.state()), "FREEZE_STATE_"), " by ",
      record.created_by(), " at ",
      Time(record.has_created_at(), record.created_at()), "\n");
  return text;
}

std::string UnfreezeRequestedText(const v1::UnfreezeRequest& request) {
  return absl::StrCat("unfreeze requested: ", request.request_id(), " for ",
                      request.freeze_id(), " on ", request.account_id(), " by ",
                      request.requested_by(),
                      "; waiting for approval by a different security "
                      "principal\n");
}

std::string UnfreezeDecidedText(const v1::UnfreezeRequest& request) {
  std::string text = absl::StrCat(
      request.request_id(), " for ", request.freeze_id(), " on ",
      request.account_id(), " ", ShortName(UnfreezeStates(), request.state()),
      " by ", request.decided_by());
  if (!request.decision_reason().empty()) {
    absl::StrAppend(&text, ": ", request.decision_reason());
  }
  absl::StrAppend(&text, "; the freeze stays\n");
  return text;
}

std::string UnfreezeListText(const v1::ListUnfreezeRequestsResponse& response) {
  std::string text;
  if (response.requests().empty()) {
    text = "no unfreeze requests\n";
  } else {
    Table table({"REQUEST", "STATE", "ACCOUNT", "FREEZE", "REQUESTED_BY",
                 "REQUESTED_AT", "EXPIRES_AT", "REASON"});
    for (const v1::UnfreezeRequest& request : response.requests()) {
      table.AddRow(
          {request.request_id(), ShortName(UnfreezeStates(), request.state()),
           request.account_id(), request.freeze_id(), request.requested_by(),
           Time(request.has_requested_at(), request.requested_at()),
           Time(request.has_expires_at(), request.expires_at()),
           request.reason()});
    }
    text = table.ToString();
  }
  if (!response.next_page_token().empty()) {
    absl::StrAppend(
        &text, "next page: --page_token=", response.next_page_token(), "\n");
  }
  return text;
}

std::string LiftedText(const v1::FreezeRecord& record) {
  std::string text =
      absl::StrCat("lifted ", record.freeze_id(), " on ", record.account_id(),
                   " (approved by ", record.lifted_by(), ")");
  if (record.has_withdrawals_held_until()) {
    absl::StrAppend(&text, "; withdrawals held until ",
                    Time(true, record.withdrawals_held_until()));
  }
  text += '\n';
  return text;
}

std::string StateText(const v1::AccountFreezeState& state) {
  std::string text = KeyValueBlock({
      {"account", state.account_id()},
      {"effective scopes", Scopes(state.effective_scopes())},
      {"withdrawals held until", Time(state.has_withdrawals_held_until(),
                                      state.withdrawals_held_until())},
      {"active freezes", state.active_freezes().empty()
                             ? "none"
                             : absl::StrCat(state.active_freezes_size())},
  });
  if (state.active_freezes().empty()) return text;

  // REASON is free text of any length, so it goes last.
  Table table({"FREEZE", "SCOPES", "CREATED_BY", "CREATED_AT", "INCIDENT",
               "PENDING_UNFREEZE", "REASON"});
  for (const v1::FreezeRecord& record : state.active_freezes()) {
    table.AddRow({record.freeze_id(), Scopes(record.scopes()),
                  record.created_by(),
                  Time(record.has_created_at(), record.created_at()),
                  record.incident_id(), PendingUnfreeze(record),
                  OneLine(record.reason())});
  }
  return absl::StrCat(text, "\n", table.ToString());
}

std::string CheckText(const v1::CheckAccountsResponse& response) {
  Table table({"ACCOUNT", "ALLOWED", "REASON"});
  for (const v1::AccountCheck& check : response.results()) {
    table.AddRow({check.account_id(), check.allowed() ? "yes" : "no",
                  OneLine(check.reason())});
  }
  return table.ToString();
}

std::string ListText(const v1::ListFrozenAccountsResponse& response) {
  std::string text;
  if (response.accounts().empty()) {
    text = "no frozen accounts\n";
  } else {
    Table table(
        {"ACCOUNT", "EFFECTIVE_SCOPES", "HELD_UNTIL", "ACTIVE_FREEZES"});
    for (const v1::AccountFreezeState& state : response.accounts()) {
      std::vector<std::string> freeze_ids;
      for (const v1::FreezeRecord& record : state.active_freezes()) {
        freeze_ids.push_back(record.freeze_id());
      }
      table.AddRow({state.account_id(), Scopes(state.effective_scopes()),
                    Time(state.has_withdrawals_held_until(),
                         state.withdrawals_held_until()),
                    absl::StrJoin(freeze_ids, ",")});
    }
    text = table.ToString();
  }
  if (!response.next_page_token().empty()) {
    absl::StrAppend(
        &text, "next page: --page_token=", response.next_page_token(), "\n");
  }
  return text;
}

std::string WatchHeader() {
  return FixedWidthLine({"VERSION", "TIME", "KIND", "ACCOUNT", "FREEZE",
                         "ACTOR", "EFFECTIVE_SCOPES"},
                        WatchWidths());
}

std::string WatchLine(const v1::FreezeEvent& event) {
  auto or_dash = [](const std::string& value) {
    return value.empty() ? std::string("-") : value;
  };
  return FixedWidthLine(
      {absl::StrCat(event.version()), Time(event.has_time(), event.time()),
       EnumName(v1::FreezeEventKind_Name(event.kind()), "FREEZE_EVENT_KIND_"),
       or_dash(event.account_id()), or_dash(event.freeze_id()),
       or_dash(event.actor()), Scopes(event.effective_scopes())},
      WatchWidths());
}

}  // namespace sentinel::cli
