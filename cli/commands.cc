// The table of sentinelctl's subcommands and resolving a command line to one.
#include "cli/commands.h"

#include <algorithm>
#include <cstddef>
#include <iterator>
#include <limits>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "cli/command_runners.h"

namespace sentinel::cli {
namespace {

constexpr size_t kAnyNumber = std::numeric_limits<size_t>::max();

const std::vector<Command>& Commands() {
  static const auto* const kCommands = new std::vector<Command>{
      {.name = "freeze",
       .syntax = "ACCOUNT --scopes=SCOPE[,SCOPE...] --reason=TEXT "
                 "[--incident=ID] [--idempotency_key=KEY]",
       .options = {"scopes", "reason", "incident", "idempotency_key"},
       .min_args = 1,
       .max_args = 1,
       .run = RunFreeze},
      {.name = "unfreeze request",
       .syntax = "ACCOUNT FREEZE_ID --reason=TEXT",
       .options = {"reason"},
       .min_args = 2,
       .max_args = 2,
       .run = RunUnfreezeRequest},
      {.name = "unfreeze approve",
       .syntax = "REQUEST_ID",
       .options = {},
       .min_args = 1,
       .max_args = 1,
       .run = RunUnfreezeApprove},
      {.name = "unfreeze reject",
       .syntax = "REQUEST_ID --reason=TEXT",
       .options = {"reason"},
       .min_args = 1,
       .max_args = 1,
       .run = RunUnfreezeReject},
      {.name = "unfreeze cancel",
       .syntax = "REQUEST_ID",
       .options = {},
       .min_args = 1,
       .max_args = 1,
       .run = RunUnfreezeCancel},
      {.name = "unfreeze list",
       .syntax = "[--state=STATE] [--account=ID] [--requested_by=ROLE/NAME] "
                 "[--page_size=N] [--page_token=TOKEN]",
       .options = {"state", "account", "requested_by", "page_size",
                   "page_token"},
       .min_args = 0,
       .max_args = 0,
       .run = RunUnfreezeList},
      {.name = "state",
       .syntax = "ACCOUNT",
       .options = {},
       .min_args = 1,
       .max_args = 1,
       .run = RunState},
      {.name = "check",
       .syntax = "--action=SCOPE ACCOUNT [ACCOUNT...]",
       .options = {"action"},
       .min_args = 1,
       .max_args = kAnyNumber,
       .run = RunCheck},
      {.name = "list",
       .syntax = "[--page_size=N] [--page_token=TOKEN]",
       .options = {"page_size", "page_token"},
       .min_args = 0,
       .max_args = 0,
       .run = RunList},
      {.name = "watch incidents",
       .syntax = "[--from_version=N] [--priority=P[,P...]] [--max_events=N]",
       .options = {"from_version", "priority", "max_events"},
       .min_args = 0,
       .max_args = 0,
       .run = RunWatchIncidents},
      {.name = "watch",
       .syntax = "[--from_version=N] [--max_events=N]",
       .options = {"from_version", "max_events"},
       .min_args = 0,
       .max_args = 0,
       .run = RunWatch},
      {.name = "audit query",
       .syntax = "[--subject=ID] [--actor=ROLE/NAME] "
                 "[--action=Service.Method] [--since=RFC3339] "
                 "[--until=RFC3339] [--page_size=N] [--page_token=TOKEN]",
       .options = {"subject", "actor", "action", "since", "until", "page_size",
                   "page_token"},
       .min_args = 0,
       .max_args = 0,
       .run = RunAuditQuery},
      {.name = "audit checkpoint",
       .syntax = "[--tree_size=N] [--vkey=FILE_OR_TEXT]",
       .options = {"tree_size", "vkey"},
       .min_args = 0,
       .max_args = 0,
       .run = RunAuditCheckpoint},
      {.name = "audit prove",
       .syntax = "SEQ --vkey=FILE_OR_TEXT [--out=FILE]",
       .options = {"vkey", "out"},
       .min_args = 1,
       .max_args = 1,
       .run = RunAuditProve},
      {.name = "audit export",
       .syntax = "FILE [--vkey=FILE_OR_TEXT]",
       .options = {"vkey"},
       .min_args = 1,
       .max_args = 1,
       .run = RunAuditExport},
      {.name = "report",
       .syntax = "ACCOUNT --category=CATEGORY --description=TEXT "
                 "[--channel=CHANNEL] [--vip_level=N] [--idempotency_key=KEY]",
       .options = {"category", "description", "channel", "vip_level",
                   "idempotency_key"},
       .min_args = 1,
       .max_args = 1,
       .run = RunReport},
      {.name = "queue",
       .syntax = "[--status=STATUS] [--priority=P] [--account=ID] "
                 "[--assignee=ROLE/NAME] [--page_size=N] [--page_token=TOKEN]",
       .options = {"status", "priority", "account", "assignee", "page_size",
                   "page_token"},
       .min_args = 0,
       .max_args = 0,
       .run = RunQueue},
      {.name = "claim",
       .syntax = "",
       .options = {},
       .min_args = 0,
       .max_args = 0,
       .run = RunClaim},
      {.name = "show",
       .syntax = "INCIDENT_ID",
       .options = {},
       .min_args = 1,
       .max_args = 1,
       .run = RunShow},
      {.name = "status",
       .syntax = "INCIDENT_ID STATUS [--note=TEXT]",
       .options = {"note"},
       .min_args = 2,
       .max_args = 2,
       .run = RunIncidentStatus},
      {.name = "evidence add",
       .syntax = "INCIDENT_ID FILE [--content_type=TYPE]",
       .options = {"content_type"},
       .min_args = 2,
       .max_args = 2,
       .run = RunEvidenceAdd},
      {.name = "evidence get",
       .syntax = "INCIDENT_ID EVIDENCE_ID --out=FILE",
       .options = {"out"},
       .min_args = 2,
       .max_args = 2,
       .run = RunEvidenceGet},
      {.name = "breaches",
       .syntax = "[--priority=P[,P...]] [--breached_only] [--page_size=N] "
                 "[--page_token=TOKEN]",
       .options = {"priority", "breached_only", "page_size", "page_token"},
       .min_args = 0,
       .max_args = 0,
       .run = RunBreaches},
      {.name = "trace",
       .syntax = "ACCOUNT --since=TIME [--until=TIME] [--model=MODEL] "
                 "[--max_hops=N] [--max_events=N] [--max_edges=N] "
                 "[--assets=ASSET[,ASSET...]] [--incident=ID] [--dot=FILE]",
       .options = {"since", "until", "model", "max_hops", "max_events",
                   "max_edges", "assets", "incident", "dot"},
       .min_args = 1,
       .max_args = 1,
       .run = RunTrace},
      {.name = "trace ingest",
       .syntax = "FILE|-",
       .options = {},
       .min_args = 1,
       .max_args = 1,
       .run = RunTraceIngest},
      {.name = "trace freeze",
       .syntax =
           "ACCOUNT --since=TIME --incident=ID --reason=TEXT "
           "[--until=TIME] [--model=MODEL] [--max_hops=N] "
           "[--max_events=N] [--assets=ASSET[,ASSET...]] "
           "[--scopes=SCOPE[,SCOPE...]] [--accounts=ACCOUNT[,ACCOUNT...]] "
           "[--idempotency_key=KEY]",
       .options = {"since", "until", "model", "max_hops", "max_events",
                   "assets", "incident", "reason", "scopes", "accounts",
                   "idempotency_key"},
       .min_args = 1,
       .max_args = 1,
       .run = RunTraceFreeze},
      {.name = "trace kinds set",
       .syntax = "ACCOUNT KIND [--note=TEXT]",
       .options = {"note"},
       .min_args = 2,
       .max_args = 2,
       .run = RunTraceKindsSet},
      {.name = "trace kinds approve",
       .syntax = "ACCOUNT [ACCOUNT...]",
       .min_args = 1,
       .max_args = 100,
       .run = RunTraceKindsApprove},
      {.name = "trace kinds list",
       .syntax = "[--kind=KIND] [--pending]",
       .options = {"kind", "pending"},
       .min_args = 0,
       .max_args = 0,
       .run = RunTraceKindsList},
  };
  return *kCommands;
}

// Flags that are options of particular subcommands: those some subcommand
// lists. Every other flag is global.
bool IsCommandOption(absl::string_view flag) {
  for (const Command& command : Commands()) {
    if (std::find(command.options.begin(), command.options.end(), flag) !=
        command.options.end()) {
      return true;
    }
  }
  return false;
}

std::string Synopsis(const Command& command) {
  if (command.syntax.empty()) return absl::StrCat("sentinelctl ", command.name);
  return absl::StrCat("sentinelctl ", command.name, " ", command.syntax);
}

std::string CommandNames() {
  std::vector<absl::string_view> names;
  for (const Command& command : Commands()) names.push_back(command.name);
  return absl::StrJoin(names, ", ");
}

size_t WordCount(absl::string_view name) {
  return static_cast<size_t>(std::count(name.begin(), name.end(), ' ')) + 1;
}

// The command with the most words that start `positional` ("watch
// incidents" over "watch"), or nullptr.
const Command* Match(const std::vector<std::string>& positional) {
  const Command* longest = nullptr;
  for (const Command& command : Commands()) {
    const std::vector<absl::string_view> words =
        absl::StrSplit(command.name, ' ');
    if (words.size() <= positional.size() &&
        std::equal(words.begin(), words.end(), positional.begin()) &&
        (longest == nullptr || words.size() > WordCount(longest->name))) {
      longest = &command;
    }
  }
  return longest;
}

// The names that continue the longest run of `positional`'s leading words
// that begins longer names, with that run's length in `words`; none and 0
// when even the first word begins none. For "trace kinds x": 2 and "trace
// kinds set", "trace kinds list".
std::vector<absl::string_view> Continuations(
    const std::vector<std::string>& positional, size_t* words) {
  std::vector<absl::string_view> found;
  *words = 0;
  for (size_t count = 1; count <= positional.size(); ++count) {
    const std::string prefix = absl::StrCat(
        absl::StrJoin(positional.begin(),
                      positional.begin() + static_cast<std::ptrdiff_t>(count),
                      " "),
        " ");
    std::vector<absl::string_view> longer;
    for (const Command& command : Commands()) {
      if (absl::StartsWith(command.name, prefix)) {
        longer.push_back(command.name);
      }
    }
    if (longer.empty()) break;
    found = std::move(longer);
    *words = count;
  }
  return found;
}

std::string ArgumentCount(size_t min_args, size_t max_args) {
  if (min_args == max_args) {
    return absl::StrCat(min_args, min_args == 1 ? " argument" : " arguments");
  }
  if (max_args == kAnyNumber) {
    return absl::StrCat("at least ", min_args,
                        min_args == 1 ? " argument" : " arguments");
  }
  return absl::StrCat(min_args, " to ", max_args, " arguments");
}

}  // namespace

absl::StatusOr<Invocation> ResolveCommand(
    const std::vector<std::string>& positional, const GivenFlags& given) {
  if (positional.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("missing command; expected one of ", CommandNames()));
  }
  const Command* command = Match(positional);
  const size_t words = command == nullptr ? 0 : WordCount(command->name);
  // "unfreeze" alone, "audit verify" or "trace kinds x": words that begin
  // longer commands than the one matched (if any), so not an argument.
  size_t prefix_words = 0;
  const std::vector<absl::string_view> continuations =
      Continuations(positional, &prefix_words);
  if (prefix_words > words) {
    const size_t shown = std::min(prefix_words + 1, positional.size());
    return absl::InvalidArgumentError(absl::StrCat(
        "incomplete or unknown command \"",
        absl::StrJoin(positional.begin(),
                      positional.begin() + static_cast<std::ptrdiff_t>(shown),
                      " "),
        "\"; expected ", absl::StrJoin(continuations, " or ")));
  }
  if (command == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown command \"", positional[0],
                     "\"; expected one of ", CommandNames()));
  }

  Invocation invocation{
      command, std::vector<std::string>(
                   positional.begin() + static_cast<std::ptrdiff_t>(words),
                   positional.end())};
  const size_t count = invocation.args.size();
  if (count < command->min_args || count > command->max_args) {
    return absl::InvalidArgumentError(
        absl::StrCat(command->name, " takes ",
                     ArgumentCount(command->min_args, command->max_args),
                     ", got ", count, "; usage: ", Synopsis(*command)));
  }
  for (const std::string& option : given) {
    if (!IsCommandOption(option)) continue;
    if (std::find(command->options.begin(), command->options.end(), option) ==
        command->options.end()) {
      return absl::InvalidArgumentError(
          absl::StrCat("--", option, " is not an option of ", command->name,
                       "; usage: ", Synopsis(*command)));
    }
  }
  return invocation;
}

std::string UsageText() {
  std::string text =
      "the operators' command line for Sentinel's account freezes, its "
      "audit log, its incidents and the tracing of stolen funds.\n\n"
      "Usage: sentinelctl --insecure [global flags] COMMAND ARGS... "
      "[command options]\n\nCommands:\n";
  for (const Command& command : Commands()) {
    absl::StrAppend(&text, "  ", Synopsis(command), "\n");
  }
  absl::StrAppend(
      &text,
      "\nSCOPE is WITHDRAW, TRANSFER_OUT, TRADE, LOGIN or API_KEYS "
      "(case-insensitive).\n"
      "Unfreezing takes two people: one requests, a different security "
      "principal approves.\n"
      "The audit commands need --as with role security, auditor or admin; "
      "with --vkey (the log's verifier key, <data_dir>/audit.vkey) they "
      "verify what the server signed.\n"
      "CATEGORY is ACCOUNT_TAKEOVER, TWO_FA_FAILURE, UNAUTHORIZED_WITHDRAWAL "
      "(P0: the account is frozen at once), PHISHING (P1), "
      "WITHDRAWAL_NOT_RECEIVED, ACCOUNT_RESTRICTED_IN_ERROR (P2), "
      "TRADE_DISPUTE, POLICY_QUESTION or OTHER (P3); CHANNEL is LIVE_CHAT "
      "(default), TICKET, SOCIAL, VIP_MANAGER or INTERNAL_DETECTION; STATUS "
      "is NEW, ACKNOWLEDGED, INVESTIGATING, WAITING_ON_USER, RESOLVED or "
      "CLOSED; P is P0, P1, P2 or P3 (all case-insensitive).\n"
      "A report whose protective freeze failed still exits 0 (the incident "
      "is recorded) and says PROTECTIVE FREEZE FAILED on stderr too.\n"
      "TIME is RFC 3339, e.g. 2026-11-20T10:00:00Z. MODEL is FIFO (default), "
      "HAIRCUT or POISON; KIND is USER, OMNIBUS, FEE or MARKET_MAKER "
      "(case-insensitive). trace ingest reads one LedgerEvent per line in "
      "proto JSON; a line that is not one exits 2, and a FILE is checked "
      "whole before anything is sent (- streams stdin and stops there). "
      "trace freeze freezes the trace's candidates (every account holding "
      "tainted value but the traced one and infrastructure). trace kinds set "
      "only proposes a mark as infrastructure; it takes effect once another "
      "security principal runs trace kinds approve. The trace "
      "commands need --as with role security or admin (ingest: internal or "
      "admin; kinds list: also internal or auditor). An account named "
      "ingest, freeze or kinds cannot be traced.\n"
      "Exit status: 0 done (a check that denies is done too), 1 the call "
      "failed (claim: also when nothing is waiting; trace freeze: also when "
      "any account's freeze FAILED), watch must resync, or a signature or "
      "proof does not verify, 2 usage error.\n\n"
      "Examples:\n"
      "  sentinelctl --insecure --as=agent/alice freeze acct-1 "
      "--scopes=withdraw,transfer_out --reason=\"suspected takeover\"\n"
      "  sentinelctl --insecure --as=auditor/carol audit prove 0 "
      "--vkey=var/audit.vkey --out=entry-0.receipt\n"
      "  sentinelctl --insecure --as=agent/alice report acct-1 "
      "--category=account_takeover --description=\"2FA reset from an unknown "
      "device\"\n"
      "  sentinelctl --insecure --as=agent/alice status inc-1 acknowledged "
      "--note=\"on it\"\n"
      "  sentinelctl --insecure --as=security/bob trace acct-1 "
      "--since=2026-11-20T10:00:00Z --incident=inc-1 --dot=flow.dot\n"
      "  sentinelctl --insecure --as=security/bob trace freeze acct-1 "
      "--since=2026-11-20T10:00:00Z --incident=inc-1 --reason=\"holds funds "
      "stolen from acct-1\"");
  return text;
}

}  // namespace sentinel::cli
