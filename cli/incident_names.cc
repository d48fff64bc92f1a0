// Implements the short names of IncidentService enum values, from the proto
// descriptors so that a value added to the proto is accepted and printed
// without a change here.
#include "cli/incident_names.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "cli/enum_names.h"

namespace sentinel::cli {
namespace {

EnumNames Categories() {
  return {v1::IncidentCategory_descriptor(), "INCIDENT_CATEGORY_", "category"};
}
EnumNames Channels() {
  return {v1::Channel_descriptor(), "CHANNEL_", "channel"};
}
EnumNames Statuses() {
  return {v1::IncidentStatus_descriptor(), "INCIDENT_STATUS_", "status"};
}
EnumNames Priorities() {
  return {v1::Priority_descriptor(), "PRIORITY_", "priority"};
}

}  // namespace

absl::StatusOr<v1::IncidentCategory> ParseCategoryName(absl::string_view name) {
  absl::StatusOr<int> value = ParseShortName(Categories(), name);
  if (!value.ok()) return value.status();
  return static_cast<v1::IncidentCategory>(*value);
}

std::string CategoryNameList() { return ValidNames(Categories()); }

absl::StatusOr<v1::Channel> ParseChannelName(absl::string_view name) {
  absl::StatusOr<int> value = ParseShortName(Channels(), name);
  if (!value.ok()) return value.status();
  return static_cast<v1::Channel>(*value);
}

absl::StatusOr<v1::IncidentStatus> ParseIncidentStatusName(
    absl::string_view name) {
  absl::StatusOr<int> value = ParseShortName(Statuses(), name);
  if (!value.ok()) return value.status();
  return static_cast<v1::IncidentStatus>(*value);
}

absl::StatusOr<v1::Priority> ParsePriorityName(absl::string_view name) {
  absl::StatusOr<int> value = ParseShortName(Priorities(), name);
  if (!value.ok()) return value.status();
  return static_cast<v1::Priority>(*value);
}

absl::StatusOr<std::vector<v1::Priority>> ParsePriorityList(
    absl::string_view list) {
  std::vector<v1::Priority> priorities;
  if (absl::StripAsciiWhitespace(list).empty()) return priorities;
  for (absl::string_view name : absl::StrSplit(list, ',')) {
    name = absl::StripAsciiWhitespace(name);
    if (name.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("empty priority name in \"", list, "\""));
    }
    absl::StatusOr<v1::Priority> priority = ParsePriorityName(name);
    if (!priority.ok()) return priority.status();
    if (std::find(priorities.begin(), priorities.end(), *priority) !=
        priorities.end()) {
      return absl::InvalidArgumentError(
          absl::StrCat("priority ", PriorityName(*priority),
                       " given twice in \"", list, "\""));
    }
    priorities.push_back(*priority);
  }
  return priorities;
}

std::string CategoryName(int category) {
  return ShortName(Categories(), category);
}

std::string ChannelName(int channel) { return ShortName(Channels(), channel); }

std::string IncidentStatusName(int status) {
  return ShortName(Statuses(), status);
}

std::string PriorityName(int priority) {
  return ShortName(Priorities(), priority);
}

std::string IncidentEventKindName(int kind) {
  return ShortName({v1::IncidentEventKind_descriptor(), "INCIDENT_EVENT_KIND_",
                    "incident event kind"},
                   kind);
}

std::string ReportOutcomeName(int outcome) {
  return ShortName(
      {v1::ReportOutcome_descriptor(), "REPORT_OUTCOME_", "report outcome"},
      outcome);
}

std::string SlaStateName(int state) {
  return ShortName({v1::SlaState_descriptor(), "SLA_STATE_", "SLA state"},
                   state);
}

std::string SlaClockName(int clock) {
  return ShortName({v1::SlaClock_descriptor(), "SLA_CLOCK_", "SLA clock"},
                   clock);
}

}  // namespace sentinel::cli
