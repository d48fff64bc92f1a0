// Definitions of sentinelctl's flags; the help text of each is what --help
// prints, so it names the subcommands that use it.
#include "cli/flags.h"

#include <cstdlib>

#include "absl/flags/flag.h"

ABSL_FLAG(std::string, server, "127.0.0.1:7443",
          "host:port of the Sentinel server (sentineld's --listen default).");
ABSL_FLAG(std::string, as, sentinel::cli::DefaultPrincipal(),
          "Who you are, as ROLE/NAME (roles: agent, security, internal, "
          "auditor, admin), e.g. security/bob: the development CA's "
          "certificate for it is used (with --insecure, the "
          "x-sentinel-principal header). With --tls_cert the certificate "
          "decides instead. Defaults to agent/$USER. The audit commands need "
          "security, auditor or admin.");
ABSL_FLAG(bool, json, false,
          "Print the server's response as JSON (proto field names) instead of "
          "tables; watch prints one JSON object per line; audit prove prints "
          "{\"entry\": ..., \"checkpoint\": ...}, audit export the "
          "checkpoint it saved.");
ABSL_FLAG(bool, insecure, false,
          "Talk plain text to a loopback server started with --insecure "
          "(development only); the default is mutual TLS.");
ABSL_FLAG(std::string, data_dir, "var",
          "The server's data directory on this machine: without --tls_ flags, "
          "the development CA in <data_dir>/tls/ authenticates the server and "
          "issues the certificate of --as (kept in <data_dir>/tls/clients/).");
ABSL_FLAG(std::string, tls_ca, "",
          "PEM CA certificate the server's certificate must chain to. With "
          "--tls_cert and --tls_key, instead of the development CA.");
ABSL_FLAG(std::string, tls_cert, "",
          "PEM client certificate; its URI SAN is who the calls are made as.");
ABSL_FLAG(std::string, tls_key, "", "PEM private key of --tls_cert.");
ABSL_FLAG(absl::Duration, timeout, absl::Seconds(10),
          "Deadline of each call, e.g. 10s or 2m (audit export: of each page "
          "of entries). For watch: the time allowed to connect, and with "
          "--max_events the time allowed for all of them. trace ingest: the "
          "time allowed for the whole file; raise it for large files.");

ABSL_FLAG(std::string, scopes, "",
          "freeze, trace freeze: what to block, comma-separated, "
          "case-insensitive: WITHDRAW, TRANSFER_OUT, TRADE, LOGIN, API_KEYS. "
          "trace freeze defaults to WITHDRAW, TRANSFER_OUT and API_KEYS.");
ABSL_FLAG(std::string, reason, "",
          "freeze, unfreeze request, trace freeze: why, in words a colleague "
          "will read later (1..1024 bytes).");
ABSL_FLAG(std::string, incident, "",
          "freeze: the incident id the freeze belongs to (optional). trace: "
          "the incident the trace is for, recorded in its audit entry "
          "(optional). trace freeze: the incident the freezes belong to "
          "(required).");
ABSL_FLAG(std::string, idempotency_key, "",
          "freeze, report, trace freeze: makes retrying safe; a retry with the "
          "same key and request returns the original freeze or incident "
          "(trace freeze: the freezes already made) (optional).");
ABSL_FLAG(std::string, action, "",
          "check: the action about to be taken, one of the scope names "
          "(WITHDRAW, TRANSFER_OUT, TRADE, LOGIN, API_KEYS). audit query: "
          "only entries of this action, as Service.Method, e.g. "
          "FreezeService.FreezeAccount.");
ABSL_FLAG(int32_t, page_size, 0,
          "list, audit query, queue, breaches: accounts, entries, incidents "
          "or clocks per page, 0 for the server's default (100), at most "
          "1000.");
ABSL_FLAG(std::string, page_token, "",
          "list, audit query, queue, breaches: continue from the token a "
          "previous page printed (with the same filters).");
ABSL_FLAG(uint64_t, from_version, 0,
          "watch, watch incidents: replay changes after this version (0 = "
          "from the start), then follow live changes.");
ABSL_FLAG(int64_t, max_events, 0,
          "watch: stop after this many events; 0 = until interrupted or the "
          "server ends the stream. trace, trace freeze: the most ledger "
          "events the trace may examine (its work budget); 0 = the server's "
          "default (1000000), at most 100000000.");

ABSL_FLAG(std::string, subject, "",
          "audit query: only entries about this account or incident id.");
ABSL_FLAG(std::string, actor, "",
          "audit query: only entries of actions by this principal, as "
          "ROLE/NAME, e.g. agent/alice.");
ABSL_FLAG(std::string, since, "",
          "audit query: only entries at or after this time, RFC 3339, e.g. "
          "2026-11-26T10:00:00Z. trace, trace freeze: when the taint starts: "
          "what the account holds at this time is tainted (required).");
ABSL_FLAG(std::string, until, "",
          "audit query: only entries before this time, RFC 3339. trace, "
          "trace freeze: events after this time are not followed (default: "
          "the server's current time).");
ABSL_FLAG(uint64_t, tree_size, 0,
          "audit checkpoint: the checkpoint signed at exactly this many "
          "entries; 0 = the newest.");
ABSL_FLAG(std::string, vkey, "",
          "audit checkpoint, prove, export: the log's verifier key, or a file "
          "whose first line is it (sentineld writes <data_dir>/audit.vkey). "
          "Signed checkpoints are verified with it locally; required by "
          "prove.");
ABSL_FLAG(std::string, out, "",
          "audit prove: also write the receipt (entry, inclusion proof and "
          "signed checkpoint) to this file, for sentinel-audit-verify "
          "--receipt. evidence get: the file to write the evidence to.");
ABSL_FLAG(std::string, content_type, "",
          "evidence add: the file's MIME type; by default guessed from its "
          "extension (.png .jpg .jpeg .webp .pdf .txt .log .csv .json).");

ABSL_FLAG(std::string, category, "",
          "report: what happened, case-insensitive: ACCOUNT_TAKEOVER, "
          "TWO_FA_FAILURE, UNAUTHORIZED_WITHDRAWAL (P0), PHISHING (P1), "
          "WITHDRAWAL_NOT_RECEIVED, ACCOUNT_RESTRICTED_IN_ERROR (P2), "
          "TRADE_DISPUTE, POLICY_QUESTION, OTHER (P3).");
ABSL_FLAG(std::string, description, "",
          "report: the report in the user's or agent's words (1..8192 bytes); "
          "secrets in it are redacted before it is stored.");
ABSL_FLAG(std::string, channel, "LIVE_CHAT",
          "report: where the report came from, case-insensitive: LIVE_CHAT, "
          "TICKET, SOCIAL, VIP_MANAGER, INTERNAL_DETECTION.");
ABSL_FLAG(int32_t, vip_level, 0,
          "report: the account's VIP tier, 0 (none) .. 9; 3 and above raises "
          "P2 and P3 by one step and halves their SLA targets.");
ABSL_FLAG(std::string, status, "",
          "queue: only incidents in this status, case-insensitive: NEW, "
          "ACKNOWLEDGED, INVESTIGATING, WAITING_ON_USER, RESOLVED, CLOSED.");
ABSL_FLAG(std::string, priority, "",
          "queue: only incidents of this priority, P0..P3. breaches: only "
          "these priorities, comma-separated, e.g. P0,P1. watch incidents: "
          "likewise.");
ABSL_FLAG(std::string, account, "",
          "queue: only incidents of this account. unfreeze list: only requests "
          "for this account.");
ABSL_FLAG(std::string, state, "",
          "unfreeze list: PENDING (default), APPROVED, REJECTED, CANCELLED or "
          "EXPIRED.");
ABSL_FLAG(std::string, requested_by, "",
          "unfreeze list: only requests made by this person, ROLE/NAME.");
ABSL_FLAG(std::string, assignee, "",
          "queue: only incidents claimed by this principal, as ROLE/NAME, "
          "e.g. agent/alice.");
ABSL_FLAG(std::string, note, "",
          "status: why, for the incident's history (0..1024 bytes); secrets "
          "in it are redacted. trace kinds set: why the account has its kind, "
          "e.g. \"BTC hot-wallet omnibus\" (0..1024 bytes).");
ABSL_FLAG(bool, breached_only, false,
          "breaches: only clocks past their deadline, not those at risk (80% "
          "or more of the allowed time used).");

ABSL_FLAG(std::string, model, "fifo",
          "trace, trace freeze: how tainted and clean value mix when an "
          "account spends, case-insensitive: FIFO (first in, first out), "
          "HAIRCUT (proportional) or POISON (any contact taints the whole "
          "outflow; shows reach, amounts are not conserved).");
ABSL_FLAG(int32_t, max_hops, 0,
          "trace, trace freeze: do not follow transfers and withdrawals "
          "beyond this many hops from the account; 0 = the server's default "
          "(6), at most 32.");
ABSL_FLAG(int32_t, max_edges, 0,
          "trace: the most flow edges to return, the earliest first; 0 = the "
          "server's default (10000), at most 50000.");
ABSL_FLAG(std::string, assets, "",
          "trace, trace freeze: only these assets of the account are tainted, "
          "comma-separated asset codes, e.g. BTC,ETH; empty = all.");
ABSL_FLAG(std::string, dot, "",
          "trace: also write the flow graph to this file as Graphviz DOT, and "
          "render it to SVG next to it when dot is installed.");
ABSL_FLAG(std::string, accounts, "",
          "trace freeze: freeze only these of the trace's candidates, "
          "comma-separated account ids; empty = every candidate.");
ABSL_FLAG(std::string, kind, "",
          "trace kinds list: only accounts of this kind, case-insensitive: "
          "OMNIBUS, FEE or MARKET_MAKER; empty = all three.");
ABSL_FLAG(bool, pending, false,
          "trace kinds list: list the marks waiting for a second person's "
          "approval instead of those in effect.");

namespace sentinel::cli {

std::string DefaultPrincipal() {
  const char* user = std::getenv("USER");
  if (user == nullptr || *user == '\0') return "agent/operator";
  return std::string("agent/") + user;
}

}  // namespace sentinel::cli
