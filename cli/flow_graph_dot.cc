#include "cli/flow_graph_dot.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "cli/trace_names.h"
#include "common/time_util.h"

namespace sentinel::cli {
namespace {

// `text` for the inside of a DOT double-quoted string: '"' and '\' escaped,
// control characters (none are valid in ids or addresses) shown as '?'.
std::string DotEscaped(absl::string_view text) {
  std::string escaped;
  escaped.reserve(text.size());
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      escaped.push_back('\\');
      escaped.push_back(c);
    } else if (byte < 0x20 || byte == 0x7f) {
      escaped.push_back('?');
    } else {
      escaped.push_back(c);
    }
  }
  return escaped;
}

std::string DotQuoted(absl::string_view text) {
  return absl::StrCat("\"", DotEscaped(text), "\"");
}

// A label of several lines, each escaped, joined by DOT's line break.
std::string DotLabel(const std::vector<std::string>& lines) {
  return absl::StrCat(
      "\"",
      absl::StrJoin(lines, "\\n",
                    [](std::string* out, const std::string& line) {
                      out->append(DotEscaped(line));
                    }),
      "\"");
}

std::string AccountNodeId(absl::string_view account) {
  return absl::StrCat("a:", account);
}

std::string ExternalNodeId(absl::string_view address) {
  return absl::StrCat("x:", address);
}

// Amounts per asset, sorted by asset.
using AssetAmounts = std::map<std::string, int64_t>;

// "BTC 30000", one line per asset.
void AddAmountLines(const AssetAmounts& amounts,
                    std::vector<std::string>& lines) {
  for (const auto& [asset, amount] : amounts) {
    lines.push_back(absl::StrCat(asset, " ", amount));
  }
}

// What the graph shows of one node.
struct Node {
  std::vector<std::string> label;
  std::string attributes;
};

// One exchange account: the tainted value it holds per asset, and how it
// took part.
struct AccountNode {
  AssetAmounts held;
  bool infrastructure = false;
  bool hop_limited = false;
  int kind = v1::ACCOUNT_KIND_USER;
};

// The parallel FlowEdges between two nodes of one kind of movement.
struct EdgeGroup {
  // Transfers and withdrawals: tainted and whole amount per asset.
  std::map<std::string, std::pair<int64_t, int64_t>> moved;
  // Trades: per (sold asset, bought asset), tainted sold, amount sold and
  // tainted bought.
  std::map<std::pair<std::string, std::string>,
           std::tuple<int64_t, int64_t, int64_t>>
      traded;
  int count = 0;
  int32_t min_hop = 0;
  int32_t max_hop = 0;
};

// (from node, to node, kind).
using EdgeKey = std::tuple<std::string, std::string, int>;

Node AccountNodeOf(absl::string_view account, const AccountNode& node,
                   bool victim) {
  Node shown;
  shown.label.emplace_back(account);
  if (victim) {
    shown.label.push_back("traced account");
  } else if (node.infrastructure) {
    shown.label.push_back(AccountKindName(node.kind));
  }
  AddAmountLines(node.held, shown.label);
  if (victim) {
    shown.attributes =
        "shape=doublecircle, color=red, fontcolor=red, penwidth=2";
  } else if (node.infrastructure) {
    shown.attributes = "shape=cylinder";
  } else if (node.hop_limited) {
    shown.label.push_back("hop limit");
    shown.attributes = "shape=ellipse, style=dashed";
  } else {
    shown.attributes = "shape=ellipse";
  }
  return shown;
}

absl::string_view MovementNoun(int kind, int count) {
  switch (kind) {
    case v1::LEDGER_EVENT_KIND_TRADE:
      return count == 1 ? "trade" : "trades";
    case v1::LEDGER_EVENT_KIND_WITHDRAWAL:
      return count == 1 ? "withdrawal" : "withdrawals";
    default:
      return count == 1 ? "transfer" : "transfers";
  }
}

std::string EdgeLine(const EdgeKey& key, const EdgeGroup& group) {
  const auto& [from, to, kind] = key;
  std::vector<std::string> label;
  for (const auto& [asset, amounts] : group.moved) {
    label.push_back(
        absl::StrCat(asset, " ", amounts.first, "/", amounts.second));
  }
  for (const auto& [assets, amounts] : group.traded) {
    const auto& [tainted, sold, bought] = amounts;
    label.push_back(absl::StrCat("trade ", assets.first, " ", tainted, "/",
                                 sold, " -> ", assets.second, " ", bought));
  }
  const std::string hops =
      group.min_hop == group.max_hop
          ? absl::StrCat("hop ", group.min_hop)
          : absl::StrCat("hops ", group.min_hop, "-", group.max_hop);
  label.push_back(group.count == 1
                      ? hops
                      : absl::StrCat(group.count, " ",
                                     MovementNoun(kind, group.count), ", ",
                                     hops));
  std::string style;
  if (kind == v1::LEDGER_EVENT_KIND_WITHDRAWAL) style = ", style=bold";
  if (kind == v1::LEDGER_EVENT_KIND_TRADE) style = ", style=dotted";
  return absl::StrCat("  ", DotQuoted(from), " -> ", DotQuoted(to),
                      " [label=", DotLabel(label), style, "];\n");
}

std::string GraphLabel(const v1::TraceResult& result,
                       absl::string_view victim) {
  std::vector<std::string> lines = {absl::StrCat(
      ModelName(result.model()), " trace of ", victim, " as of ",
      result.has_as_of() ? FormatUtc(FromProtoTime(result.as_of())) : "-")};
  if (result.partial()) lines.push_back("PARTIAL: the work budget ran out");
  if (result.edges_omitted() > 0) {
    lines.push_back(absl::StrCat(result.edges_omitted(),
                                 " more edges not returned (--max_edges)"));
  }
  return DotLabel(lines);
}

}  // namespace

std::string FlowGraphDot(const v1::TraceResult& result,
                         absl::string_view victim) {
  std::map<std::string, AccountNode> accounts;
  accounts[std::string(victim)];
  std::map<std::string, AssetAmounts> addresses;
  for (const v1::Holding& holding : result.holdings()) {
    AccountNode& node = accounts[holding.account_id()];
    node.held[holding.asset()] += holding.tainted_amount();
    node.infrastructure = node.infrastructure || holding.infrastructure();
    node.hop_limited = node.hop_limited || holding.hop_limited();
    if (holding.infrastructure()) node.kind = holding.account_kind();
  }
  for (const v1::ExternalAddress& address : result.external()) {
    addresses[address.address()][address.asset()] += address.tainted_amount();
  }

  std::map<EdgeKey, EdgeGroup> edges;
  for (const v1::FlowEdge& edge : result.edges()) {
    accounts[edge.from_account()];
    std::string to;
    if (edge.kind() == v1::LEDGER_EVENT_KIND_WITHDRAWAL) {
      addresses[edge.external_address()];
      to = ExternalNodeId(edge.external_address());
    } else {
      // A trade converts in place: a loop on the trading account.
      const std::string& account = edge.kind() == v1::LEDGER_EVENT_KIND_TRADE
                                       ? edge.from_account()
                                       : edge.to_account();
      accounts[account];
      to = AccountNodeId(account);
    }
    EdgeGroup& group = edges[{AccountNodeId(edge.from_account()), to,
                              static_cast<int>(edge.kind())}];
    if (edge.kind() == v1::LEDGER_EVENT_KIND_TRADE) {
      auto& [tainted, sold, bought] =
          group.traded[{edge.asset(), edge.counter_asset()}];
      tainted += edge.tainted_amount();
      sold += edge.amount();
      bought += edge.counter_tainted_amount();
    } else {
      auto& [tainted, amount] = group.moved[edge.asset()];
      tainted += edge.tainted_amount();
      amount += edge.amount();
    }
    group.min_hop =
        group.count == 0 ? edge.hop() : std::min(group.min_hop, edge.hop());
    group.max_hop = std::max(group.max_hop, edge.hop());
    ++group.count;
  }

  std::string dot =
      absl::StrCat("digraph flow {\n  label=", GraphLabel(result, victim),
                   ";\n  labelloc=t;\n  rankdir=LR;\n"
                   "  node [fontname=\"Helvetica\", fontsize=10];\n"
                   "  edge [fontname=\"Helvetica\", fontsize=9];\n");
  // Nodes: the victim first, then by id ("a:" accounts before "x:"
  // addresses).
  std::vector<std::pair<std::string, Node>> nodes;
  for (const auto& [account, node] : accounts) {
    nodes.emplace_back(AccountNodeId(account),
                       AccountNodeOf(account, node, account == victim));
  }
  for (const auto& [address, withdrawn] : addresses) {
    Node shown;
    shown.label.push_back(address);
    AddAmountLines(withdrawn, shown.label);
    shown.attributes = "shape=note";
    nodes.emplace_back(ExternalNodeId(address), std::move(shown));
  }
  const std::string victim_id = AccountNodeId(victim);
  std::stable_partition(nodes.begin(), nodes.end(), [&](const auto& node) {
    return node.first == victim_id;
  });
  for (const auto& [id, node] : nodes) {
    absl::StrAppend(&dot, "  ", DotQuoted(id), " [label=", DotLabel(node.label),
                    ", ", node.attributes, "];\n");
  }
  for (const auto& [key, group] : edges) {
    absl::StrAppend(&dot, EdgeLine(key, group));
  }
  absl::StrAppend(&dot, "}\n");
  return dot;
}

std::string SvgPathFor(absl::string_view dot_path) {
  if (absl::EndsWith(dot_path, ".dot")) {
    return absl::StrCat(dot_path.substr(0, dot_path.size() - 4), ".svg");
  }
  return absl::StrCat(dot_path, ".svg");
}

}  // namespace sentinel::cli
