// The flow graph of a trace as Graphviz DOT, for analysts who would rather
// look at where the value went than read it.
#ifndef SENTINEL_CLI_FLOW_GRAPH_DOT_H_
#define SENTINEL_CLI_FLOW_GRAPH_DOT_H_

#include <string>

#include "absl/strings/string_view.h"
#include "sentinel/v1/trace.pb.h"

namespace sentinel::cli {

// The flow graph of `result` as a Graphviz DOT digraph, for `dot -Tsvg`:
// - one node per exchange account, labelled with its id and the tainted
//   value it still holds per asset: `victim` as a red double circle,
//   infrastructure accounts as cylinders labelled with their kind, accounts
//   reached at the hop limit dashed and labelled "hop limit", the rest
//   ellipses;
// - one node per external address, a note shape, labelled with the tainted
//   value withdrawn to it per asset;
// - one edge per pair of nodes and kind of movement, aggregating the
//   parallel FlowEdges between them: a line per asset "BTC 50000/60000"
//   (tainted/amount), then "hop 1", or "3 transfers, hops 1-2" for several.
//   Withdrawals are bold; trades are dotted self-loops on the trading
//   account with lines "trade BTC 100/100 -> USDT 5000000" (tainted sold/
//   amount sold -> tainted bought). Trade counterparties receive no taint
//   and are not drawn.
// The graph's label names the model, `victim` and as_of, and says PARTIAL
// and how many edges were not returned when that applies. Node ids are the
// account id prefixed "a:" or the address prefixed "x:", so the two never
// collide; every string is quoted with '"' and '\' escaped and control
// characters replaced by '?'. Nodes are ordered victim first, then by id;
// edges by their nodes' ids, so the text depends only on `result`.
//
// Example:
//   digraph flow {
//     label="FIFO trace of acct-1 as of 2026-11-20T12:00:00Z";
//     ...
//     "a:acct-1" [label="acct-1\ntraced account\nBTC 30000",
//                 shape=doublecircle, color=red, fontcolor=red, penwidth=2];
//     "a:acct-1" -> "a:acct-2" [label="BTC 70000/70000\nhop 1"];
//   }
std::string FlowGraphDot(const v1::TraceResult& result,
                         absl::string_view victim);

// Where the SVG rendering of the DOT file `dot_path` goes: a ".dot" suffix
// replaced by ".svg", otherwise ".svg" appended ("flow.dot" -> "flow.svg",
// "flow.gv" -> "flow.gv.svg").
std::string SvgPathFor(absl::string_view dot_path);

}  // namespace sentinel::cli

#endif  // SENTINEL_CLI_FLOW_GRAPH_DOT_H_
