// Implements aligned plain-text tables.
#include "cli/table.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace sentinel::cli {
namespace {

constexpr char kGap[] = "  ";

}  // namespace

Table::Table(std::vector<std::string> headers) : columns_(headers.size()) {
  if (!headers.empty()) AddRow(std::move(headers));
}

void Table::AddRow(std::vector<std::string> cells) {
  columns_ = std::max(columns_, cells.size());
  for (std::string& cell : cells) {
    if (cell.empty()) cell.push_back('-');
  }
  rows_.push_back(std::move(cells));
}

std::string Table::ToString() const {
  std::vector<size_t> widths(columns_, 1);
  for (const std::vector<std::string>& row : rows_) {
    for (size_t i = 0; i < row.size(); ++i) {
      widths[i] = std::max(widths[i], row[i].size());
    }
  }
  std::string text;
  for (std::vector<std::string> row : rows_) {
    row.resize(columns_, "-");
    absl::StrAppend(&text, FixedWidthLine(row, widths));
  }
  return text;
}

std::string FixedWidthLine(const std::vector<std::string>& cells,
                           const std::vector<size_t>& widths) {
  std::string line;
  for (size_t i = 0; i < cells.size(); ++i) {
    if (i > 0) line += kGap;
    line += cells[i];
    const bool last = i + 1 == cells.size();
    if (!last && i < widths.size() && cells[i].size() < widths[i]) {
      line.append(widths[i] - cells[i].size(), ' ');
    }
  }
  line += '\n';
  return line;
}

std::string KeyValueBlock(
    const std::vector<std::pair<std::string, std::string>>& pairs) {
  size_t width = 0;
  for (const auto& [key, value] : pairs)
    width = std::max(width, key.size() + 1);
  std::string text;
  for (const auto& [key, value] : pairs) {
    text += FixedWidthLine({key + ":", value.empty() ? "-" : value}, {width});
  }
  return text;
}

}  // namespace sentinel::cli
