// SPDX-License-Identifier: Apache-2.0
// Import of IPA's "★3・★4 要求事項・評価基準" workbook (layout: scs-scheme.md §2.1).
#include "hoshi/catalog/ipa_import.h"

#include <algorithm>
#include <map>
#include <set>

#include "hoshi/core/crypto.h"

#include "messages.h"

namespace hoshi::catalog {
namespace {

using detail::CatalogError;
using detail::CatalogErrorWith;
using detail::Concat;

// Sheet columns (1-based).
constexpr int kColB = 2;
constexpr int kColC = 3;
constexpr int kColD = 4;
constexpr int kColE = 5;
constexpr int kColF = 6;
constexpr int kColG = 7;
constexpr int kColI = 9;
constexpr int kColJ = 10;
constexpr int kColK = 11;
constexpr int kColL = 12;
constexpr int kColM = 13;
constexpr int kColN = 14;

constexpr std::string_view kIdeographicSpace = "\xe3\x80\x80";
constexpr std::string_view kNoBreakSpace = "\xc2\xa0";

bool StartsWithBlank(std::string_view s, std::size_t& width) {
  if (s.empty()) {
    return false;
  }
  if (s[0] == ' ' || s[0] == '\t' || s[0] == '\n' || s[0] == '\r') {
    width = 1;
    return true;
  }
  if (s.substr(0, 3) == kIdeographicSpace) {
    width = 3;
    return true;
  }
  if (s.substr(0, 2) == kNoBreakSpace) {
    width = 2;
    return true;
  }
  return false;
}

bool EndsWithBlank(std::string_view s, std::size_t& width) {
  if (s.empty()) {
    return false;
  }
  const char last = s.back();
  if (last == ' ' || last == '\t' || last == '\n' || last == '\r') {
    width = 1;
    return true;
  }
  if (s.size() >= 3 && s.substr(s.size() - 3) == kIdeographicSpace) {
    width = 3;
    return true;
  }
  if (s.size() >= 2 && s.substr(s.size() - 2) == kNoBreakSpace) {
    width = 2;
    return true;
  }
  return false;
}

std::string Trim(std::string_view s) {
  std::size_t width = 0;
  while (StartsWithBlank(s, width)) {
    s.remove_prefix(width);
  }
  while (EndsWithBlank(s, width)) {
    s.remove_suffix(width);
  }
  return std::string(s);
}

// Trims and folds full-width digits and hyphen-like characters to ASCII (ids, levels).
std::string NormalizeId(std::string_view raw) {
  const std::string s = Trim(raw);
  std::string out;
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == 0xef && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xbc) {
      const auto c2 = static_cast<unsigned char>(s[i + 2]);
      if (c2 >= 0x90 && c2 <= 0x99) {  // U+FF10..FF19 full-width digits
        out.push_back(static_cast<char>('0' + (c2 - 0x90)));
        i += 3;
        continue;
      }
      if (c2 == 0x8d) {  // U+FF0D full-width hyphen-minus
        out.push_back('-');
        i += 3;
        continue;
      }
    }
    if (c == 0xe2 && i + 2 < s.size()) {
      const auto c1 = static_cast<unsigned char>(s[i + 1]);
      const auto c2 = static_cast<unsigned char>(s[i + 2]);
      // U+2010..2013 hyphens and dashes, U+2212 minus sign.
      if ((c1 == 0x80 && c2 >= 0x90 && c2 <= 0x93) || (c1 == 0x88 && c2 == 0x92)) {
        out.push_back('-');
        i += 3;
        continue;
      }
    }
    out.push_back(s[i]);
    ++i;
  }
  return out;
}

bool IsDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool IsChildNumber(std::string_view id, std::string_view parent) {
  return id.size() > parent.size() + 1 && id.substr(0, parent.size()) == parent &&
         id[parent.size()] == '-' && IsDigits(id.substr(parent.size() + 1));
}

// ○ (U+25CB), 〇 (U+3007) or ◯ (U+25EF) -> true; "" -> false; anything else -> nullopt.
std::optional<bool> ParseMark(std::string_view raw) {
  const std::string s = Trim(raw);
  if (s.empty()) {
    return false;
  }
  if (s == "\xe2\x97\x8b" || s == "\xe3\x80\x87" || s == "\xe2\x97\xaf") {
    return true;
  }
  return std::nullopt;
}

// "★3", "☆3", "3" (full-width digits too) -> 3.
std::optional<int> ParseLevel(std::string_view raw) {
  std::string s = NormalizeId(raw);
  for (std::string_view star :
       {std::string_view("\xe2\x98\x85"), std::string_view("\xe2\x98\x86")}) {
    if (s.size() >= star.size() && std::string_view(s).substr(0, star.size()) == star) {
      s = Trim(std::string_view(s).substr(star.size()));
      break;
    }
  }
  if (!IsDigits(s) || s.size() > 2) {
    return std::nullopt;
  }
  return std::stoi(s);
}

// "統治(GV)" / "統治（GV）" / "GV" -> "GV".
std::optional<std::string> ParseCsf(std::string_view raw) {
  std::string s = Trim(raw);
  std::string inner = s;
  std::size_t open = s.rfind('(');
  std::size_t open_width = 1;
  const std::size_t fw_open = s.rfind("\xef\xbc\x88");  // U+FF08
  if (fw_open != std::string::npos && (open == std::string::npos || fw_open > open)) {
    open = fw_open;
    open_width = 3;
  }
  if (open != std::string::npos) {
    std::size_t close = s.find(')', open);
    if (close == std::string::npos) {
      close = s.find("\xef\xbc\x89", open);  // U+FF09
    }
    if (close == std::string::npos) {
      return std::nullopt;
    }
    inner = Trim(std::string_view(s).substr(open + open_width, close - open - open_width));
  }
  for (char& c : inner) {
    if (c >= 'a' && c <= 'z') {
      c = static_cast<char>(c - 'a' + 'A');
    }
  }
  for (std::string_view code : {"GV", "ID", "PR", "DE", "RS", "RC"}) {
    if (inner == code) {
      return inner;
    }
  }
  return std::nullopt;
}

std::string RemoveSpaces(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size();) {
    std::size_t width = 0;
    if (StartsWithBlank(s.substr(i), width)) {
      i += width;
      continue;
    }
    out.push_back(s[i]);
    ++i;
  }
  return out;
}

LocalizedText ColumnDescription(int column) {
  return Lookup(CatalogMessages(), "ipa.col." + ColumnName(column));
}

struct SheetCriterion {
  std::string id;
  int level = 0;  // 0 when column K was invalid
  std::string text;
  int row = 0;
};

struct SheetRequirement {
  std::string id;
  std::string subcategory_id;
  std::vector<int> marks;  // G, H: 1 = ○, 0 = empty, -1 = invalid (already reported)
  std::string title;
  std::string text;
  int first_row = 0;
  std::vector<SheetCriterion> criteria;
};

struct SheetSubcategory {
  std::string id;
  std::string category_id;
  std::string title;
  int first_row = 0;
  std::vector<std::string> requirement_ids;
};

struct SheetCategory {
  std::string id;
  std::string title;
  std::string csf;
  int first_row = 0;
  std::vector<std::string> subcategory_ids;
};

class Importer {
 public:
  Importer(const XlsxSheet& sheet, const ImportOptions& options, ImportResult& out)
      : sheet_(sheet), options_(options), base_(*options.base), out_(out) {
    for (const LevelDef& l : base_.levels) {
      levels_.push_back(l.level);
    }
    std::sort(levels_.begin(), levels_.end());
  }

  void Run() {
    if (!CheckHeader()) {
      return;
    }
    ReadRows();
    if (criteria_rows_.empty() && out_.errors.empty()) {
      AddError(0, CatalogError(ErrorCode::kDataError, "ipa.no_rows"));
      return;
    }
    CheckMarks();
    CatalogVersion catalog = Build();
    CheckCounts(catalog);
    CheckAgainstBase();
    if (!out_.errors.empty()) {
      return;
    }
    const ValidationReport report = Validate(catalog);
    for (const Error& problem : report.problems) {
      const LocalizedText prefix = Lookup(CatalogMessages(), "ipa.result_invalid");
      AddError(0, Error(problem.code(), Concat(prefix, problem.message())));
    }
    if (out_.errors.empty()) {
      out_.catalog = std::move(catalog);
    }
  }

 private:
  void AddError(int row, Error error) {
    out_.errors.push_back(std::move(error).WithLocation(SourceLocation{sheet_.name, row, 0}));
  }
  void AddWarning(int row, Error error) {
    out_.warnings.push_back(std::move(error).WithLocation(SourceLocation{sheet_.name, row, 0}));
  }

  bool CheckHeader() {
    bool any = false;
    for (int col = kColB; col <= kColN; ++col) {
      any = any || !sheet_.Cell(kIpaHeaderRow, col).empty();
    }
    if (!any) {
      AddError(kIpaHeaderRow, CatalogError(ErrorCode::kDataError, "ipa.header_missing"));
      return false;
    }
    struct Expected {
      int column;
      std::vector<std::string_view> parts;
      std::string_view shown;
    };
    // The header texts of the columns the layout is recognised by (K2 "★3/★4", L2 "評価基準No.",
    // M2 "評価基準"), compared loosely.
    const Expected expected[] = {
        {kColK,
         {"\xe2\x98\x85"
          "3"},
         "★3/★4"},
        {kColL, {"評価基準", "No"}, "評価基準No."},
        {kColM, {"評価基準"}, "評価基準"},
    };
    bool ok = true;
    for (const Expected& e : expected) {
      const std::string text = RemoveSpaces(NormalizeId(sheet_.Cell(kIpaHeaderRow, e.column)));
      bool match = true;
      for (std::string_view part : e.parts) {
        match = match && text.find(part) != std::string::npos;
      }
      if (e.column == kColM) {
        // M must not be the criterion No. column shifted left.
        match = match && text.find("No") == std::string::npos;
      }
      if (!match) {
        AddError(kIpaHeaderRow,
                 CatalogError(ErrorCode::kDataError, "ipa.header_mismatch", ColumnName(e.column),
                              Trim(sheet_.Cell(kIpaHeaderRow, e.column)), e.shown));
        ok = false;
      }
    }
    return ok;
  }

  // Reads a required cell; remembers it when empty (reported by ReportEmptyCells).
  std::string Required(int row, int column) {
    std::string value = Trim(sheet_.Cell(row, column));
    if (value.empty()) {
      empty_cells_[column].push_back(row);
    }
    return value;
  }

  // One error per empty cell; a column empty on every row (deleted or shifted) is one error on
  // the header row instead of one per row.
  void ReportEmptyCells() {
    for (const auto& [column, rows] : empty_cells_) {
      if (out_.rows_read > 1 && static_cast<int>(rows.size()) == out_.rows_read) {
        AddError(kIpaHeaderRow, CatalogErrorWith(ErrorCode::kDataError, "ipa.empty_column",
                                                 ColumnDescription(column), ColumnName(column)));
        continue;
      }
      for (int row : rows) {
        AddError(row, CatalogErrorWith(ErrorCode::kDataError, "ipa.empty_cell",
                                       ColumnDescription(column), ColumnName(column)));
      }
    }
  }

  void ReadRows() {
    for (int row = kIpaFirstDataRow; row <= sheet_.max_row; ++row) {
      // The table ends at the first row with neither a category No. nor a criterion No. A row
      // with no criterion No. whose column B is not a number (a footnote such as "※…") ends it
      // too.
      const std::string b = NormalizeId(sheet_.Cell(row, kColB));
      if (Trim(sheet_.Cell(row, kColL)).empty() && (b.empty() || !IsDigits(b))) {
        break;
      }
      if (out_.rows_read >= kIpaMaxDataRows) {
        AddError(row, CatalogError(ErrorCode::kTooLarge, "ipa.too_many_rows", kIpaMaxDataRows));
        break;
      }
      ++out_.rows_read;
      ReadRow(row);
    }
    ReportEmptyCells();
  }

  void ReadRow(int row) {
    const std::string cat_no = NormalizeId(Required(row, kColB));
    const std::string cat_name = Required(row, kColC);
    const std::string sub_id = NormalizeId(Required(row, kColD));
    const std::string sub_name = Required(row, kColE);
    const std::string req_id = NormalizeId(Required(row, kColF));
    const std::string title = Required(row, kColI);
    Required(row, kColJ);
    const std::string req_text = NormalizeOfficialText(sheet_.Cell(row, kColJ));
    const std::string level_text = Required(row, kColK);
    const std::string crit_id = NormalizeId(Required(row, kColL));
    Required(row, kColM);
    const std::string crit_text = NormalizeOfficialText(sheet_.Cell(row, kColM));
    const std::string csf_text = Required(row, kColN);

    bool ids_ok = !cat_no.empty() && !sub_id.empty() && !req_id.empty() && !crit_id.empty();
    if (!cat_no.empty() && !IsDigits(cat_no)) {
      AddError(row, CatalogError(ErrorCode::kDataError, "ipa.bad_category_no", cat_no));
      ids_ok = false;
    } else if (ids_ok && !IsChildNumber(sub_id, cat_no)) {
      AddError(row, CatalogError(ErrorCode::kDataError, "ipa.bad_subcategory_id", sub_id, cat_no));
      ids_ok = false;
    } else if (ids_ok && !IsChildNumber(req_id, sub_id)) {
      AddError(row, CatalogError(ErrorCode::kDataError, "ipa.bad_requirement_id", req_id, sub_id));
      ids_ok = false;
    } else if (ids_ok && !IsChildNumber(crit_id, req_id)) {
      AddError(row, CatalogError(ErrorCode::kDataError, "ipa.bad_criterion_id", crit_id, req_id));
      ids_ok = false;
    }

    std::vector<int> marks;
    for (std::size_t i = 0; i < std::min<std::size_t>(levels_.size(), 2); ++i) {
      const int column = kColG + static_cast<int>(i);
      auto mark = ParseMark(sheet_.Cell(row, column));
      if (!mark) {
        AddError(row, CatalogError(ErrorCode::kDataError, "ipa.bad_mark", ColumnName(column),
                                   Trim(sheet_.Cell(row, column))));
      }
      marks.push_back(mark ? static_cast<int>(*mark) : -1);
    }

    int level = 0;
    if (!level_text.empty()) {
      auto parsed = ParseLevel(level_text);
      if (parsed && std::find(levels_.begin(), levels_.end(), *parsed) != levels_.end()) {
        level = *parsed;
      } else {
        std::string allowed;
        for (int l : levels_) {
          allowed += (allowed.empty() ? "★" : ", ★") + std::to_string(l);
        }
        AddError(row, CatalogError(ErrorCode::kDataError, "ipa.bad_level", level_text, allowed));
      }
    }

    std::string csf;
    if (!csf_text.empty()) {
      auto parsed = ParseCsf(csf_text);
      if (parsed) {
        csf = *parsed;
      } else {
        AddError(row, CatalogError(ErrorCode::kDataError, "ipa.bad_csf", csf_text));
      }
    }

    if (!ids_ok) {
      unplaced_rows_.push_back(row);
      return;
    }
    if (auto it = criteria_rows_.find(crit_id); it != criteria_rows_.end()) {
      AddError(row,
               CatalogError(ErrorCode::kDataError, "ipa.duplicate_criterion", crit_id, it->second));
      unplaced_rows_.push_back(row);
      return;
    }
    criteria_rows_[crit_id] = row;

    // Category.
    auto cat = categories_.find(cat_no);
    if (cat == categories_.end()) {
      category_order_.push_back(cat_no);
      categories_[cat_no] = SheetCategory{cat_no, cat_name, csf, row, {}};
    } else {
      Same("ipa.inconsistent_category", kColC, cat_name, cat->second.title, cat_no,
           cat->second.first_row, row);
      if (!csf.empty() && !cat->second.csf.empty()) {
        Same("ipa.inconsistent_category", kColN, csf, cat->second.csf, cat_no,
             cat->second.first_row, row);
      } else if (cat->second.csf.empty()) {
        cat->second.csf = csf;
      }
    }
    // Sub-category.
    auto sub = subcategories_.find(sub_id);
    if (sub == subcategories_.end()) {
      categories_[cat_no].subcategory_ids.push_back(sub_id);
      subcategories_[sub_id] = SheetSubcategory{sub_id, cat_no, sub_name, row, {}};
    } else {
      Same("ipa.inconsistent_subcategory", kColE, sub_name, sub->second.title, sub_id,
           sub->second.first_row, row);
    }
    // Requirement.
    auto req = requirements_.find(req_id);
    if (req == requirements_.end()) {
      subcategories_[sub_id].requirement_ids.push_back(req_id);
      req = requirements_
                .emplace(req_id, SheetRequirement{req_id, sub_id, marks, title, req_text, row, {}})
                .first;
    } else {
      SheetRequirement& r = req->second;
      for (std::size_t i = 0; i < marks.size() && i < r.marks.size(); ++i) {
        if (marks[i] < 0) {
          continue;  // reported as a bad mark
        }
        if (r.marks[i] < 0) {
          r.marks[i] = marks[i];  // the first row's mark was invalid: take this one
          continue;
        }
        Same("ipa.inconsistent_requirement", kColG + static_cast<int>(i), marks[i] == 1 ? "○" : "",
             r.marks[i] == 1 ? "○" : "", req_id, r.first_row, row);
      }
      Same("ipa.inconsistent_requirement", kColI, title, r.title, req_id, r.first_row, row);
      Same("ipa.inconsistent_requirement", kColJ, req_text, r.text, req_id, r.first_row, row);
    }
    req->second.criteria.push_back(SheetCriterion{crit_id, level, crit_text, row});
  }

  void Same(std::string_view key, int column, const std::string& value, const std::string& first,
            const std::string& id, int first_row, int row) {
    if (value != first) {
      AddError(row, CatalogError(ErrorCode::kDataError, key, ColumnName(column), Shorten(value), id,
                                 first_row, Shorten(first)));
    }
  }

  static std::string Shorten(const std::string& text) {
    // At most ~40 characters of a long text in a message (UTF-8 safe).
    std::size_t chars = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
      if ((static_cast<unsigned char>(text[i]) & 0xc0) != 0x80 && ++chars > 40) {
        return text.substr(0, i) + "…";
      }
    }
    return text;
  }

  // The ○ columns against the criterion levels: column G is the lower level, H the top one.
  void CheckMarks() {
    if (levels_.empty()) {
      return;
    }
    const std::size_t columns = std::min<std::size_t>(levels_.size(), 2);
    for (const auto& [id, req] : requirements_) {
      for (std::size_t i = 0; i < columns && i < req.marks.size(); ++i) {
        // Column i stands for level levels_[levels_.size() - columns + i].
        const int level = levels_[levels_.size() - columns + i];
        const int column = kColG + static_cast<int>(i);
        const bool is_top = i + 1 == columns;
        const SheetCriterion* first_applicable = nullptr;
        bool unknown_level = false;
        for (const SheetCriterion& c : req.criteria) {
          unknown_level = unknown_level || c.level == 0;
          if (c.level != 0 && c.level <= level && first_applicable == nullptr) {
            first_applicable = &c;
          }
        }
        if (req.marks[i] < 0) {
          continue;  // invalid on every row so far; reported as a bad mark
        }
        if (is_top) {
          if (req.marks[i] == 0) {
            AddError(req.first_row, CatalogError(ErrorCode::kDataError, "ipa.mark_top_missing", id,
                                                 ColumnName(column), level));
          }
          continue;
        }
        if (req.marks[i] == 1 && first_applicable == nullptr && !unknown_level) {
          AddError(req.first_row, CatalogError(ErrorCode::kDataError, "ipa.mark_without_criteria",
                                               id, ColumnName(column), level));
        } else if (req.marks[i] == 0 && first_applicable != nullptr) {
          AddError(first_applicable->row,
                   CatalogError(ErrorCode::kDataError, "ipa.mark_missing", first_applicable->id, id,
                                level, ColumnName(column)));
        }
      }
    }
  }

  std::string EnglishTitle(const std::string& id, const std::string& title_ja,
                           const std::string* base_title_en, int row) {
    if (base_title_en != nullptr && !base_title_en->empty()) {
      return *base_title_en;
    }
    AddWarning(row, CatalogError(ErrorCode::kDataError, "ipa.new_title", id));
    return title_ja;
  }

  CatalogVersion Build() {
    CatalogVersion c;
    c.catalog_id = base_.catalog_id;
    c.version = options_.version;
    c.official_title_ja = base_.official_title_ja;
    c.title = base_.title;
    c.publisher = base_.publisher;
    c.published = options_.published.empty() ? options_.version : options_.published;
    c.text_source = "official";
    c.source_sha256 = out_.source_sha256;
    c.paraphrase_note = base_.paraphrase_note;
    c.sources = base_.sources;
    c.levels = base_.levels;
    c.scoring = base_.scoring;
    for (const std::string& cat_id : category_order_) {
      const SheetCategory& sc = categories_.at(cat_id);
      const Category* base_cat = base_.FindCategory(cat_id);
      Category cat;
      cat.id = cat_id;
      cat.title_ja = sc.title;
      cat.title_en =
          EnglishTitle(cat_id, sc.title, base_cat ? &base_cat->title_en : nullptr, sc.first_row);
      cat.csf_function = sc.csf;
      for (const std::string& sub_id : sc.subcategory_ids) {
        const SheetSubcategory& ss = subcategories_.at(sub_id);
        const Subcategory* base_sub = base_.FindSubcategory(sub_id);
        Subcategory sub;
        sub.id = sub_id;
        sub.category_id = cat_id;
        sub.title_ja = ss.title;
        sub.title_en =
            EnglishTitle(sub_id, ss.title, base_sub ? &base_sub->title_en : nullptr, ss.first_row);
        sub.csf_category = base_sub ? base_sub->csf_category : "";
        for (const std::string& req_id : ss.requirement_ids) {
          const SheetRequirement& sr = requirements_.at(req_id);
          const Requirement* base_req = base_.FindRequirement(req_id);
          Requirement req;
          req.id = req_id;
          req.subcategory_id = sub_id;
          req.title_ja = sr.title;
          req.title_en = EnglishTitle(req_id, sr.title, base_req ? &base_req->title_en : nullptr,
                                      sr.first_row);
          if (base_req != nullptr) {
            req.summary = base_req->summary;
          }
          req.official_text_ja = sr.text;
          for (const SheetCriterion& sc_crit : sr.criteria) {
            const Criterion* base_crit = base_.FindCriterion(sc_crit.id);
            Criterion crit;
            crit.id = sc_crit.id;
            crit.requirement_id = req_id;
            crit.level = sc_crit.level;
            crit.official_text_ja = sc_crit.text;
            if (base_crit != nullptr) {
              crit.guidance = base_crit->guidance;
              crit.evidence_hint = base_crit->evidence_hint;
              crit.recurrence = base_crit->recurrence;
              crit.scored = base_crit->scored;
              crit.note = base_crit->note;
            } else {
              AddWarning(sc_crit.row,
                         CatalogError(ErrorCode::kDataError, "ipa.new_criterion", sc_crit.id));
            }
            req.criteria.push_back(std::move(crit));
          }
          sub.requirements.push_back(std::move(req));
        }
        cat.subcategories.push_back(std::move(sub));
      }
      c.categories.push_back(std::move(cat));
    }
    return c;
  }

  void CheckCounts(CatalogVersion& catalog) {
    for (LevelDef& level : catalog.levels) {
      LevelCounts n = CountAt(catalog, level.level);
      // Categories with no criterion at this level are not listed in published counts.
      std::map<std::string, int> per_category;
      for (const auto& [id, count] : n.criteria_per_category) {
        if (count > 0) {
          per_category[id] = count;
        }
      }
      const bool differs =
          (level.expected_requirements && *level.expected_requirements != n.requirements) ||
          (level.expected_criteria && *level.expected_criteria != n.criteria) ||
          (!level.expected_criteria_per_category.empty() &&
           level.expected_criteria_per_category != per_category);
      if (options_.require_published_counts) {
        if (level.expected_requirements && *level.expected_requirements != n.requirements) {
          AddError(0, CatalogError(ErrorCode::kDataError, "ipa.count_requirements", level.level,
                                   n.requirements, *level.expected_requirements));
        }
        if (level.expected_criteria && *level.expected_criteria != n.criteria) {
          AddError(0, CatalogError(ErrorCode::kDataError, "ipa.count_criteria", level.level,
                                   n.criteria, *level.expected_criteria));
        }
        if (!level.expected_criteria_per_category.empty()) {
          std::set<std::string> ids;
          for (const auto& [id, count] : per_category) {
            ids.insert(id);
          }
          for (const auto& [id, count] : level.expected_criteria_per_category) {
            ids.insert(id);
          }
          for (const std::string& id : ids) {
            const auto got = per_category.find(id);
            const auto want = level.expected_criteria_per_category.find(id);
            const int got_n = got == per_category.end() ? 0 : got->second;
            const int want_n =
                want == level.expected_criteria_per_category.end() ? 0 : want->second;
            if (got_n != want_n) {
              AddError(0, CatalogError(ErrorCode::kDataError, "ipa.count_category", level.level, id,
                                       got_n, want_n));
            }
          }
        }
      } else {
        if (differs) {
          AddWarning(0, CatalogError(ErrorCode::kDataError, "ipa.counts_differ", level.level,
                                     n.requirements, level.expected_requirements.value_or(0),
                                     n.criteria, level.expected_criteria.value_or(0)));
        }
        // The revised sheet is its own publication: its counts become the published ones.
        level.expected_requirements = n.requirements;
        level.expected_criteria = n.criteria;
        level.expected_criteria_per_category = per_category;
      }
      out_.counts.push_back(std::move(n));
    }
  }

  // Criteria of the base catalog that the sheet lacks (a deleted row, typically).
  void CheckAgainstBase() {
    int last_row = kIpaFirstDataRow;
    for (const auto& [id, row] : criteria_rows_) {
      last_row = std::max(last_row, row + 1);
    }
    std::vector<const Criterion*> base_criteria;
    for (const Category& cat : base_.categories) {
      for (const Subcategory& sub : cat.subcategories) {
        for (const Requirement& req : sub.requirements) {
          for (const Criterion& crit : req.criteria) {
            base_criteria.push_back(&crit);
          }
        }
      }
    }
    for (std::size_t i = 0; i < base_criteria.size(); ++i) {
      if (criteria_rows_.contains(base_criteria[i]->id)) {
        continue;
      }
      // Where it would have been: between the rows of its neighbours that are in the sheet.
      int row = last_row;
      for (std::size_t k = i + 1; k < base_criteria.size(); ++k) {
        auto it = criteria_rows_.find(base_criteria[k]->id);
        if (it != criteria_rows_.end()) {
          row = it->second;
          break;
        }
      }
      int previous = kIpaFirstDataRow - 1;
      for (std::size_t k = i; k-- > 0;) {
        auto it = criteria_rows_.find(base_criteria[k]->id);
        if (it != criteria_rows_.end()) {
          previous = it->second;
          break;
        }
      }
      // A row there whose id could not be placed (already reported) explains the gap.
      if (std::any_of(unplaced_rows_.begin(), unplaced_rows_.end(),
                      [&](int r) { return r > previous && r < row; })) {
        continue;
      }
      Error error =
          CatalogError(ErrorCode::kDataError, "ipa.missing_criterion", base_criteria[i]->id);
      if (options_.require_published_counts) {
        AddError(row, std::move(error));
      } else {
        AddWarning(row, std::move(error));
      }
    }
  }

  const XlsxSheet& sheet_;
  const ImportOptions& options_;
  const CatalogVersion& base_;
  ImportResult& out_;
  std::vector<int> levels_;
  std::map<std::string, int> criteria_rows_;
  std::vector<int> unplaced_rows_;               // rows with a bad or duplicate id
  std::map<int, std::vector<int>> empty_cells_;  // column -> rows
  std::vector<std::string> category_order_;
  std::map<std::string, SheetCategory> categories_;
  std::map<std::string, SheetSubcategory> subcategories_;
  std::map<std::string, SheetRequirement> requirements_;
};

bool IsVersion(std::string_view v) {
  return !v.empty() && v.size() <= 64 && std::all_of(v.begin(), v.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '.' ||
           c == '-' || c == '_';
  });
}

}  // namespace

std::string NormalizeOfficialText(std::string_view text) {
  std::string unified;
  unified.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r') {
      unified.push_back('\n');
      if (i + 1 < text.size() && text[i + 1] == '\n') {
        ++i;
      }
    } else {
      unified.push_back(text[i]);
    }
  }
  std::string out;
  std::size_t start = 0;
  while (start <= unified.size()) {
    std::size_t end = unified.find('\n', start);
    if (end == std::string::npos) {
      end = unified.size();
    }
    std::string_view line(unified.data() + start, end - start);
    std::size_t width = 0;
    while (EndsWithBlank(line, width)) {
      line.remove_suffix(width);
    }
    out.append(line);
    out.push_back('\n');
    start = end + 1;
  }
  return Trim(out);
}

std::string FormatImportMessage(const Error& error, Lang lang) {
  const auto& location = error.location();
  if (location && location->line > 0) {
    return FormatMessage(CatalogMessages(), "ipa.row_prefix", location->source, location->line)
               .In(lang) +
           error.message(lang);
  }
  if (location && !location->source.empty()) {
    return FormatMessage(CatalogMessages(), "ipa.sheet_prefix", location->source).In(lang) +
           error.message(lang);
  }
  return error.message(lang);
}

Result<ImportResult> ImportIpaSheet(std::string_view xlsx_bytes, const ImportOptions& options) {
  if (options.base == nullptr) {
    return CatalogError(ErrorCode::kInvalidArgument, "ipa.no_base");
  }
  if (!IsVersion(options.version)) {
    return CatalogError(ErrorCode::kInvalidArgument, "ipa.bad_version", options.version);
  }
  HOSHI_ASSIGN_OR_RETURN(XlsxSheet sheet,
                         ReadXlsxSheet(xlsx_bytes, options.sheet_name,
                                       /*fallback_to_first=*/true, options.limits));
  ImportResult result;
  result.sheet_name = sheet.name;
  result.source_sha256 = Sha256Hex(xlsx_bytes);
  if (RemoveSpaces(sheet.name) != RemoveSpaces(options.sheet_name)) {
    result.warnings.push_back(
        CatalogError(ErrorCode::kDataError, "ipa.sheet_fallback", options.sheet_name, sheet.name)
            .WithLocation(SourceLocation{sheet.name, 0, 0}));
  }
  Importer(sheet, options, result).Run();
  return result;
}

}  // namespace hoshi::catalog
