// The rules of an evidence upload stream, each limit at and just past it.

#include "incident/evidence.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"

namespace sentinel::incident {
namespace {

using ::sentinel::testing::StatusIs;
using ::testing::HasSubstr;

v1::EvidenceChunk First(std::string data,
                        std::string content_type = "image/png") {
  v1::EvidenceChunk chunk;
  chunk.set_incident_id("inc-1");
  chunk.set_file_name("screenshot.png");
  chunk.set_content_type(std::move(content_type));
  chunk.set_data(std::move(data));
  return chunk;
}

v1::EvidenceChunk Next(std::string data) {
  v1::EvidenceChunk chunk;
  chunk.set_data(std::move(data));
  return chunk;
}

TEST(EvidenceAssemblerTest, JoinsChunksInOrder) {
  EvidenceLimits limits;
  EvidenceAssembler assembler(limits);
  ASSERT_OK(assembler.Add(First("abc")));
  v1::EvidenceChunk repeated = First("def");  // headers repeated: fine
  ASSERT_OK(assembler.Add(repeated));
  ASSERT_OK(assembler.Add(Next("g")));
  ASSERT_OK_AND_ASSIGN(EvidenceUpload upload, std::move(assembler).Finish());
  EXPECT_EQ(upload.incident_id, "inc-1");
  EXPECT_EQ(upload.file_name, "screenshot.png");
  EXPECT_EQ(upload.content_type, "image/png");
  EXPECT_EQ(upload.data, "abcdefg");
}

TEST(EvidenceAssemblerTest, FileSizeLimitAtAndPastIt) {
  EvidenceLimits limits;
  limits.max_file_bytes = 10;
  EvidenceAssembler at_limit(limits);
  ASSERT_OK(at_limit.Add(First("12345")));
  ASSERT_OK(at_limit.Add(Next("67890")));
  EvidenceAssembler past(limits);
  ASSERT_OK(past.Add(First("12345")));
  EXPECT_THAT(past.Add(Next("678901")),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "data: the file exceeds the limit of 10 bytes"));
}

TEST(EvidenceAssemblerTest, ChunkSizeAtAndPastOneMebibyte) {
  EvidenceLimits limits;
  EvidenceAssembler assembler(limits);
  ASSERT_OK(assembler.Add(First(std::string(kMaxEvidenceChunkBytes, 'x'))));
  EXPECT_THAT(assembler.Add(Next(std::string(kMaxEvidenceChunkBytes + 1, 'x'))),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "data: a chunk carries at most 1048576 bytes"));
  EXPECT_THAT(assembler.Add(Next("")),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "data: a chunk must carry 1 or more bytes"));
}

TEST(EvidenceAssemblerTest, FirstChunkNamesTheFile) {
  EvidenceLimits limits;
  struct Case {
    std::string incident_id, file_name, content_type, message;
  };
  const std::string long_name(kMaxEvidenceFileNameBytes + 1, 'n');
  for (const Case& c : std::vector<Case>{
           {"", "a.png", "image/png", "incident_id: required"},
           {"inc-01", "a.png", "image/png",
            "incident_id: malformed (expected inc-<number>)"},
           {"inc-1", "", "image/png", "file_name: required"},
           {"inc-1", long_name, "image/png",
            "file_name: longer than 255 bytes"},
           {"inc-1", "../etc/passwd", "image/png",
            "file_name: path separators are not allowed"},
           {"inc-1", "a\nb.png", "image/png",
            "file_name: control characters are not allowed"},
           {"inc-1", "..", "image/png", "file_name: not a file name"},
           {"inc-1", "a.png", "", "content_type: required"},
           {"inc-1", "a.exe", "application/x-msdownload",
            "content_type: application/x-msdownload is not accepted"},
       }) {
    EvidenceAssembler assembler(limits);
    v1::EvidenceChunk chunk = First("data");
    chunk.set_incident_id(c.incident_id);
    chunk.set_file_name(c.file_name);
    chunk.set_content_type(c.content_type);
    EXPECT_THAT(
        assembler.Add(chunk),
        StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(c.message)))
        << c.message;
  }
  EvidenceAssembler longest(limits);
  v1::EvidenceChunk chunk = First("data");
  chunk.set_file_name(std::string(kMaxEvidenceFileNameBytes, 'n'));
  EXPECT_OK(longest.Add(chunk));
}

TEST(EvidenceAssemblerTest, LaterChunksMayNotSwitchFiles) {
  EvidenceLimits limits;
  EvidenceAssembler assembler(limits);
  ASSERT_OK(assembler.Add(First("a")));
  v1::EvidenceChunk other = Next("b");
  other.set_incident_id("inc-2");
  EXPECT_THAT(assembler.Add(other),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("incident_id: differs from the first")));
  v1::EvidenceChunk with_id = Next("b");
  with_id.set_evidence_id("evd-1");
  EXPECT_THAT(assembler.Add(with_id),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("evidence_id: must be empty")));
}

TEST(EvidenceAssemblerTest, EmptyStreamIsRefused) {
  EvidenceLimits limits;
  EXPECT_THAT(EvidenceAssembler(limits).Finish().status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "data: the stream ended before the first chunk"));
}

TEST(EvidenceTest, ContentAddressIsSha256Hex) {
  EXPECT_EQ(ContentAddress("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(EvidenceTest, TextTypesAreRedacted) {
  EXPECT_TRUE(IsTextContent("text/plain"));
  EXPECT_TRUE(IsTextContent("text/csv"));
  EXPECT_TRUE(IsTextContent("application/json"));
  EXPECT_FALSE(IsTextContent("image/png"));
  EXPECT_FALSE(IsTextContent("application/pdf"));
}

TEST(EvidenceTest, EvidenceIds) {
  EXPECT_EQ(EvidenceId(7), "evd-7");
  EXPECT_EQ(ParseEvidenceId("evd-7"), 7u);
  EXPECT_EQ(ParseEvidenceId("evd-07"), std::nullopt);
  EXPECT_EQ(ParseEvidenceId("evd-+7"), std::nullopt);
  EXPECT_EQ(ParseEvidenceId("inc-7"), std::nullopt);
  v1::ReadEvidenceRequest request;
  request.set_incident_id("inc-1");
  EXPECT_THAT(
      ValidateReadEvidence(request),
      StatusIs(absl::StatusCode::kInvalidArgument, "evidence_id: required"));
  request.set_evidence_id("evd-x");
  EXPECT_THAT(ValidateReadEvidence(request),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "evidence_id: malformed (expected evd-<number>)"));
}

}  // namespace
}  // namespace sentinel::incident
