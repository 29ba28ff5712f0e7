// SPDX-License-Identifier: Apache-2.0
// Indicator files and folders: one loader for `telemetry analyze`, `worker` and `serve`.
#include <algorithm>
#include <optional>
#include <system_error>
#include <utility>

#include "hoshi/core/file.h"
#include "hoshi/core/text.h"
#include "hoshi/defense/indicators.h"
#include "hoshi/defense/messages.h"

namespace hoshi::defense {

namespace fs = std::filesystem;

namespace {

/// One CSV record (RFC 4180: quoted fields with "" escapes; a quoted field may span lines).
/// Consumes it from `text`.
std::vector<std::string> NextCsvRecord(std::string_view& text) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  std::size_t i = 0;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        fields.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        fields.back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.emplace_back();
    } else if (c == '\n') {
      break;
    } else if (c != '\r') {
      fields.back() += c;
    }
  }
  text.remove_prefix(std::min(i + 1, text.size()));
  return fields;
}

bool IsMispCsvHeader(std::string_view first_line) {
  return first_line.starts_with("uuid,") && first_line.find(",type,") != std::string_view::npos &&
         first_line.find(",value") != std::string_view::npos;
}

/// The attribute values of a MISP attribute type that single-event matching can use.
std::vector<std::pair<std::string, std::optional<IndicatorType>>> MispValues(
    std::string_view type, std::string_view value) {
  const auto bar = value.find('|');
  const std::string_view left = value.substr(0, bar);
  const std::string_view right = bar == std::string_view::npos ? "" : value.substr(bar + 1);
  if (type == "ip-dst" || type == "ip-src") {
    return {{std::string(value), std::nullopt}};  // an address or a CIDR
  }
  if (type == "ip-dst|port" || type == "ip-src|port") {
    return {{std::string(left), std::nullopt}};
  }
  if (type == "domain" || type == "hostname") {
    return {{std::string(value), IndicatorType::kDomain}};
  }
  if (type == "domain|ip") {
    std::vector<std::pair<std::string, std::optional<IndicatorType>>> out{
        {std::string(left), IndicatorType::kDomain}};
    if (!right.empty()) {
      out.emplace_back(std::string(right), std::nullopt);
    }
    return out;
  }
  if (type == "url") {
    return {{std::string(value), IndicatorType::kUrl}};
  }
  for (const auto& [name, t] :
       {std::pair{"md5", IndicatorType::kMd5}, std::pair{"sha1", IndicatorType::kSha1},
        std::pair{"sha256", IndicatorType::kSha256}}) {
    if (type == name) {
      return {{std::string(value), t}};
    }
    if (type == std::string("filename|") + name) {
      return {{std::string(right), t}};
    }
  }
  return {};
}

}  // namespace

Result<ImportReport> ImportMispCsv(std::string_view text, std::string_view source,
                                   IndicatorSet& set) {
  if (text.starts_with("\xEF\xBB\xBF")) {
    text.remove_prefix(3);
  }
  const auto header = NextCsvRecord(text);
  const auto column = [&](std::string_view name) -> std::optional<std::size_t> {
    for (std::size_t i = 0; i < header.size(); ++i) {
      if (header[i] == name) {
        return i;
      }
    }
    return std::nullopt;
  };
  const auto type_col = column("type");
  const auto value_col = column("value");
  const auto ids_col = column("to_ids");
  if (!type_col || !value_col) {
    return MakeError(ErrorCode::kDataError, DefenseMessages(), "defense.misp_header", source);
  }
  ImportReport report;
  int line = 1;
  while (!text.empty()) {
    const auto record = NextCsvRecord(text);
    ++line;
    if (record.size() == 1 && record[0].empty()) {
      continue;
    }
    if (record.size() <= std::max(*type_col, *value_col)) {
      report.NoteInvalid(
          "columns",
          MakeError(ErrorCode::kDataError, DefenseMessages(), "defense.misp_columns", line)
              .WithLocation(SourceLocation{std::string(source), line, 0}));
      continue;
    }
    if (ids_col && *ids_col < record.size() &&
        (record[*ids_col] == "0" || record[*ids_col] == "False" || record[*ids_col] == "false")) {
      report.NoteSkipped("not_for_ids");
      continue;
    }
    const auto values = MispValues(record[*type_col], record[*value_col]);
    if (values.empty()) {
      report.NoteSkipped("unsupported_type");
      continue;
    }
    for (const auto& [value, type] : values) {
      auto indicator = MakeIndicator(value, type);
      if (!indicator.ok()) {
        report.NoteInvalid("bad_value", std::move(indicator).error().WithLocation(
                                            SourceLocation{std::string(source), line, 0}));
        continue;
      }
      indicator->source = std::string(source);
      HOSHI_RETURN_IF_ERROR(set.Add(*indicator));
      ++report.added;
    }
  }
  return report;
}

Result<ImportReport> ImportIndicatorFile(const fs::path& path, IndicatorSet& set) {
  HOSHI_ASSIGN_OR_RETURN(std::string text, ReadFile(path.string(), kMaxIndicatorFileBytes));
  const auto first = text.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
  const std::string source = path.filename().string();
  if (first != std::string::npos && (text[first] == '{' || text[first] == '[')) {
    return ImportStixBundle(text, source, set);
  }
  if (first != std::string::npos) {
    const std::string_view rest = std::string_view(text).substr(first);
    if (IsMispCsvHeader(rest.substr(0, rest.find('\n')))) {
      return ImportMispCsv(text, source, set);
    }
  }
  return ImportPlainList(text, source, set);
}

bool IsIndicatorFileName(std::string_view file_name) {
  if (file_name.empty() || file_name.front() == '.') {
    return false;
  }
  std::string lower(file_name);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (const std::string_view ext : {".json", ".stix", ".txt", ".list", ".csv"}) {
    if (lower.size() > ext.size() && lower.ends_with(ext)) {
      return true;
    }
  }
  return false;
}

Result<IndicatorLoad> LoadIndicatorPaths(const std::vector<fs::path>& paths) {
  IndicatorLoad out;
  out.set = std::make_shared<IndicatorSet>();
  std::vector<fs::path> files;
  for (const auto& p : paths) {
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      std::vector<fs::path> found;
      for (fs::recursive_directory_iterator it(p, ec), end; !ec && it != end; it.increment(ec)) {
        if (it->is_regular_file(ec) && IsIndicatorFileName(it->path().filename().string())) {
          found.push_back(it->path());
        }
      }
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else if (fs::exists(p, ec)) {
      files.push_back(p);
    } else {
      return MakeError(ErrorCode::kNotFound, DefenseMessages(), "defense.feed_missing", p.string());
    }
  }
  for (const auto& f : files) {
    auto report = ImportIndicatorFile(f, *out.set);
    if (!report.ok()) {
      out.file_errors.push_back(std::move(report).error());
      continue;
    }
    ++out.files;
    out.report.added += report->added;
    out.report.skipped += report->skipped;
    out.report.invalid += report->invalid;
    for (const auto& [reason, n] : report->reasons) {
      out.report.reasons[reason] += n;
    }
    for (auto& e : report->errors) {
      if (out.report.errors.size() < ImportReport::kMaxErrors) {
        out.report.errors.push_back(std::move(e));
      }
    }
  }
  out.set->Freeze();
  return out;
}

}  // namespace hoshi::defense
