// Plain-text tables for terminals: columns left-aligned and separated by two
// spaces, the last column unpadded so no line has trailing blanks.
#ifndef SENTINEL_CLI_TABLE_H_
#define SENTINEL_CLI_TABLE_H_

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace sentinel::cli {

// Collects rows, then renders them with each column as wide as its widest
// cell. Empty cells print as "-" so every row has the same number of words.
class Table final {
 public:
  // `headers` is the first row; empty for a table without one.
  explicit Table(std::vector<std::string> headers);

  // `cells` has as many entries as there are headers (fewer are padded with
  // empty cells).
  void AddRow(std::vector<std::string> cells);

  // One line per row, each ending in a newline.
  std::string ToString() const;

 private:
  std::vector<std::vector<std::string>> rows_;
  size_t columns_;
};

// One line of cells padded to `widths` (the last cell is never padded),
// ending in a newline; for rows printed one at a time, as watch does.
std::string FixedWidthLine(const std::vector<std::string>& cells,
                           const std::vector<size_t>& widths);

// "key:  value" lines with the values aligned.
std::string KeyValueBlock(
    const std::vector<std::pair<std::string, std::string>>& pairs);

}  // namespace sentinel::cli

#endif  // SENTINEL_CLI_TABLE_H_
