// SPDX-License-Identifier: Apache-2.0
// The .xlsx reader on hand-made workbooks (built with libzip), covering what libxlsxwriter does
// not write: namespace prefixes, absolute relationship targets, phonetic runs, _xHHHH_ escapes,
// merged cells, cells without references.
#include "hoshi/catalog/xlsx_reader.h"

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <map>

#include <gtest/gtest.h>
#include <zip.h>

#include "hoshi/core/file.h"

namespace hoshi::catalog {
namespace {

std::string MakeZip(const std::map<std::string, std::string>& parts) {
  static std::atomic<int> counter{0};
  const std::filesystem::path path =
      std::filesystem::temp_directory_path() /
      ("hoshi_xlsx_" + std::to_string(::getpid()) + "_" + std::to_string(counter++) + ".zip");
  int error = 0;
  zip_t* archive = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
  HOSHI_CHECK(archive != nullptr);
  for (const auto& [name, content] : parts) {
    zip_source_t* source = zip_source_buffer(archive, content.data(), content.size(), 0);
    HOSHI_CHECK(source != nullptr);
    HOSHI_CHECK(zip_file_add(archive, name.c_str(), source, ZIP_FL_ENC_UTF_8) >= 0);
  }
  HOSHI_CHECK(zip_close(archive) == 0);
  auto bytes = ReadFile(path.string());
  HOSHI_CHECK(bytes.ok());
  std::filesystem::remove(path);
  return std::move(bytes).value();
}

constexpr const char* kRootRels =
    R"(<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
</Relationships>)";

// Workbook elements with an "x:" prefix, as some generators write them.
constexpr const char* kWorkbook =
    R"(<?xml version="1.0" encoding="UTF-8"?>
<x:workbook xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<x:sheets>
<x:sheet name="表紙" sheetId="1" r:id="rId2"/>
<x:sheet name="★3・★4要求事項・評価基準" sheetId="2" r:id="rId1"/>
</x:sheets>
</x:workbook>)";

constexpr const char* kWorkbookRels =
    R"(<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/data.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/../worksheets/cover.xml"/>
<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="strings.xml"/>
<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="https://example.org/" TargetMode="External"/>
</Relationships>)";

constexpr const char* kSharedStrings =
    R"(<?xml version="1.0" encoding="UTF-8"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="4" uniqueCount="4">
<si><t>社内ルール</t></si>
<si><r><rPr><b/></rPr><t>資産</t></r><r><t xml:space="preserve">管理 </t></r><rPh sb="0" eb="2"><t>シサン</t></rPh><phoneticPr fontId="1"/></si>
<si><t>一行目_x000D_
二行目</t></si>
<si><t xml:space="preserve"> </t></si>
</sst>)";

constexpr const char* kCover =
    R"(<?xml version="1.0" encoding="UTF-8"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" t="inlineStr"><is><t>表紙</t></is></c></row>
</sheetData></worksheet>)";

constexpr const char* kData =
    R"(<?xml version="1.0" encoding="UTF-8"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="B1" t="s"><v>0</v></c><c r="C1" t="s"><v>1</v></c><c r="D1" t="s"><v>2</v></c><c r="E1" t="s"><v>3</v></c></row>
<row r="3"><c r="B3"><v>4</v></c><c r="C3"><v>1.5</v></c><c r="D3" t="b"><v>1</v></c><c r="E3" t="str"><f>A1</f><v>計算_x005F_x0041_</v></c><c r="F3" s="1"/></row>
<row><c><v>7</v></c><c t="inlineStr"><is><r><t>イン</t></r><r><t>ライン</t></r></is></c></row>
<row r="6"><c r="B6" t="inlineStr"><is><t>結合</t></is></c></row>
</sheetData>
<mergeCells count="1"><mergeCell ref="B6:C7"/></mergeCells>
</worksheet>)";

std::map<std::string, std::string> GoodParts() {
  return {{"[Content_Types].xml", "<Types/>"}, {"_rels/.rels", kRootRels},
          {"xl/workbook.xml", kWorkbook},      {"xl/_rels/workbook.xml.rels", kWorkbookRels},
          {"xl/strings.xml", kSharedStrings},  {"xl/worksheets/cover.xml", kCover},
          {"xl/worksheets/data.xml", kData}};
}

TEST(IpaXlsxReaderTest, CellRefsAndColumnNames) {
  EXPECT_EQ(ParseCellRef("B12"), std::make_pair(12, 2));
  EXPECT_EQ(ParseCellRef("aa1"), std::make_pair(1, 27));
  EXPECT_EQ(ParseCellRef("XFD1048576"), std::make_pair(1048576, 16384));
  EXPECT_FALSE(ParseCellRef("XFE1").has_value());
  EXPECT_FALSE(ParseCellRef("A0").has_value());
  EXPECT_FALSE(ParseCellRef("A1048577").has_value());
  EXPECT_FALSE(ParseCellRef("12").has_value());
  EXPECT_FALSE(ParseCellRef("B").has_value());
  EXPECT_FALSE(ParseCellRef("B1x").has_value());
  EXPECT_EQ(ColumnName(1), "A");
  EXPECT_EQ(ColumnName(14), "N");
  EXPECT_EQ(ColumnName(27), "AA");
  EXPECT_EQ(ColumnName(16384), "XFD");
}

TEST(IpaXlsxReaderTest, ReadsNamedSheetWithAllCellKinds) {
  const std::string bytes = MakeZip(GoodParts());
  auto names = ListXlsxSheets(bytes);
  ASSERT_TRUE(names.ok()) << names.error().ToString(Lang::kEn);
  EXPECT_EQ(*names, (std::vector<std::string>{"表紙", "★3・★4要求事項・評価基準"}));

  auto sheet = ReadXlsxSheet(bytes, "★3・★4 要求事項・評価基準");  // spaces are ignored
  ASSERT_TRUE(sheet.ok()) << sheet.error().ToString(Lang::kEn) << sheet.error().detail();
  EXPECT_EQ(sheet->name, "★3・★4要求事項・評価基準");
  EXPECT_EQ(sheet->Cell(1, 2), "社内ルール");
  EXPECT_EQ(sheet->Cell(1, 3), "資産管理 ");  // runs joined, furigana dropped
  EXPECT_EQ(sheet->Cell(1, 4), "一行目\r\n二行目");
  EXPECT_EQ(sheet->Cell(1, 5), " ");
  EXPECT_EQ(sheet->Cell(3, 2), "4");
  EXPECT_EQ(sheet->Cell(3, 3), "1.5");
  EXPECT_EQ(sheet->Cell(3, 4), "TRUE");
  EXPECT_EQ(sheet->Cell(3, 5), "計算_x0041_");
  EXPECT_EQ(sheet->Cell(3, 6), "");
  EXPECT_EQ(sheet->Cell(4, 1), "7");  // row and cells without references
  EXPECT_EQ(sheet->Cell(4, 2), "インライン");
  EXPECT_EQ(sheet->Cell(6, 2), "結合");
  EXPECT_EQ(sheet->Cell(6, 3), "結合");  // merged range, clipped to the used area
  EXPECT_EQ(sheet->Cell(7, 2), "");
  EXPECT_EQ(sheet->max_row, 6);

  auto cover = ReadXlsxSheet(bytes, "表紙");
  ASSERT_TRUE(cover.ok());
  EXPECT_EQ(cover->Cell(1, 1), "表紙");

  auto fallback = ReadXlsxSheet(bytes, "ありません");
  ASSERT_TRUE(fallback.ok());
  EXPECT_EQ(fallback->name, "表紙");
  auto strict = ReadXlsxSheet(bytes, "ありません", /*fallback_to_first=*/false);
  ASSERT_FALSE(strict.ok());
  EXPECT_EQ(strict.error().code(), ErrorCode::kNotFound);
}

TEST(IpaXlsxReaderTest, BrokenWorkbooks) {
  EXPECT_EQ(ReadXlsxSheet("not a zip", "x").error().code(), ErrorCode::kDataError);

  auto parts = GoodParts();
  parts.erase("xl/workbook.xml");
  auto no_workbook = ReadXlsxSheet(MakeZip(parts), "x");
  ASSERT_FALSE(no_workbook.ok());
  EXPECT_NE(no_workbook.error().message(Lang::kEn).find("xl/workbook.xml"), std::string::npos);

  parts = GoodParts();
  parts["xl/worksheets/data.xml"] = "<worksheet><sheetData><row>";
  auto bad_xml = ReadXlsxSheet(MakeZip(parts), "★3・★4要求事項・評価基準");
  ASSERT_FALSE(bad_xml.ok());
  EXPECT_EQ(bad_xml.error().code(), ErrorCode::kDataError);

  parts = GoodParts();
  parts["xl/worksheets/data.xml"] =
      R"(<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>99</v></c></row></sheetData></worksheet>)";
  EXPECT_FALSE(ReadXlsxSheet(MakeZip(parts), "★3・★4要求事項・評価基準").ok());

  parts = GoodParts();
  parts["xl/workbook.xml"] = "<workbook><sheets/></workbook>";
  auto no_sheets = ReadXlsxSheet(MakeZip(parts), "x");
  ASSERT_FALSE(no_sheets.ok());
  EXPECT_NE(no_sheets.error().message(Lang::kEn).find("no worksheets"), std::string::npos);
}

TEST(IpaXlsxReaderTest, LimitsHold) {
  auto parts = GoodParts();
  // A highly compressible part far above the limit (a small "zip bomb").
  parts["xl/worksheets/data.xml"] =
      "<worksheet><sheetData>" + std::string(4 << 20, ' ') + "</sheetData></worksheet>";
  const std::string bytes = MakeZip(parts);
  XlsxLimits limits;
  limits.max_part_bytes = 1 << 20;
  auto big = ReadXlsxSheet(bytes, "★3・★4要求事項・評価基準", true, limits);
  ASSERT_FALSE(big.ok());
  EXPECT_EQ(big.error().code(), ErrorCode::kTooLarge);

  limits = XlsxLimits();
  limits.max_rows = 3;
  auto rows = ReadXlsxSheet(MakeZip(GoodParts()), "★3・★4要求事項・評価基準", true, limits);
  ASSERT_FALSE(rows.ok());
  EXPECT_EQ(rows.error().code(), ErrorCode::kTooLarge);
}

}  // namespace
}  // namespace hoshi::catalog
