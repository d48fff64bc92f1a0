// Checks of freeze requests, before anything is read or written.
//
// Each function returns OK or kInvalidArgument with a message that names the
// field and the reason ("reason: required").
#ifndef SENTINEL_FREEZE_FREEZE_VALIDATION_H_
#define SENTINEL_FREEZE_FREEZE_VALIDATION_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "sentinel/v1/freeze.pb.h"

namespace sentinel::freeze {

absl::Status ValidateFreezeAccount(const v1::FreezeAccountRequest& request);
absl::Status ValidateRequestUnfreeze(const v1::RequestUnfreezeRequest& request);
absl::Status ValidateApproveUnfreeze(const v1::ApproveUnfreezeRequest& request);
// A decision on one request: RejectUnfreezeRequest (with its reason) and
// CancelUnfreezeRequest.
absl::Status ValidateRejectUnfreeze(
    const v1::RejectUnfreezeRequestRequest& request);
absl::Status ValidateCancelUnfreeze(
    const v1::CancelUnfreezeRequestRequest& request);
absl::Status ValidateGetFreezeState(const v1::GetFreezeStateRequest& request);
absl::Status ValidateCheckAccounts(const v1::CheckAccountsRequest& request);

// A validated ListFrozenAccounts request: the page size to use and the
// account id the page starts after (empty for the first page); the
// request's incident_id is checked as an identifier.
struct ListPage {
  size_t page_size = 0;
  std::string after_account;
};
absl::StatusOr<ListPage> ValidateListFrozenAccounts(
    const v1::ListFrozenAccountsRequest& request);

// A validated ListUnfreezeRequests request.
struct UnfreezeRequestPage {
  v1::UnfreezeRequestState state = v1::UNFREEZE_REQUEST_STATE_PENDING;
  size_t page_size = 0;
  // The page starts after this request number (0 for the first page).
  uint64_t after_number = 0;
};
absl::StatusOr<UnfreezeRequestPage> ValidateListUnfreezeRequests(
    const v1::ListUnfreezeRequestsRequest& request);

// Server-assigned ids: "frz-<n>" and "unf-<n>". Parse returns nullopt for
// anything else.
std::string FreezeId(uint64_t version);
std::string UnfreezeRequestId(uint64_t version);
std::optional<uint64_t> ParseFreezeId(absl::string_view id);
std::optional<uint64_t> ParseUnfreezeRequestId(absl::string_view id);

}  // namespace sentinel::freeze

#endif  // SENTINEL_FREEZE_FREEZE_VALIDATION_H_
