#include "common/version_sequencer.h"

namespace sentinel {

VersionSequencer::VersionSequencer(LogFeed& feed, uint64_t last_version)
    : feed_(feed), last_reserved_(last_version), published_(last_version) {}

uint64_t VersionSequencer::Reserve() {
  absl::MutexLock lock(&mu_);
  return ++last_reserved_;
}

void VersionSequencer::Finish(uint64_t version) {
  absl::MutexLock lock(&mu_);
  finished_.insert(version);
  const uint64_t before = published_;
  while (!finished_.empty() && *finished_.begin() == published_ + 1) {
    finished_.erase(finished_.begin());
    ++published_;
  }
  // Under mu_, so the feed sees heads in increasing order.
  if (published_ != before) feed_.Publish(published_);
}

}  // namespace sentinel
