// SPDX-License-Identifier: Apache-2.0
// A minimal .xlsx reader: libzip (from memory) + pugixml. Reads cell texts only.
#include "hoshi/catalog/xlsx_reader.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <memory>

#include <pugixml.hpp>
#include <zip.h>

#include "messages.h"

namespace hoshi::catalog {
namespace {

using detail::CatalogError;

const std::string kEmpty;

std::string_view Local(const char* name) {
  std::string_view s(name);
  const auto colon = s.rfind(':');
  return colon == std::string_view::npos ? s : s.substr(colon + 1);
}

pugi::xml_node Child(const pugi::xml_node& node, std::string_view local) {
  for (pugi::xml_node child : node.children()) {
    if (child.type() == pugi::node_element && Local(child.name()) == local) {
      return child;
    }
  }
  return {};
}

pugi::xml_attribute Attr(const pugi::xml_node& node, std::string_view local) {
  for (pugi::xml_attribute a : node.attributes()) {
    if (Local(a.name()) == local) {
      return a;
    }
  }
  return {};
}

void AppendUtf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xc0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xe0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  } else {
    out.push_back(static_cast<char>(0xf0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3f)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  }
}

// Reads "_xHHHH_" at `s[i]`; nullopt if there is none.
std::optional<std::uint32_t> EscapeAt(std::string_view s, std::size_t i) {
  if (i + 7 > s.size() || s[i] != '_' || s[i + 1] != 'x' || s[i + 6] != '_') {
    return std::nullopt;
  }
  std::uint32_t value = 0;
  const auto [ptr, ec] = std::from_chars(s.data() + i + 2, s.data() + i + 6, value, 16);
  if (ec != std::errc() || ptr != s.data() + i + 6) {
    return std::nullopt;
  }
  return value;
}

// Decodes OOXML's ST_Xstring escapes ("_x000D_" is a carriage return, "_x005F_" an underscore).
std::string DecodeXstring(std::string_view s) {
  if (s.find("_x") == std::string_view::npos) {
    return std::string(s);
  }
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    auto unit = EscapeAt(s, i);
    if (!unit) {
      out.push_back(s[i]);
      ++i;
      continue;
    }
    std::uint32_t cp = *unit;
    i += 7;
    if (cp >= 0xd800 && cp < 0xdc00) {
      auto low = EscapeAt(s, i);
      if (low && *low >= 0xdc00 && *low < 0xe000) {
        cp = 0x10000 + ((cp - 0xd800) << 10) + (*low - 0xdc00);
        i += 7;
      } else {
        cp = 0xfffd;
      }
    } else if (cp >= 0xdc00 && cp < 0xe000) {
      cp = 0xfffd;
    }
    AppendUtf8(out, cp);
  }
  return out;
}

// The text of an <si> or <is> element: its <t>, or the <t> of each rich-text run <r>. Phonetic
// runs (<rPh>, furigana) are not part of the cell's text.
std::string RichText(const pugi::xml_node& node) {
  std::string out;
  for (pugi::xml_node child : node.children()) {
    const std::string_view name = Local(child.name());
    if (name == "t") {
      out += child.text().get();
    } else if (name == "r") {
      for (pugi::xml_node run_child : child.children()) {
        if (Local(run_child.name()) == "t") {
          out += run_child.text().get();
        }
      }
    }
  }
  return DecodeXstring(out);
}

std::string FormatNumber(std::string_view raw) {
  double value = 0;
  const auto [ptr, ec] = std::from_chars(raw.data(), raw.data() + raw.size(), value);
  if (ec != std::errc() || ptr != raw.data() + raw.size()) {
    return std::string(raw);
  }
  if (std::isfinite(value) && std::fabs(value) < 1e15 && value == std::floor(value)) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%lld", static_cast<long long>(value));
    return buffer;
  }
  return std::string(raw);
}

std::string NormalizePath(std::string_view path) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= path.size()) {
    auto slash = path.find('/', start);
    if (slash == std::string_view::npos) {
      slash = path.size();
    }
    const std::string_view part = path.substr(start, slash - start);
    if (part == "..") {
      if (!parts.empty()) {
        parts.pop_back();
      }
    } else if (!part.empty() && part != ".") {
      parts.emplace_back(part);
    }
    start = slash + 1;
  }
  std::string out;
  for (const auto& p : parts) {
    if (!out.empty()) {
      out += '/';
    }
    out += p;
  }
  return out;
}

// `target` of a relationship in part `base_dir` ("xl/").
std::string ResolveTarget(std::string_view base_dir, std::string_view target) {
  if (!target.empty() && target.front() == '/') {
    return NormalizePath(target.substr(1));
  }
  return NormalizePath(std::string(base_dir) + std::string(target));
}

std::string RemoveSpaces(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      continue;
    }
    if (s.compare(i, 3, "\xe3\x80\x80") == 0) {  // U+3000 ideographic space
      i += 2;
      continue;
    }
    out.push_back(c);
  }
  return out;
}

struct Relationship {
  std::string type;
  std::string target;  // resolved
};

class ZipArchive {
 public:
  static Result<std::unique_ptr<ZipArchive>> Open(std::string_view bytes,
                                                  const XlsxLimits& limits) {
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
    if (source == nullptr) {
      zip_error_fini(&error);
      return CatalogError(ErrorCode::kDataError, "xlsx.not_xlsx");
    }
    zip_t* archive = zip_open_from_source(source, ZIP_RDONLY, &error);
    if (archive == nullptr) {
      std::string detail = zip_error_strerror(&error);
      zip_source_free(source);
      zip_error_fini(&error);
      return CatalogError(ErrorCode::kDataError, "xlsx.not_xlsx").WithDetail(detail);
    }
    zip_error_fini(&error);
    auto out = std::unique_ptr<ZipArchive>(new ZipArchive(archive, limits));
    if (zip_get_num_entries(archive, 0) > limits.max_zip_entries) {
      return CatalogError(ErrorCode::kTooLarge, "xlsx.too_large", "(zip)", limits.max_zip_entries);
    }
    return out;
  }
  ~ZipArchive() { zip_discard(archive_); }
  ZipArchive(const ZipArchive&) = delete;
  ZipArchive& operator=(const ZipArchive&) = delete;

  /// The part's bytes, or nullopt when the archive has no such part.
  Result<std::optional<std::string>> Read(const std::string& name) {
    zip_int64_t index = zip_name_locate(archive_, name.c_str(), 0);
    if (index < 0) {
      index = zip_name_locate(archive_, name.c_str(), ZIP_FL_NOCASE);
    }
    if (index < 0) {
      return std::optional<std::string>();
    }
    zip_stat_t stat;
    zip_stat_init(&stat);
    if (zip_stat_index(archive_, static_cast<zip_uint64_t>(index), 0, &stat) == 0 &&
        (stat.valid & ZIP_STAT_SIZE) != 0 && stat.size > limits_.max_part_bytes) {
      return CatalogError(ErrorCode::kTooLarge, "xlsx.too_large", name, limits_.max_part_bytes);
    }
    zip_file_t* file = zip_fopen_index(archive_, static_cast<zip_uint64_t>(index), 0);
    if (file == nullptr) {
      return CatalogError(ErrorCode::kDataError, "xlsx.bad_xml", name)
          .WithDetail(zip_strerror(archive_));
    }
    std::string out;
    char buffer[65536];
    for (;;) {
      const zip_int64_t n = zip_fread(file, buffer, sizeof buffer);
      if (n < 0) {
        std::string detail = zip_file_strerror(file);
        zip_fclose(file);
        return CatalogError(ErrorCode::kDataError, "xlsx.bad_xml", name).WithDetail(detail);
      }
      if (n == 0) {
        break;
      }
      // The declared size may lie; the cap holds for what is actually inflated.
      if (out.size() + static_cast<std::size_t>(n) > limits_.max_part_bytes) {
        zip_fclose(file);
        return CatalogError(ErrorCode::kTooLarge, "xlsx.too_large", name, limits_.max_part_bytes);
      }
      out.append(buffer, static_cast<std::size_t>(n));
    }
    zip_fclose(file);
    return std::optional<std::string>(std::move(out));
  }

  Result<std::string> ReadRequired(const std::string& name) {
    HOSHI_ASSIGN_OR_RETURN(std::optional<std::string> data, Read(name));
    if (!data) {
      return CatalogError(ErrorCode::kDataError, "xlsx.missing_part", name);
    }
    return std::move(*data);
  }

 private:
  ZipArchive(zip_t* archive, XlsxLimits limits) : archive_(archive), limits_(limits) {}
  zip_t* archive_;
  XlsxLimits limits_;
};

Status LoadXml(pugi::xml_document& doc, const std::string& data, const std::string& name) {
  const pugi::xml_parse_result parsed = doc.load_buffer(
      data.data(), data.size(), pugi::parse_default | pugi::parse_ws_pcdata, pugi::encoding_utf8);
  if (!parsed) {
    return CatalogError(ErrorCode::kDataError, "xlsx.bad_xml", name)
        .WithDetail(parsed.description());
  }
  return Status::Ok();
}

std::string DirOf(std::string_view part) {
  const auto slash = part.rfind('/');
  return slash == std::string_view::npos ? std::string() : std::string(part.substr(0, slash + 1));
}

// Relationships of `part`, by id (empty when the part has no .rels).
Result<std::map<std::string, Relationship>> ReadRels(ZipArchive& zip, std::string_view part) {
  const std::string dir = DirOf(part);
  const std::string rels_name = dir + "_rels/" + std::string(part.substr(dir.size())) + ".rels";
  std::map<std::string, Relationship> out;
  HOSHI_ASSIGN_OR_RETURN(std::optional<std::string> data, zip.Read(rels_name));
  if (!data) {
    return out;
  }
  pugi::xml_document doc;
  HOSHI_RETURN_IF_ERROR(LoadXml(doc, *data, rels_name));
  for (pugi::xml_node rel : Child(doc, "Relationships").children()) {
    if (Local(rel.name()) != "Relationship") {
      continue;
    }
    const std::string mode = Attr(rel, "TargetMode").value();
    if (mode == "External") {
      continue;
    }
    out[Attr(rel, "Id").value()] =
        Relationship{Attr(rel, "Type").value(), ResolveTarget(dir, Attr(rel, "Target").value())};
  }
  return out;
}

bool TypeEndsWith(const std::string& type, std::string_view suffix) {
  return type.size() >= suffix.size() &&
         std::string_view(type).substr(type.size() - suffix.size()) == suffix;
}

struct SheetEntry {
  std::string name;
  std::string part;
};

struct Workbook {
  std::vector<SheetEntry> sheets;
  std::string shared_strings_part;  // "" if none
};

Result<Workbook> ReadWorkbook(ZipArchive& zip) {
  std::string workbook_part = "xl/workbook.xml";
  HOSHI_ASSIGN_OR_RETURN(auto root_rels, ReadRels(zip, ""));
  for (const auto& [id, rel] : root_rels) {
    if (TypeEndsWith(rel.type, "/officeDocument")) {
      workbook_part = rel.target;
    }
  }
  HOSHI_ASSIGN_OR_RETURN(std::string data, zip.ReadRequired(workbook_part));
  pugi::xml_document doc;
  HOSHI_RETURN_IF_ERROR(LoadXml(doc, data, workbook_part));
  HOSHI_ASSIGN_OR_RETURN(auto rels, ReadRels(zip, workbook_part));
  Workbook wb;
  const std::string dir = DirOf(workbook_part);
  for (const auto& [id, rel] : rels) {
    if (TypeEndsWith(rel.type, "/sharedStrings")) {
      wb.shared_strings_part = rel.target;
    }
  }
  if (wb.shared_strings_part.empty()) {
    wb.shared_strings_part = dir + "sharedStrings.xml";  // read only if present
  }
  for (pugi::xml_node sheet : Child(Child(doc, "workbook"), "sheets").children()) {
    if (Local(sheet.name()) != "sheet") {
      continue;
    }
    SheetEntry entry;
    entry.name = Attr(sheet, "name").value();
    auto rel = rels.find(Attr(sheet, "id").value());
    if (rel != rels.end()) {
      entry.part = rel->second.target;
    } else {
      entry.part = dir + "worksheets/sheet" + std::to_string(wb.sheets.size() + 1) + ".xml";
    }
    wb.sheets.push_back(std::move(entry));
  }
  if (wb.sheets.empty()) {
    return CatalogError(ErrorCode::kDataError, "xlsx.no_sheets");
  }
  return wb;
}

Result<std::vector<std::string>> ReadSharedStrings(ZipArchive& zip, const std::string& part,
                                                   const XlsxLimits& limits) {
  std::vector<std::string> out;
  HOSHI_ASSIGN_OR_RETURN(std::optional<std::string> data, zip.Read(part));
  if (!data) {
    return out;
  }
  pugi::xml_document doc;
  HOSHI_RETURN_IF_ERROR(LoadXml(doc, *data, part));
  for (pugi::xml_node si : Child(doc, "sst").children()) {
    if (Local(si.name()) == "si") {
      if (out.size() >= limits.max_cells) {
        return CatalogError(ErrorCode::kTooLarge, "xlsx.too_large", part, limits.max_cells);
      }
      out.push_back(RichText(si));
    }
  }
  return out;
}

Result<XlsxSheet> ReadSheet(ZipArchive& zip, const SheetEntry& entry,
                            const std::vector<std::string>& shared, const XlsxLimits& limits) {
  HOSHI_ASSIGN_OR_RETURN(std::string data, zip.ReadRequired(entry.part));
  pugi::xml_document doc;
  HOSHI_RETURN_IF_ERROR(LoadXml(doc, data, entry.part));
  XlsxSheet sheet;
  sheet.name = entry.name;
  const pugi::xml_node worksheet = Child(doc, "worksheet");
  int row_number = 0;
  for (pugi::xml_node row : Child(worksheet, "sheetData").children()) {
    if (Local(row.name()) != "row") {
      continue;
    }
    const pugi::xml_attribute r = Attr(row, "r");
    row_number = r ? r.as_int() : row_number + 1;
    int column = 0;
    for (pugi::xml_node c : row.children()) {
      if (Local(c.name()) != "c") {
        continue;
      }
      const pugi::xml_attribute ref = Attr(c, "r");
      if (ref) {
        auto parsed = ParseCellRef(ref.value());
        if (!parsed) {
          return CatalogError(ErrorCode::kDataError, "xlsx.bad_cell", ref.value());
        }
        column = parsed->second;
        if (parsed->first != row_number && !r) {
          row_number = parsed->first;
        }
      } else {
        ++column;
      }
      const std::string type = Attr(c, "t").value();
      const pugi::xml_node v = Child(c, "v");
      std::string text;
      if (type == "inlineStr") {
        const pugi::xml_node is = Child(c, "is");
        if (!is) {
          continue;
        }
        text = RichText(is);
      } else if (!v) {
        continue;  // a styled but empty cell
      } else if (type == "s") {
        const std::string_view raw = v.text().get();
        std::size_t index = 0;
        const auto [ptr, ec] = std::from_chars(raw.data(), raw.data() + raw.size(), index);
        if (ec != std::errc() || ptr != raw.data() + raw.size() || index >= shared.size()) {
          return CatalogError(ErrorCode::kDataError, "xlsx.bad_xml", entry.part)
              .WithDetail("shared string index out of range");
        }
        text = shared[index];
      } else if (type == "str") {
        text = DecodeXstring(v.text().get());
      } else if (type == "b") {
        text = std::string_view(v.text().get()) == "1" ? "TRUE" : "FALSE";
      } else if (type == "e" || type == "d") {
        text = v.text().get();
      } else {
        text = FormatNumber(v.text().get());
      }
      if (text.empty()) {
        continue;
      }
      if (row_number < 1 || row_number > limits.max_rows || column > limits.max_columns) {
        return CatalogError(ErrorCode::kTooLarge, "xlsx.too_large", entry.part, limits.max_rows);
      }
      if (sheet.cells.size() >= limits.max_cells) {
        return CatalogError(ErrorCode::kTooLarge, "xlsx.too_large", entry.part, limits.max_cells);
      }
      sheet.max_row = std::max(sheet.max_row, row_number);
      sheet.max_column = std::max(sheet.max_column, column);
      sheet.cells[{row_number, column}] = std::move(text);
    }
  }
  // Merged ranges: repeat the top-left value, within the used area only.
  for (pugi::xml_node merge : Child(worksheet, "mergeCells").children()) {
    if (Local(merge.name()) != "mergeCell") {
      continue;
    }
    const std::string_view ref = Attr(merge, "ref").value();
    const auto colon = ref.find(':');
    if (colon == std::string_view::npos) {
      continue;
    }
    auto from = ParseCellRef(ref.substr(0, colon));
    auto to = ParseCellRef(ref.substr(colon + 1));
    if (!from || !to) {
      return CatalogError(ErrorCode::kDataError, "xlsx.bad_cell", std::string(ref));
    }
    auto top_left = sheet.cells.find(*from);
    if (top_left == sheet.cells.end()) {
      continue;
    }
    const std::string value = top_left->second;
    const int last_row = std::min(to->first, sheet.max_row);
    const int last_column = std::min(to->second, sheet.max_column);
    for (int row = from->first; row <= last_row; ++row) {
      for (int col = from->second; col <= last_column; ++col) {
        if (sheet.cells.size() >= limits.max_cells) {
          return CatalogError(ErrorCode::kTooLarge, "xlsx.too_large", entry.part, limits.max_cells);
        }
        sheet.cells.emplace(std::make_pair(row, col), value);
      }
    }
  }
  return sheet;
}

}  // namespace

const std::string& XlsxSheet::Cell(int row, int column) const {
  auto it = cells.find({row, column});
  return it == cells.end() ? kEmpty : it->second;
}

std::optional<std::pair<int, int>> ParseCellRef(std::string_view ref) {
  std::size_t i = 0;
  long column = 0;
  while (i < ref.size() && ((ref[i] >= 'A' && ref[i] <= 'Z') || (ref[i] >= 'a' && ref[i] <= 'z'))) {
    const char c = static_cast<char>(ref[i] >= 'a' ? ref[i] - 'a' + 'A' : ref[i]);
    column = column * 26 + (c - 'A' + 1);
    if (column > 16384) {
      return std::nullopt;
    }
    ++i;
  }
  if (column == 0 || i == ref.size()) {
    return std::nullopt;
  }
  long row = 0;
  for (; i < ref.size(); ++i) {
    if (ref[i] < '0' || ref[i] > '9') {
      return std::nullopt;
    }
    row = row * 10 + (ref[i] - '0');
    if (row > 1048576) {
      return std::nullopt;
    }
  }
  if (row == 0) {
    return std::nullopt;
  }
  return std::make_pair(static_cast<int>(row), static_cast<int>(column));
}

std::string ColumnName(int column) {
  std::string out;
  while (column > 0) {
    const int rem = (column - 1) % 26;
    out.insert(out.begin(), static_cast<char>('A' + rem));
    column = (column - 1) / 26;
  }
  return out;
}

Result<std::vector<std::string>> ListXlsxSheets(std::string_view xlsx_bytes,
                                                const XlsxLimits& limits) {
  HOSHI_ASSIGN_OR_RETURN(auto zip, ZipArchive::Open(xlsx_bytes, limits));
  HOSHI_ASSIGN_OR_RETURN(Workbook wb, ReadWorkbook(*zip));
  std::vector<std::string> names;
  for (const auto& s : wb.sheets) {
    names.push_back(s.name);
  }
  return names;
}

Result<XlsxSheet> ReadXlsxSheet(std::string_view xlsx_bytes, std::string_view name,
                                bool fallback_to_first, const XlsxLimits& limits) {
  HOSHI_ASSIGN_OR_RETURN(auto zip, ZipArchive::Open(xlsx_bytes, limits));
  HOSHI_ASSIGN_OR_RETURN(Workbook wb, ReadWorkbook(*zip));
  const SheetEntry* chosen = nullptr;
  for (const auto& s : wb.sheets) {
    if (s.name == name) {
      chosen = &s;
      break;
    }
  }
  if (chosen == nullptr) {
    const std::string wanted = RemoveSpaces(name);
    for (const auto& s : wb.sheets) {
      if (RemoveSpaces(s.name) == wanted) {
        chosen = &s;
        break;
      }
    }
  }
  if (chosen == nullptr) {
    if (!fallback_to_first) {
      return CatalogError(ErrorCode::kNotFound, "xlsx.no_such_sheet", name);
    }
    chosen = &wb.sheets.front();
  }
  HOSHI_ASSIGN_OR_RETURN(std::vector<std::string> shared,
                         ReadSharedStrings(*zip, wb.shared_strings_part, limits));
  return ReadSheet(*zip, *chosen, shared, limits);
}

}  // namespace hoshi::catalog
