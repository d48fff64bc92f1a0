// The functions that run each subcommand; see commands.cc for their syntax.
// Each makes its call with the session's principal and deadline, prints the
// response (JSON with --json), and returns the exit code from report.h.
#ifndef SENTINEL_CLI_COMMAND_RUNNERS_H_
#define SENTINEL_CLI_COMMAND_RUNNERS_H_

#include "cli/commands.h"

namespace sentinel::cli {

// freeze_commands.cc
int RunFreeze(const CommandEnv& env);
int RunUnfreezeRequest(const CommandEnv& env);
int RunUnfreezeApprove(const CommandEnv& env);
int RunUnfreezeReject(const CommandEnv& env);
int RunUnfreezeCancel(const CommandEnv& env);
int RunUnfreezeList(const CommandEnv& env);

// query_commands.cc
int RunState(const CommandEnv& env);
int RunCheck(const CommandEnv& env);
int RunList(const CommandEnv& env);

// watch_command.cc
int RunWatch(const CommandEnv& env);
int RunWatchIncidents(const CommandEnv& env);

// evidence_commands.cc
int RunEvidenceAdd(const CommandEnv& env);
int RunEvidenceGet(const CommandEnv& env);

// audit_commands.cc
int RunAuditQuery(const CommandEnv& env);
int RunAuditCheckpoint(const CommandEnv& env);
int RunAuditProve(const CommandEnv& env);
int RunAuditExport(const CommandEnv& env);

// incident_commands.cc
int RunReport(const CommandEnv& env);
int RunQueue(const CommandEnv& env);
int RunClaim(const CommandEnv& env);
int RunShow(const CommandEnv& env);
int RunIncidentStatus(const CommandEnv& env);
int RunBreaches(const CommandEnv& env);

// trace_commands.cc
int RunTrace(const CommandEnv& env);
int RunTraceIngest(const CommandEnv& env);
int RunTraceFreeze(const CommandEnv& env);
int RunTraceKindsSet(const CommandEnv& env);
int RunTraceKindsApprove(const CommandEnv& env);
int RunTraceKindsList(const CommandEnv& env);

}  // namespace sentinel::cli

#endif  // SENTINEL_CLI_COMMAND_RUNNERS_H_
