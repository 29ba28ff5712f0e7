// SPDX-License-Identifier: Apache-2.0
#include "hoshi/catalog/oscal.h"

#include <algorithm>
#include <string>

namespace hoshi::catalog {
namespace {

Json Prop(std::string_view name, std::string_view value, bool ours) {
  Json p = Json::object();
  p["name"] = std::string(name);
  p["value"] = std::string(value);
  if (ours) {
    p["ns"] = std::string(kOscalNamespace);
  }
  return p;
}

const std::string& Pick(const std::string& ja, const std::string& en, Lang lang) {
  if (lang == Lang::kEn && !en.empty()) {
    return en;
  }
  return ja.empty() ? en : ja;
}

// OSCAL ids are tokens: letters, digits, '.', '-', '_'; ours are "<prefix>-<scheme id>".
std::string Token(std::string_view prefix, std::string_view id) {
  std::string out(prefix);
  out += '-';
  for (char c : id) {
    const bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                    c == '.' || c == '-' || c == '_';
    out.push_back(ok ? c : '_');
  }
  return out;
}

Json CriterionPart(const Criterion& crit, Lang lang) {
  Json part = Json::object();
  part["id"] = Token("crit", crit.id);
  part["name"] = "item";
  Json props = Json::array();
  props.push_back(Prop("label", crit.id, false));
  props.push_back(Prop("level", std::to_string(crit.level), true));
  if (crit.recurrence != Recurrence::kNone) {
    props.push_back(Prop("recurrence", RecurrenceName(crit.recurrence), true));
  }
  if (crit.scored) {
    props.push_back(Prop("scored", "true", true));
  }
  part["props"] = std::move(props);
  const std::string& guidance =
      crit.guidance.In(lang).empty() ? crit.guidance.ja : crit.guidance.In(lang);
  // The criterion's own text: official when imported (Japanese only), else our paraphrase.
  part["prose"] = !crit.official_text_ja.empty() && (lang == Lang::kJa || guidance.empty())
                      ? crit.official_text_ja
                      : guidance;
  Json subparts = Json::array();
  if (!crit.official_text_ja.empty() && !guidance.empty()) {
    Json g = Json::object();
    g["id"] = Token("crit", crit.id) + "_gdn";
    g["name"] = "guidance";
    g["prose"] = guidance;
    subparts.push_back(std::move(g));
  }
  const std::string& evidence =
      crit.evidence_hint.In(lang).empty() ? crit.evidence_hint.ja : crit.evidence_hint.In(lang);
  if (!evidence.empty()) {
    Json e = Json::object();
    e["id"] = Token("crit", crit.id) + "_evd";
    e["name"] = "assessment-objective";
    e["prose"] = evidence;
    subparts.push_back(std::move(e));
  }
  const std::string& note = crit.note.In(lang).empty() ? crit.note.ja : crit.note.In(lang);
  if (!note.empty()) {
    Json n = Json::object();
    n["id"] = Token("crit", crit.id) + "_note";
    n["name"] = "overview";
    n["prose"] = note;
    subparts.push_back(std::move(n));
  }
  if (!subparts.empty()) {
    part["parts"] = std::move(subparts);
  }
  return part;
}

Json Control(const Requirement& req, Lang lang) {
  Json control = Json::object();
  control["id"] = Token("req", req.id);
  control["class"] = "requirement";
  control["title"] = Pick(req.title_ja, req.title_en, lang);
  int level = 0;
  for (const Criterion& crit : req.criteria) {
    level = level == 0 ? crit.level : std::min(level, crit.level);
  }
  Json props = Json::array();
  props.push_back(Prop("label", req.id, false));
  props.push_back(Prop("level", std::to_string(level), true));
  control["props"] = std::move(props);
  Json parts = Json::array();
  const std::string& summary = req.summary.In(lang).empty() ? req.summary.ja : req.summary.In(lang);
  const std::string& statement =
      !req.official_text_ja.empty() && (lang == Lang::kJa || summary.empty()) ? req.official_text_ja
                                                                              : summary;
  Json smt = Json::object();
  smt["id"] = Token("req", req.id) + "_smt";
  smt["name"] = "statement";
  if (!statement.empty()) {
    smt["prose"] = statement;
  }
  Json items = Json::array();
  for (const Criterion& crit : req.criteria) {
    items.push_back(CriterionPart(crit, lang));
  }
  smt["parts"] = std::move(items);
  parts.push_back(std::move(smt));
  control["parts"] = std::move(parts);
  return control;
}

}  // namespace

Json ToOscalCatalog(const CatalogVersion& catalog, std::string_view uuid,
                    std::string_view timestamp, Lang lang) {
  Json metadata = Json::object();
  metadata["title"] = catalog.title.In(lang).empty() ? catalog.title.ja : catalog.title.In(lang);
  metadata["last-modified"] = std::string(timestamp);
  metadata["version"] = catalog.version;
  metadata["oscal-version"] = std::string(kOscalVersion);
  Json props = Json::array();
  props.push_back(Prop("catalog-id", catalog.catalog_id, true));
  props.push_back(Prop("official-title", catalog.official_title_ja, true));
  props.push_back(Prop("publisher", catalog.publisher, true));
  if (!catalog.published.empty()) {
    props.push_back(Prop("published", catalog.published, true));
  }
  props.push_back(Prop("text-source", catalog.text_source, true));
  if (!catalog.source_sha256.empty()) {
    props.push_back(Prop("source-sha256", catalog.source_sha256, true));
  }
  for (const LevelDef& level : catalog.levels) {
    props.push_back(Prop("level-name-" + std::to_string(level.level),
                         level.name.In(lang).empty() ? level.name.ja : level.name.In(lang), true));
  }
  metadata["props"] = std::move(props);
  if (!catalog.sources.empty()) {
    Json links = Json::array();
    for (const std::string& source : catalog.sources) {
      Json link = Json::object();
      link["href"] = source;
      link["rel"] = "reference";
      links.push_back(std::move(link));
    }
    metadata["links"] = std::move(links);
  }
  const std::string& note = catalog.paraphrase_note.In(lang).empty()
                                ? catalog.paraphrase_note.ja
                                : catalog.paraphrase_note.In(lang);
  if (!note.empty()) {
    metadata["remarks"] = note;
  }

  Json groups = Json::array();
  for (const Category& cat : catalog.categories) {
    Json group = Json::object();
    group["id"] = Token("cat", cat.id);
    group["class"] = "category";
    group["title"] = Pick(cat.title_ja, cat.title_en, lang);
    Json gprops = Json::array();
    gprops.push_back(Prop("label", cat.id, false));
    if (!cat.csf_function.empty()) {
      gprops.push_back(Prop("csf-function", cat.csf_function, true));
    }
    group["props"] = std::move(gprops);
    Json subgroups = Json::array();
    for (const Subcategory& sub : cat.subcategories) {
      Json sg = Json::object();
      sg["id"] = Token("sub", sub.id);
      sg["class"] = "subcategory";
      sg["title"] = Pick(sub.title_ja, sub.title_en, lang);
      Json sprops = Json::array();
      sprops.push_back(Prop("label", sub.id, false));
      if (!sub.csf_category.empty()) {
        sprops.push_back(Prop("csf-category", sub.csf_category, true));
      }
      sg["props"] = std::move(sprops);
      Json controls = Json::array();
      for (const Requirement& req : sub.requirements) {
        controls.push_back(Control(req, lang));
      }
      sg["controls"] = std::move(controls);
      subgroups.push_back(std::move(sg));
    }
    group["groups"] = std::move(subgroups);
    groups.push_back(std::move(group));
  }

  Json body = Json::object();
  body["uuid"] = std::string(uuid);
  body["metadata"] = std::move(metadata);
  body["groups"] = std::move(groups);
  Json doc = Json::object();
  doc["catalog"] = std::move(body);
  return doc;
}

}  // namespace hoshi::catalog
