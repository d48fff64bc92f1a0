// The subcommands of freezes and their two-person lifting: freeze, unfreeze
// request, approve, reject, cancel and list.
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

// unfreeze reject REQUEST_ID --reason=TEXT
int RunUnfreezeReject(const CommandEnv& env) {
  v1::RejectUnfreezeRequestRequest request;
  request.set_request_id(env.args[0]);
  request.set_reason(absl::GetFlag(FLAGS_reason));

  grpc::ClientContext context;
  env.session.Prepare(&context);
  v1::UnfreezeRequest rejected;
  const grpc::Status status =
      env.session.freeze().RejectUnfreezeRequest(&context, request, &rejected);
  if (!status.ok()) return RpcFailure(status);
  return PrintResult(rejected, env.json,
                     [&] { return UnfreezeDecidedText(rejected); });
}

// unfreeze cancel REQUEST_ID
int RunUnfreezeCancel(const CommandEnv& env) {
  v1::CancelUnfreezeRequestRequest request;
  request.set_request_id(env.args[0]);

  grpc::ClientContext context;
  env.session.Prepare(&context);
  v1::UnfreezeRequest cancelled;
  const grpc::Status status =
      env.session.freeze().CancelUnfreezeRequest(&context, request, &cancelled);
  if (!status.ok()) return RpcFailure(status);
  return PrintResult(cancelled, env.json,
                     [&] { return UnfreezeDecidedText(cancelled); });
}

// unfreeze list [--state=STATE] [--account=ID] [--requested_by=PRINCIPAL]
// [--page_size=N] [--page_token=TOKEN]
int RunUnfreezeList(const CommandEnv& env) {
  v1::ListUnfreezeRequestsRequest request;
  if (const std::string state = absl::GetFlag(FLAGS_state); !state.empty()) {
    absl::StatusOr<int> parsed = ParseShortName(UnfreezeStates(), state);
    if (!parsed.ok()) return UsageFailure(parsed.status().message());
    request.set_state(static_cast<v1::UnfreezeRequestState>(*parsed));
  }
  request.set_account_id(absl::GetFlag(FLAGS_account));
  request.set_requested_by(absl::GetFlag(FLAGS_requested_by));
  request.set_page_size(absl::GetFlag(FLAGS_page_size));
  request.set_page_token(absl::GetFlag(FLAGS_page_token));

  grpc::ClientContext context;
  env.session.Prepare(&context);
  v1::ListUnfreezeRequestsResponse response;
  const grpc::Status status =
      env.session.freeze().ListUnfreezeRequests(&context, request, &response);
  if (!status.ok()) return RpcFailure(status);
  return PrintResult(response, env.json,
                     [&] { return UnfreezeListText(response); });
}

}  // namespace sentinel::cli
