#include "freeze/freeze_validation.h"

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/identifiers.h"
#include "common/paging.h"
#include "common/principal.h"
#include "common/status_macros.h"
#include "freeze/freeze_limits.h"

namespace sentinel::freeze {
namespace {

absl::Status ValidateScope(absl::string_view field, int scope) {
  if (scope == v1::FREEZE_SCOPE_UNSPECIFIED) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": FREEZE_SCOPE_UNSPECIFIED is not a scope"));
  }
  if (!v1::FreezeScope_IsValid(scope)) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": unknown scope ", scope));
  }
  return absl::OkStatus();
}

absl::Status ValidateRequestId(absl::string_view request_id) {
  if (request_id.empty()) {
    return absl::InvalidArgumentError("request_id: required");
  }
  if (!ParseUnfreezeRequestId(request_id).has_value()) {
    return absl::InvalidArgumentError(
        "request_id: malformed (expected unf-<number>)");
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateFreezeAccount(const v1::FreezeAccountRequest& request) {
  SENTINEL_RETURN_IF_ERROR(
      ValidateIdentifier("account_id", request.account_id(), true));
  if (request.scopes().empty()) {
    return absl::InvalidArgumentError("scopes: at least one scope is required");
  }
  uint32_t seen = 0;
  for (int scope : request.scopes()) {
    SENTINEL_RETURN_IF_ERROR(ValidateScope("scopes", scope));
    if (seen & (1u << scope)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "scopes: ", v1::FreezeScope_Name(scope), " is listed twice"));
    }
    seen |= 1u << scope;
  }
  SENTINEL_RETURN_IF_ERROR(
      ValidateText("reason", request.reason(), kMaxReasonBytes, true));
  SENTINEL_RETURN_IF_ERROR(
      ValidateIdentifier("incident_id", request.incident_id(), false));
  return ValidateIdentifier("idempotency_key", request.idempotency_key(),
                            false);
}

absl::Status ValidateRequestUnfreeze(
    const v1::RequestUnfreezeRequest& request) {
  SENTINEL_RETURN_IF_ERROR(
      ValidateIdentifier("account_id", request.account_id(), true));
  if (request.freeze_id().empty()) {
    return absl::InvalidArgumentError("freeze_id: required");
  }
  if (!ParseFreezeId(request.freeze_id()).has_value()) {
    return absl::InvalidArgumentError(
        "freeze_id: malformed (expected frz-<number>)");
  }
  return ValidateText("reason", request.reason(), kMaxReasonBytes, true);
}

absl::Status ValidateApproveUnfreeze(
    const v1::ApproveUnfreezeRequest& request) {
  return ValidateRequestId(request.request_id());
}

absl::Status ValidateRejectUnfreeze(
    const v1::RejectUnfreezeRequestRequest& request) {
  SENTINEL_RETURN_IF_ERROR(ValidateRequestId(request.request_id()));
  return ValidateText("reason", request.reason(), kMaxReasonBytes, true);
}

absl::Status ValidateCancelUnfreeze(
    const v1::CancelUnfreezeRequestRequest& request) {
  return ValidateRequestId(request.request_id());
}

absl::StatusOr<UnfreezeRequestPage> ValidateListUnfreezeRequests(
    const v1::ListUnfreezeRequestsRequest& request) {
  UnfreezeRequestPage page;
  if (request.state() != v1::UNFREEZE_REQUEST_STATE_UNSPECIFIED) {
    if (!v1::UnfreezeRequestState_IsValid(request.state())) {
      return absl::InvalidArgumentError(
          absl::StrCat("state: unknown value ", request.state()));
    }
    page.state = request.state();
  }
  SENTINEL_RETURN_IF_ERROR(
      ValidateIdentifier("account_id", request.account_id(), false));
  if (!request.requested_by().empty()) {
    if (absl::StatusOr<Principal> requester =
            ParsePrincipalShort(request.requested_by());
        !requester.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("requested_by: ", requester.status().message()));
    }
  }
  SENTINEL_ASSIGN_OR_RETURN(page.page_size,
                            PageSize("page_size", request.page_size(),
                                     kDefaultPageSize, kMaxPageSize));
  SENTINEL_ASSIGN_OR_RETURN(page.after_number,
                            ParseNumberPageToken("unf", request.page_token()));
  return page;
}

absl::Status ValidateGetFreezeState(const v1::GetFreezeStateRequest& request) {
  return ValidateIdentifier("account_id", request.account_id(), true);
}

absl::Status ValidateCheckAccounts(const v1::CheckAccountsRequest& request) {
  if (request.account_ids().empty()) {
    return absl::InvalidArgumentError(
        "account_ids: at least one account id is required");
  }
  if (static_cast<size_t>(request.account_ids_size()) > kMaxCheckAccounts) {
    return absl::InvalidArgumentError(
        absl::StrCat("account_ids: ", request.account_ids_size(),
                     " ids, more than the limit of ", kMaxCheckAccounts));
  }
  for (int i = 0; i < request.account_ids_size(); ++i) {
    SENTINEL_RETURN_IF_ERROR(ValidateIdentifier(
        absl::StrCat("account_ids[", i, "]"), request.account_ids(i), true));
  }
  return ValidateScope("action", request.action());
}

absl::StatusOr<ListPage> ValidateListFrozenAccounts(
    const v1::ListFrozenAccountsRequest& request) {
  ListPage page;
  SENTINEL_ASSIGN_OR_RETURN(page.page_size,
                            PageSize("page_size", request.page_size(),
                                     kDefaultPageSize, kMaxPageSize));
  SENTINEL_ASSIGN_OR_RETURN(page.after_account,
                            ParseIdPageToken(request.page_token()));
  SENTINEL_RETURN_IF_ERROR(
      ValidateIdentifier("incident_id", request.incident_id(), false));
  return page;
}

std::string FreezeId(uint64_t version) { return absl::StrCat("frz-", version); }

std::string UnfreezeRequestId(uint64_t version) {
  return absl::StrCat("unf-", version);
}

std::optional<uint64_t> ParseFreezeId(absl::string_view id) {
  return ParseNumberedId("frz-", id);
}

std::optional<uint64_t> ParseUnfreezeRequestId(absl::string_view id) {
  return ParseNumberedId("unf-", id);
}

}  // namespace sentinel::freeze
