// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "hoshi/core/i18n.h"
#include "hoshi/core/result.h"

namespace hoshi::catalog {

/// How often a criterion's action must be repeated (e.g. "年1回以上点検").
enum class Recurrence { kNone, kMonthly, kYearly };
[[nodiscard]] std::string_view RecurrenceName(Recurrence r);  ///< "none" | "monthly" | "yearly"
[[nodiscard]] std::optional<Recurrence> ParseRecurrence(std::string_view name);

/// One evaluation criterion (評価基準), e.g. SCS "4-4-4-2".
struct Criterion {
  std::string id;
  std::string requirement_id;
  /// The lowest level at which this criterion applies; it applies at every higher level too.
  int level = 0;
  /// Guidance in our own words (a paraphrase, never the official text).
  LocalizedText guidance;
  /// The official criterion text, only when imported from the official sheet ("" otherwise).
  std::string official_text_ja;
  /// Records that would show conformance.
  LocalizedText evidence_hint;
  Recurrence recurrence = Recurrence::kNone;
  /// Scored self-check item (SECURITY ACTION ★2): must be answered, contributes to the score,
  /// but does not have to be "implemented" for the level verdict.
  bool scored = false;
  /// A caveat about this entry's source, e.g. that its label is not confirmed against the
  /// official document ("" in both languages when there is none).
  LocalizedText note;
};

/// One requirement (要求事項), e.g. SCS "4-4-4" セキュリティパッチ・アップデートの手続.
struct Requirement {
  std::string id;
  std::string subcategory_id;
  std::string title_ja;          ///< official short title, exactly as published
  std::string title_en;          ///< our English rendering of the title
  LocalizedText summary;         ///< paraphrase
  std::string official_text_ja;  ///< "" unless imported from the official sheet
  std::vector<Criterion> criteria;
};

struct Subcategory {
  std::string id;
  std::string category_id;
  std::string title_ja;  ///< official
  std::string title_en;
  std::string csf_category;  ///< NIST CSF 2.0 category, e.g. "GV.SC" ("" if none)
  std::vector<Requirement> requirements;
};

struct Category {
  std::string id;
  std::string title_ja;  ///< official
  std::string title_en;
  std::string csf_function;  ///< NIST CSF 2.0 function: GV, ID, PR, DE, RS, RC ("" if none)
  std::vector<Subcategory> subcategories;
};

/// A level the catalog defines (★1, ★2, ★3, ★4 …).
struct LevelDef {
  int level = 0;
  LocalizedText name;  ///< e.g. {"★3（Basic）", "★3 (Basic)"}
  /// Published counts the loader must reproduce, when the scheme publishes them.
  std::optional<int> expected_requirements;
  std::optional<int> expected_criteria;
  /// Published criteria per category id at this level (cumulative), when known.
  std::map<std::string, int> expected_criteria_per_category;
};

/// Answer statuses that a scoring rule can award points for.
struct ScoreBand {
  int min_score = 0;  ///< inclusive lower bound
  LocalizedText label;
};

/// A scoring rule for scored criteria (SECURITY ACTION's 自社診断: 4/2/0/−1, bands).
struct Scoring {
  int level = 0;                      ///< the level whose scored criteria it applies to
  std::map<std::string, int> points;  ///< answer status name -> points (e.g. "implemented": 4)
  std::vector<ScoreBand> bands;       ///< ordered by min_score descending
  int max_score = 0;
};

/// One version of one catalog: the unit assessments refer to, by `key()`.
struct CatalogVersion {
  std::string catalog_id;         ///< "scs", "security-action"
  std::string version;            ///< "2026-03-27"
  std::string official_title_ja;  ///< scheme title, kept in Japanese in every language
  LocalizedText title;            ///< display title
  std::string publisher;          ///< "IPA" …
  std::string published;          ///< publication date of the source document, YYYY-MM-DD
  /// "paraphrase": guidance is ours and official texts are absent;
  /// "official": official texts were imported (source_sha256 names the sheet).
  std::string text_source = "paraphrase";
  std::string source_sha256;
  /// The note every place that shows a paraphrase must show (e.g. "言い換えです。正式な文言は
  /// IPA の要求事項・評価基準（Excel）を参照してください。").
  LocalizedText paraphrase_note;
  std::vector<LevelDef> levels;
  std::vector<Category> categories;
  std::optional<Scoring> scoring;
  /// Where the catalog's facts come from (URLs of the official documents and pages used).
  std::vector<std::string> sources;

  [[nodiscard]] std::string key() const { return catalog_id + "-" + version; }
  [[nodiscard]] const LevelDef* FindLevel(int level) const;
  [[nodiscard]] const Category* FindCategory(std::string_view id) const;
  [[nodiscard]] const Subcategory* FindSubcategory(std::string_view id) const;
  [[nodiscard]] const Requirement* FindRequirement(std::string_view id) const;
  [[nodiscard]] const Criterion* FindCriterion(std::string_view id) const;
  /// Criteria applicable at `level` (criterion.level <= level), in catalog order.
  [[nodiscard]] std::vector<const Criterion*> CriteriaAt(int level) const;
  /// Requirements with at least one criterion applicable at `level`, in catalog order.
  [[nodiscard]] std::vector<const Requirement*> RequirementsAt(int level) const;
  /// The category a criterion belongs to (nullptr if the id is unknown).
  [[nodiscard]] const Category* CategoryOfCriterion(std::string_view criterion_id) const;
};

/// Counts of one catalog at one level, as `hoshitori catalog validate` reports them.
struct LevelCounts {
  int level = 0;
  int requirements = 0;
  int criteria = 0;
  std::map<std::string, int> criteria_per_category;
};

/// Result of validating a catalog: counts per level and every problem found.
struct ValidationReport {
  std::vector<LevelCounts> counts;
  std::vector<Error> problems;
  [[nodiscard]] bool ok() const { return problems.empty(); }
};

/// Counts requirements and criteria applicable at `level`; criteria_per_category lists every
/// category (0 included).
[[nodiscard]] LevelCounts CountAt(const CatalogVersion& catalog, int level);

/// Checks structure (unique, well-formed, hierarchical ids; parents exist; levels defined;
/// every title present in both languages) and that the computed counts equal every published
/// count in `levels`.
[[nodiscard]] ValidationReport Validate(const CatalogVersion& catalog);

/// Parses a catalog from the catalogs/ JSON format (see docs/catalogs.md). Does not validate
/// counts; call Validate. Errors: kDataError naming the field.
[[nodiscard]] Result<CatalogVersion> ParseCatalogJson(std::string_view text,
                                                      std::string_view source_name);
/// Serializes to the same JSON format (round-trips through ParseCatalogJson).
[[nodiscard]] std::string CatalogToJson(const CatalogVersion& catalog);

/// The messages of the catalog module (ja/en).
[[nodiscard]] std::span<const MessageEntry> CatalogMessages();

}  // namespace hoshi::catalog
