// The subcommands that change freezes: freeze, unfreeze request and
// unfreeze approve.
#include "absl/flags/flag.h"
#include "cli/command_runners.h"
#include "cli/flags.h"
#include "cli/output.h"
#include "cli/report.h"
#include "cli/scope_names.h"

namespace sentinel::cli {

// freeze ACCOUNT --scopes=... --reason=... [--incident=ID]
// [--idempotency_key=KEY]. Required fields are checked by the server, which
// names the missing one.
int RunFreeze(const CommandEnv& env) {
  absl::StatusOr<std::vector<v1::FreezeScope>> scopes =
      ParseScopeList(absl::GetFlag(FLAGS_scopes));
  if (!scopes.ok()) return UsageFailure(scopes.status().message());

  v1::FreezeAccountRequest request;
  request.set_account_id(env.args[0]);
  for (v1::FreezeScope scope : *scopes) request.add_scopes(scope);
  request.set_reason(absl::GetFlag(FLAGS_reason));
  request.set_incident_id(absl::GetFlag(FLAGS_incident));
  request.set_idempotency_key(absl::GetFlag(FLAGS_idempotency_key));

  grpc::ClientContext context;
  env.session.Prepare(&context);
  v1::FreezeRecord record;
  const grpc::Status status =
      env.session.freeze().FreezeAccount(&context, request, &record);
  if (!status.ok()) return RpcFailure(status);
  return PrintResult(record, env.json, [&] { return FrozenText(record); });
}

// unfreeze request ACCOUNT FREEZE_ID --reason=...
int RunUnfreezeRequest(const CommandEnv& env) {
  v1::RequestUnfreezeRequest request;
  request.set_account_id(env.args[0]);
  request.set_freeze_id(env.args[1]);
  request.set_reason(absl::GetFlag(FLAGS_reason));

  grpc::ClientContext context;
  env.session.Prepare(&context);
  v1::UnfreezeRequest unfreeze;
  const grpc::Status status =
      env.session.freeze().RequestUnfreeze(&context, request, &unfreeze);
  if (!status.ok()) return RpcFailure(status);
  return PrintResult(unfreeze, env.json,
                     [&] { return UnfreezeRequestedText(unfreeze); });
}

// unfreeze approve REQUEST_ID
int RunUnfreezeApprove(const CommandEnv& env) {
  v1::ApproveUnfreezeRequest request;
  request.set_request_id(env.args[0]);

  grpc::ClientContext context;
  env.session.Prepare(&context);
  v1::FreezeRecord record;
  const grpc::Status status =
      env.session.freeze().ApproveUnfreeze(&context, request, &record);
  if (!status.ok()) return RpcFailure(status);
  return PrintResult(record, env.json, [&] { return LiftedText(record); });
}

}  // namespace sentinel::cli
