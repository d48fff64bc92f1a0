#include "trace/trace_request.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/identifiers.h"
#include "common/status_macros.h"
#include "common/time_util.h"
#include "trace/ledger_validation.h"
#include "trace/trace_limits.h"

namespace sentinel::trace {
namespace {

// `requested`, or `default_value` for 0; kInvalidArgument outside 0..max.
template <typename Int>
absl::StatusOr<Int> Bounded(absl::string_view field, Int requested,
                            Int default_value, Int max) {
  if (requested < 0 || requested > max) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": ", requested, " is outside 0..", max));
  }
  return requested == 0 ? default_value : requested;
}

absl::StatusOr<std::vector<std::string>> ResolveAssets(
    const google::protobuf::RepeatedPtrField<std::string>& requested) {
  if (static_cast<size_t>(requested.size()) > kMaxTraceAssets) {
    return absl::InvalidArgumentError(
        absl::StrCat("assets: ", requested.size(),
                     " entries, more than the limit of ", kMaxTraceAssets));
  }
  std::vector<std::string> assets;
  for (const std::string& asset : requested) {
    SENTINEL_RETURN_IF_ERROR(ValidateAssetCode("assets", asset));
    assets.push_back(asset);
  }
  std::sort(assets.begin(), assets.end());
  if (std::adjacent_find(assets.begin(), assets.end()) != assets.end()) {
    return absl::InvalidArgumentError("assets: an asset is listed twice");
  }
  return assets;
}

}  // namespace

absl::StatusOr<TraceParams> ResolveTraceRequest(
    const v1::TraceFundsRequest& request, absl::Time now) {
  TraceParams params;
  SENTINEL_RETURN_IF_ERROR(
      ValidateIdentifier("account_id", request.account_id(), true));
  params.account_id = request.account_id();
  if (!request.has_since()) {
    return absl::InvalidArgumentError("since: required");
  }
  SENTINEL_RETURN_IF_ERROR(ValidateLedgerTime("since", request.since()));
  params.since = FromProtoTime(request.since());
  if (request.has_until()) {
    SENTINEL_RETURN_IF_ERROR(ValidateLedgerTime("until", request.until()));
    params.until = FromProtoTime(request.until());
    if (params.until <= params.since) {
      return absl::InvalidArgumentError("until: must be after since");
    }
  } else {
    params.until = now;
    if (params.until <= params.since) {
      return absl::InvalidArgumentError(
          "since: must be before the server's clock when until is unset");
    }
  }
  SENTINEL_ASSIGN_OR_RETURN(params.max_hops,
                            Bounded<int32_t>("max_hops", request.max_hops(),
                                             kDefaultMaxHops, kMaxMaxHops));
  if (request.model() == v1::TAINT_MODEL_UNSPECIFIED) {
    return absl::InvalidArgumentError("model: required");
  }
  if (!v1::TaintModel_IsValid(request.model())) {
    return absl::InvalidArgumentError(
        absl::StrCat("model: unknown value ", request.model()));
  }
  params.model = request.model();
  SENTINEL_ASSIGN_OR_RETURN(params.max_events,
                            Bounded<int64_t>("max_events", request.max_events(),
                                             kDefaultMaxEvents, kMaxMaxEvents));
  SENTINEL_ASSIGN_OR_RETURN(params.max_edges,
                            Bounded<int32_t>("max_edges", request.max_edges(),
                                             kDefaultMaxEdges, kMaxMaxEdges));
  SENTINEL_ASSIGN_OR_RETURN(params.assets, ResolveAssets(request.assets()));
  SENTINEL_RETURN_IF_ERROR(
      ValidateIdentifier("incident_id", request.incident_id(), false));
  return params;
}

}  // namespace sentinel::trace
