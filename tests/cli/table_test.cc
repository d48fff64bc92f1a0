// Tests of sentinelctl's plain-text tables.
#include "cli/table.h"

#include "gtest/gtest.h"

namespace sentinel::cli {
namespace {

TEST(TableTest, AlignsColumnsAndLeavesTheLastUnpadded) {
  Table table({"ACCOUNT", "ALLOWED", "REASON"});
  table.AddRow({"acct-42", "no", "frozen for WITHDRAW"});
  table.AddRow({"acct-1234567", "yes", ""});
  EXPECT_EQ(table.ToString(),
            "ACCOUNT       ALLOWED  REASON\n"
            "acct-42       no       frozen for WITHDRAW\n"
            "acct-1234567  yes      -\n");
}

TEST(TableTest, EmptyAndMissingCellsPrintAsDash) {
  Table table({"A", "B", "C"});
  table.AddRow({"", "x"});
  EXPECT_EQ(table.ToString(),
            "A  B  C\n"
            "-  x  -\n");
}

TEST(TableTest, WithoutHeaders) {
  Table table({});
  EXPECT_EQ(table.ToString(), "");
  table.AddRow({"one", "1"});
  table.AddRow({"three", "3"});
  EXPECT_EQ(table.ToString(),
            "one    1\n"
            "three  3\n");
}

TEST(TableTest, WiderRowsWidenTheTable) {
  Table table({"A"});
  table.AddRow({"x", "extra"});
  EXPECT_EQ(table.ToString(),
            "A  -\n"
            "x  extra\n");
}

TEST(FixedWidthLineTest, PadsToWidthsAndOverflowsLongCells) {
  EXPECT_EQ(FixedWidthLine({"1", "FROZEN", "acct-1"}, {3, 8}),
            "1    FROZEN    acct-1\n");
  EXPECT_EQ(FixedWidthLine({"12345", "x", "y"}, {3, 1}), "12345  x  y\n");
  // Cells beyond the widths given are not padded.
  EXPECT_EQ(FixedWidthLine({"a", "b", "c"}, {2}), "a   b  c\n");
  EXPECT_EQ(FixedWidthLine({}, {}), "\n");
}

TEST(KeyValueBlockTest, AlignsValuesAndDashesEmptyOnes) {
  EXPECT_EQ(KeyValueBlock({{"account", "acct-42"},
                           {"withdrawals held until", ""},
                           {"active freezes", "1"}}),
            "account:                 acct-42\n"
            "withdrawals held until:  -\n"
            "active freezes:          1\n");
}

}  // namespace
}  // namespace sentinel::cli
