// sentinelctl's flags. absl flags are global, so the options of individual
// subcommands are flags too; each subcommand accepts only its own (see
// commands.cc), and the rest are the global flags every subcommand takes.
#ifndef SENTINEL_CLI_FLAGS_H_
#define SENTINEL_CLI_FLAGS_H_

#include <cstdint>
#include <string>

#include "absl/flags/declare.h"
#include "absl/time/time.h"

// Global flags.
ABSL_DECLARE_FLAG(std::string, server);
ABSL_DECLARE_FLAG(std::string, as);
ABSL_DECLARE_FLAG(bool, json);
ABSL_DECLARE_FLAG(bool, insecure);
ABSL_DECLARE_FLAG(absl::Duration, timeout);
ABSL_DECLARE_FLAG(std::string, data_dir);
ABSL_DECLARE_FLAG(std::string, tls_ca);
ABSL_DECLARE_FLAG(std::string, tls_cert);
ABSL_DECLARE_FLAG(std::string, tls_key);

// Subcommand options.
ABSL_DECLARE_FLAG(std::string, scopes);
ABSL_DECLARE_FLAG(std::string, reason);
ABSL_DECLARE_FLAG(std::string, incident);
ABSL_DECLARE_FLAG(std::string, idempotency_key);
ABSL_DECLARE_FLAG(std::string, action);
ABSL_DECLARE_FLAG(int32_t, page_size);
ABSL_DECLARE_FLAG(std::string, page_token);
ABSL_DECLARE_FLAG(uint64_t, from_version);
ABSL_DECLARE_FLAG(int64_t, max_events);
ABSL_DECLARE_FLAG(std::string, subject);
ABSL_DECLARE_FLAG(std::string, actor);
ABSL_DECLARE_FLAG(std::string, since);
ABSL_DECLARE_FLAG(std::string, until);
ABSL_DECLARE_FLAG(uint64_t, tree_size);
ABSL_DECLARE_FLAG(std::string, vkey);
ABSL_DECLARE_FLAG(std::string, out);
ABSL_DECLARE_FLAG(std::string, category);
ABSL_DECLARE_FLAG(std::string, description);
ABSL_DECLARE_FLAG(std::string, channel);
ABSL_DECLARE_FLAG(int32_t, vip_level);
ABSL_DECLARE_FLAG(std::string, status);
ABSL_DECLARE_FLAG(std::string, priority);
ABSL_DECLARE_FLAG(std::string, account);
ABSL_DECLARE_FLAG(std::string, state);
ABSL_DECLARE_FLAG(std::string, requested_by);
ABSL_DECLARE_FLAG(std::string, assignee);
ABSL_DECLARE_FLAG(std::string, note);
ABSL_DECLARE_FLAG(bool, breached_only);
ABSL_DECLARE_FLAG(std::string, content_type);
ABSL_DECLARE_FLAG(std::string, model);
ABSL_DECLARE_FLAG(int32_t, max_hops);
ABSL_DECLARE_FLAG(int32_t, max_edges);
ABSL_DECLARE_FLAG(std::string, assets);
ABSL_DECLARE_FLAG(std::string, dot);
ABSL_DECLARE_FLAG(std::string, accounts);
ABSL_DECLARE_FLAG(std::string, kind);
ABSL_DECLARE_FLAG(bool, pending);

namespace sentinel::cli {

// The --as default: "agent/" + $USER, or "agent/operator" when USER is unset
// or empty.
std::string DefaultPrincipal();

}  // namespace sentinel::cli

#endif  // SENTINEL_CLI_FLAGS_H_
