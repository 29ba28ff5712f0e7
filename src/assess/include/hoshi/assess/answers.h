// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hoshi/catalog/catalog.h"
#include "hoshi/core/clock.h"
#include "hoshi/core/result.h"

namespace hoshi::assess {

/// The answer to one criterion.
enum class AnswerStatus {
  kUnanswered,      ///< 未回答
  kImplemented,     ///< 実施
  kPartial,         ///< 一部実施
  kNotImplemented,  ///< 未実施
  kNotApplicable,   ///< 該当なし (a reason is mandatory)
  kUnknown,         ///< わからない (scored self-checks only)
};

/// Stable name used in files, JSON and the database: "implemented", "partial", …
[[nodiscard]] std::string_view StatusName(AnswerStatus status);
/// Accepts the stable names, "partially_implemented", and the Japanese labels (実施, 一部実施,
/// 未実施, 該当なし, わからない, 未回答 and their 〜している forms).
[[nodiscard]] std::optional<AnswerStatus> ParseStatus(std::string_view text);
/// The user-facing label ("実施" / "Implemented").
[[nodiscard]] LocalizedText StatusLabel(AnswerStatus status);

/// One answered criterion.
struct Answer {
  std::string criterion_id;
  AnswerStatus status = AnswerStatus::kUnanswered;
  std::string reason;  ///< why not applicable (mandatory for kNotApplicable)
  std::string note;
  std::vector<std::string> evidence;  ///< blob SHA-256 hashes
  std::optional<Date> last_checked;   ///< for recurring criteria
  int line = 0;                       ///< line in the source file (0 when not from a file)
};

/// An organisation's answers for one catalog version at one level.
struct AnswerSet {
  std::string catalog_key;
  int level = 0;
  std::string organization_name;
  std::string corporate_number;           ///< 法人番号 (13 digits) when given
  std::map<std::string, Answer> answers;  ///< by criterion id
};

/// Parsing outcome: the answers, or every problem found (each with its line).
struct ParsedAnswers {
  AnswerSet answers;
  std::vector<Error> errors;
  /// Answers for criteria that exist but do not apply at the chosen level (ignored).
  std::vector<std::string> ignored;
  [[nodiscard]] bool ok() const { return errors.empty(); }
};

/// Limits on answer files.
inline constexpr std::size_t kMaxAnswerFileBytes = 8U << 20;
inline constexpr std::size_t kMaxTextFieldBytes = 16U << 10;
inline constexpr std::size_t kMaxEvidencePerAnswer = 100;

/// Parses an answer file (YAML, or JSON, which is read as YAML) and checks it against `catalog`
/// at `level`: unknown criterion ids, unknown statuses, N/A without a reason, malformed dates or
/// evidence hashes, dates in the future, unknown fields, and a catalog/level that contradicts the
/// one chosen. `level` 0 takes the file's own `level`. Never throws; never stops at the first
/// problem.
[[nodiscard]] ParsedAnswers ParseAnswers(std::string_view text, std::string_view source_name,
                                         const catalog::CatalogVersion& catalog, int level,
                                         Date today);

/// Output format of templates.
enum class TemplateFormat { kYaml, kJson };

/// An answer file to fill in for `catalog` at `level`: every applicable criterion "unanswered",
/// with the requirement title, guidance (marked as a paraphrase) and evidence hints as YAML
/// comments (or informational JSON fields), in `lang`.
[[nodiscard]] std::string MakeTemplate(const catalog::CatalogVersion& catalog, int level,
                                       TemplateFormat format, Lang lang);

/// The messages of the assess module (ja/en).
[[nodiscard]] std::span<const MessageEntry> AssessMessages();

}  // namespace hoshi::assess
