// SLA clocks: the one policy table of acknowledge and resolve targets per
// priority, and how an incident's clocks read at a given time.
//
// Defaults (acknowledge / resolve): P0 5 min / 4 h, P1 15 min / 24 h,
// P2 4 h / 24 h, P3 24 h / 48 h; VIP level 3 and above halves P2 and P3.
// The acknowledge clock runs from creation until ACKNOWLEDGED; the resolve
// clock runs from creation until RESOLVED and pauses while WAITING_ON_USER.
// A clock is AT_RISK once 80% of its allowed time is used and BREACHED once
// all of it is.
#ifndef SENTINEL_INCIDENT_SLA_POLICY_H_
#define SENTINEL_INCIDENT_SLA_POLICY_H_

#include <array>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "sentinel/v1/incident.pb.h"

namespace sentinel::incident {

struct SlaTargets {
  absl::Duration acknowledge;
  absl::Duration resolve;
};

// How one clock reads at a time.
struct ClockReading {
  v1::SlaState state = v1::SLA_STATE_UNSPECIFIED;
  // The effective deadline (a paused clock's as if the pause ended now).
  absl::Time due;
  // Share of the allowed time used, in thousandths.
  int64_t elapsed_permille = 0;
  // Whether the clock is still running (not stopped by its status).
  bool running = false;
};

// Immutable after construction; thread-safe.
class SlaPolicy final {
 public:
  // The defaults above.
  static SlaPolicy Default();

  // The defaults with overrides, e.g. "P0=5m/4h,P2=2h/12h": each item is
  // PRIORITY=ACK/RESOLVE with Abseil durations. kInvalidArgument naming the
  // bad item (unknown priority, unparsable or non-positive duration, an
  // acknowledge target longer than the resolve target).
  static absl::StatusOr<SlaPolicy> Parse(absl::string_view spec);

  SlaTargets For(v1::Priority priority, int vip_level) const;

  // The acknowledge and resolve clocks of `incident` at `now`.
  ClockReading AcknowledgeClock(const v1::Incident& incident,
                                absl::Time now) const;
  ClockReading ResolveClock(const v1::Incident& incident, absl::Time now) const;

  // Sets ack_due, resolve_due, ack_sla and resolve_sla on `incident` as of
  // `now`.
  void Stamp(v1::Incident& incident, absl::Time now) const;

 private:
  explicit SlaPolicy(std::array<SlaTargets, 4> targets) : targets_(targets) {}

  std::array<SlaTargets, 4> targets_;  // P0..P3
};

}  // namespace sentinel::incident

#endif  // SENTINEL_INCIDENT_SLA_POLICY_H_
