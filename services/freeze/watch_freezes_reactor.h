// The server side of one WatchFreezes stream.
//
// It pulls batches from its FreezeSubscription and writes them one at a time;
// when caught up it asks the feed to wake it on the next change. Nothing is
// buffered beyond one batch, and writers are never slowed: a subscriber that
// stops reading falls behind in the log and is told to resync.
#ifndef SENTINEL_SERVICES_FREEZE_WATCH_FREEZES_REACTOR_H_
#define SENTINEL_SERVICES_FREEZE_WATCH_FREEZES_REACTOR_H_

#include <memory>

#include "freeze/freeze_feed.h"
#include "grpcpp/support/server_callback.h"
#include "sentinel/v1/freeze.pb.h"

namespace sentinel::services {

class WatchFreezesReactor final
    : public grpc::ServerWriteReactor<v1::FreezeEvent> {
 public:
  // Starts streaming at once. Deletes itself when gRPC is done with it.
  explicit WatchFreezesReactor(
      std::unique_ptr<freeze::FreezeSubscription> subscription);

  void OnWriteDone(bool ok) override;
  void OnCancel() override;
  void OnDone() override;

 private:
  class Pump;
  std::shared_ptr<Pump> pump_;
};

}  // namespace sentinel::services

#endif  // SENTINEL_SERVICES_FREEZE_WATCH_FREEZES_REACTOR_H_
