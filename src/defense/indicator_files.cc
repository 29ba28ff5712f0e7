// SPDX-License-Identifier: Apache-2.0
// Indicator files and folders: one loader for `telemetry analyze`, `worker` and `serve`.
#include <algorithm>
#include <system_error>

#include "hoshi/core/file.h"
#include "hoshi/core/text.h"
#include "hoshi/defense/indicators.h"
#include "hoshi/defense/messages.h"

namespace hoshi::defense {

namespace fs = std::filesystem;

Result<ImportReport> ImportIndicatorFile(const fs::path& path, IndicatorSet& set) {
  HOSHI_ASSIGN_OR_RETURN(std::string text, ReadFile(path.string(), kMaxIndicatorFileBytes));
  const auto first = text.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
  const std::string source = path.filename().string();
  if (first != std::string::npos && (text[first] == '{' || text[first] == '[')) {
    return ImportStixBundle(text, source, set);
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
      return MakeError(ErrorCode::kNotFound, DefenseMessages(), "defense.indicator_missing",
                       p.string());
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
