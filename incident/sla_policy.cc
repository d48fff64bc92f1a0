#include "incident/sla_policy.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/time_util.h"
#include "incident/triage.h"

namespace sentinel::incident {
namespace {

constexpr int64_t kAtRiskPermille = 800;

// Reads a clock that ran from `start` for at most `allowed` plus `paused`,
// and stopped at `stopped` (InfiniteFuture while running).
ClockReading Read(absl::Time start, absl::Duration allowed,
                  absl::Duration paused, absl::Time stopped, absl::Time now) {
  ClockReading reading;
  reading.running = stopped == absl::InfiniteFuture();
  const absl::Time end = reading.running ? now : stopped;
  reading.due = start + allowed + paused;
  const absl::Duration used = end - start - paused;
  reading.elapsed_permille =
      allowed > absl::ZeroDuration()
          ? static_cast<int64_t>(absl::FDivDuration(used, allowed) * 1000)
          : 1000;
  if (!reading.running) {
    reading.state =
        end <= reading.due ? v1::SLA_STATE_MET : v1::SLA_STATE_BREACHED;
  } else if (used >= allowed) {
    reading.state = v1::SLA_STATE_BREACHED;
  } else if (reading.elapsed_permille >= kAtRiskPermille) {
    reading.state = v1::SLA_STATE_AT_RISK;
  } else {
    reading.state = v1::SLA_STATE_ON_TRACK;
  }
  return reading;
}

}  // namespace

SlaPolicy SlaPolicy::Default() {
  return SlaPolicy({{{absl::Minutes(5), absl::Hours(4)},
                     {absl::Minutes(15), absl::Hours(24)},
                     {absl::Hours(4), absl::Hours(24)},
                     {absl::Hours(24), absl::Hours(48)}}});
}

absl::StatusOr<SlaPolicy> SlaPolicy::Parse(absl::string_view spec) {
  SlaPolicy policy = Default();
  for (absl::string_view item : absl::StrSplit(spec, ',', absl::SkipEmpty())) {
    const std::vector<absl::string_view> parts = absl::StrSplit(item, '=');
    const auto bad = [&](absl::string_view why) {
      return absl::InvalidArgumentError(
          absl::StrCat("sla: \"", item, "\": ", why));
    };
    if (parts.size() != 2 || parts[0].size() != 2 || parts[0][0] != 'P' ||
        parts[0][1] < '0' || parts[0][1] > '3') {
      return bad("expected P0..P3=ACK/RESOLVE, e.g. P0=5m/4h");
    }
    const std::vector<absl::string_view> targets =
        absl::StrSplit(parts[1], '/');
    SlaTargets parsed;
    if (targets.size() != 2 ||
        !absl::ParseDuration(targets[0], &parsed.acknowledge) ||
        !absl::ParseDuration(targets[1], &parsed.resolve)) {
      return bad("targets must be two durations, ACK/RESOLVE");
    }
    if (parsed.acknowledge <= absl::ZeroDuration() ||
        parsed.resolve <= absl::ZeroDuration()) {
      return bad("targets must be positive");
    }
    if (parsed.acknowledge > parsed.resolve) {
      return bad("the acknowledge target is longer than the resolve target");
    }
    policy.targets_[parts[0][1] - '0'] = parsed;
  }
  return policy;
}

SlaTargets SlaPolicy::For(v1::Priority priority, int vip_level) const {
  SlaTargets targets = targets_[priority - v1::PRIORITY_P0];
  if (vip_level >= kVipRaiseLevel &&
      (priority == v1::PRIORITY_P2 || priority == v1::PRIORITY_P3)) {
    targets.acknowledge /= 2;
    targets.resolve /= 2;
  }
  return targets;
}

ClockReading SlaPolicy::AcknowledgeClock(const v1::Incident& incident,
                                         absl::Time now) const {
  const SlaTargets targets = For(incident.priority(), incident.vip_level());
  const absl::Time stopped = incident.has_acknowledged_at()
                                 ? FromProtoTime(incident.acknowledged_at())
                                 : absl::InfiniteFuture();
  return Read(FromProtoTime(incident.created_at()), targets.acknowledge,
              absl::ZeroDuration(), stopped, now);
}

ClockReading SlaPolicy::ResolveClock(const v1::Incident& incident,
                                     absl::Time now) const {
  const SlaTargets targets = For(incident.priority(), incident.vip_level());
  absl::Duration paused = FromProtoDuration(incident.sla_paused_total());
  if (incident.sla_paused()) {
    paused += now - FromProtoTime(incident.sla_paused_since());
  }
  const absl::Time stopped = incident.has_resolved_at()
                                 ? FromProtoTime(incident.resolved_at())
                                 : absl::InfiniteFuture();
  return Read(FromProtoTime(incident.created_at()), targets.resolve, paused,
              stopped, now);
}

void SlaPolicy::Stamp(v1::Incident& incident, absl::Time now) const {
  const ClockReading acknowledge = AcknowledgeClock(incident, now);
  const ClockReading resolve = ResolveClock(incident, now);
  *incident.mutable_ack_due() = ToProtoTime(acknowledge.due);
  *incident.mutable_resolve_due() = ToProtoTime(resolve.due);
  incident.set_ack_sla(acknowledge.state);
  incident.set_resolve_sla(resolve.state);
}

}  // namespace sentinel::incident
