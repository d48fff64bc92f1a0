// Implements the human-readable forms of IncidentService answers.
#include "cli/incident_output.h"

#include <algorithm>
#include <cstdlib>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "cli/incident_names.h"
#include "cli/table.h"
#include "common/time_util.h"

namespace sentinel::cli {
namespace {

std::string Time(bool present, const google::protobuf::Timestamp& timestamp) {
  return present ? FormatUtc(FromProtoTime(timestamp)) : "-";
}

// Notes and descriptions may hold tabs and line breaks; a table cell may not.
std::string OneLine(absl::string_view text) {
  return absl::StrReplaceAll(
      text, {{"\r\n", " "}, {"\t", " "}, {"\n", " "}, {"\r", " "}});
}

// "2026-11-26T10:48:48Z (AT_RISK, paused since ...)": a deadline with the
// state of its clock and what else is known about that clock.
std::string Deadline(bool present, const google::protobuf::Timestamp& due,
                     int state, std::vector<std::string> details) {
  if (state != v1::SLA_STATE_UNSPECIFIED) {
    details.insert(details.begin(), SlaStateName(state));
  }
  std::string text = Time(present, due);
  if (!details.empty()) {
    absl::StrAppend(&text, " (", absl::StrJoin(details, ", "), ")");
  }
  return text;
}

std::string AckDue(const v1::Incident& incident) {
  std::vector<std::string> details;
  if (incident.has_acknowledged_at()) {
    details.push_back(
        absl::StrCat("acknowledged ", Time(true, incident.acknowledged_at())));
  }
  return Deadline(incident.has_ack_due(), incident.ack_due(),
                  incident.ack_sla(), std::move(details));
}

std::string ResolveDue(const v1::Incident& incident) {
  std::vector<std::string> details;
  if (incident.sla_paused()) {
    details.push_back(absl::StrCat(
        "paused since ",
        Time(incident.has_sla_paused_since(), incident.sla_paused_since())));
  }
  if (incident.has_resolved_at()) {
    details.push_back(
        absl::StrCat("resolved ", Time(true, incident.resolved_at())));
  }
  return Deadline(incident.has_resolve_due(), incident.resolve_due(),
                  incident.resolve_sla(), std::move(details));
}

std::string PriorityText(const v1::Incident& incident) {
  std::string text = PriorityName(incident.priority());
  if (incident.priority_raised_for_vip()) {
    absl::StrAppend(&text, " (raised for VIP)");
  }
  return text;
}

std::string AssigneeText(const v1::Incident& incident) {
  if (incident.assignee().empty()) return "-";
  if (!incident.has_claimed_at()) return incident.assignee();
  return absl::StrCat(incident.assignee(), " (claimed ",
                      Time(true, incident.claimed_at()), ")");
}

std::string ReportedByText(const v1::Incident& incident) {
  std::string text = absl::StrCat(
      incident.reported_by().empty() ? "-" : incident.reported_by(), " via ",
      ChannelName(incident.channel()));
  if (incident.vip_level() > 0) {
    absl::StrAppend(&text, ", VIP level ", incident.vip_level());
  }
  return text;
}

std::string FreezeText(const v1::Incident& incident) {
  if (incident.freeze_failed()) {
    return absl::StrCat(
        "FAILED",
        incident.freeze_error().empty()
            ? ""
            : absl::StrCat(": ", OneLine(incident.freeze_error())),
        " (intake retries it; freeze by hand if it cannot wait)");
  }
  if (!incident.protective_freeze_id().empty()) {
    return incident.protective_freeze_id();
  }
  return "none";
}

std::string OccurrencesText(const v1::Incident& incident) {
  std::string text = absl::StrCat(incident.occurrence_count());
  if (incident.occurrence_count() > 1 && incident.has_last_reported_at()) {
    absl::StrAppend(&text, " (last reported ",
                    Time(true, incident.last_reported_at()), ")");
  }
  return text;
}

// A key-value block whose last value, `text`, keeps its own line breaks:
// each further line is indented to the value column.
std::string BlockWithText(
    std::vector<std::pair<std::string, std::string>> pairs,
    const std::string& key, absl::string_view text) {
  const std::string normalized =
      absl::StrReplaceAll(text, {{"\r\n", "\n"}, {"\r", "\n"}});
  std::vector<std::string> lines = absl::StrSplit(normalized, '\n');
  size_t key_width = key.size();
  for (const auto& [name, value] : pairs) {
    key_width = std::max(key_width, name.size());
  }
  pairs.emplace_back(key, lines.front());
  std::string block = KeyValueBlock(pairs);
  // KeyValueBlock: "key:" padded to the widest key plus its colon, then two
  // spaces.
  const std::string indent(key_width + 1 + 2, ' ');
  for (size_t i = 1; i < lines.size(); ++i) {
    absl::StrAppend(&block, lines[i].empty() ? "" : indent, lines[i], "\n");
  }
  return block;
}

// The line about a page that has more after it, or "".
std::string NextPage(const std::string& token) {
  if (token.empty()) return "";
  return absl::StrCat("next page: --page_token=", token, "\n");
}

}  // namespace

std::string FreezeFailedLine(const v1::Incident& incident) {
  if (!incident.freeze_failed()) return "";
  return absl::StrCat("PROTECTIVE FREEZE FAILED: ",
                      incident.freeze_error().empty()
                          ? "(no reason given)"
                          : OneLine(incident.freeze_error()),
                      "\n");
}

std::string ReportedText(const v1::Incident& incident) {
  std::vector<std::string> details = {
      ReportOutcomeName(incident.report_outcome())};
  if (incident.report_outcome() == v1::REPORT_OUTCOME_FOLDED) {
    details.push_back(
        absl::StrCat(incident.occurrence_count(), " occurrences"));
  }
  if (incident.priority_raised_for_vip()) {
    details.push_back("priority raised for VIP");
  }
  std::string text = absl::StrCat(
      "reported ", incident.incident_id(), ": ",
      PriorityName(incident.priority()), " ", CategoryName(incident.category()),
      " on ", incident.account_id(), " (", absl::StrJoin(details, ", "), ")\n");

  if (incident.freeze_failed()) {
    absl::StrAppend(&text, FreezeFailedLine(incident));
  } else if (!incident.protective_freeze_id().empty()) {
    absl::StrAppend(
        &text, "protective freeze: ", incident.protective_freeze_id(), "\n");
  }
  absl::StrAppend(
      &text, "acknowledge by ",
      Time(incident.has_ack_due(), incident.ack_due()), ", resolve by ",
      Time(incident.has_resolve_due(), incident.resolve_due()), "\n");

  // A folded report's own redactions are in its FoldedReport, the last one
  // when all folds are kept (at most the first 100 are).
  int32_t redactions = incident.redactions();
  if (incident.report_outcome() == v1::REPORT_OUTCOME_FOLDED) {
    const bool holds_this_report =
        !incident.folded_reports().empty() &&
        incident.folded_reports_size() == incident.occurrence_count() - 1;
    redactions = holds_this_report
                     ? incident.folded_reports().rbegin()->redactions()
                     : 0;
  }
  if (redactions > 0) {
    absl::StrAppend(&text, "redacted ", redactions,
                    redactions == 1 ? " secret" : " secrets",
                    " from the description\n");
  }
  return text;
}

std::string IncidentText(const v1::Incident& incident) {
  std::string text = BlockWithText(
      {
          {"incident", incident.incident_id()},
          {"account", incident.account_id()},
          {"category", CategoryName(incident.category())},
          {"priority", PriorityText(incident)},
          {"status", IncidentStatusName(incident.status())},
          {"assignee", AssigneeText(incident)},
          {"reported by", ReportedByText(incident)},
          {"created", Time(incident.has_created_at(), incident.created_at())},
          {"ack due", AckDue(incident)},
          {"resolve due", ResolveDue(incident)},
          {"protective freeze", FreezeText(incident)},
          {"occurrences", OccurrencesText(incident)},
          {"redactions", absl::StrCat(incident.redactions())},
          {"evidence files", absl::StrCat(incident.evidence_count())},
      },
      "description", incident.description());

  if (!incident.history().empty()) {
    // NOTE is free text of any length, so it goes last.
    Table history({"TIME", "FROM", "TO", "ACTOR", "NOTE"});
    for (const v1::StatusChange& change : incident.history()) {
      history.AddRow({Time(change.has_time(), change.time()),
                      IncidentStatusName(change.from_status()),
                      IncidentStatusName(change.to_status()), change.actor(),
                      OneLine(change.note())});
    }
    absl::StrAppend(&text, "\n", history.ToString());
  }

  // occurrence_count keeps counting past the 100 folded reports kept.
  const int32_t folded =
      std::max(incident.occurrence_count() - 1, incident.folded_reports_size());
  absl::StrAppend(&text, "\nfolded reports: ", folded);
  if (incident.folded_reports_size() < folded) {
    absl::StrAppend(&text, " (the first ", incident.folded_reports_size(),
                    " kept)");
  }
  text += '\n';
  if (!incident.folded_reports().empty()) {
    Table reports({"TIME", "REPORTED_BY", "CHANNEL", "DESCRIPTION"});
    for (const v1::FoldedReport& report : incident.folded_reports()) {
      reports.AddRow({Time(report.has_time(), report.time()),
                      report.reported_by(), ChannelName(report.channel()),
                      OneLine(report.description())});
    }
    absl::StrAppend(&text, reports.ToString());
  }
  if (!incident.evidence().empty()) {
    Table evidence(
        {"EVIDENCE", "FILE", "TYPE", "BYTES", "UPLOADED_BY", "SHA256"});
    for (const v1::Evidence& file : incident.evidence()) {
      evidence.AddRow({file.evidence_id(), OneLine(file.file_name()),
                       file.content_type(), absl::StrCat(file.size_bytes()),
                       file.uploaded_by(), file.sha256()});
    }
    absl::StrAppend(&text, "\n", evidence.ToString());
  }
  return text;
}

std::string ClaimedText(const v1::Incident& incident) {
  return absl::StrCat("claimed ", incident.incident_id(), "\n\n",
                      IncidentText(incident));
}

std::string QueueText(const v1::ListIncidentsResponse& response) {
  std::string text;
  if (response.incidents().empty()) {
    text = "no incidents\n";
  } else {
    Table table({"INCIDENT", "PRIORITY", "STATUS", "CATEGORY", "ACCOUNT",
                 "ASSIGNEE", "ACK_DUE", "RESOLVE_DUE"});
    for (const v1::Incident& incident : response.incidents()) {
      table.AddRow({incident.incident_id(), PriorityName(incident.priority()),
                    IncidentStatusName(incident.status()),
                    CategoryName(incident.category()), incident.account_id(),
                    incident.assignee(),
                    Time(incident.has_ack_due(), incident.ack_due()),
                    Time(incident.has_resolve_due(), incident.resolve_due())});
    }
    text = table.ToString();
  }
  absl::StrAppend(&text, NextPage(response.next_page_token()));
  return text;
}

std::string StatusChangedText(const v1::Incident& incident) {
  if (incident.history().empty()) {
    return absl::StrCat(incident.incident_id(), ": now ",
                        IncidentStatusName(incident.status()), "\n");
  }
  const v1::StatusChange& change = *incident.history().rbegin();
  return absl::StrCat(incident.incident_id(), ": ",
                      IncidentStatusName(change.from_status()), " -> ",
                      IncidentStatusName(change.to_status()), " by ",
                      change.actor().empty() ? "-" : change.actor(), "\n");
}

std::string PermilleCell(int32_t permille) {
  const int64_t magnitude = std::llabs(static_cast<int64_t>(permille));
  std::string text = absl::StrCat(permille < 0 ? "-" : "", magnitude / 10);
  if (magnitude % 10 != 0) absl::StrAppend(&text, ".", magnitude % 10);
  text += '%';
  return text;
}

std::string SlaBreachesText(const v1::ListSlaBreachesResponse& response) {
  std::string text;
  if (response.breaches().empty()) {
    text = "no SLA clocks at risk or breached\n";
  } else {
    Table table({"INCIDENT", "PRIORITY", "CLOCK", "STATE", "DUE", "USED"});
    for (const v1::SlaBreach& breach : response.breaches()) {
      table.AddRow({breach.incident().incident_id(),
                    PriorityName(breach.incident().priority()),
                    SlaClockName(breach.clock()), SlaStateName(breach.state()),
                    Time(breach.has_due(), breach.due()),
                    PermilleCell(breach.elapsed_permille())});
    }
    text = table.ToString();
  }
  absl::StrAppend(&text, NextPage(response.next_page_token()), "as of ",
                  Time(response.has_as_of(), response.as_of()), "\n");
  return text;
}

std::string EvidenceAddedText(const v1::Evidence& evidence) {
  const std::string scanned =
      evidence.scan() == v1::EVIDENCE_SCAN_NOT_SCANNED
          ? std::string("not scanned for secrets: handle it as possibly secret")
          : absl::StrCat(evidence.redactions(),
                         evidence.redactions() == 1 ? " secret" : " secrets",
                         " redacted");
  return absl::StrCat(
      "added ", evidence.evidence_id(), " to ", evidence.incident_id(), ": ",
      OneLine(evidence.file_name()), " (", evidence.content_type(), ", ",
      evidence.size_bytes(), " bytes, ", scanned, ")\nsha256 ",
      evidence.sha256(), "\n");
}

namespace {

const std::vector<size_t>& IncidentWatchWidths() {
  static const auto* const kWidths =
      new std::vector<size_t>{7, 20, 16, 10, 8, 16, 12};
  return *kWidths;
}

}  // namespace

std::string IncidentWatchHeader() {
  return FixedWidthLine({"VERSION", "TIME", "KIND", "INCIDENT", "PRIORITY",
                         "STATUS", "ACCOUNT", "ACTOR"},
                        IncidentWatchWidths());
}

std::string IncidentWatchLine(const v1::IncidentEvent& event) {
  const v1::Incident& incident = event.incident();
  auto or_dash = [](const std::string& value) {
    return value.empty() ? std::string("-") : value;
  };
  return FixedWidthLine(
      {absl::StrCat(event.version()), Time(event.has_time(), event.time()),
       IncidentEventKindName(event.kind()), or_dash(incident.incident_id()),
       PriorityName(incident.priority()), IncidentStatusName(incident.status()),
       or_dash(incident.account_id()), or_dash(event.actor())},
      IncidentWatchWidths());
}

}  // namespace sentinel::cli
