// Implements the human-readable forms of TraceService answers.
#include "cli/trace_output.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"
#include "cli/table.h"
#include "cli/trace_names.h"
#include "common/time_util.h"

namespace sentinel::cli {
namespace {

// Tainted (or other) amounts per asset, sorted by asset.
using AssetAmounts = std::map<std::string, int64_t>;

std::string Time(bool present, const google::protobuf::Timestamp& timestamp) {
  return present ? FormatUtc(FromProtoTime(timestamp)) : "-";
}

// Server messages may hold tabs and line breaks; a table cell may not.
std::string OneLine(absl::string_view text) {
  return absl::StrReplaceAll(
      text, {{"\r\n", " "}, {"\t", " "}, {"\n", " "}, {"\r", " "}});
}

// "BTC 30000, ETH 5".
std::string AmountsText(const AssetAmounts& amounts) {
  return absl::StrJoin(amounts, ", ", [](std::string* out, const auto& entry) {
    absl::StrAppend(out, entry.first, " ", entry.second);
  });
}

std::string Plural(int64_t count, absl::string_view one,
                   absl::string_view many) {
  return absl::StrCat(count, " ", count == 1 ? one : many);
}

// `title` and `table`, or "<title>: none" when the table has no rows but
// its header.
std::string Section(absl::string_view title, const Table& table, bool empty) {
  if (empty) return absl::StrCat(title, ": none\n");
  return absl::StrCat(title, ":\n", table.ToString());
}

std::string HeaderText(const v1::TraceResult& result,
                       absl::string_view victim) {
  std::string text = absl::StrCat(
      "trace of ", victim, " (", ModelName(result.model()), ") as of ",
      Time(result.has_as_of(), result.as_of()), ": ",
      Plural(result.events_examined(), "event", "events"), " examined, ",
      Plural(result.accounts_reached(), "account", "accounts"), " reached\n");
  if (result.partial()) {
    absl::StrAppend(&text,
                    "PARTIAL: the work budget (--max_events) ran out; this is "
                    "the state after the last event examined, not at "
                    "--until\n");
  }
  if (result.model() == v1::TAINT_MODEL_POISON) {
    absl::StrAppend(&text,
                    "POISON: any contact taints the whole outflow; amounts "
                    "show reach and are not conserved\n");
  }
  return text;
}

std::string TotalsText(const v1::TraceResult& result) {
  Table table({"ASSET", "SEEDED", "CONVERTED_IN", "CONVERTED_OUT", "HELD",
               "INFRASTRUCTURE", "EXTERNAL"});
  for (const v1::AssetTotals& totals : result.totals()) {
    table.AddRow({totals.asset(), absl::StrCat(totals.seeded()),
                  absl::StrCat(totals.converted_in()),
                  absl::StrCat(totals.converted_out()),
                  absl::StrCat(totals.held()),
                  absl::StrCat(totals.infrastructure()),
                  absl::StrCat(totals.external())});
  }
  return Section("Totals per asset", table, result.totals().empty());
}

std::string HoldingsText(const v1::TraceResult& result,
                         absl::string_view victim) {
  AssetAmounts left_in_victim;
  std::set<std::string> candidates;
  Table candidate_table(
      {"ACCOUNT", "ASSET", "TAINTED", "BALANCE", "HOP", "NOTE"});
  bool no_infrastructure = true;
  Table infrastructure_table(
      {"ACCOUNT", "KIND", "ASSET", "TAINTED", "BALANCE", "HOP"});
  for (const v1::Holding& holding : result.holdings()) {
    if (holding.infrastructure()) {
      no_infrastructure = false;
      infrastructure_table.AddRow(
          {holding.account_id(), AccountKindName(holding.account_kind()),
           holding.asset(), absl::StrCat(holding.tainted_amount()),
           absl::StrCat(holding.balance()), absl::StrCat(holding.hop())});
    } else if (holding.account_id() == victim) {
      left_in_victim[holding.asset()] += holding.tainted_amount();
    } else {
      candidates.insert(holding.account_id());
      candidate_table.AddRow(
          {holding.account_id(), holding.asset(),
           absl::StrCat(holding.tainted_amount()),
           absl::StrCat(holding.balance()), absl::StrCat(holding.hop()),
           holding.hop_limited() ? "hop limit: not followed further" : ""});
    }
  }
  std::string text;
  if (!left_in_victim.empty()) {
    absl::StrAppend(&text, "still in ", victim,
                    " (the traced account): ", AmountsText(left_in_victim),
                    "\n\n");
  }
  absl::StrAppend(
      &text,
      Section(candidates.empty()
                  ? std::string("Freeze candidates")
                  : absl::StrCat(
                        "Freeze candidates (",
                        Plural(candidates.size(), "account", "accounts"), ")"),
              candidate_table, candidates.empty()),
      "\n",
      Section("Absorbed by infrastructure", infrastructure_table,
              no_infrastructure));
  return text;
}

std::string ExternalText(const v1::TraceResult& result) {
  Table table(
      {"ADDRESS", "ASSET", "TAINTED", "WITHDRAWALS", "HOP", "FIRST", "LAST"});
  for (const v1::ExternalAddress& external : result.external()) {
    table.AddRow({OneLine(external.address()), external.asset(),
                  absl::StrCat(external.tainted_amount()),
                  absl::StrCat(external.withdrawals()),
                  absl::StrCat(external.hop()),
                  Time(external.has_first_time(), external.first_time()),
                  Time(external.has_last_time(), external.last_time())});
  }
  return Section("External addresses", table, result.external().empty());
}

std::string HopsText(const v1::TraceResult& result) {
  struct Hop {
    int64_t edges = 0;
    int64_t transfers = 0;
    int64_t trades = 0;
    int64_t withdrawals = 0;
    AssetAmounts tainted;
  };
  std::map<int32_t, Hop> hops;
  for (const v1::FlowEdge& edge : result.edges()) {
    Hop& hop = hops[edge.hop()];
    ++hop.edges;
    if (edge.kind() == v1::LEDGER_EVENT_KIND_TRANSFER) ++hop.transfers;
    if (edge.kind() == v1::LEDGER_EVENT_KIND_TRADE) ++hop.trades;
    if (edge.kind() == v1::LEDGER_EVENT_KIND_WITHDRAWAL) ++hop.withdrawals;
    hop.tainted[edge.asset()] += edge.tainted_amount();
  }
  Table table(
      {"HOP", "EDGES", "TRANSFERS", "TRADES", "WITHDRAWALS", "TAINTED"});
  for (const auto& [number, hop] : hops) {
    table.AddRow({absl::StrCat(number), absl::StrCat(hop.edges),
                  absl::StrCat(hop.transfers), absl::StrCat(hop.trades),
                  absl::StrCat(hop.withdrawals), AmountsText(hop.tainted)});
  }
  return Section("Flow edges by hop", table, hops.empty());
}

std::string OmittedText(const v1::TraceResult& result) {
  std::vector<std::string> parts;
  if (result.edges_omitted() > 0) {
    parts.push_back(
        absl::StrCat(Plural(result.edges_omitted(), "flow edge", "flow edges"),
                     " (raise --max_edges)"));
  }
  if (result.holdings_omitted() > 0) {
    parts.push_back(Plural(result.holdings_omitted(), "holding", "holdings"));
  }
  if (result.external_omitted() > 0) {
    parts.push_back(Plural(result.external_omitted(), "external address entry",
                           "external address entries"));
  }
  if (parts.empty()) return "";
  return absl::StrCat("\nnot returned: ", absl::StrJoin(parts, ", "), "\n");
}

}  // namespace

std::string TraceText(const v1::TraceResult& result, absl::string_view victim) {
  return absl::StrCat(HeaderText(result, victim), "\n", TotalsText(result),
                      "\n", HoldingsText(result, victim), "\n",
                      ExternalText(result), "\n", HopsText(result),
                      OmittedText(result));
}

std::string IngestedText(const v1::IngestSummary& summary, int64_t sent,
                         absl::FunctionRef<int64_t(int64_t)> line_of_position) {
  std::string text = absl::StrCat(
      "sent ", Plural(sent, "event", "events"), ": ", summary.accepted(),
      " accepted, ", Plural(summary.duplicates(), "duplicate", "duplicates"),
      ", ", summary.rejected(), " rejected\n");
  const int64_t counted =
      summary.accepted() + summary.duplicates() + summary.rejected();
  if (counted != sent) {
    absl::StrAppend(&text, "the server counted ", counted, " events, not ",
                    sent, "\n");
  }
  if (summary.rejections().empty()) return text;
  Table table({"LINE", "POSITION", "EVENT", "REASON"});
  for (const v1::IngestRejection& rejection : summary.rejections()) {
    table.AddRow({absl::StrCat(line_of_position(rejection.position())),
                  absl::StrCat(rejection.position()),
                  OneLine(rejection.event_id()), OneLine(rejection.reason())});
  }
  absl::StrAppend(&text, "rejected:\n", table.ToString());
  if (summary.rejections_size() < summary.rejected()) {
    absl::StrAppend(&text, "only the first ", summary.rejections_size(), " of ",
                    summary.rejected(), " rejections are listed\n");
  }
  return text;
}

std::string CandidateFreezesText(
    const v1::FreezeTraceCandidatesResponse& response) {
  std::map<int, int64_t> outcomes;
  Table table({"ACCOUNT", "OUTCOME", "FREEZE", "TAINTED", "ERROR"});
  for (const v1::CandidateFreeze& result : response.results()) {
    ++outcomes[result.outcome()];
    AssetAmounts tainted;
    for (const v1::Holding& holding : result.holdings()) {
      tainted[holding.asset()] += holding.tainted_amount();
    }
    table.AddRow({result.account_id(), CandidateOutcomeName(result.outcome()),
                  result.freeze().freeze_id(), AmountsText(tainted),
                  OneLine(result.error())});
  }
  std::string text = absl::StrCat(
      "frozen ", outcomes[v1::CANDIDATE_FREEZE_OUTCOME_FROZEN], ", failed ",
      outcomes[v1::CANDIDATE_FREEZE_OUTCOME_FAILED], ", not a candidate ",
      outcomes[v1::CANDIDATE_FREEZE_OUTCOME_NOT_A_CANDIDATE], " (trace as of ",
      Time(response.has_as_of(), response.as_of()), ")\n");
  if (response.partial()) {
    absl::StrAppend(&text,
                    "PARTIAL: the trace ran out of its work budget "
                    "(--max_events); candidates beyond it were not seen\n");
  }
  if (response.results().empty()) {
    absl::StrAppend(&text, "no freeze candidates: nothing frozen\n");
  } else {
    absl::StrAppend(&text, table.ToString());
  }
  return text;
}

std::string FreezesFailedLine(
    const v1::FreezeTraceCandidatesResponse& response) {
  constexpr size_t kMaxNamed = 10;
  std::vector<std::string> failed;
  for (const v1::CandidateFreeze& result : response.results()) {
    if (result.outcome() == v1::CANDIDATE_FREEZE_OUTCOME_FAILED) {
      failed.push_back(result.account_id());
    }
  }
  if (failed.empty()) return "";
  std::string line = absl::StrCat(
      "FREEZES FAILED on ", Plural(failed.size(), "account", "accounts"), ": ",
      absl::StrJoin(failed.begin(),
                    failed.begin() + std::min(kMaxNamed, failed.size()), ", "));
  if (failed.size() > kMaxNamed) {
    absl::StrAppend(&line, " and ", failed.size() - kMaxNamed, " more");
  }
  line += '\n';
  return line;
}

std::string AccountKindsText(
    const google::protobuf::RepeatedPtrField<v1::AccountKindEntry>& entries) {
  std::string text;
  for (const v1::AccountKindEntry& entry : entries) {
    absl::StrAppend(&text, entry.account_id(), ": ",
                    AccountKindName(entry.kind()));
    if (entry.kind() == v1::ACCOUNT_KIND_USER) {
      text += " (no longer infrastructure)";
    } else {
      text += entry.pending() ? " pending approval" : " in effect";
    }
    absl::StrAppend(&text, ", set by ",
                    entry.set_by().empty() ? "-" : entry.set_by(), " at ",
                    Time(entry.has_set_at(), entry.set_at()));
    if (!entry.approved_by().empty()) {
      absl::StrAppend(&text, ", approved by ", entry.approved_by(), " at ",
                      Time(entry.has_approved_at(), entry.approved_at()));
    }
    if (!entry.note().empty()) {
      absl::StrAppend(&text, " (", OneLine(entry.note()), ")");
    }
    text += '\n';
  }
  return text;
}

std::string InfrastructureAccountsText(
    const v1::ListInfrastructureAccountsResponse& response) {
  std::string text;
  if (response.accounts().empty()) {
    text = "no infrastructure accounts\n";
  } else {
    // NOTE is free text of any length, so it goes last.
    Table table({"ACCOUNT", "KIND", "SET_BY", "SET_AT", "APPROVED_BY", "NOTE"});
    for (const v1::AccountKindEntry& entry : response.accounts()) {
      table.AddRow({entry.account_id(), AccountKindName(entry.kind()),
                    entry.set_by(), Time(entry.has_set_at(), entry.set_at()),
                    entry.approved_by(), OneLine(entry.note())});
    }
    text = table.ToString();
  }
  if (!response.next_page_token().empty()) {
    absl::StrAppend(&text, "more accounts not listed\n");
  }
  return text;
}

}  // namespace sentinel::cli
