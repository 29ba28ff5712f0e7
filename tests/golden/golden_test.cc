// SPDX-License-Identifier: Apache-2.0
// Golden runner for the engines. tests/golden/assess/<case>/ (assessment engine) holds:
//   README        one line: what the case shows
//   case.json     {"mode": "evaluate"|"prepare", "catalog": KEY, "level": N, "today": DATE,
//                  "answers": FILE, "to": KEY (prepare only)}
//   <answers>     the answer file (YAML or JSON)
//   expected.json the canonical output (sorted keys). HOSHI_UPDATE_GOLDEN=1 rewrites it.
// Output for a broken answer file is {"errors": [{"line": N, "code": ..., "ja": ..., "en": ...}]}.
// tests/golden/sbom/<case>/ (SBOM matcher over the shared real data) holds README, expected.json
// and case.json {"mode": "sbom-scan", "sbom": PATH under ../shared/data}; the SBOM is matched
// against every shared OSV record (go, crates, pypi) with the KEV catalog. Output: one line per
// finding, "ADVISORY PURL-OR-REF VERSION | explanation | severity [KEV]". Skipped without the data.
#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "hoshi/assess/evaluate.h"
#include "hoshi/assess/preparation.h"
#include "hoshi/catalog/registry.h"
#include "hoshi/core/file.h"
#include "hoshi/core/json.h"
#include "hoshi/sbom/matcher.h"
#include "hoshi/sbom/report.h"

namespace hoshi {
namespace {

namespace fs = std::filesystem;

const fs::path kRoot = fs::path(HOSHI_SOURCE_DIR) / "tests" / "golden";

std::vector<std::string> Cases() {
  std::vector<std::string> out;
  for (const auto& engine : fs::directory_iterator(kRoot)) {
    if (!engine.is_directory()) {
      continue;
    }
    for (const auto& c : fs::directory_iterator(engine.path())) {
      if (c.is_directory() && fs::exists(c.path() / "case.json")) {
        out.push_back(fs::relative(c.path(), kRoot).string());
      }
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

const catalog::CatalogRegistry& Registry() {
  static const catalog::CatalogRegistry kRegistry = [] {
    auto r = catalog::CatalogRegistry::LoadBuiltin();
    HOSHI_CHECK(r.ok());  // the shipped catalogs are validated by catalog_test
    return std::move(r).value();
  }();
  return kRegistry;
}

Json ErrorsToJson(const std::vector<Error>& errors) {
  Json list = Json::array();
  for (const auto& e : errors) {
    list.push_back(Json{{"line", e.location() ? e.location()->line : 0},
                        {"code", ApiName(e.code())},
                        {"ja", e.message(Lang::kJa)},
                        {"en", e.message(Lang::kEn)}});
  }
  return Json{{"errors", std::move(list)}};
}

const fs::path kSharedData = fs::path(HOSHI_SHARED_DIR) / "data";

/// Every shared OSV record and the KEV catalog, loaded once.
const sbom::AdvisoryDb& SharedAdvisories() {
  static const sbom::AdvisoryDb kDb = [] {
    sbom::AdvisoryDb db;
    for (const char* dir : {"go", "crates", "pypi"}) {
      auto report = sbom::LoadAdvisoryDirectory(kSharedData / "advisories/osv" / dir, db);
      HOSHI_CHECK(report.ok() && report->failed == 0);
    }
    auto kev =
        sbom::ReadKevFile(kSharedData / "advisories/kev/known_exploited_vulnerabilities.json");
    HOSHI_CHECK(kev.ok());
    db.SetKev(std::move(kev).value());
    return db;
  }();
  return kDb;
}

Result<Json> RunSbomCase(const Json& spec) {
  HOSHI_ASSIGN_OR_RETURN(std::string path, GetString(spec, "sbom"));
  HOSHI_ASSIGN_OR_RETURN(sbom::SbomDocument doc, sbom::ReadSbomFile(kSharedData / path));
  Json lines = Json::array();
  for (const auto& f : sbom::MatchDocument(doc, SharedAdvisories())) {
    lines.push_back(fmt::format("{} {} {} | {} | {}{}", f.advisory_id,
                                f.purl.empty() ? f.component_ref : f.purl, f.version,
                                sbom::ExplainMatch(f.match), sbom::SeverityLabel(f.base_score),
                                f.known_exploited ? " KEV" : ""));
  }
  return Json{{"components", doc.components.size()},
              {"invalid_purls", doc.invalid_purls},
              {"findings", std::move(lines)}};
}

Result<Json> RunCase(const fs::path& dir) {
  HOSHI_ASSIGN_OR_RETURN(std::string spec_text, ReadFile((dir / "case.json").string()));
  HOSHI_ASSIGN_OR_RETURN(Json spec, ParseJson(spec_text, "case.json"));
  HOSHI_ASSIGN_OR_RETURN(std::string mode, GetString(spec, "mode"));
  if (mode == "sbom-scan") {
    return RunSbomCase(spec);
  }
  HOSHI_ASSIGN_OR_RETURN(std::string key, GetString(spec, "catalog"));
  HOSHI_ASSIGN_OR_RETURN(std::int64_t level, GetInt(spec, "level"));
  HOSHI_ASSIGN_OR_RETURN(std::string today_text, GetString(spec, "today"));
  HOSHI_ASSIGN_OR_RETURN(Date today, Date::Parse(today_text));
  HOSHI_ASSIGN_OR_RETURN(std::string answers_file, GetString(spec, "answers"));
  HOSHI_ASSIGN_OR_RETURN(std::string text, ReadFile((dir / answers_file).string()));
  const auto* cat = Registry().Find(key);
  if (cat == nullptr) {
    return Error(ErrorCode::kNotFound, {"カタログなし", "no catalog " + key});
  }
  if (mode == "prepare") {
    auto parsed = assess::ParseAnswers(text, answers_file, *cat, 0, today);
    if (!parsed.ok()) {
      return ErrorsToJson(parsed.errors);
    }
    HOSHI_ASSIGN_OR_RETURN(std::string to_key, GetString(spec, "to"));
    const auto* to = Registry().Find(to_key);
    const auto* mapping = Registry().FindMapping(key, to_key);
    if (to == nullptr || mapping == nullptr) {
      return Error(ErrorCode::kNotFound, {"対応表なし", "no mapping to " + to_key});
    }
    HOSHI_ASSIGN_OR_RETURN(auto view, assess::BuildPreparationView(
                                          *mapping, *to, static_cast<int>(level), parsed.answers));
    return assess::PreparationToJson(view);
  }
  auto parsed = assess::ParseAnswers(text, answers_file, *cat, static_cast<int>(level), today);
  if (!parsed.ok()) {
    return ErrorsToJson(parsed.errors);
  }
  const auto ev = assess::Evaluate(*cat, parsed.answers.level, parsed.answers, today);
  Json out = assess::EvaluationToJson(ev, *cat);
  out["ignored_answers"] = parsed.ignored;
  return out;
}

class GoldenTest : public ::testing::TestWithParam<std::string> {};

TEST_P(GoldenTest, MatchesExpected) {
  const fs::path dir = kRoot / GetParam();
  ASSERT_TRUE(fs::exists(dir / "README")) << "every case needs a one-line README";
  if (GetParam().starts_with("sbom") && !fs::exists(kSharedData / "advisories/osv")) {
    GTEST_SKIP() << "shared data absent: " << kSharedData;
  }
  auto actual = RunCase(dir);
  ASSERT_TRUE(actual.ok()) << actual.error().ToString(Lang::kEn);
  const std::string actual_text = DumpJson(*actual, 2) + "\n";
  const fs::path expected_path = dir / "expected.json";
  const char* update = std::getenv("HOSHI_UPDATE_GOLDEN");  // NOLINT(concurrency-mt-unsafe)
  if (update != nullptr && std::string(update) == "1") {
    ASSERT_TRUE(WriteFileAtomic(expected_path.string(), actual_text).ok());
    GTEST_SKIP() << "rewrote " << expected_path;
  }
  auto expected_text = ReadFile(expected_path.string());
  ASSERT_TRUE(expected_text.ok()) << "missing expected.json; run with HOSHI_UPDATE_GOLDEN=1";
  auto expected = ParseJson(*expected_text, "expected.json");
  ASSERT_TRUE(expected.ok());
  EXPECT_EQ(DumpJson(*expected, 2) + "\n", actual_text);
}

INSTANTIATE_TEST_SUITE_P(Cases, GoldenTest, ::testing::ValuesIn(Cases()),
                         [](const auto& param_info) {
                           std::string name;
                           for (char c : param_info.param) {
                             name.push_back(std::isalnum(static_cast<unsigned char>(c)) ? c : '_');
                           }
                           return name;
                         });

}  // namespace
}  // namespace hoshi
