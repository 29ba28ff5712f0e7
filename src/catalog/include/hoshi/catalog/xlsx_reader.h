// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "hoshi/core/result.h"

namespace hoshi::catalog {

/// Limits applied while reading a workbook, so that a hostile file cannot exhaust memory
/// (zip bombs, huge sheets). The defaults are far above IPA's sheet (158 rows × 18 columns).
struct XlsxLimits {
  std::uint64_t max_part_bytes = 32ULL << 20;  ///< uncompressed size of one XML part
  std::int64_t max_zip_entries = 10000;
  int max_rows = 100000;
  int max_columns = 1024;
  std::size_t max_cells = 1000000;
};

/// One worksheet read from an .xlsx file: the text of every non-empty cell by (row, column),
/// both 1-based. Shared strings, inline strings (incl. rich-text runs, without phonetic runs) and
/// cached formula results are read as text; numbers as written by Excel, integers without ".0";
/// booleans as TRUE/FALSE. Merged ranges repeat their top-left value in every cell.
struct XlsxSheet {
  std::string name;
  std::map<std::pair<int, int>, std::string> cells;
  int max_row = 0;
  int max_column = 0;

  /// The cell's text, "" when empty.
  [[nodiscard]] const std::string& Cell(int row, int column) const;
};

/// The worksheet names in workbook order. Errors: kDataError (not an .xlsx, broken XML),
/// kTooLarge (a limit exceeded).
[[nodiscard]] Result<std::vector<std::string>> ListXlsxSheets(std::string_view xlsx_bytes,
                                                              const XlsxLimits& limits = {});

/// Reads the sheet called `name` (compared exactly, then ignoring white space). When no sheet has
/// that name: the first sheet if `fallback_to_first`, else kNotFound. Other errors as
/// ListXlsxSheets. Pure function of its input; thread-safe.
[[nodiscard]] Result<XlsxSheet> ReadXlsxSheet(std::string_view xlsx_bytes, std::string_view name,
                                              bool fallback_to_first = true,
                                              const XlsxLimits& limits = {});

/// "B12" -> {12, 2}; nullopt when malformed or beyond Excel's grid (XFD1048576).
[[nodiscard]] std::optional<std::pair<int, int>> ParseCellRef(std::string_view ref);

/// The column letters of a 1-based column number (1 -> "A", 28 -> "AB").
[[nodiscard]] std::string ColumnName(int column);

}  // namespace hoshi::catalog
