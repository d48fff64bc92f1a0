// The client side of the power-loss tests: a fixed mix of the writes an
// exchange makes during an incident (freezes, a two-person unfreeze, incident
// reports including a P0 that freezes the account), the client's record of
// every write that was acknowledged, and the check that a restarted process
// still holds each of them exactly once with an audit log that verifies.
#ifndef SENTINEL_TESTS_CRASH_ACKNOWLEDGED_WRITES_H_
#define SENTINEL_TESTS_CRASH_ACKNOWLEDGED_WRITES_H_

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "sentinel/v1/freeze.pb.h"
#include "sentinel/v1/incident.pb.h"
#include "tests/crash/sentinel_process.h"
#include "tests/testing/fake_clock.h"

namespace sentinel::testing {

// The client's record of everything it was told succeeded.
struct Acknowledged {
  // Freezes as last acknowledged, by id.
  std::map<std::string, v1::FreezeRecord> freezes;
  // Requests carrying an idempotency key, by the freeze they created: a
  // client whose answer was lost resends them.
  std::map<std::string, v1::FreezeAccountRequest> freeze_requests;
  // Protective freezes reported by P0 incidents: freeze id -> incident.
  std::map<std::string, v1::Incident> protective_freezes;
  std::map<std::string, v1::UnfreezeRequest> unfreeze_requests;
  std::map<std::string, v1::Incident> incidents;
  // The audit log's size and newest signed checkpoint after the last
  // acknowledged write.
  uint64_t audit_size = 0;
  std::string audit_checkpoint;
};

// One client call, recording what it acknowledged in its second argument.
struct Step {
  std::string name;
  std::function<absl::Status(SentinelProcess&, Acknowledged&)> run;
};

// The workload: eight writes, each depending only on the ones before it.
std::vector<Step> Workload();

// The record of a client that has written nothing yet: only the empty log's
// checkpoint, which MerkleAuditLog::Open committed durably.
Acknowledged StartRecord(SentinelProcess& process);

// Advances `clock` a minute, then runs `step`; when it succeeds, also
// records the audit log's size and checkpoint the client now relies on.
// Returns the step's error.
absl::Status RunStep(const Step& step, SentinelProcess& process,
                     Acknowledged& ack, FakeClock& clock);

// Every acknowledged freeze, unfreeze request and incident that `process`
// lost, changed or holds more than once, and every way its audit log fails
// to verify or to contain the acknowledged checkpoint; empty when nothing
// acknowledged was lost. The power must have failed between client calls:
// anything stored that was never acknowledged is reported too. When nothing
// else is wrong, also resends each acknowledged freeze request that carried
// an idempotency key, which must return the acknowledged freeze and write
// nothing.
std::vector<std::string> LostAcknowledgedWrites(SentinelProcess& process,
                                                const Acknowledged& ack);

}  // namespace sentinel::testing

#endif  // SENTINEL_TESTS_CRASH_ACKNOWLEDGED_WRITES_H_
