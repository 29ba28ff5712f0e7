// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hoshi/catalog/catalog.h"
#include "hoshi/catalog/xlsx_reader.h"
#include "hoshi/core/result.h"

namespace hoshi::catalog {

/// The name of the sheet in IPA's requirements/criteria workbook.
inline constexpr std::string_view kIpaSheetName = "★3・★4要求事項・評価基準";
/// The header row and the first criterion row of that sheet (scs-scheme.md §2.1).
inline constexpr int kIpaHeaderRow = 2;
inline constexpr int kIpaFirstDataRow = 3;
/// At most this many criterion rows are read (the 2026-03-27 sheet has 153).
inline constexpr int kIpaMaxDataRows = 5000;

/// How to import IPA's "★3・★4 要求事項・評価基準" workbook.
struct ImportOptions {
  /// The version of the new catalog, e.g. "2026-04-21" (its key becomes "scs-<version>").
  std::string version;
  /// Publication date of the sheet (YYYY-MM-DD); defaults to `version`.
  std::string published;
  /// The catalog to take level names, published counts, English titles, paraphrased guidance,
  /// evidence hints and recurrence from, matched by id: normally the shipped SCS catalog.
  /// Required; must outlive the call.
  const CatalogVersion* base = nullptr;
  /// Require the counts published in `base` (★3 26/81, ★4 43/153, per category). When false, a
  /// revised sheet with other counts is accepted; the differences are reported as warnings and
  /// the new catalog's published counts are the sheet's.
  bool require_published_counts = true;
  /// The sheet to read; when absent the first sheet is read (with a warning).
  std::string sheet_name = std::string(kIpaSheetName);
  XlsxLimits limits;
};

/// The outcome of an import. `catalog` is set only when `errors` is empty.
struct ImportResult {
  std::optional<CatalogVersion> catalog;
  /// Every problem found. Row problems carry location {sheet name, row number}; see
  /// FormatImportMessage for the display form.
  std::vector<Error> errors;
  /// Accepted differences (fallback sheet, revised counts, ids not in the base catalog).
  std::vector<Error> warnings;
  /// Counts computed from the sheet, one per level of the base catalog.
  std::vector<LevelCounts> counts;
  std::string sheet_name;
  int rows_read = 0;
  /// Lower-case hex SHA-256 of the workbook bytes.
  std::string source_sha256;

  [[nodiscard]] bool ok() const { return errors.empty() && catalog.has_value(); }
};

/// Imports IPA's requirements/criteria workbook (.xlsx bytes) as a new version of the base
/// catalog, with text_source "official", the official requirement texts (column J) and
/// criterion texts (column M) in official_text_ja (white space normalised), and source_sha256.
/// Every problem in the sheet (header, cells, ids, ○ marks, levels, consistency, counts) is
/// collected into ImportResult::errors; no catalog is produced when there is any.
/// Returned errors: kInvalidArgument (no base catalog, bad version), kDataError / kTooLarge when
/// the bytes are not a readable workbook. Thread-safe; the result owns all its data.
[[nodiscard]] Result<ImportResult> ImportIpaSheet(std::string_view xlsx_bytes,
                                                  const ImportOptions& options);

/// An import problem for display: "シート「…」の 57 行目: …" / "sheet '…', row 57: …"
/// (or "シート「…」: …" when the problem has no row).
[[nodiscard]] std::string FormatImportMessage(const Error& error, Lang lang);

/// White-space normalisation applied to official texts: CR/LF unified, trailing blanks of every
/// line removed (incl. U+3000), leading/trailing blank lines and blanks removed.
[[nodiscard]] std::string NormalizeOfficialText(std::string_view text);

}  // namespace hoshi::catalog
