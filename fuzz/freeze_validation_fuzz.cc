// Fuzzes the checks of freeze requests (freeze/freeze_validation.h). The
// first input byte picks the request type (modulo 6: FreezeAccount,
// RequestUnfreeze, ApproveUnfreeze, CheckAccounts, GetFreezeState,
// ListFrozenAccounts); the rest is that serialized sentinel.v1 message.
// Checks:
// - each validation returns OK or kInvalidArgument;
// - the server-assigned ids of a valid request ("frz-<n>", "unf-<n>") print
//   back as given;
// - a valid listing has a page size of 1..kMaxPageSize, and the page token
//   made for its resume point (IdPageToken) decodes to the same point.
#include <cstddef>
#include <cstdint>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/paging.h"
#include "freeze/freeze_limits.h"
#include "freeze/freeze_validation.h"
#include "fuzz/fuzz_check.h"
#include "google/protobuf/stubs/logging.h"
#include "sentinel/v1/freeze.pb.h"

namespace {

namespace freeze = ::sentinel::freeze;
namespace v1 = ::sentinel::v1;

void CheckStatus(const absl::Status& status) {
  SENTINEL_FUZZ_CHECK(status.ok() || absl::IsInvalidArgument(status));
}

// The request of type Request in `data`, validated with `validate`; false if
// it does not parse or is not valid.
template <typename Request, typename Validate>
bool ParseAndValidate(const uint8_t* data, size_t size, Validate validate,
                      Request& request) {
  if (!request.ParseFromArray(data, static_cast<int>(size))) return false;
  const absl::Status valid = validate(request);
  CheckStatus(valid);
  return valid.ok();
}

void CheckListing(const uint8_t* data, size_t size) {
  v1::ListFrozenAccountsRequest request;
  if (!request.ParseFromArray(data, static_cast<int>(size))) return;
  const absl::StatusOr<freeze::ListPage> page =
      freeze::ValidateListFrozenAccounts(request);
  CheckStatus(page.status());
  if (!page.ok()) return;
  SENTINEL_FUZZ_CHECK(page->page_size >= 1 &&
                      page->page_size <=
                          static_cast<size_t>(freeze::kMaxPageSize));
  if (page->after_account.empty()) return;
  v1::ListFrozenAccountsRequest resume;
  resume.set_page_token(::sentinel::IdPageToken(page->after_account));
  const absl::StatusOr<freeze::ListPage> next =
      freeze::ValidateListFrozenAccounts(resume);
  SENTINEL_FUZZ_CHECK(next.ok() && next->after_account == page->after_account);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  // Parsing refuses invalid UTF-8 in string fields, logging each time.
  google::protobuf::SetLogHandler(nullptr);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const uint8_t selector = data[0] % 6;
  ++data;
  --size;
  switch (selector) {
    case 0: {
      v1::FreezeAccountRequest request;
      ParseAndValidate(data, size, freeze::ValidateFreezeAccount, request);
      break;
    }
    case 1: {
      v1::RequestUnfreezeRequest request;
      if (ParseAndValidate(data, size, freeze::ValidateRequestUnfreeze,
                           request)) {
        SENTINEL_FUZZ_CHECK(freeze::FreezeId(*freeze::ParseFreezeId(
                                request.freeze_id())) == request.freeze_id());
      }
      break;
    }
    case 2: {
      v1::ApproveUnfreezeRequest request;
      if (ParseAndValidate(data, size, freeze::ValidateApproveUnfreeze,
                           request)) {
        SENTINEL_FUZZ_CHECK(
            freeze::UnfreezeRequestId(*freeze::ParseUnfreezeRequestId(
                request.request_id())) == request.request_id());
      }
      break;
    }
    case 3: {
      v1::CheckAccountsRequest request;
      ParseAndValidate(data, size, freeze::ValidateCheckAccounts, request);
      break;
    }
    case 4: {
      v1::GetFreezeStateRequest request;
      ParseAndValidate(data, size, freeze::ValidateGetFreezeState, request);
      break;
    }
    case 5:
      CheckListing(data, size);
      break;
  }
  return 0;
}
