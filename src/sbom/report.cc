// SPDX-License-Identifier: Apache-2.0
// Findings as JSON, SARIF 2.1.0, CycloneDX 1.6 VDR and a terminal table.
#include "hoshi/sbom/report.h"

#include <algorithm>
#include <array>
#include <map>

#include <fmt/format.h>

#include "hoshi/core/text.h"
#include "hoshi/sbom/advisory.h"

namespace hoshi::sbom {
namespace {

using Json = nlohmann::json;

constexpr std::array kEventNames{
    std::pair{RangeEvent::Kind::kIntroduced, std::string_view("introduced")},
    std::pair{RangeEvent::Kind::kFixed, std::string_view("fixed")},
    std::pair{RangeEvent::Kind::kLastAffected, std::string_view("last_affected")},
    std::pair{RangeEvent::Kind::kLimit, std::string_view("limit")},
};

std::string_view EventName(RangeEvent::Kind kind) {
  for (const auto& [k, name] : kEventNames) {
    if (k == kind) {
      return name;
    }
  }
  return "introduced";
}

std::optional<RangeEvent::Kind> EventKind(std::string_view name) {
  for (const auto& [k, n] : kEventNames) {
    if (n == name) {
      return k;
    }
  }
  return std::nullopt;
}

Json MatchToJson(const AffectedMatch& m) {
  if (m.via == AffectedMatch::Via::kListedVersion) {
    return Json{{"via", "listed_version"}, {"version", m.listed_version}};
  }
  Json j{{"via", "range"}, {"range", m.range_index}, {"introduced", m.introduced}};
  if (m.until) {
    j["until"] = Json{{"event", EventName(m.until->kind)}, {"version", m.until->version}};
  }
  return j;
}

std::string Str(const Json& j, const char* key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::vector<std::string> Strings(const Json& j, const char* key) {
  std::vector<std::string> out;
  const auto it = j.find(key);
  if (it != j.end() && it->is_array()) {
    for (const auto& v : *it) {
      if (v.is_string()) {
        out.push_back(v.get<std::string>());
      }
    }
  }
  return out;
}

Json VexToJson(const VexStatement& s) {
  return Json{{"vulnerability", s.vulnerability},
              {"status", VexStatusName(s.status)},
              {"justification", s.justification},
              {"detail", s.detail},
              {"source", s.source},
              {"product_refs", s.product_refs},
              {"product_purls", s.product_purls}};
}

/// CycloneDX rating method for a CVSS vector.
std::string_view RatingMethod(std::string_view vector) {
  if (vector.starts_with("CVSS:4")) {
    return "CVSSv4";
  }
  if (vector.starts_with("CVSS:3.1")) {
    return "CVSSv31";
  }
  if (vector.starts_with("CVSS:3")) {
    return "CVSSv3";
  }
  return vector.empty() ? "other" : "CVSSv2";
}

/// CycloneDX analysis.justification values; OpenVEX/CSAF ones map onto the nearest.
std::string_view CycloneDxJustification(std::string_view j) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 5> kMap{{
      {"component_not_present", "code_not_present"},
      {"vulnerable_code_not_present", "code_not_present"},
      {"vulnerable_code_not_in_execute_path", "code_not_reachable"},
      {"vulnerable_code_cannot_be_controlled_by_adversary", "protected_by_mitigating_control"},
      {"inline_mitigations_already_exist", "protected_by_mitigating_control"},
  }};
  for (const auto& [from, to] : kMap) {
    if (from == j) {
      return to;
    }
  }
  return j;
}

std::string OsvUrl(std::string_view id) {
  return fmt::format("https://osv.dev/vulnerability/{}", id);
}

std::string_view SarifLevel(const Finding& f) {
  if (f.known_exploited || f.base_score.value_or(0) >= 7.0) {
    return "error";
  }
  return f.base_score.value_or(0) >= 4.0 ? "warning" : "note";
}

/// Severity and VEX status words for the terminal table (JVN's Japanese severity terms).
std::string_view Label(std::string_view word, Lang lang) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 9> kJa{{
      {"critical", "緊急"},
      {"high", "重要"},
      {"medium", "警告"},
      {"low", "注意"},
      {"none", "なし"},
      {"unknown", "不明"},
      {"not_affected", "影響なし"},
      {"fixed", "修正済み"},
      {"affected", "影響あり"},
  }};
  if (lang == Lang::kJa) {
    for (const auto& [en, ja] : kJa) {
      if (en == word) {
        return ja;
      }
    }
  }
  return word;
}

std::string ScoreText(const std::optional<double>& score) {
  return score ? fmt::format("{:.1f}", *score) : std::string("-");
}

}  // namespace

std::string ExplainMatch(const AffectedMatch& m) {
  if (m.via == AffectedMatch::Via::kListedVersion) {
    return fmt::format("listed {}", m.listed_version);
  }
  std::string text = fmt::format("introduced {}", m.introduced);
  if (m.until) {
    text += fmt::format(", {} {}", EventName(m.until->kind), m.until->version);
  }
  return text;
}

Json FindingToJson(const Finding& f) {
  Json j{{"component_ref", f.component_ref},
         {"component", f.component_name},
         {"version", f.version},
         {"purl", f.purl},
         {"ecosystem", f.package.ecosystem},
         {"package", f.package.name},
         {"advisory", f.advisory_id},
         {"aliases", f.aliases},
         {"summary", f.summary},
         {"affected_index", f.affected_index},
         {"match", MatchToJson(f.match)},
         {"explanation", ExplainMatch(f.match)},
         {"severity", SeverityLabel(f.base_score)},
         {"cvss_vector", f.cvss_vector},
         {"known_exploited", f.known_exploited},
         {"published", f.published},
         {"modified", f.modified}};
  j["base_score"] = f.base_score ? Json(*f.base_score) : Json(nullptr);
  j["suppressed_by"] = f.suppressed_by ? VexToJson(*f.suppressed_by) : Json(nullptr);
  return j;
}

Result<Finding> FindingFromJson(const Json& j) {
  if (!j.is_object() || !j.contains("advisory") || !j.contains("match")) {
    return Error(ErrorCode::kDataError,
                 LocalizedText{"検出結果の形式が不正です。", "The finding record is malformed."});
  }
  Finding f;
  f.component_ref = Str(j, "component_ref");
  f.component_name = Str(j, "component");
  f.version = Str(j, "version");
  f.purl = Str(j, "purl");
  f.package = PackageKey{Str(j, "ecosystem"), Str(j, "package")};
  f.advisory_id = Str(j, "advisory");
  f.aliases = Strings(j, "aliases");
  f.summary = Str(j, "summary");
  f.affected_index = j.value("affected_index", std::size_t{0});
  const Json& m = j["match"];
  if (Str(m, "via") == "listed_version") {
    f.match.via = AffectedMatch::Via::kListedVersion;
    f.match.listed_version = Str(m, "version");
  } else {
    f.match.range_index = m.value("range", std::size_t{0});
    f.match.introduced = Str(m, "introduced");
    if (m.contains("until") && m["until"].is_object()) {
      if (const auto kind = EventKind(Str(m["until"], "event"))) {
        f.match.until = RangeEvent{*kind, Str(m["until"], "version")};
      }
    }
  }
  if (j.contains("base_score") && j["base_score"].is_number()) {
    f.base_score = j["base_score"].get<double>();
  }
  f.cvss_vector = Str(j, "cvss_vector");
  f.known_exploited = j.value("known_exploited", false);
  f.published = Str(j, "published");
  f.modified = Str(j, "modified");
  if (j.contains("suppressed_by") && j["suppressed_by"].is_object()) {
    const Json& v = j["suppressed_by"];
    VexStatement s;
    s.vulnerability = Str(v, "vulnerability");
    const std::string status = Str(v, "status");
    s.status = status == "fixed" ? VexStatus::kFixed : VexStatus::kNotAffected;
    s.justification = Str(v, "justification");
    s.detail = Str(v, "detail");
    s.source = Str(v, "source");
    s.product_refs = Strings(v, "product_refs");
    s.product_purls = Strings(v, "product_purls");
    f.suppressed_by = std::move(s);
  }
  return f;
}

Json SummaryJson(const ScanReport& report) {
  Json by_severity{{"critical", 0}, {"high", 0}, {"medium", 0},
                   {"low", 0},      {"none", 0}, {"unknown", 0}};
  int suppressed = 0;
  int kev = 0;
  for (const auto& item : report.findings) {
    if (item.finding.suppressed_by) {
      ++suppressed;
      continue;
    }
    by_severity[std::string(SeverityLabel(item.finding.base_score))] =
        by_severity[std::string(SeverityLabel(item.finding.base_score))].get<int>() + 1;
    kev += item.finding.known_exploited ? 1 : 0;
  }
  return Json{{"total", report.findings.size() - static_cast<std::size_t>(suppressed)},
              {"suppressed", suppressed},
              {"known_exploited", kev},
              {"by_severity", by_severity}};
}

Json ReportToJson(const ScanReport& report) {
  Json docs = Json::array();
  for (const auto& d : report.documents) {
    docs.push_back(Json{{"source", d.source},
                        {"format", d.format},
                        {"spec_version", d.spec_version},
                        {"name", d.name},
                        {"version", d.version},
                        {"components", d.components},
                        {"invalid_purls", d.invalid_purls}});
  }
  Json findings = Json::array();
  for (const auto& item : report.findings) {
    Json j = FindingToJson(item.finding);
    j["document"] = item.document;
    findings.push_back(std::move(j));
  }
  return Json{{"tool", {{"name", "hoshitori"}, {"version", report.tool_version}}},
              {"generated_at", report.generated_at},
              {"advisories", report.advisories},
              {"documents", std::move(docs)},
              {"summary", SummaryJson(report)},
              {"findings", std::move(findings)}};
}

Json ReportToSarif(const ScanReport& report) {
  Json rules = Json::array();
  std::map<std::string, std::size_t> rule_index;
  Json results = Json::array();
  for (const auto& item : report.findings) {
    const Finding& f = item.finding;
    auto [it, inserted] = rule_index.emplace(f.advisory_id, rules.size());
    if (inserted) {
      Json rule{{"id", f.advisory_id},
                {"shortDescription", {{"text", f.summary.empty() ? f.advisory_id : f.summary}}},
                {"helpUri", OsvUrl(f.advisory_id)},
                {"properties", {{"tags", Json::array({"security", "vulnerability"})}}}};
      if (f.base_score) {
        rule["properties"]["security-severity"] = fmt::format("{:.1f}", *f.base_score);
      }
      if (!f.aliases.empty()) {
        rule["properties"]["aliases"] = f.aliases;
      }
      rules.push_back(std::move(rule));
    }
    const std::string source = item.document < report.documents.size()
                                   ? report.documents[item.document].source
                                   : std::string();
    Json result{
        {"ruleId", f.advisory_id},
        {"ruleIndex", it->second},
        {"level", SarifLevel(f)},
        {"message",
         {{"text", fmt::format("{}@{} is affected by {} ({}){}", f.component_name, f.version,
                               f.advisory_id, ExplainMatch(f.match),
                               f.known_exploited ? "; known exploited (CISA KEV)" : "")}}},
        {"locations",
         Json::array({{{"physicalLocation", {{"artifactLocation", {{"uri", source}}}}},
                       {"logicalLocations",
                        Json::array({{{"name", f.purl.empty() ? f.component_ref : f.purl},
                                      {"kind", "package"}}})}}})},
        {"partialFingerprints",
         {{"hoshitori/v1", fmt::format("{}|{}|{}", f.advisory_id, f.purl, f.component_ref)}}},
        {"properties", {{"known_exploited", f.known_exploited}}}};
    if (f.suppressed_by) {
      result["suppressions"] =
          Json::array({{{"kind", "external"},
                        {"status", "accepted"},
                        {"justification",
                         fmt::format("{} ({}): {}", VexStatusName(f.suppressed_by->status),
                                     f.suppressed_by->justification, f.suppressed_by->detail)}}});
    }
    results.push_back(std::move(result));
  }
  return Json{
      {"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
      {"version", "2.1.0"},
      {"runs", Json::array({{{"tool",
                              {{"driver",
                                {{"name", "hoshitori"},
                                 {"version", report.tool_version},
                                 {"informationUri", "https://github.com/hoshitori/hoshitori"},
                                 {"rules", std::move(rules)}}}}},
                             {"results", std::move(results)}}})}};
}

Json ReportToCycloneDxVdr(const ScanReport& report) {
  Json components = Json::array();
  std::map<std::string, bool> seen_component;
  std::map<std::string, Json> vulns;  // by advisory id, deterministic order
  for (const auto& item : report.findings) {
    const Finding& f = item.finding;
    const std::string ref = fmt::format("{}:{}", item.document, f.component_ref);
    if (seen_component.emplace(ref, true).second) {
      Json c{{"type", "library"},
             {"bom-ref", ref},
             {"name", f.component_name},
             {"version", f.version}};
      if (!f.purl.empty()) {
        c["purl"] = f.purl;
      }
      components.push_back(std::move(c));
    }
    auto [it, inserted] = vulns.try_emplace(f.advisory_id);
    Json& v = it->second;
    if (inserted) {
      v = Json{{"bom-ref", f.advisory_id},
               {"id", f.advisory_id},
               {"source", {{"name", "OSV"}, {"url", OsvUrl(f.advisory_id)}}},
               {"description", f.summary},
               {"affects", Json::array()}};
      Json refs = Json::array();
      for (const auto& alias : f.aliases) {
        refs.push_back(
            Json{{"id", alias},
                 {"source", {{"name", alias.starts_with("CVE-") ? "NVD" : "GitHub Advisories"}}}});
      }
      if (!refs.empty()) {
        v["references"] = refs;
      }
      if (f.base_score) {
        v["ratings"] = Json::array({{{"score", *f.base_score},
                                     {"severity", SeverityLabel(f.base_score)},
                                     {"method", RatingMethod(f.cvss_vector)},
                                     {"vector", f.cvss_vector}}});
      }
      if (!f.published.empty()) {
        v["published"] = f.published;
      }
      if (!f.modified.empty()) {
        v["updated"] = f.modified;
      }
      if (f.known_exploited) {
        v["properties"] = Json::array({{{"name", "hoshitori:known_exploited"}, {"value", "true"}}});
      }
    }
    v["affects"].push_back(Json{
        {"ref", ref},
        {"versions", Json::array({{{"version", f.version},
                                   {"status", f.suppressed_by ? "unaffected" : "affected"}}})}});
    if (f.suppressed_by) {
      v["analysis"] = Json{
          {"state", f.suppressed_by->status == VexStatus::kFixed ? "resolved" : "not_affected"},
          {"justification", CycloneDxJustification(f.suppressed_by->justification)},
          {"detail", f.suppressed_by->detail}};
    }
  }
  Json vulnerabilities = Json::array();
  for (auto& [id, v] : vulns) {
    vulnerabilities.push_back(std::move(v));
  }
  Json metadata{{"timestamp", report.generated_at},
                {"tools",
                 {{"components", Json::array({{{"type", "application"},
                                               {"name", "hoshitori"},
                                               {"version", report.tool_version}}})}}}};
  if (report.documents.size() == 1) {
    metadata["component"] = Json{{"type", "application"},
                                 {"name", report.documents.front().name},
                                 {"version", report.documents.front().version}};
  }
  return Json{{"bomFormat", "CycloneDX"},
              {"specVersion", "1.6"},
              {"serialNumber", report.serial},
              {"version", 1},
              {"metadata", metadata},
              {"components", std::move(components)},
              {"vulnerabilities", std::move(vulnerabilities)}};
}

std::string ReportToTable(const ScanReport& report, Lang lang) {
  const bool ja = lang == Lang::kJa;
  struct Column {
    std::string_view ja;
    std::string_view en;
  };
  static constexpr std::array<Column, 6> kColumns{{{"重大度", "SEVERITY"},
                                                   {"CVSS", "CVSS"},
                                                   {"ID", "ID"},
                                                   {"パッケージ", "PACKAGE"},
                                                   {"バージョン", "VERSION"},
                                                   {"根拠", "MATCHED BY"}}};
  std::vector<std::array<std::string, 6>> rows;
  for (const auto& item : report.findings) {
    const Finding& f = item.finding;
    std::string severity(Label(SeverityLabel(f.base_score), lang));
    if (f.known_exploited) {
      severity += " KEV";
    }
    if (f.suppressed_by) {
      severity = fmt::format("({})", Label(VexStatusName(f.suppressed_by->status), lang));
    }
    rows.push_back({severity, ScoreText(f.base_score), f.advisory_id,
                    f.package.name.empty() ? f.component_name : f.package.name, f.version,
                    ExplainMatch(f.match)});
  }
  std::array<std::size_t, 6> width{};
  for (std::size_t c = 0; c < kColumns.size(); ++c) {
    width[c] = DisplayWidth(ja ? kColumns[c].ja : kColumns[c].en);
    for (const auto& row : rows) {
      width[c] = std::max(width[c], DisplayWidth(row[c]));
    }
  }
  const auto line = [&](const auto& cells) {
    std::string out;
    for (std::size_t c = 0; c < cells.size(); ++c) {
      const std::string_view cell = cells[c];
      out += cell;
      if (c + 1 < cells.size()) {
        out.append(width[c] - DisplayWidth(cell) + 2, ' ');
      }
    }
    out += '\n';
    return out;
  };
  std::array<std::string_view, 6> head{};
  for (std::size_t c = 0; c < kColumns.size(); ++c) {
    head[c] = ja ? kColumns[c].ja : kColumns[c].en;
  }
  std::string out = line(head);
  for (const auto& row : rows) {
    out += line(row);
  }
  const Json summary = SummaryJson(report);
  out += ja ? fmt::format("検出 {} 件（うちKEV {} 件、VEXで除外 {} 件）、SBOM {} 件\n",
                          FormatNumber(summary["total"].get<long long>()),
                          FormatNumber(summary["known_exploited"].get<long long>()),
                          FormatNumber(summary["suppressed"].get<long long>()),
                          FormatNumber(static_cast<long long>(report.documents.size())))
            : fmt::format("Findings: {} ({} known exploited, {} suppressed by VEX); SBOMs: {}\n",
                          FormatNumber(summary["total"].get<long long>()),
                          FormatNumber(summary["known_exploited"].get<long long>()),
                          FormatNumber(summary["suppressed"].get<long long>()),
                          FormatNumber(static_cast<long long>(report.documents.size())));
  return out;
}

Result<bool> ReachesThreshold(const Finding& f, std::string_view threshold) {
  static constexpr std::array<std::pair<std::string_view, double>, 5> kThresholds{
      {{"critical", 9.0}, {"high", 7.0}, {"medium", 4.0}, {"low", 0.1}, {"any", -1.0}}};
  const auto* t = std::find_if(kThresholds.begin(), kThresholds.end(),
                               [&](const auto& p) { return p.first == threshold; });
  if (t == kThresholds.end()) {
    return Error(ErrorCode::kInvalidArgument,
                 LocalizedText{fmt::format("--fail-on の値「{}」は critical, high, medium, low, "
                                           "any のいずれかにしてください。",
                                           threshold),
                               fmt::format("--fail-on '{}' must be one of critical, high, "
                                           "medium, low, any.",
                                           threshold)});
  }
  if (f.suppressed_by) {
    return false;
  }
  if (t->second < 0 || f.known_exploited) {
    return true;
  }
  return f.base_score.has_value() && *f.base_score >= t->second;
}

}  // namespace hoshi::sbom
