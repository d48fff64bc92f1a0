// The audit subcommands over AuditService: query, checkpoint, prove and
// export. Reading the audit log needs a role the authorization table allows
// for it (security, auditor or admin), chosen with --as; the server refuses
// others with PERMISSION_DENIED, and records every read, refused or not.
//
// The server is not trusted with what it signs: given --vkey (which prove
// requires), checkpoints and receipts are verified here with the log's
// public key, and export re-hashes every entry against the checkpoint's root
// before the bundle gets its real name.
#include <cstdio>
#include <memory>
#include <optional>
#include <string>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "audit/bundle.h"
#include "audit/merkle.h"
#include "cli/atomic_file.h"
#include "cli/audit_export.h"
#include "cli/audit_options.h"
#include "cli/audit_output.h"
#include "cli/audit_verification.h"
#include "cli/command_runners.h"
#include "cli/flags.h"
#include "cli/report.h"
#include "common/proto_json.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"

namespace sentinel::cli {
namespace {

// A bad --vkey value is a usage error; an unreadable key file is not.
int KeyFailure(const absl::Status& status) {
  if (status.code() == absl::StatusCode::kInvalidArgument) {
    return UsageFailure(status.message());
  }
  return Failure(status);
}

// `status` with `context` (what was being done) added to its message.
absl::Status FromGrpc(const grpc::Status& status, absl::string_view context) {
  // grpc::StatusCode and absl::StatusCode share their numbering.
  return absl::Status(
      static_cast<absl::StatusCode>(status.error_code()),
      status.error_message().empty()
          ? std::string(context)
          : absl::StrCat(status.error_message(), " (", context, ")"));
}

// RpcFailure, with a hint when the role is the problem: --as defaults to an
// agent, which may not read the audit log.
int AuditRpcFailure(const grpc::Status& status) {
  if (status.error_code() != grpc::StatusCode::PERMISSION_DENIED) {
    return RpcFailure(status);
  }
  return RpcFailure(grpc::Status(
      status.error_code(),
      absl::StrCat(status.error_message(),
                   " (reading the audit log needs --as with role security, "
                   "auditor or admin)")));
}

grpc::Status GetCheckpoint(Session& session, uint64_t tree_size,
                           v1::Checkpoint* checkpoint) {
  v1::GetCheckpointRequest request;
  request.set_tree_size(tree_size);
  grpc::ClientContext context;
  session.Prepare(&context);
  return session.audit().GetCheckpoint(&context, request, checkpoint);
}

// Adds `message` to `object` as field `name`, in the JSON form --json gives
// every message (every field printed).
absl::Status AddJsonField(const google::protobuf::Message& message,
                          absl::string_view name,
                          google::protobuf::Struct* object) {
  absl::StatusOr<std::string> json = ToJson(message, /*pretty=*/true);
  if (!json.ok()) return json.status();
  google::protobuf::Value& field =
      (*object->mutable_fields())[std::string(name)];
  if (!google::protobuf::util::JsonStringToMessage(*json,
                                                   field.mutable_struct_value())
           .ok()) {
    return absl::InternalError(absl::StrCat("cannot print ", name, " as JSON"));
  }
  return absl::OkStatus();
}

}  // namespace

// audit query [--subject=ID] [--actor=ROLE/NAME] [--action=Service.Method]
// [--since=T] [--until=T] [--page_size=N] [--page_token=T]
int RunAuditQuery(const CommandEnv& env) {
  absl::StatusOr<v1::QueryAuditRequest> request = QueryAuditRequestFromFlags();
  if (!request.ok()) return UsageFailure(request.status().message());

  grpc::ClientContext context;
  env.session.Prepare(&context);
  v1::QueryAuditResponse response;
  const grpc::Status status =
      env.session.audit().QueryAudit(&context, *request, &response);
  if (!status.ok()) return AuditRpcFailure(status);
  return PrintResult(response, env.json,
                     [&] { return AuditQueryText(response); });
}

// audit checkpoint [--tree_size=N] [--vkey=FILE_OR_TEXT]. Without --vkey the
// output is exactly the signed note, for auditors to save.
int RunAuditCheckpoint(const CommandEnv& env) {
  std::optional<VerifierKey> key;
  if (env.given.count("vkey") != 0) {
    absl::StatusOr<VerifierKey> read =
        ReadVerifierKey(absl::GetFlag(FLAGS_vkey));
    if (!read.ok()) return KeyFailure(read.status());
    key = *std::move(read);
  }
  const uint64_t tree_size = absl::GetFlag(FLAGS_tree_size);

  v1::Checkpoint checkpoint;
  const grpc::Status status =
      GetCheckpoint(env.session, tree_size, &checkpoint);
  if (!status.ok()) return AuditRpcFailure(status);
  if (key.has_value()) {
    absl::StatusOr<audit::Checkpoint> verified =
        VerifyCheckpoint(checkpoint, *key);
    if (!verified.ok()) return Failure(verified.status());
  }
  if (tree_size != 0 && checkpoint.tree_size() != tree_size) {
    return Failure(absl::DataLossError(
        absl::StrCat("asked for the checkpoint of size ", tree_size,
                     ", the server returned size ", checkpoint.tree_size())));
  }
  return PrintResult(checkpoint, env.json, [&] {
    return key.has_value()
               ? absl::StrCat(checkpoint.note(), VerifiedText(key->name))
               : checkpoint.note();
  });
}

// audit prove SEQ --vkey=FILE_OR_TEXT [--out=FILE]
int RunAuditProve(const CommandEnv& env) {
  absl::StatusOr<uint64_t> seq = ParseSeqArgument(env.args[0]);
  if (!seq.ok()) return UsageFailure(seq.status().message());
  if (env.given.count("vkey") == 0) {
    return UsageFailure(
        "audit prove needs --vkey=FILE_OR_TEXT, the log's verifier key "
        "(sentineld writes it to <data_dir>/audit.vkey)");
  }
  absl::StatusOr<VerifierKey> key = ReadVerifierKey(absl::GetFlag(FLAGS_vkey));
  if (!key.ok()) return KeyFailure(key.status());
  const std::string out = absl::GetFlag(FLAGS_out);

  v1::Checkpoint checkpoint;
  grpc::Status status = GetCheckpoint(env.session, 0, &checkpoint);
  if (!status.ok()) return AuditRpcFailure(status);
  if (*seq >= checkpoint.tree_size()) {
    return Failure(absl::OutOfRangeError(absl::StrCat(
        "entry ", *seq, " is not in the log yet: the newest checkpoint covers ",
        checkpoint.tree_size(), " entries")));
  }

  v1::GetEntriesRequest entries_request;
  entries_request.set_start_seq(*seq);
  entries_request.set_max_entries(1);
  v1::GetEntriesResponse entries;
  {
    grpc::ClientContext context;
    env.session.Prepare(&context);
    status =
        env.session.audit().GetEntries(&context, entries_request, &entries);
  }
  if (!status.ok()) return AuditRpcFailure(status);
  if (entries.entries().empty()) {
    return Failure(absl::DataLossError(absl::StrCat(
        "the server returned no entry ", *seq, " although its checkpoint of ",
        checkpoint.tree_size(), " entries covers it")));
  }

  v1::GetInclusionProofRequest proof_request;
  proof_request.set_seq(*seq);
  proof_request.set_tree_size(checkpoint.tree_size());
  v1::InclusionProof proof;
  {
    grpc::ClientContext context;
    env.session.Prepare(&context);
    status =
        env.session.audit().GetInclusionProof(&context, proof_request, &proof);
  }
  if (!status.ok()) return AuditRpcFailure(status);

  absl::StatusOr<ProvenEntry> proven =
      ProveEntry(*seq, checkpoint, entries.entries(0), proof, *key);
  if (!proven.ok()) return Failure(proven.status());

  if (!out.empty()) {
    absl::StatusOr<std::unique_ptr<AtomicFileWriter>> file =
        AtomicFileWriter::Create(out);
    if (!file.ok()) return Failure(file.status());
    (*file)->stream() << proven->receipt;
    if (absl::Status committed = (*file)->Commit(); !committed.ok()) {
      return Failure(committed);
    }
  }

  if (env.json) {
    // The proven entry as reads return it, so scripts can re-check it.
    v1::AuditEntry entry = proven->verified.entry;
    entry.set_stored_bytes(entries.entries(0).stored_bytes());
    entry.set_leaf_hash(audit::LeafHash(entry.stored_bytes()));
    google::protobuf::Struct result;
    absl::Status added = AddJsonField(entry, "entry", &result);
    if (added.ok()) added = AddJsonField(checkpoint, "checkpoint", &result);
    if (!added.ok()) return Failure(added);
    return PrintResult(result, /*json=*/true, [] { return std::string(); });
  }
  std::string text =
      absl::StrCat(IncludedText(*seq, proven->verified.checkpoint),
                   AuditEntryText(proven->verified.entry));
  if (!out.empty()) absl::StrAppend(&text, "receipt written to ", out, "\n");
  return WriteOut(text);
}

// audit export FILE [--vkey=FILE_OR_TEXT]
int RunAuditExport(const CommandEnv& env) {
  const std::string& path = env.args[0];
  std::optional<VerifierKey> key;
  if (env.given.count("vkey") != 0) {
    absl::StatusOr<VerifierKey> read =
        ReadVerifierKey(absl::GetFlag(FLAGS_vkey));
    if (!read.ok()) return KeyFailure(read.status());
    key = *std::move(read);
  }

  v1::Checkpoint checkpoint;
  const grpc::Status status = GetCheckpoint(env.session, 0, &checkpoint);
  if (!status.ok()) return AuditRpcFailure(status);
  // Before anything is downloaded: a checkpoint that does not verify makes
  // the whole bundle worthless.
  if (key.has_value()) {
    absl::StatusOr<audit::Checkpoint> verified =
        VerifyCheckpoint(checkpoint, *key);
    if (!verified.ok()) return Failure(verified.status());
  }

  absl::StatusOr<std::unique_ptr<AtomicFileWriter>> file =
      AtomicFileWriter::Create(path);
  if (!file.ok()) return Failure(file.status());
  audit::BundleWriter bundle((*file)->stream());
  // Each page is its own call with its own deadline, so a long export is
  // bounded per page rather than as a whole.
  auto fetch =
      [&env](uint64_t start_seq,
             int32_t max_entries) -> absl::StatusOr<v1::GetEntriesResponse> {
    v1::GetEntriesRequest request;
    request.set_start_seq(start_seq);
    request.set_max_entries(max_entries);
    grpc::ClientContext context;
    env.session.Prepare(&context);
    v1::GetEntriesResponse response;
    const grpc::Status page =
        env.session.audit().GetEntries(&context, request, &response);
    if (!page.ok()) {
      return FromGrpc(page, absl::StrCat("reading entries from ", start_seq,
                                         " for the export"));
    }
    return response;
  };
  auto progress = [total = checkpoint.tree_size()](uint64_t written) {
    std::fprintf(stderr, "sentinelctl: %s",
                 ExportProgressText(written, total).c_str());
  };
  if (absl::Status written = WriteBundle(checkpoint, fetch, bundle, progress);
      !written.ok()) {
    return Failure(written);
  }
  if (absl::Status committed = (*file)->Commit(); !committed.ok()) {
    return Failure(committed);
  }
  return PrintResult(checkpoint, env.json, [&] {
    return absl::StrCat(
        key.has_value() ? VerifiedText(key->name) : "",
        ExportedText(checkpoint.tree_size(), checkpoint.tree_size(), path));
  });
}

}  // namespace sentinel::cli
