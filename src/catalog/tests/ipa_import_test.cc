// SPDX-License-Identifier: Apache-2.0
// Tests of the IPA sheet importer. The workbooks are generated here with libxlsxwriter in the
// layout of IPA's "★3・★4要求事項・評価基準" sheet, from the shipped catalog's ids, titles and
// levels, with our own placeholder texts (never IPA's official texts).
#include "hoshi/catalog/ipa_import.h"

#include <unistd.h>

#include <array>
#include <atomic>
#include <filesystem>
#include <functional>

#include <gtest/gtest.h>
#include <xlsxwriter.h>

#include "hoshi/catalog/registry.h"
#include "hoshi/core/crypto.h"
#include "hoshi/core/file.h"

namespace hoshi::catalog {
namespace {

constexpr int kColumns = 15;  // A..N (index 0 = A, unused)
using SheetRow = std::array<std::string, kColumns>;

// Column indexes (1-based, as in the sheet).
constexpr int B = 2, C = 3, D = 4, E = 5, F = 6, G = 7, H = 8, I = 9, J = 10, K = 11, L = 12,
              M = 13, N = 14;

const CatalogVersion& BaseScs() {
  static const CatalogRegistry* registry = [] {
    auto loaded = CatalogRegistry::LoadBuiltin();
    HOSHI_CHECK(loaded.ok());  // covered by catalog_test
    return new CatalogRegistry(std::move(loaded).value());
  }();
  return *registry->Find("scs-2026-03-27");
}

std::string CsfLabel(const std::string& code) {
  if (code == "GV")
    return "統治(GV)";
  if (code == "ID")
    return "識別(ID)";
  if (code == "PR")
    return "防御(PR)";
  if (code == "DE")
    return "検知(DE)";
  if (code == "RS")
    return "対応(RS)";
  return "復旧(RC)";
}

// Placeholder texts: ours, never the official wording.
std::string RequirementText(const std::string& id) {
  return "【テスト用】要求事項 " + id + " の本文です。\n・テスト用の箇条\u3000";
}
std::string CriterionText(const std::string& id) {
  return "【テスト用】評価基準 " + id + " の本文です。\r\n・一つ目の項目  \r\n・二つ目の項目\n";
}

// Rows 1.. of the sheet (index 0 is row 1).
std::vector<SheetRow> GoodRows() {
  std::vector<SheetRow> rows;
  SheetRow title{};
  title[B] =
      "サプライチェーン強化に向けたセキュリティ対策評価制度 ★3・★4 要求事項・評価基準（テスト用）";
  rows.push_back(title);
  SheetRow header{};
  header[B] = "大分類No.";
  header[C] = "大分類";
  header[D] = "中分類No.";
  header[E] = "中分類";
  header[F] = "要求事項No.";
  header[G] = "★3";
  header[H] = "★4";
  header[I] = "要求事項名";
  header[J] = "要求事項";
  header[K] = "★3/★4";
  header[L] = "評価基準No.";
  header[M] = "評価基準";
  header[N] = "NIST CSF 2.0 機能";
  rows.push_back(header);
  for (const Category& cat : BaseScs().categories) {
    for (const Subcategory& sub : cat.subcategories) {
      for (const Requirement& req : sub.requirements) {
        bool star3 = false;
        for (const Criterion& crit : req.criteria) {
          star3 = star3 || crit.level == 3;
        }
        for (const Criterion& crit : req.criteria) {
          SheetRow row{};
          row[B] = cat.id;
          row[C] = cat.title_ja;
          row[D] = sub.id;
          row[E] = sub.title_ja;
          row[F] = req.id;
          row[G] = star3 ? "○" : "";
          row[H] = "○";
          row[I] = req.title_ja;
          row[J] = RequirementText(req.id);
          row[K] = "★" + std::to_string(crit.level);
          row[L] = crit.id;
          row[M] = CriterionText(crit.id);
          row[N] = CsfLabel(cat.csf_function);
          rows.push_back(row);
        }
      }
    }
  }
  SheetRow blank{};
  rows.push_back(blank);
  SheetRow note{};
  note[C] = "（注）この行は表の外の注記です。";
  rows.push_back(note);
  return rows;
}

// The 1-based sheet row of a criterion in GoodRows().
int RowOf(const std::string& criterion_id) {
  const auto rows = GoodRows();
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (rows[i][L] == criterion_id) {
      return static_cast<int>(i) + 1;
    }
  }
  return -1;
}

struct WriteOptions {
  std::string sheet_name = std::string(kIpaSheetName);
  bool cover_sheet_first = false;  // a "表紙" sheet before the criteria sheet
  bool constant_memory = false;    // inline strings instead of shared strings
};

std::string WriteWorkbook(const std::vector<SheetRow>& rows, const WriteOptions& opts = {}) {
  static std::atomic<int> counter{0};
  const std::filesystem::path path =
      std::filesystem::temp_directory_path() /
      ("hoshi_ipa_" + std::to_string(::getpid()) + "_" + std::to_string(counter++) + ".xlsx");
  lxw_workbook_options options{};
  options.constant_memory = opts.constant_memory ? LXW_TRUE : LXW_FALSE;
  lxw_workbook* wb = workbook_new_opt(path.c_str(), &options);
  HOSHI_CHECK(wb != nullptr);
  if (opts.cover_sheet_first) {
    lxw_worksheet* cover = workbook_add_worksheet(wb, "表紙");
    worksheet_write_string(cover, 0, 0, "表紙（テスト用）", nullptr);
  }
  lxw_worksheet* ws = workbook_add_worksheet(wb, opts.sheet_name.c_str());
  HOSHI_CHECK(ws != nullptr);
  lxw_format* bold = workbook_add_format(wb);
  format_set_bold(bold);
  bool rich_written = false;
  for (std::size_t r = 0; r < rows.size(); ++r) {
    for (int c = 1; c < kColumns; ++c) {
      const std::string& text = rows[r][c];
      if (text.empty()) {
        continue;
      }
      const auto row = static_cast<lxw_row_t>(r);
      const auto col = static_cast<lxw_col_t>(c - 1);  // lxw columns are 0-based
      const bool number = c == B && r >= 2 && text.size() == 1 && text[0] >= '0' && text[0] <= '9';
      if (number) {
        // Category numbers as numeric cells, as a spreadsheet would store them.
        worksheet_write_number(ws, row, col, text[0] - '0', nullptr);
      } else if (!opts.constant_memory && !rich_written && c == I && r >= 2) {
        // One title as rich text (two runs), which must read back as the plain title.
        std::string head = text.substr(0, 3);  // one Japanese character
        std::string tail = text.substr(3);
        lxw_rich_string_tuple f1{bold, head.data()};
        lxw_rich_string_tuple f2{nullptr, tail.data()};
        lxw_rich_string_tuple* rich[] = {&f1, &f2, nullptr};
        worksheet_write_rich_string(ws, row, col, rich, nullptr);
        rich_written = true;
      } else {
        worksheet_write_string(ws, row, col, text.c_str(), nullptr);
      }
    }
  }
  HOSHI_CHECK(workbook_close(wb) == LXW_NO_ERROR);
  auto bytes = ReadFile(path.string());
  HOSHI_CHECK(bytes.ok());
  std::filesystem::remove(path);
  return std::move(bytes).value();
}

ImportOptions Options() {
  ImportOptions o;
  o.version = "2026-04-21";
  o.base = &BaseScs();
  return o;
}

ImportResult Import(const std::string& bytes, const ImportOptions& options = Options()) {
  auto result = ImportIpaSheet(bytes, options);
  HOSHI_CHECK(result.ok());  // the workbook itself is always readable in these tests
  return std::move(result).value();
}

std::string Dump(const ImportResult& r) {
  std::string out;
  for (const Error& e : r.errors) {
    out += "  error: " + FormatImportMessage(e, Lang::kJa) + "\n";
  }
  for (const Error& e : r.warnings) {
    out += "  warning: " + FormatImportMessage(e, Lang::kEn) + "\n";
  }
  return out;
}

// True when some error is on `row` and its message contains `text` (English).
bool HasError(const ImportResult& r, int row, const std::string& text) {
  for (const Error& e : r.errors) {
    if (e.location() && e.location()->line == row &&
        e.message(Lang::kEn).find(text) != std::string::npos) {
      return true;
    }
  }
  return false;
}

void ExpectNoCatalog(const ImportResult& r) {
  EXPECT_FALSE(r.ok());
  EXPECT_FALSE(r.catalog.has_value());
  EXPECT_FALSE(r.errors.empty());
  for (const Error& e : r.errors) {
    ASSERT_TRUE(e.location().has_value());
    EXPECT_EQ(e.location()->source, kIpaSheetName);
    EXPECT_FALSE(e.message(Lang::kJa).empty());
    EXPECT_FALSE(e.message(Lang::kEn).empty());
  }
}

TEST(IpaImportTest, GoodSheetImportsWithTheOfficialTexts) {
  const std::string bytes = WriteWorkbook(GoodRows());
  const ImportResult r = Import(bytes);
  ASSERT_TRUE(r.ok()) << Dump(r);
  EXPECT_TRUE(r.warnings.empty()) << Dump(r);
  EXPECT_EQ(r.sheet_name, kIpaSheetName);
  EXPECT_EQ(r.rows_read, 153);
  EXPECT_EQ(r.source_sha256, Sha256Hex(bytes));
  ASSERT_EQ(r.counts.size(), 2u);
  EXPECT_EQ(r.counts[0].requirements, 26);
  EXPECT_EQ(r.counts[0].criteria, 81);
  EXPECT_EQ(r.counts[1].requirements, 43);
  EXPECT_EQ(r.counts[1].criteria, 153);

  const CatalogVersion& c = *r.catalog;
  EXPECT_EQ(c.key(), "scs-2026-04-21");
  EXPECT_EQ(c.published, "2026-04-21");
  EXPECT_EQ(c.text_source, "official");
  EXPECT_EQ(c.source_sha256, Sha256Hex(bytes));
  EXPECT_TRUE(Validate(c).ok());
  EXPECT_EQ(c.RequirementsAt(4).size(), 43u);
  EXPECT_EQ(c.CriteriaAt(4).size(), 153u);
  EXPECT_EQ(c.CriteriaAt(3).size(), 81u);

  // Official texts, white space normalised; our guidance, titles and hints carried over.
  const Requirement* req = c.FindRequirement("4-4-4");
  ASSERT_NE(req, nullptr);
  EXPECT_EQ(req->official_text_ja, "【テスト用】要求事項 4-4-4 の本文です。\n・テスト用の箇条");
  EXPECT_EQ(req->title_ja, "セキュリティパッチ・アップデートの手続");
  EXPECT_EQ(req->title_en, BaseScs().FindRequirement("4-4-4")->title_en);
  EXPECT_EQ(req->summary, BaseScs().FindRequirement("4-4-4")->summary);
  const Criterion* crit = c.FindCriterion("4-4-4-2");
  ASSERT_NE(crit, nullptr);
  EXPECT_EQ(crit->official_text_ja,
            "【テスト用】評価基準 4-4-4-2 の本文です。\n・一つ目の項目\n・二つ目の項目");
  EXPECT_EQ(crit->level, 3);
  EXPECT_EQ(crit->guidance, BaseScs().FindCriterion("4-4-4-2")->guidance);
  EXPECT_EQ(crit->evidence_hint, BaseScs().FindCriterion("4-4-4-2")->evidence_hint);
  EXPECT_EQ(c.FindCriterion("3-2-1-5")->recurrence, Recurrence::kMonthly);
  EXPECT_EQ(c.FindCategory("4")->csf_function, "PR");
  EXPECT_EQ(c.FindSubcategory("2-1")->csf_category, "GV.SC");
  // The rich-text title (first requirement) reads back whole.
  EXPECT_EQ(c.FindRequirement("1-1-1")->title_ja, "社内ルール");

  // The imported catalog round-trips through the JSON format.
  auto parsed = ParseCatalogJson(CatalogToJson(c), "imported");
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(CatalogToJson(*parsed), CatalogToJson(c));
}

TEST(IpaImportTest, InlineStringsAndSheetOrderDoNotMatter) {
  WriteOptions opts;
  opts.constant_memory = true;
  opts.cover_sheet_first = true;
  const ImportResult r = Import(WriteWorkbook(GoodRows(), opts));
  ASSERT_TRUE(r.ok()) << Dump(r);
  EXPECT_TRUE(r.warnings.empty()) << Dump(r);
  EXPECT_EQ(r.catalog->CriteriaAt(4).size(), 153u);
}

TEST(IpaImportTest, OtherSheetNameFallsBackToTheFirstSheetWithAWarning) {
  WriteOptions opts;
  opts.sheet_name = "Sheet1";
  const ImportResult r = Import(WriteWorkbook(GoodRows(), opts));
  ASSERT_TRUE(r.ok()) << Dump(r);
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_NE(r.warnings[0].message(Lang::kEn).find("Sheet1"), std::string::npos);
  EXPECT_EQ(r.sheet_name, "Sheet1");
}

TEST(IpaImportTest, MissingColumnIsReportedOnTheHeaderRow) {
  auto rows = GoodRows();
  for (SheetRow& row : rows) {  // delete column I: J..N shift left
    for (int c = I; c < N; ++c) {
      row[c] = row[c + 1];
    }
    row[N].clear();
  }
  const ImportResult r = Import(WriteWorkbook(rows));
  ExpectNoCatalog(r);
  EXPECT_TRUE(HasError(r, 2, "column K")) << Dump(r);
  EXPECT_TRUE(HasError(r, 2, "column L")) << Dump(r);
  EXPECT_TRUE(HasError(r, 2, "column M")) << Dump(r);
  EXPECT_EQ(r.errors.size(), 3u) << Dump(r);
  EXPECT_NE(FormatImportMessage(r.errors[0], Lang::kJa)
                .find("シート「★3・★4要求事項・評価基準」の 2 行目: "),
            std::string::npos);
}

TEST(IpaImportTest, DeletedTrailingColumnIsReportedPerRow) {
  auto rows = GoodRows();
  for (std::size_t i = 2; i < rows.size(); ++i) {
    rows[i][N].clear();
  }
  const ImportResult r = Import(WriteWorkbook(rows));
  ExpectNoCatalog(r);
  EXPECT_TRUE(HasError(r, 2, "Column N (CSF function) is empty on every row")) << Dump(r);
  EXPECT_EQ(r.errors.size(), 1u) << Dump(r);

  // A few empty cells are reported one by one.
  rows = GoodRows();
  rows[RowOf("1-2-1-2") - 1][M].clear();
  rows[RowOf("5-1-1-1") - 1][I].clear();
  const ImportResult r2 = Import(WriteWorkbook(rows));
  ExpectNoCatalog(r2);
  EXPECT_TRUE(HasError(r2, RowOf("1-2-1-2"), "Column M (criterion text) is empty")) << Dump(r2);
  EXPECT_TRUE(HasError(r2, RowOf("5-1-1-1"), "Column I (requirement title) is empty")) << Dump(r2);
}

TEST(IpaImportTest, DuplicateCriterionIdsNameBothRows) {
  auto rows = GoodRows();
  const int first = RowOf("4-1-2-3");
  const int second = RowOf("4-1-2-4");
  rows[second - 1][L] = "4-1-2-3";
  const ImportResult r = Import(WriteWorkbook(rows));
  ExpectNoCatalog(r);
  EXPECT_TRUE(
      HasError(r, second, "'4-1-2-3' appears twice (first on row " + std::to_string(first) + ")"))
      << Dump(r);
}

TEST(IpaImportTest, BadLevelMarksAreReportedOnTheirRows) {
  auto rows = GoodRows();
  const int bad_level = RowOf("3-1-1-2");
  const int bad_mark = RowOf("6-1-1-3");
  rows[bad_level - 1][K] = "★5";
  rows[bad_mark - 1][G] = "×";
  const ImportResult r = Import(WriteWorkbook(rows));
  ExpectNoCatalog(r);
  EXPECT_TRUE(HasError(r, bad_level, "level '★5' is invalid")) << Dump(r);
  EXPECT_TRUE(HasError(r, bad_mark, "Column G: '×' is invalid")) << Dump(r);
  EXPECT_EQ(r.errors.size(), 2u) << Dump(r);  // no follow-on errors
}

TEST(IpaImportTest, FootnoteRightAfterTheTableEndsIt) {
  auto rows = GoodRows();
  rows.erase(rows.end() - 2);  // the blank row
  rows.back()[B] = "※ テスト用の注記です。";
  const ImportResult r = Import(WriteWorkbook(rows));
  EXPECT_TRUE(r.ok()) << Dump(r);
  EXPECT_EQ(r.rows_read, 153);
}

TEST(IpaImportTest, AcceptsPlainDigitLevels) {
  auto rows = GoodRows();
  for (std::size_t i = 2; i < rows.size(); ++i) {
    if (!rows[i][K].empty()) {
      rows[i][K] = rows[i][K].substr(3);  // "★3" -> "3"
    }
  }
  const ImportResult r = Import(WriteWorkbook(rows));
  EXPECT_TRUE(r.ok()) << Dump(r);
}

TEST(IpaImportTest, RemovedRowFailsTheCounts) {
  auto rows = GoodRows();
  const int removed = RowOf("4-4-4-3");  // a ★4 criterion of category 4
  rows.erase(rows.begin() + (removed - 1));
  const ImportResult r = Import(WriteWorkbook(rows));
  ExpectNoCatalog(r);
  EXPECT_TRUE(HasError(r, 0, "★4: 152 criteria, but the published count is 153")) << Dump(r);
  EXPECT_TRUE(HasError(r, 0, "★4, category '4': 81 criteria, but the published count is 82"))
      << Dump(r);
  // The missing criterion is named where it would have been (the next row moved up).
  EXPECT_TRUE(HasError(r, removed, "Criterion '4-4-4-3' of the base catalog is not in the sheet"))
      << Dump(r);
  EXPECT_EQ(r.counts[1].criteria, 152);
  // ★3 is unaffected.
  EXPECT_FALSE(HasError(r, 0, "★3:")) << Dump(r);
}

TEST(IpaImportTest, RevisedCountsAreAcceptedWhenAllowed) {
  auto rows = GoodRows();
  rows.erase(rows.begin() + (RowOf("4-4-4-3") - 1));
  ImportOptions options = Options();
  options.require_published_counts = false;
  const ImportResult r = Import(WriteWorkbook(rows), options);
  ASSERT_TRUE(r.ok()) << Dump(r);
  EXPECT_FALSE(r.warnings.empty());
  bool counts_warning = false;
  for (const Error& w : r.warnings) {
    counts_warning = counts_warning ||
                     w.message(Lang::kEn).find("152 criteria (published 153)") != std::string::npos;
  }
  EXPECT_TRUE(counts_warning) << Dump(r);
  const CatalogVersion& c = *r.catalog;
  EXPECT_EQ(c.FindLevel(4)->expected_criteria, 152);
  EXPECT_EQ(c.FindLevel(4)->expected_criteria_per_category.at("4"), 81);
  EXPECT_EQ(c.FindLevel(3)->expected_criteria, 81);
  EXPECT_TRUE(Validate(c).ok());
}

TEST(IpaImportTest, CriterionUnderTheWrongRequirement) {
  auto rows = GoodRows();
  const int row = RowOf("4-1-2-5");
  rows[row - 1][L] = "4-1-3-9";
  const ImportResult r = Import(WriteWorkbook(rows));
  ExpectNoCatalog(r);
  EXPECT_TRUE(HasError(r, row, "criterion No. '4-1-3-9' is not a number under requirement '4-1-2'"))
      << Dump(r);
  // The bad row explains the gap: 4-1-2-5 is not reported missing as well.
  EXPECT_FALSE(HasError(r, row + 1, "4-1-2-5")) << Dump(r);
}

TEST(IpaImportTest, InconsistentRequirementTitle) {
  auto rows = GoodRows();
  const int row = RowOf("4-5-1-4");
  rows[row - 1][I] = "ネットワーク境界の防護";
  const ImportResult r = Import(WriteWorkbook(rows));
  ExpectNoCatalog(r);
  EXPECT_TRUE(HasError(r, row, "Column I: 'ネットワーク境界の防護' differs")) << Dump(r);
  EXPECT_TRUE(HasError(r, row, "of the same requirement '4-5-1'")) << Dump(r);
}

TEST(IpaImportTest, CircleColumnsMustAgreeWithLevels) {
  auto rows = GoodRows();
  // 1-2-1 has ★3 criteria: drop its ★3 ○ on every row.
  for (SheetRow& row : rows) {
    if (row[F] == "1-2-1") {
      row[G].clear();
    }
  }
  // 1-1-1 is ★4 only: mark it ★3 on every row, and drop ★4.
  for (SheetRow& row : rows) {
    if (row[F] == "1-1-1") {
      row[G] = "○";
      row[H].clear();
    }
  }
  const ImportResult r = Import(WriteWorkbook(rows));
  ExpectNoCatalog(r);
  EXPECT_TRUE(HasError(r, RowOf("1-2-1-1"),
                       "Criterion '1-2-1-1' is ★3, but requirement '1-2-1' has no ○ in column G"))
      << Dump(r);
  EXPECT_TRUE(HasError(r, RowOf("1-1-1-1"), "Requirement '1-1-1' has ○ in column G (★3) but no"))
      << Dump(r);
  EXPECT_TRUE(HasError(r, RowOf("1-1-1-1"), "Requirement '1-1-1' has no ○ in column H")) << Dump(r);
}

TEST(IpaImportTest, EveryErrorIsReported) {
  auto rows = GoodRows();
  rows[RowOf("1-2-1-1") - 1][K] = "★9";
  rows[RowOf("2-1-1-1") - 1][H] = "x";
  rows[RowOf("7-1-1-2") - 1][L] = "7-1-2-2";
  const ImportResult r = Import(WriteWorkbook(rows));
  ExpectNoCatalog(r);
  EXPECT_TRUE(HasError(r, RowOf("1-2-1-1"), "level '★9'")) << Dump(r);
  EXPECT_TRUE(HasError(r, RowOf("2-1-1-1"), "Column H: 'x'")) << Dump(r);
  EXPECT_TRUE(HasError(r, RowOf("7-1-1-2"), "'7-1-2-2'")) << Dump(r);
  EXPECT_FALSE(HasError(r, RowOf("2-1-1-2"), "differs")) << Dump(r);
}

TEST(IpaImportTest, FormatImportMessageInBothLanguages) {
  Error e(ErrorCode::kDataError, LocalizedText{"問題です。", "A problem."});
  e.WithLocation(SourceLocation{std::string(kIpaSheetName), 57, 0});
  EXPECT_EQ(FormatImportMessage(e, Lang::kJa),
            "シート「★3・★4要求事項・評価基準」の 57 行目: 問題です。");
  EXPECT_EQ(FormatImportMessage(e, Lang::kEn),
            "sheet '★3・★4要求事項・評価基準', row 57: A problem.");
  Error sheet_level(ErrorCode::kDataError, LocalizedText{"件数", "Counts"});
  sheet_level.WithLocation(SourceLocation{"S", 0, 0});
  EXPECT_EQ(FormatImportMessage(sheet_level, Lang::kEn), "sheet 'S': Counts");
}

TEST(IpaImportTest, InvalidInputs) {
  auto not_xlsx = ImportIpaSheet("this is not a zip file", Options());
  ASSERT_FALSE(not_xlsx.ok());
  EXPECT_EQ(not_xlsx.error().code(), ErrorCode::kDataError);

  ImportOptions no_base = Options();
  no_base.base = nullptr;
  auto r1 = ImportIpaSheet("", no_base);
  ASSERT_FALSE(r1.ok());
  EXPECT_EQ(r1.error().code(), ErrorCode::kInvalidArgument);

  ImportOptions bad_version = Options();
  bad_version.version = "2026/04/21";
  auto r2 = ImportIpaSheet("", bad_version);
  ASSERT_FALSE(r2.ok());
  EXPECT_EQ(r2.error().code(), ErrorCode::kInvalidArgument);

  // An empty sheet: no header.
  std::vector<SheetRow> empty(1);
  empty[0][B] = "タイトルのみ";
  const ImportResult r3 = Import(WriteWorkbook(empty));
  ExpectNoCatalog(r3);
  EXPECT_TRUE(HasError(r3, 2, "header row is missing")) << Dump(r3);
}

TEST(IpaImportTest, NormalizeOfficialText) {
  EXPECT_EQ(NormalizeOfficialText("\u3000 本文\u3000\r\n次の行  \r\n\n"), "本文\n次の行");
  EXPECT_EQ(NormalizeOfficialText("a\rb"), "a\nb");
  EXPECT_EQ(NormalizeOfficialText(""), "");
}

}  // namespace
}  // namespace hoshi::catalog
