// BoundedJson and BoundEntry: what an audit entry carries across to the
// audit service is bounded, and what is left out stays provable.
#include "audit/audit_entries.h"

#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "audit/sha256.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace sentinel::audit {
namespace {

using ::testing::HasSubstr;

std::string Digest(absl::string_view text) {
  return absl::StrCat("{\"sha256\":\"", absl::BytesToHexString(Sha256({text})),
                      "\",\"json_bytes\":", text.size(), "}");
}

TEST(BoundedJsonTest, JsonThatFitsIsUnchanged) {
  const std::string json = R"({"a":"x","b":[1,2]})";
  EXPECT_EQ(BoundedJson(json, json.size()), json);
}

TEST(BoundedJsonTest, TheLargestMembersBecomeDigestsFirst) {
  const std::string big = absl::StrCat("\"", std::string(5000, 'b'), "\"");
  const std::string medium =
      absl::StrCat("[{\"note\":\"", std::string(3000, 'm'), "\"}]");
  const std::string json = absl::StrCat("{\"id\":\"inc-1\",\"big\":", big,
                                        ",\"medium\":", medium, ",\"n\":3}");
  // Room for the medium member but not for both.
  EXPECT_EQ(BoundedJson(json, 3500),
            absl::StrCat("{\"id\":\"inc-1\",\"big\":", Digest(big),
                         ",\"medium\":", medium, ",\"n\":3}"));
  EXPECT_EQ(BoundedJson(json, 400),
            absl::StrCat("{\"id\":\"inc-1\",\"big\":", Digest(big),
                         ",\"medium\":", Digest(medium), ",\"n\":3}"));
}

TEST(BoundedJsonTest, WhatCannotBeSplitBecomesOneDigest) {
  const std::string text(1000, 'x');
  EXPECT_EQ(BoundedJson(text, 500), Digest(text));
  const std::string array = absl::StrCat("[\"", std::string(1000, 'x'), "\"]");
  EXPECT_EQ(BoundedJson(array, 500), Digest(array));
  // Even digests of every member would not fit.
  std::string many = "{";
  for (int i = 0; i < 50; ++i) {
    absl::StrAppend(&many, i > 0 ? "," : "", "\"k", i, "\":\"",
                    std::string(100, 'v'), "\"");
  }
  many += "}";
  EXPECT_EQ(BoundedJson(many, 1000), Digest(many));
  EXPECT_EQ(BoundedJson(many, 0).size(), Digest(many).size());
  EXPECT_LE(Digest(many).size(), kMinBoundedJsonBytes);
}

TEST(BoundedJsonTest, StringsWithBracesAndEscapesAreOneMember) {
  const std::string tricky =
      absl::StrCat("\"}{,\\\"[", std::string(2000, 'q'), "\"");
  const std::string json = absl::StrCat("{\"t\":", tricky, ",\"u\":1}");
  EXPECT_EQ(BoundedJson(json, 500),
            absl::StrCat("{\"t\":", Digest(tricky), ",\"u\":1}"));
}

TEST(BoundEntryTest, AnEntryThatFitsIsUnchanged) {
  v1::AuditEntry entry;
  entry.set_action("FreezeService.FreezeAccount");
  entry.set_after(R"({"freeze_id":"frz-1"})");
  v1::AuditEntry bounded = entry;
  BoundEntry(bounded, 8 * 1024);
  EXPECT_EQ(bounded.SerializeAsString(), entry.SerializeAsString());
}

TEST(BoundEntryTest, EveryFieldIsBounded) {
  v1::AuditEntry entry;
  entry.set_action("IncidentService.UpdateIncidentStatus");
  entry.set_principal(std::string(5000, 'p'));
  entry.mutable_outcome()->set_message(std::string(5000, 'm'));
  entry.set_before(absl::StrCat("{\"history\":\"", std::string(900000, 'h'),
                                "\",\"status\":\"NEW\"}"));
  entry.set_after(absl::StrCat("{\"history\":\"", std::string(900001, 'h'),
                               "\",\"status\":\"ACKNOWLEDGED\"}"));
  entry.set_parameters(R"({"note":"short"})");
  BoundEntry(entry, 64 * 1024);
  EXPECT_LE(entry.ByteSizeLong(), 64u * 1024);
  EXPECT_EQ(
      entry.principal(),
      absl::StrCat(
          "sha256:", absl::BytesToHexString(Sha256({std::string(5000, 'p')})),
          "/5000"));
  EXPECT_THAT(entry.before(), HasSubstr("\"status\":\"NEW\""));
  EXPECT_THAT(entry.after(), HasSubstr("\"status\":\"ACKNOWLEDGED\""));
  EXPECT_EQ(entry.parameters(), R"({"note":"short"})");
}

}  // namespace
}  // namespace sentinel::audit
