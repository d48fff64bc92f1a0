// A FreezeService whose CheckAccounts names the caller the TLS
// authenticator found: the TLS tests' probe of who a handshake proved.
#ifndef SENTINEL_TESTS_TLS_WHO_AM_I_SERVICE_H_
#define SENTINEL_TESTS_TLS_WHO_AM_I_SERVICE_H_

#include <memory>
#include <utility>

#include "sentinel/v1/freeze.grpc.pb.h"
#include "services/common/grpc_status.h"
#include "services/common/tls_authenticator.h"
#include "tls/crl_watcher.h"

namespace sentinel::testing {

// CheckAccounts answers with one result whose account_id is the caller, or
// fails with the authenticator's status.
class WhoAmIService final : public v1::FreezeService::CallbackService {
 public:
  // Without a CRL, or checking each call against `crl`.
  WhoAmIService() = default;
  explicit WhoAmIService(std::shared_ptr<tls::CrlWatcher> crl)
      : authenticator_(std::move(crl)) {}

  grpc::ServerUnaryReactor* CheckAccounts(
      grpc::CallbackServerContext* context,
      const v1::CheckAccountsRequest* /*request*/,
      v1::CheckAccountsResponse* response) override {
    absl::StatusOr<Principal> caller = authenticator_.Authenticate(*context);
    if (caller.ok()) {
      response->add_results()->set_account_id(caller->ToString());
    }
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    reactor->Finish(services::ToGrpcStatus(caller.status()));
    return reactor;
  }

 private:
  services::TlsAuthenticator authenticator_;
};

}  // namespace sentinel::testing

#endif  // SENTINEL_TESTS_TLS_WHO_AM_I_SERVICE_H_
