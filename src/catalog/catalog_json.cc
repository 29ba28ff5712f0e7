// SPDX-License-Identifier: Apache-2.0
// The catalogs/ JSON format (docs/catalogs.md): parsing and canonical serialization.
#include <initializer_list>
#include <limits>
#include <string>

#include <nlohmann/json.hpp>

#include "hoshi/catalog/catalog.h"
#include "hoshi/core/json.h"

#include "messages.h"

namespace hoshi::catalog {
namespace {

using detail::CatalogError;
using OrderedJson = nlohmann::ordered_json;

constexpr std::string_view kFormat = "hoshitori-catalog";
constexpr std::int64_t kFormatVersion = 1;

std::string Field(std::string_view path, std::string_view key) {
  return path.empty() ? std::string(key) : std::string(path) + "." + std::string(key);
}

std::string Index(std::string_view path, std::string_view key, std::size_t i) {
  return Field(path, key) + "[" + std::to_string(i) + "]";
}

Status CheckKeys(const Json& object, std::initializer_list<std::string_view> allowed,
                 std::string_view path) {
  for (const auto& item : object.items()) {
    bool known = false;
    for (std::string_view key : allowed) {
      known = known || item.key() == key;
    }
    if (!known) {
      return CatalogError(ErrorCode::kDataError, "catalog.unknown_field", Field(path, item.key()));
    }
  }
  return Status::Ok();
}

Result<const Json*> GetObject(const Json& object, std::string_view key, std::string_view path) {
  HOSHI_ASSIGN_OR_RETURN(const Json* value, GetOptional(object, key, Json::value_t::object, path));
  if (value == nullptr) {
    return MakeError(ErrorCode::kDataError, CoreMessages(), "core.json_missing", Field(path, key));
  }
  return value;
}

Result<const Json*> GetArray(const Json& object, std::string_view key, std::string_view path) {
  HOSHI_ASSIGN_OR_RETURN(const Json* value, GetOptional(object, key, Json::value_t::array, path));
  if (value == nullptr) {
    return MakeError(ErrorCode::kDataError, CoreMessages(), "core.json_missing", Field(path, key));
  }
  return value;
}

Result<int> ToInt(std::int64_t value, std::string_view field) {
  if (value < std::numeric_limits<int>::min() / 2 || value > std::numeric_limits<int>::max() / 2) {
    return CatalogError(ErrorCode::kDataError, "catalog.bad_number", field, value);
  }
  return static_cast<int>(value);
}

Result<int> GetIntField(const Json& object, std::string_view key, std::string_view path) {
  HOSHI_ASSIGN_OR_RETURN(std::int64_t value, GetInt(object, key, path));
  return ToInt(value, Field(path, key));
}

Result<std::optional<int>> GetOptionalInt(const Json& object, std::string_view key,
                                          std::string_view path) {
  if (!object.contains(key)) {
    return std::optional<int>();
  }
  HOSHI_ASSIGN_OR_RETURN(int value, GetIntField(object, key, path));
  return std::optional<int>(value);
}

Result<LocalizedText> ParseText(const Json& object, std::string_view path) {
  HOSHI_RETURN_IF_ERROR(CheckKeys(object, {"ja", "en"}, path));
  HOSHI_ASSIGN_OR_RETURN(std::string ja, GetString(object, "ja", path));
  HOSHI_ASSIGN_OR_RETURN(std::string en, GetString(object, "en", path));
  return LocalizedText{std::move(ja), std::move(en)};
}

Result<LocalizedText> GetText(const Json& object, std::string_view key, std::string_view path) {
  HOSHI_ASSIGN_OR_RETURN(const Json* value, GetObject(object, key, path));
  return ParseText(*value, Field(path, key));
}

Result<LocalizedText> GetOptionalText(const Json& object, std::string_view key,
                                      std::string_view path) {
  HOSHI_ASSIGN_OR_RETURN(const Json* value, GetOptional(object, key, Json::value_t::object, path));
  if (value == nullptr) {
    return LocalizedText{};
  }
  return ParseText(*value, Field(path, key));
}

Result<std::map<std::string, int>> GetIntMap(const Json& object, std::string_view key,
                                             std::string_view path) {
  std::map<std::string, int> out;
  HOSHI_ASSIGN_OR_RETURN(const Json* value, GetOptional(object, key, Json::value_t::object, path));
  if (value == nullptr) {
    return out;
  }
  const std::string map_path = Field(path, key);
  for (const auto& item : value->items()) {
    HOSHI_ASSIGN_OR_RETURN(int n, GetIntField(*value, item.key(), map_path));
    out[item.key()] = n;
  }
  return out;
}

Result<Criterion> ParseCriterion(const Json& j, const std::string& requirement_id,
                                 const std::string& path) {
  HOSHI_RETURN_IF_ERROR(CheckKeys(j,
                                  {"id", "level", "scored", "guidance", "official_text_ja",
                                   "evidence_hint", "recurrence", "note"},
                                  path));
  Criterion c;
  c.requirement_id = requirement_id;
  HOSHI_ASSIGN_OR_RETURN(c.id, GetString(j, "id", path));
  HOSHI_ASSIGN_OR_RETURN(c.level, GetIntField(j, "level", path));
  if (j.contains("scored")) {
    HOSHI_ASSIGN_OR_RETURN(c.scored, GetBool(j, "scored", path));
  }
  HOSHI_ASSIGN_OR_RETURN(c.guidance, GetOptionalText(j, "guidance", path));
  HOSHI_ASSIGN_OR_RETURN(c.official_text_ja, GetOptionalString(j, "official_text_ja", path));
  HOSHI_ASSIGN_OR_RETURN(c.evidence_hint, GetOptionalText(j, "evidence_hint", path));
  HOSHI_ASSIGN_OR_RETURN(std::string recurrence, GetOptionalString(j, "recurrence", path));
  if (!recurrence.empty()) {
    auto r = ParseRecurrence(recurrence);
    if (!r) {
      return CatalogError(ErrorCode::kDataError, "catalog.bad_recurrence",
                          Field(path, "recurrence"), recurrence);
    }
    c.recurrence = *r;
  }
  HOSHI_ASSIGN_OR_RETURN(c.note, GetOptionalText(j, "note", path));
  return c;
}

Result<Requirement> ParseRequirement(const Json& j, const std::string& subcategory_id,
                                     const std::string& path) {
  HOSHI_RETURN_IF_ERROR(CheckKeys(
      j, {"id", "title_ja", "title_en", "summary", "official_text_ja", "criteria"}, path));
  Requirement r;
  r.subcategory_id = subcategory_id;
  HOSHI_ASSIGN_OR_RETURN(r.id, GetString(j, "id", path));
  HOSHI_ASSIGN_OR_RETURN(r.title_ja, GetString(j, "title_ja", path));
  HOSHI_ASSIGN_OR_RETURN(r.title_en, GetString(j, "title_en", path));
  HOSHI_ASSIGN_OR_RETURN(r.summary, GetOptionalText(j, "summary", path));
  HOSHI_ASSIGN_OR_RETURN(r.official_text_ja, GetOptionalString(j, "official_text_ja", path));
  HOSHI_ASSIGN_OR_RETURN(const Json* criteria, GetArray(j, "criteria", path));
  for (std::size_t i = 0; i < criteria->size(); ++i) {
    const std::string item_path = Index(path, "criteria", i);
    if (!(*criteria)[i].is_object()) {
      return MakeError(ErrorCode::kDataError, CoreMessages(), "core.json_type", item_path,
                       "object");
    }
    HOSHI_ASSIGN_OR_RETURN(Criterion c, ParseCriterion((*criteria)[i], r.id, item_path));
    r.criteria.push_back(std::move(c));
  }
  return r;
}

Result<Subcategory> ParseSubcategory(const Json& j, const std::string& category_id,
                                     const std::string& path) {
  HOSHI_RETURN_IF_ERROR(
      CheckKeys(j, {"id", "title_ja", "title_en", "csf_category", "requirements"}, path));
  Subcategory s;
  s.category_id = category_id;
  HOSHI_ASSIGN_OR_RETURN(s.id, GetString(j, "id", path));
  HOSHI_ASSIGN_OR_RETURN(s.title_ja, GetString(j, "title_ja", path));
  HOSHI_ASSIGN_OR_RETURN(s.title_en, GetString(j, "title_en", path));
  HOSHI_ASSIGN_OR_RETURN(s.csf_category, GetOptionalString(j, "csf_category", path));
  HOSHI_ASSIGN_OR_RETURN(const Json* reqs, GetArray(j, "requirements", path));
  for (std::size_t i = 0; i < reqs->size(); ++i) {
    const std::string item_path = Index(path, "requirements", i);
    if (!(*reqs)[i].is_object()) {
      return MakeError(ErrorCode::kDataError, CoreMessages(), "core.json_type", item_path,
                       "object");
    }
    HOSHI_ASSIGN_OR_RETURN(Requirement r, ParseRequirement((*reqs)[i], s.id, item_path));
    s.requirements.push_back(std::move(r));
  }
  return s;
}

Result<Category> ParseCategory(const Json& j, const std::string& path) {
  HOSHI_RETURN_IF_ERROR(
      CheckKeys(j, {"id", "title_ja", "title_en", "csf_function", "subcategories"}, path));
  Category c;
  HOSHI_ASSIGN_OR_RETURN(c.id, GetString(j, "id", path));
  HOSHI_ASSIGN_OR_RETURN(c.title_ja, GetString(j, "title_ja", path));
  HOSHI_ASSIGN_OR_RETURN(c.title_en, GetString(j, "title_en", path));
  HOSHI_ASSIGN_OR_RETURN(c.csf_function, GetOptionalString(j, "csf_function", path));
  HOSHI_ASSIGN_OR_RETURN(const Json* subs, GetArray(j, "subcategories", path));
  for (std::size_t i = 0; i < subs->size(); ++i) {
    const std::string item_path = Index(path, "subcategories", i);
    if (!(*subs)[i].is_object()) {
      return MakeError(ErrorCode::kDataError, CoreMessages(), "core.json_type", item_path,
                       "object");
    }
    HOSHI_ASSIGN_OR_RETURN(Subcategory s, ParseSubcategory((*subs)[i], c.id, item_path));
    c.subcategories.push_back(std::move(s));
  }
  return c;
}

Result<LevelDef> ParseLevel(const Json& j, const std::string& path) {
  HOSHI_RETURN_IF_ERROR(CheckKeys(j,
                                  {"level", "name", "expected_requirements", "expected_criteria",
                                   "expected_criteria_per_category"},
                                  path));
  LevelDef l;
  HOSHI_ASSIGN_OR_RETURN(l.level, GetIntField(j, "level", path));
  HOSHI_ASSIGN_OR_RETURN(l.name, GetText(j, "name", path));
  HOSHI_ASSIGN_OR_RETURN(l.expected_requirements, GetOptionalInt(j, "expected_requirements", path));
  HOSHI_ASSIGN_OR_RETURN(l.expected_criteria, GetOptionalInt(j, "expected_criteria", path));
  HOSHI_ASSIGN_OR_RETURN(l.expected_criteria_per_category,
                         GetIntMap(j, "expected_criteria_per_category", path));
  return l;
}

Result<Scoring> ParseScoring(const Json& j, const std::string& path) {
  HOSHI_RETURN_IF_ERROR(CheckKeys(j, {"level", "points", "max_score", "bands"}, path));
  Scoring s;
  HOSHI_ASSIGN_OR_RETURN(s.level, GetIntField(j, "level", path));
  HOSHI_ASSIGN_OR_RETURN(s.points, GetIntMap(j, "points", path));
  HOSHI_ASSIGN_OR_RETURN(s.max_score, GetIntField(j, "max_score", path));
  HOSHI_ASSIGN_OR_RETURN(const Json* bands, GetArray(j, "bands", path));
  for (std::size_t i = 0; i < bands->size(); ++i) {
    const std::string item_path = Index(path, "bands", i);
    const Json& b = (*bands)[i];
    if (!b.is_object()) {
      return MakeError(ErrorCode::kDataError, CoreMessages(), "core.json_type", item_path,
                       "object");
    }
    HOSHI_RETURN_IF_ERROR(CheckKeys(b, {"min_score", "label"}, item_path));
    ScoreBand band;
    HOSHI_ASSIGN_OR_RETURN(band.min_score, GetIntField(b, "min_score", item_path));
    HOSHI_ASSIGN_OR_RETURN(band.label, GetText(b, "label", item_path));
    s.bands.push_back(std::move(band));
  }
  return s;
}

}  // namespace

namespace detail {

Status CheckDocumentHeader(const nlohmann::json& j, std::string_view format,
                           std::string_view bad_format_key, std::int64_t version) {
  if (!j.is_object()) {
    return MakeError(ErrorCode::kDataError, CoreMessages(), "core.json_type", "(document)",
                     "object");
  }
  HOSHI_ASSIGN_OR_RETURN(std::string found, GetString(j, "format"));
  if (found != format) {
    return CatalogError(ErrorCode::kDataError, bad_format_key, found);
  }
  HOSHI_ASSIGN_OR_RETURN(std::int64_t found_version, GetInt(j, "format_version"));
  if (found_version != version) {
    return CatalogError(ErrorCode::kDataError, "catalog.bad_format_version", found_version,
                        version);
  }
  return Status::Ok();
}

}  // namespace detail

namespace {

Result<CatalogVersion> ParseDocument(const Json& j) {
  HOSHI_RETURN_IF_ERROR(
      detail::CheckDocumentHeader(j, kFormat, "catalog.bad_format", kFormatVersion));
  HOSHI_RETURN_IF_ERROR(
      CheckKeys(j,
                {"format", "format_version", "catalog_id", "version", "official_title_ja", "title",
                 "publisher", "published", "text_source", "source_sha256", "paraphrase_note",
                 "sources", "levels", "scoring", "categories"},
                ""));
  CatalogVersion c;
  HOSHI_ASSIGN_OR_RETURN(c.catalog_id, GetString(j, "catalog_id"));
  HOSHI_ASSIGN_OR_RETURN(c.version, GetString(j, "version"));
  HOSHI_ASSIGN_OR_RETURN(c.official_title_ja, GetString(j, "official_title_ja"));
  HOSHI_ASSIGN_OR_RETURN(c.title, GetText(j, "title", ""));
  HOSHI_ASSIGN_OR_RETURN(c.publisher, GetString(j, "publisher"));
  HOSHI_ASSIGN_OR_RETURN(c.published, GetOptionalString(j, "published"));
  HOSHI_ASSIGN_OR_RETURN(c.text_source, GetString(j, "text_source"));
  HOSHI_ASSIGN_OR_RETURN(c.source_sha256, GetOptionalString(j, "source_sha256"));
  HOSHI_ASSIGN_OR_RETURN(c.paraphrase_note, GetOptionalText(j, "paraphrase_note", ""));
  HOSHI_ASSIGN_OR_RETURN(const Json* sources, GetOptional(j, "sources", Json::value_t::array, ""));
  if (sources != nullptr) {
    for (std::size_t i = 0; i < sources->size(); ++i) {
      if (!(*sources)[i].is_string()) {
        return MakeError(ErrorCode::kDataError, CoreMessages(), "core.json_type",
                         Index("", "sources", i), "string");
      }
      c.sources.push_back((*sources)[i].get<std::string>());
    }
  }
  HOSHI_ASSIGN_OR_RETURN(const Json* levels, GetArray(j, "levels", ""));
  for (std::size_t i = 0; i < levels->size(); ++i) {
    const std::string item_path = Index("", "levels", i);
    if (!(*levels)[i].is_object()) {
      return MakeError(ErrorCode::kDataError, CoreMessages(), "core.json_type", item_path,
                       "object");
    }
    HOSHI_ASSIGN_OR_RETURN(LevelDef l, ParseLevel((*levels)[i], item_path));
    c.levels.push_back(std::move(l));
  }
  HOSHI_ASSIGN_OR_RETURN(const Json* scoring, GetOptional(j, "scoring", Json::value_t::object, ""));
  if (scoring != nullptr) {
    HOSHI_ASSIGN_OR_RETURN(Scoring s, ParseScoring(*scoring, "scoring"));
    c.scoring = std::move(s);
  }
  HOSHI_ASSIGN_OR_RETURN(const Json* cats, GetArray(j, "categories", ""));
  for (std::size_t i = 0; i < cats->size(); ++i) {
    const std::string item_path = Index("", "categories", i);
    if (!(*cats)[i].is_object()) {
      return MakeError(ErrorCode::kDataError, CoreMessages(), "core.json_type", item_path,
                       "object");
    }
    HOSHI_ASSIGN_OR_RETURN(Category cat, ParseCategory((*cats)[i], item_path));
    c.categories.push_back(std::move(cat));
  }
  return c;
}

OrderedJson TextJson(const LocalizedText& text) {
  OrderedJson j = OrderedJson::object();
  j["ja"] = text.ja;
  j["en"] = text.en;
  return j;
}

bool Empty(const LocalizedText& text) {
  return text.ja.empty() && text.en.empty();
}

OrderedJson IntMapJson(const std::map<std::string, int>& map) {
  OrderedJson j = OrderedJson::object();
  for (const auto& [key, value] : map) {
    j[key] = value;
  }
  return j;
}

OrderedJson CriterionJson(const Criterion& c) {
  OrderedJson j = OrderedJson::object();
  j["id"] = c.id;
  j["level"] = c.level;
  if (c.scored) {
    j["scored"] = true;
  }
  if (!Empty(c.guidance)) {
    j["guidance"] = TextJson(c.guidance);
  }
  if (!c.official_text_ja.empty()) {
    j["official_text_ja"] = c.official_text_ja;
  }
  if (!Empty(c.evidence_hint)) {
    j["evidence_hint"] = TextJson(c.evidence_hint);
  }
  j["recurrence"] = std::string(RecurrenceName(c.recurrence));
  if (!Empty(c.note)) {
    j["note"] = TextJson(c.note);
  }
  return j;
}

OrderedJson RequirementJson(const Requirement& r) {
  OrderedJson j = OrderedJson::object();
  j["id"] = r.id;
  j["title_ja"] = r.title_ja;
  j["title_en"] = r.title_en;
  if (!Empty(r.summary)) {
    j["summary"] = TextJson(r.summary);
  }
  if (!r.official_text_ja.empty()) {
    j["official_text_ja"] = r.official_text_ja;
  }
  OrderedJson criteria = OrderedJson::array();
  for (const Criterion& c : r.criteria) {
    criteria.push_back(CriterionJson(c));
  }
  j["criteria"] = std::move(criteria);
  return j;
}

OrderedJson CategoryJson(const Category& cat) {
  OrderedJson j = OrderedJson::object();
  j["id"] = cat.id;
  j["title_ja"] = cat.title_ja;
  j["title_en"] = cat.title_en;
  if (!cat.csf_function.empty()) {
    j["csf_function"] = cat.csf_function;
  }
  OrderedJson subs = OrderedJson::array();
  for (const Subcategory& sub : cat.subcategories) {
    OrderedJson s = OrderedJson::object();
    s["id"] = sub.id;
    s["title_ja"] = sub.title_ja;
    s["title_en"] = sub.title_en;
    if (!sub.csf_category.empty()) {
      s["csf_category"] = sub.csf_category;
    }
    OrderedJson reqs = OrderedJson::array();
    for (const Requirement& r : sub.requirements) {
      reqs.push_back(RequirementJson(r));
    }
    s["requirements"] = std::move(reqs);
    subs.push_back(std::move(s));
  }
  j["subcategories"] = std::move(subs);
  return j;
}

}  // namespace

Result<CatalogVersion> ParseCatalogJson(std::string_view text, std::string_view source_name) {
  HOSHI_ASSIGN_OR_RETURN(Json j, ParseJson(text, source_name));
  auto parsed = ParseDocument(j);
  if (!parsed) {
    Error error = std::move(parsed).error();
    if (!error.location()) {
      error.WithLocation(SourceLocation{std::string(source_name), 0, 0});
    }
    return error;
  }
  return parsed;
}

std::string CatalogToJson(const CatalogVersion& c) {
  OrderedJson j = OrderedJson::object();
  j["format"] = std::string(kFormat);
  j["format_version"] = kFormatVersion;
  j["catalog_id"] = c.catalog_id;
  j["version"] = c.version;
  j["official_title_ja"] = c.official_title_ja;
  j["title"] = TextJson(c.title);
  j["publisher"] = c.publisher;
  if (!c.published.empty()) {
    j["published"] = c.published;
  }
  j["text_source"] = c.text_source;
  if (!c.source_sha256.empty()) {
    j["source_sha256"] = c.source_sha256;
  }
  if (!Empty(c.paraphrase_note)) {
    j["paraphrase_note"] = TextJson(c.paraphrase_note);
  }
  if (!c.sources.empty()) {
    j["sources"] = c.sources;
  }
  OrderedJson levels = OrderedJson::array();
  for (const LevelDef& l : c.levels) {
    OrderedJson level = OrderedJson::object();
    level["level"] = l.level;
    level["name"] = TextJson(l.name);
    if (l.expected_requirements) {
      level["expected_requirements"] = *l.expected_requirements;
    }
    if (l.expected_criteria) {
      level["expected_criteria"] = *l.expected_criteria;
    }
    if (!l.expected_criteria_per_category.empty()) {
      level["expected_criteria_per_category"] = IntMapJson(l.expected_criteria_per_category);
    }
    levels.push_back(std::move(level));
  }
  j["levels"] = std::move(levels);
  if (c.scoring) {
    OrderedJson s = OrderedJson::object();
    s["level"] = c.scoring->level;
    s["points"] = IntMapJson(c.scoring->points);
    s["max_score"] = c.scoring->max_score;
    OrderedJson bands = OrderedJson::array();
    for (const ScoreBand& b : c.scoring->bands) {
      OrderedJson band = OrderedJson::object();
      band["min_score"] = b.min_score;
      band["label"] = TextJson(b.label);
      bands.push_back(std::move(band));
    }
    s["bands"] = std::move(bands);
    j["scoring"] = std::move(s);
  }
  OrderedJson cats = OrderedJson::array();
  for (const Category& cat : c.categories) {
    cats.push_back(CategoryJson(cat));
  }
  j["categories"] = std::move(cats);
  return j.dump(2, ' ', /*ensure_ascii=*/false, OrderedJson::error_handler_t::replace) + "\n";
}

}  // namespace hoshi::catalog
