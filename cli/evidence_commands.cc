// The evidence subcommands: `evidence add` streams a local file to
// AddEvidence in 1 MiB chunks; `evidence get` streams one file back from
// ReadEvidence into a local file that appears only once the whole stream has
// arrived, and prints its SHA-256 to compare with the content address that
// `show` lists.
#include <fstream>
#include <memory>
#include <string>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "cli/atomic_file.h"
#include "cli/command_runners.h"
#include "cli/flags.h"
#include "cli/incident_output.h"
#include "cli/report.h"
#include "incident/evidence.h"

namespace sentinel::cli {
namespace {

// The content type of a file from its extension; empty when unknown.
std::string ContentTypeOf(absl::string_view path) {
  const size_t dot = path.rfind('.');
  if (dot == absl::string_view::npos) return "";
  std::string extension(path.substr(dot + 1));
  for (char& c : extension) c = static_cast<char>(std::tolower(c));
  if (extension == "png") return "image/png";
  if (extension == "jpg" || extension == "jpeg") return "image/jpeg";
  if (extension == "webp") return "image/webp";
  if (extension == "pdf") return "application/pdf";
  if (extension == "txt" || extension == "log") return "text/plain";
  if (extension == "csv") return "text/csv";
  if (extension == "json") return "application/json";
  return "";
}

std::string BaseName(absl::string_view path) {
  const size_t slash = path.rfind('/');
  return std::string(slash == absl::string_view::npos ? path
                                                      : path.substr(slash + 1));
}

}  // namespace

// evidence add INCIDENT_ID FILE [--content_type=TYPE]
int RunEvidenceAdd(const CommandEnv& env) {
  const std::string& path = env.args[1];
  std::string content_type = absl::GetFlag(FLAGS_content_type);
  if (content_type.empty()) content_type = ContentTypeOf(path);
  if (content_type.empty()) {
    return UsageFailure(absl::StrCat(
        path,
        ": cannot tell its content type from the name; give "
        "--content_type (image/png, image/jpeg, image/webp, "
        "application/pdf, text/plain, text/csv or application/json)"));
  }
  std::ifstream file(path, std::ios::binary);
  if (!file) return UsageFailure(absl::StrCat(path, ": cannot open"));

  grpc::ClientContext context;
  env.session.Prepare(&context);
  v1::Evidence evidence;
  std::unique_ptr<grpc::ClientWriterInterface<v1::EvidenceChunk>> writer =
      env.session.incident().AddEvidence(&context, &evidence);
  v1::EvidenceChunk chunk;
  chunk.set_incident_id(env.args[0]);
  chunk.set_file_name(BaseName(path));
  chunk.set_content_type(content_type);
  std::string buffer(incident::kMaxEvidenceChunkBytes, '\0');
  bool sent_any = false;
  while (true) {
    file.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    const std::streamsize got = file.gcount();
    if (got <= 0) break;
    chunk.set_data(buffer.data(), static_cast<size_t>(got));
    sent_any = true;
    // A refused stream stops taking writes; Finish() says why.
    if (!writer->Write(chunk)) break;
    chunk.Clear();
  }
  if (file.bad()) {
    context.TryCancel();
    writer->Finish();
    return Failure(absl::DataLossError(absl::StrCat(path, ": read failed")));
  }
  if (!sent_any) {
    context.TryCancel();
    writer->Finish();
    return UsageFailure(absl::StrCat(path, ": is empty"));
  }
  writer->WritesDone();
  const grpc::Status status = writer->Finish();
  if (!status.ok()) return RpcFailure(status);
  return PrintResult(evidence, env.json,
                     [&] { return EvidenceAddedText(evidence); });
}

// evidence get INCIDENT_ID EVIDENCE_ID --out=FILE
int RunEvidenceGet(const CommandEnv& env) {
  const std::string out = absl::GetFlag(FLAGS_out);
  if (out.empty()) return UsageFailure("--out=FILE is required");
  v1::ReadEvidenceRequest request;
  request.set_incident_id(env.args[0]);
  request.set_evidence_id(env.args[1]);

  absl::StatusOr<std::unique_ptr<AtomicFileWriter>> file =
      AtomicFileWriter::Create(out);
  if (!file.ok()) return Failure(file.status());
  grpc::ClientContext context;
  env.session.Prepare(&context);
  std::unique_ptr<grpc::ClientReaderInterface<v1::EvidenceChunk>> reader =
      env.session.incident().ReadEvidence(&context, request);
  v1::EvidenceChunk chunk;
  v1::EvidenceChunk first;
  std::string content;
  while (reader->Read(&chunk)) {
    if (first.evidence_id().empty()) first = chunk;
    content += chunk.data();
  }
  const grpc::Status status = reader->Finish();
  if (!status.ok()) return RpcFailure(status);
  (*file)->stream() << content;
  if (absl::Status committed = (*file)->Commit(); !committed.ok()) {
    return Failure(committed);
  }
  const std::string sha256 = incident::ContentAddress(content);
  first.clear_data();
  return PrintResult(first, env.json, [&] {
    return absl::StrCat("wrote ", first.evidence_id(), " (", first.file_name(),
                        ", ", first.content_type(), ", ", content.size(),
                        " bytes, sha256 ", sha256, ") to ", out, "\n");
  });
}

}  // namespace sentinel::cli
