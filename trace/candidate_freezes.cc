#include "trace/candidate_freezes.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "audit/sha256.h"
#include "common/identifiers.h"
#include "common/status_macros.h"
#include "freeze/freeze_validation.h"
#include "redaction/secret_redactor.h"
#include "trace/trace_limits.h"

namespace sentinel::trace {
namespace {

// Longest CandidateFreeze.error, in bytes.
constexpr size_t kMaxErrorBytes = 1024;

// What a candidate freeze blocks when the request names no scopes.
constexpr v1::FreezeScope kDefaultScopes[] = {v1::FREEZE_SCOPE_WITHDRAW,
                                              v1::FREEZE_SCOPE_TRANSFER_OUT,
                                              v1::FREEZE_SCOPE_API_KEYS};

// The freeze every candidate gets, without its account and key.
v1::FreezeAccountRequest FreezeTemplate(
    const v1::FreezeTraceCandidatesRequest& request) {
  v1::FreezeAccountRequest freeze;
  if (request.scopes().empty()) {
    for (v1::FreezeScope scope : kDefaultScopes) freeze.add_scopes(scope);
  } else {
    *freeze.mutable_scopes() = request.scopes();
  }
  // Redacted here as well as by the freeze domain: the reason leaves this
  // process when the freezer is the freeze service over gRPC.
  freeze.set_reason(redaction::RedactSecrets(request.reason()).text);
  freeze.set_incident_id(request.incident_id());
  return freeze;
}

absl::Status ValidateRequest(const v1::FreezeTraceCandidatesRequest& request) {
  if (!request.has_trace()) {
    return absl::InvalidArgumentError("trace: required");
  }
  SENTINEL_RETURN_IF_ERROR(
      ValidateIdentifier("incident_id", request.incident_id(), true));
  // The freeze domain's own checks, on the freeze every candidate gets
  // (with a stand-in account): they name the same fields (scopes, reason,
  // idempotency_key) as this request.
  v1::FreezeAccountRequest freeze = FreezeTemplate(request);
  freeze.set_account_id("candidate");
  freeze.set_idempotency_key(request.idempotency_key());
  SENTINEL_RETURN_IF_ERROR(freeze::ValidateFreezeAccount(freeze));
  if (static_cast<size_t>(request.account_ids_size()) >
      kMaxCandidateAccountIds) {
    return absl::InvalidArgumentError(
        absl::StrCat("account_ids: ", request.account_ids_size(),
                     " ids, more than the limit of ", kMaxCandidateAccountIds));
  }
  absl::flat_hash_set<absl::string_view> seen;
  for (int i = 0; i < request.account_ids_size(); ++i) {
    const std::string field = absl::StrCat("account_ids[", i, "]");
    SENTINEL_RETURN_IF_ERROR(
        ValidateIdentifier(field, request.account_ids(i), true));
    if (!seen.insert(request.account_ids(i)).second) {
      return absl::InvalidArgumentError(absl::StrCat(field, ": listed twice"));
    }
  }
  return absl::OkStatus();
}

// The freeze candidates of `result`, each with its holdings, in holdings
// order: accounts holding tainted value that are neither infrastructure nor
// the traced account.
std::vector<v1::CandidateFreeze> Candidates(const v1::TraceResult& result,
                                            absl::string_view traced) {
  std::vector<v1::CandidateFreeze> candidates;
  absl::flat_hash_map<std::string, size_t> index;
  for (const v1::Holding& holding : result.holdings()) {
    if (holding.infrastructure() || holding.account_id() == traced) continue;
    auto [it, added] =
        index.try_emplace(holding.account_id(), candidates.size());
    if (added) {
      candidates.emplace_back().set_account_id(holding.account_id());
    }
    *candidates[it->second].add_holdings() = holding;
  }
  return candidates;
}

}  // namespace

std::string CandidateIdempotencyKey(absl::string_view key,
                                    absl::string_view account_id) {
  // The account id cannot contain "\n" (an identifier), so the split is
  // unambiguous.
  const std::string digest = audit::Sha256({key, "\n", account_id});
  return absl::StrCat("tfc-", absl::BytesToHexString(digest.substr(0, 16)));
}

absl::StatusOr<v1::FreezeTraceCandidatesResponse> FreezeTraceCandidates(
    TraceManager& traces, freeze::AccountFreezer& freezer,
    const Principal& caller, const v1::FreezeTraceCandidatesRequest& request) {
  SENTINEL_RETURN_IF_ERROR(ValidateRequest(request));
  v1::TraceFundsRequest trace = request.trace();
  if (trace.incident_id().empty()) trace.set_incident_id(request.incident_id());
  absl::StatusOr<v1::TraceResult> result = traces.TraceFunds(caller, trace);
  if (absl::IsInvalidArgument(result.status())) {
    return absl::InvalidArgumentError(
        absl::StrCat("trace.", result.status().message()));
  }
  SENTINEL_RETURN_IF_ERROR(result.status());

  std::vector<v1::CandidateFreeze> candidates =
      Candidates(*result, trace.account_id());
  v1::FreezeTraceCandidatesResponse response;
  std::vector<v1::CandidateFreeze> not_candidates;
  if (!request.account_ids().empty()) {
    const absl::flat_hash_set<absl::string_view> listed(
        request.account_ids().begin(), request.account_ids().end());
    absl::flat_hash_set<absl::string_view> found;
    std::vector<v1::CandidateFreeze> selected;
    for (v1::CandidateFreeze& candidate : candidates) {
      if (!listed.contains(candidate.account_id())) continue;
      found.insert(candidate.account_id());
      selected.push_back(std::move(candidate));
    }
    for (const std::string& account : request.account_ids()) {
      if (found.contains(account)) continue;
      v1::CandidateFreeze& skipped = not_candidates.emplace_back();
      skipped.set_account_id(account);
      skipped.set_outcome(v1::CANDIDATE_FREEZE_OUTCOME_NOT_A_CANDIDATE);
    }
    candidates = std::move(selected);
  }
  if (candidates.size() > kMaxCandidateFreezes) {
    return absl::FailedPreconditionError(absl::StrCat(
        candidates.size(), " accounts would be frozen, more than the limit of ",
        kMaxCandidateFreezes,
        " per call; nothing was frozen. List the accounts to freeze in "
        "account_ids, in parts"));
  }

  const v1::FreezeAccountRequest freeze_template = FreezeTemplate(request);
  for (v1::CandidateFreeze& candidate : candidates) {
    v1::FreezeAccountRequest freeze = freeze_template;
    freeze.set_account_id(candidate.account_id());
    if (!request.idempotency_key().empty()) {
      freeze.set_idempotency_key(CandidateIdempotencyKey(
          request.idempotency_key(), candidate.account_id()));
    }
    absl::StatusOr<v1::FreezeRecord> frozen =
        freezer.FreezeAccount(caller, freeze);
    if (frozen.ok()) {
      candidate.set_outcome(v1::CANDIDATE_FREEZE_OUTCOME_FROZEN);
      *candidate.mutable_freeze() = *std::move(frozen);
      response.set_frozen(response.frozen() + 1);
    } else {
      candidate.set_outcome(v1::CANDIDATE_FREEZE_OUTCOME_FAILED);
      candidate.set_error(
          Utf8Prefix(frozen.status().ToString(), kMaxErrorBytes));
      response.set_failed(response.failed() + 1);
    }
    *response.add_results() = std::move(candidate);
  }
  for (v1::CandidateFreeze& skipped : not_candidates) {
    *response.add_results() = std::move(skipped);
  }
  response.set_partial(result->partial());
  *response.mutable_as_of() = result->as_of();
  return response;
}

}  // namespace sentinel::trace
