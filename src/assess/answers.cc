// SPDX-License-Identifier: Apache-2.0
#include "hoshi/assess/answers.h"

#include <array>
#include <charconv>
#include <set>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

namespace hoshi::assess {
namespace {

struct StatusAlias {
  std::string_view text;
  AnswerStatus status;
};

constexpr std::array kStatusAliases{
    StatusAlias{"unanswered", AnswerStatus::kUnanswered},
    StatusAlias{"implemented", AnswerStatus::kImplemented},
    StatusAlias{"partial", AnswerStatus::kPartial},
    StatusAlias{"not_implemented", AnswerStatus::kNotImplemented},
    StatusAlias{"not_applicable", AnswerStatus::kNotApplicable},
    StatusAlias{"unknown", AnswerStatus::kUnknown},
    StatusAlias{"partially_implemented", AnswerStatus::kPartial},
    StatusAlias{"n/a", AnswerStatus::kNotApplicable},
    StatusAlias{"未回答", AnswerStatus::kUnanswered},
    StatusAlias{"実施", AnswerStatus::kImplemented},
    StatusAlias{"実施している", AnswerStatus::kImplemented},
    StatusAlias{"一部実施", AnswerStatus::kPartial},
    StatusAlias{"一部実施している", AnswerStatus::kPartial},
    StatusAlias{"未実施", AnswerStatus::kNotImplemented},
    StatusAlias{"実施していない", AnswerStatus::kNotImplemented},
    StatusAlias{"該当なし", AnswerStatus::kNotApplicable},
    StatusAlias{"対象外", AnswerStatus::kNotApplicable},
    StatusAlias{"わからない", AnswerStatus::kUnknown},
};

constexpr std::string_view kTopFields = "catalog, level, organization, answers";
constexpr std::string_view kAnswerFields = "status, reason, note, evidence, last_checked";

bool IsSha256Hex(std::string_view s) {
  if (s.size() != 64) {
    return false;
  }
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      return false;
    }
  }
  return true;
}

bool IsDigits(std::string_view s, std::size_t n) {
  if (s.size() != n) {
    return false;
  }
  for (char c : s) {
    if (c < '0' || c > '9') {
      return false;
    }
  }
  return true;
}

class Parser {
 public:
  Parser(std::string_view source, const catalog::CatalogVersion& catalog, int level, Date today)
      : source_(source), catalog_(catalog), level_(level), today_(today) {}

  ParsedAnswers Run(std::string_view text) {
    if (text.size() > kMaxAnswerFileBytes) {
      Fail(0, "answers.file_too_large", FormatNumber(static_cast<long long>(kMaxAnswerFileBytes)));
      return std::move(out_);
    }
    YAML::Node root;
    try {
      root = YAML::Load(std::string(text));
    } catch (const YAML::Exception& e) {
      Fail(e.mark.line >= 0 ? e.mark.line + 1 : 0, "answers.yaml_syntax", e.msg);
      return std::move(out_);
    }
    try {
      ParseRoot(root);
    } catch (const YAML::Exception& e) {
      // yaml-cpp only throws here on conversions we guard against; keep it an input error.
      Fail(e.mark.line >= 0 ? e.mark.line + 1 : 0, "answers.yaml_syntax", e.msg);
    }
    return std::move(out_);
  }

 private:
  template <typename... Args>
  void Fail(int line, std::string_view key, Args&&... args) {
    Error e = MakeError(ErrorCode::kDataError, AssessMessages(), key, std::forward<Args>(args)...);
    out_.errors.push_back(std::move(e).WithLocation(SourceLocation{std::string(source_), line, 0}));
  }

  static int LineOf(const YAML::Node& node) {
    return node.Mark().line >= 0 ? node.Mark().line + 1 : 0;
  }

  // Records "'field' must be <type>" with the type word in each language.
  void FailType(int line, std::string_view field, std::string_view type_key) {
    const LocalizedText type = Lookup(AssessMessages(), type_key);
    const MessageEntry& entry = *FindEntry("answers.wrong_type");
    LocalizedText message{fmt::format(fmt::runtime(entry.ja), field, type.ja),
                          fmt::format(fmt::runtime(entry.en), field, type.en)};
    out_.errors.push_back(Error(ErrorCode::kDataError, std::move(message))
                              .WithLocation(SourceLocation{std::string(source_), line, 0}));
  }

  static const MessageEntry* FindEntry(std::string_view key) {
    for (const auto& entry : AssessMessages()) {
      if (entry.key == key) {
        return &entry;
      }
    }
    return &AssessMessages().front();
  }

  // A scalar as text; records a type error and returns nullopt for maps and lists.
  std::optional<std::string> Text(const YAML::Node& node, std::string_view field) {
    if (node.IsNull()) {
      return std::string();
    }
    if (!node.IsScalar()) {
      FailType(LineOf(node), field, "answers.type_text");
      return std::nullopt;
    }
    return node.Scalar();
  }

  void ParseRoot(const YAML::Node& root) {
    if (!root.IsMap()) {
      Fail(LineOf(root), "answers.not_a_map");
      return;
    }
    YAML::Node answers;
    for (auto it = root.begin(); it != root.end(); ++it) {
      const std::string key = it->first.Scalar();
      const YAML::Node value = it->second;
      if (key == "catalog") {
        if (auto text = Text(value, key); text && !text->empty() && *text != catalog_.key()) {
          Fail(LineOf(it->first), "answers.catalog_mismatch", *text, catalog_.key());
        }
      } else if (key == "level") {
        ParseLevel(value);
      } else if (key == "organization") {
        ParseOrganization(value);
      } else if (key == "answers") {
        answers = value;
      } else {
        Fail(LineOf(it->first), "answers.unknown_field", key, kTopFields);
      }
    }
    if (level_ == 0) {
      Fail(0, "answers.level_missing");
      return;
    }
    if (catalog_.FindLevel(level_) == nullptr) {
      Fail(0, "answers.level_unknown", catalog_.key(), level_);
      return;
    }
    out_.answers.catalog_key = catalog_.key();
    out_.answers.level = level_;
    if (!answers.IsDefined() || answers.IsNull()) {
      Fail(0, "answers.no_answers");
      return;
    }
    if (!answers.IsMap()) {
      Fail(LineOf(answers), "answers.answers_not_map");
      return;
    }
    for (auto it = answers.begin(); it != answers.end(); ++it) {
      ParseAnswer(it->first, it->second);
    }
  }

  void ParseLevel(const YAML::Node& value) {
    auto text = Text(value, "level");
    if (!text || text->empty()) {
      return;
    }
    std::string_view digits = *text;
    if (digits.starts_with("★")) {
      digits.remove_prefix(std::string_view("★").size());
    }
    int file_level = 0;
    auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), file_level);
    if (ec != std::errc() || ptr != digits.data() + digits.size()) {
      FailType(LineOf(value), "level", "answers.type_int");
      return;
    }
    if (level_ == 0) {
      level_ = file_level;
    } else if (file_level != level_) {
      Fail(LineOf(value), "answers.level_mismatch", file_level, level_);
    }
  }

  void ParseOrganization(const YAML::Node& value) {
    if (value.IsNull()) {
      return;
    }
    if (!value.IsMap()) {
      FailType(LineOf(value), "organization", "answers.type_map");
      return;
    }
    for (auto it = value.begin(); it != value.end(); ++it) {
      const std::string key = it->first.Scalar();
      auto text = Text(it->second, key);
      if (!text) {
        continue;
      }
      if (key == "name") {
        out_.answers.organization_name = *text;
      } else if (key == "corporate_number") {
        if (!text->empty() && !IsDigits(*text, 13)) {
          Fail(LineOf(it->second), "answers.bad_corporate_number", *text);
        }
        out_.answers.corporate_number = *text;
      } else {
        Fail(LineOf(it->first), "answers.unknown_field", key, "name, corporate_number");
      }
    }
  }

  void ParseAnswer(const YAML::Node& key_node, const YAML::Node& value) {
    const std::string& id = key_node.Scalar();
    const int line = LineOf(key_node);
    const catalog::Criterion* criterion = catalog_.FindCriterion(id);
    if (criterion == nullptr) {
      Fail(line, "answers.unknown_criterion", id, catalog_.key());
      return;
    }
    if (auto seen = first_line_.find(id); seen != first_line_.end()) {
      Fail(line, "answers.duplicate_criterion", id, seen->second);
      return;
    }
    first_line_.emplace(id, line);
    Answer answer;
    answer.criterion_id = id;
    answer.line = line;
    if (value.IsScalar() || value.IsNull()) {
      ParseStatusInto(answer, value, *criterion);  // shorthand: "1-2-1-1: implemented"
    } else if (value.IsMap()) {
      for (auto it = value.begin(); it != value.end(); ++it) {
        const std::string field = it->first.Scalar();
        const YAML::Node v = it->second;
        if (field == "status") {
          ParseStatusInto(answer, v, *criterion);
        } else if (field == "reason" || field == "note") {
          auto text = Text(v, field);
          if (!text) {
            continue;
          }
          if (text->size() > kMaxTextFieldBytes) {
            Fail(LineOf(v), "answers.field_too_long", id, field,
                 FormatNumber(static_cast<long long>(kMaxTextFieldBytes)));
            continue;
          }
          (field == "reason" ? answer.reason : answer.note) = *text;
        } else if (field == "evidence") {
          ParseEvidence(answer, v);
        } else if (field == "last_checked") {
          ParseLastChecked(answer, v);
        } else if (field == "title" || field == "guidance" || field == "evidence_hint" ||
                   field == "level" || field == "recurring" || field == "requirement") {
          // Informational fields written by the JSON template; ignored.
        } else {
          Fail(LineOf(it->first), "answers.unknown_field", field, kAnswerFields);
        }
      }
    } else {
      FailType(LineOf(value), id, "answers.type_map");
      return;
    }
    if (answer.status == AnswerStatus::kNotApplicable && answer.reason.empty()) {
      Fail(line, "answers.na_without_reason", id);
    }
    if (criterion->level > level_) {
      out_.ignored.push_back(id);
      return;
    }
    out_.answers.answers.emplace(id, std::move(answer));
  }

  void ParseStatusInto(Answer& answer, const YAML::Node& node,
                       const catalog::Criterion& criterion) {
    auto text = Text(node, "status");
    if (!text) {
      return;
    }
    if (text->empty()) {
      answer.status = AnswerStatus::kUnanswered;
      return;
    }
    auto status = ParseStatus(*text);
    if (!status) {
      Fail(LineOf(node), "answers.unknown_status", *text);
      return;
    }
    if (*status == AnswerStatus::kUnknown && !criterion.scored) {
      Fail(LineOf(node), "answers.unknown_not_allowed", criterion.id);
      return;
    }
    answer.status = *status;
  }

  void ParseEvidence(Answer& answer, const YAML::Node& node) {
    if (node.IsNull()) {
      return;
    }
    if (!node.IsSequence()) {
      FailType(LineOf(node), "evidence", "answers.type_list");
      return;
    }
    if (node.size() > kMaxEvidencePerAnswer) {
      Fail(LineOf(node), "answers.too_much_evidence", answer.criterion_id,
           static_cast<int>(kMaxEvidencePerAnswer));
      return;
    }
    for (const auto& item : node) {
      auto text = Text(item, "evidence");
      if (!text) {
        continue;
      }
      if (!IsSha256Hex(*text)) {
        Fail(LineOf(item), "answers.bad_evidence", answer.criterion_id, *text);
        continue;
      }
      answer.evidence.push_back(*text);
    }
  }

  void ParseLastChecked(Answer& answer, const YAML::Node& node) {
    auto text = Text(node, "last_checked");
    if (!text || text->empty()) {
      return;
    }
    auto date = Date::Parse(*text);
    if (!date) {
      Fail(LineOf(node), "answers.bad_date", answer.criterion_id, *text);
      return;
    }
    if (*date > today_) {
      Fail(LineOf(node), "answers.future_date", answer.criterion_id, date->ToIso());
      return;
    }
    answer.last_checked = *date;
  }

  std::string_view source_;
  const catalog::CatalogVersion& catalog_;
  int level_;
  Date today_;
  ParsedAnswers out_;
  std::map<std::string, int> first_line_;
};

}  // namespace

std::string_view StatusName(AnswerStatus status) {
  switch (status) {
    case AnswerStatus::kUnanswered:
      return "unanswered";
    case AnswerStatus::kImplemented:
      return "implemented";
    case AnswerStatus::kPartial:
      return "partial";
    case AnswerStatus::kNotImplemented:
      return "not_implemented";
    case AnswerStatus::kNotApplicable:
      return "not_applicable";
    case AnswerStatus::kUnknown:
      return "unknown";
  }
  return "unanswered";
}

std::optional<AnswerStatus> ParseStatus(std::string_view text) {
  std::string lower;
  for (char c : text) {
    lower.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c));
  }
  for (const auto& alias : kStatusAliases) {
    if (alias.text == lower) {
      return alias.status;
    }
  }
  return std::nullopt;
}

LocalizedText StatusLabel(AnswerStatus status) {
  return Lookup(AssessMessages(), "status." + std::string(StatusName(status)));
}

ParsedAnswers ParseAnswers(std::string_view text, std::string_view source_name,
                           const catalog::CatalogVersion& catalog, int level, Date today) {
  return Parser(source_name, catalog, level, today).Run(text);
}

}  // namespace hoshi::assess
