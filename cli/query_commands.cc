// The subcommands that read freeze state: state, check and list.
#include <string>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "cli/command_runners.h"
#include "cli/flags.h"
#include "cli/output.h"
#include "cli/report.h"
#include "cli/scope_names.h"

namespace sentinel::cli {

// state ACCOUNT
int RunState(const CommandEnv& env) {
  v1::GetFreezeStateRequest request;
  request.set_account_id(env.args[0]);

  grpc::ClientContext context;
  env.session.Prepare(&context);
  v1::AccountFreezeState state;
  const grpc::Status status =
      env.session.freeze().GetFreezeState(&context, request, &state);
  if (!status.ok()) return RpcFailure(status);
  return PrintResult(state, env.json, [&] { return StateText(state); });
}

// check --action=SCOPE ACCOUNT... A denial is an answer, so it exits 0.
int RunCheck(const CommandEnv& env) {
  // Checked here: the server's complaint about an UNSPECIFIED action would
  // not say which flag is missing.
  const std::string action = absl::GetFlag(FLAGS_action);
  if (action.empty()) {
    return UsageFailure(
        "check needs --action=SCOPE (WITHDRAW, TRANSFER_OUT, TRADE, LOGIN or "
        "API_KEYS)");
  }
  absl::StatusOr<v1::FreezeScope> scope = ParseScopeName(action);
  if (!scope.ok()) {
    return UsageFailure(absl::StrCat("--action: ", scope.status().message()));
  }
  v1::CheckAccountsRequest request;
  request.set_action(*scope);
  for (const std::string& account : env.args) request.add_account_ids(account);

  grpc::ClientContext context;
  env.session.Prepare(&context);
  v1::CheckAccountsResponse response;
  const grpc::Status status =
      env.session.freeze().CheckAccounts(&context, request, &response);
  if (!status.ok()) return RpcFailure(status);
  return PrintResult(response, env.json, [&] { return CheckText(response); });
}

// list [--page_size=N] [--page_token=TOKEN]
int RunList(const CommandEnv& env) {
  v1::ListFrozenAccountsRequest request;
  request.set_page_size(absl::GetFlag(FLAGS_page_size));
  request.set_page_token(absl::GetFlag(FLAGS_page_token));

  grpc::ClientContext context;
  env.session.Prepare(&context);
  v1::ListFrozenAccountsResponse response;
  const grpc::Status status =
      env.session.freeze().ListFrozenAccounts(&context, request, &response);
  if (!status.ok()) return RpcFailure(status);
  return PrintResult(response, env.json, [&] { return ListText(response); });
}

}  // namespace sentinel::cli
