// The human-readable forms of FreezeService responses: short sentences for
// changes, key-value blocks and aligned tables for state. Deterministic: the
// same response always prints the same text. Times are RFC 3339 UTC to the
// second; unset values print as "-".
#ifndef SENTINEL_CLI_OUTPUT_H_
#define SENTINEL_CLI_OUTPUT_H_

#include <string>

#include "sentinel/v1/freeze.pb.h"

namespace sentinel::cli {

// Every function returns whole lines, each ending in a newline.

// "frozen acct-1: frz-1 scopes=WITHDRAW,TRANSFER_OUT incident=inc-7
// state=ACTIVE by agent/alice at 2026-11-26T10:43:48Z" (one line; no
// incident= when there is none).
std::string FrozenText(const v1::FreezeRecord& record);

// "unfreeze requested: unf-2 for frz-1 on acct-1 by agent/alice; waiting for
// approval by a different security principal".
std::string UnfreezeRequestedText(const v1::UnfreezeRequest& request);
// "unf-3 REJECTED by security/bob: <reason>", or CANCELLED by the requester.
std::string UnfreezeDecidedText(const v1::UnfreezeRequest& request);
// The requests as a table, oldest first, and the next page's token.
std::string UnfreezeListText(const v1::ListUnfreezeRequestsResponse& response);

// "lifted frz-1 on acct-1 (approved by security/bob); withdrawals held until
// 2026-11-27T10:00:00Z", the last part only when there is a hold.
std::string LiftedText(const v1::FreezeRecord& record);

// The account, its effective scopes and hold, then a table of its active
// freezes.
std::string StateText(const v1::AccountFreezeState& state);

// Table ACCOUNT ALLOWED REASON, in request order.
std::string CheckText(const v1::CheckAccountsResponse& response);

// Table ACCOUNT EFFECTIVE_SCOPES HELD_UNTIL ACTIVE_FREEZES, then
// "next page: --page_token=..." when there is one.
std::string ListText(const v1::ListFrozenAccountsResponse& response);

// The header of watch's output, and one event as a line under it.
std::string WatchHeader();
std::string WatchLine(const v1::FreezeEvent& event);

}  // namespace sentinel::cli

#endif  // SENTINEL_CLI_OUTPUT_H_
