// FeedWriteReactor through a real gRPC server on loopback port 0, serving
// WatchFreezes from a LogFeed the test publishes to itself.

#include "services/common/feed_write_reactor.h"

#include <memory>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "sentinel/v1/freeze.grpc.pb.h"

namespace sentinel::services {
namespace {

// Serves WatchFreezes from `feed`: version v is one FROZEN event, and every
// read records the thread it ran on.
class FeedService final : public v1::FreezeService::CallbackService {
 public:
  explicit FeedService(LogFeed& feed) : feed_(feed) {}

  grpc::ServerWriteReactor<v1::FreezeEvent>* WatchFreezes(
      grpc::CallbackServerContext* /*context*/,
      const v1::WatchFreezesRequest* request) override {
    auto reader = [this](uint64_t after, size_t max) {
      absl::MutexLock lock(&mu_);
      reader_threads_.push_back(std::this_thread::get_id());
      std::vector<v1::FreezeEvent> events;
      for (uint64_t v = after + 1; v <= feed_.head() && events.size() < max;
           ++v) {
        v1::FreezeEvent event;
        event.set_version(v);
        event.set_kind(v1::FREEZE_EVENT_KIND_FROZEN);
        events.push_back(std::move(event));
      }
      return absl::StatusOr<std::vector<v1::FreezeEvent>>(std::move(events));
    };
    auto* reactor = new FeedWriteReactor<v1::FreezeEvent>(
        std::make_unique<LogSubscription<v1::FreezeEvent>>(
            feed_, reader,
            [](const v1::FreezeEvent& event) { return event.version(); },
            request->from_version()),
        /*resync_notice=*/nullptr, "from_version");
    reactor->starter().Start();
    return reactor;
  }

  std::vector<std::thread::id> reader_threads() {
    absl::MutexLock lock(&mu_);
    return reader_threads_;
  }

 private:
  LogFeed& feed_;
  absl::Mutex mu_;
  std::vector<std::thread::id> reader_threads_ ABSL_GUARDED_BY(mu_);
};

// A stream woken by a publish reads the new events on one of gRPC's
// threads: the log's writer (here the test's thread) never runs a
// subscriber's catch-up read.
TEST(FeedWriteReactorTest, AWokenStreamReadsOffThePublishingThread) {
  LogFeed feed(/*head_version=*/1, /*max_lag=*/100);
  FeedService service(feed);
  int port = 0;
  grpc::ServerBuilder builder;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                           &port);
  builder.RegisterService(&service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  ASSERT_NE(port, 0);
  auto stub = v1::FreezeService::NewStub(grpc::CreateChannel(
      absl::StrCat("127.0.0.1:", port), grpc::InsecureChannelCredentials()));

  grpc::ClientContext context;
  v1::WatchFreezesRequest request;
  auto stream = stub->WatchFreezes(&context, request);
  v1::FreezeEvent event;
  ASSERT_TRUE(stream->Read(&event));
  EXPECT_EQ(event.version(), 1u);
  // The stream read version 1, then found itself caught up and waits for a
  // wake. The next publish wakes it.
  ASSERT_TRUE(feed.AwaitWaiting(1, absl::Seconds(10)));
  const size_t reads_before = service.reader_threads().size();
  feed.Publish(2);
  ASSERT_TRUE(stream->Read(&event));
  EXPECT_EQ(event.version(), 2u);

  const std::vector<std::thread::id> threads = service.reader_threads();
  ASSERT_GT(threads.size(), reads_before);
  for (size_t i = reads_before; i < threads.size(); ++i) {
    EXPECT_NE(threads[i], std::this_thread::get_id()) << "read " << i;
  }

  feed.Close();
  while (stream->Read(&event)) {
  }
  EXPECT_EQ(stream->Finish().error_code(), grpc::StatusCode::UNAVAILABLE);
  server->Shutdown();
}

}  // namespace
}  // namespace sentinel::services
