// SPDX-License-Identifier: Apache-2.0
#include "hoshi/sbom/purl.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>

#include "hoshi/core/text.h"
#include "hoshi/sbom/messages.h"

namespace hoshi::sbom {
namespace {

// ---- Per-type rules (purl-spec types/*.json, "PURL types" section of the spec) as data. ----
enum class NamespaceRule { kOptional, kRequired, kProhibited };

struct TypeRule {
  std::string_view type;
  bool lower_namespace = false;
  bool lower_name = false;
  bool underscore_to_dash = false;  // pypi: '_' in the name becomes '-'
  bool lower_version = false;       // huggingface: commit hashes are lower case
  NamespaceRule namespace_rule = NamespaceRule::kOptional;
  std::string_view required_qualifier;  // e.g. julia needs "uuid"
  std::string_view forbidden_in_name;   // e.g. cpan distribution names never hold "::"
  bool host_namespace = false;  // git: the namespace is the host, the name is the whole path
};

using enum NamespaceRule;
// Columns: type, lower namespace, lower name, '_'->'-', lower version, namespace, required
// qualifier, forbidden in name[, namespace is only the first segment and the name may hold '/'].
constexpr std::array kTypeRules{
    TypeRule{"alpm", true, true, false, false, kOptional, "", ""},
    TypeRule{"apk", true, true, false, false, kOptional, "", ""},
    TypeRule{"bitbucket", true, true, false, false, kOptional, "", ""},
    TypeRule{"bitnami", false, true, false, false, kOptional, "", ""},
    TypeRule{"brew", true, true, false, false, kOptional, "", ""},
    TypeRule{"composer", true, true, false, false, kOptional, "", ""},
    TypeRule{"cpan", false, false, false, false, kOptional, "", "::"},
    TypeRule{"deb", true, true, false, false, kOptional, "", ""},
    TypeRule{"git", true, true, false, false, kOptional, "", "", true},
    TypeRule{"github", true, true, false, false, kOptional, "", ""},
    TypeRule{"gitlab", true, true, false, false, kOptional, "", ""},
    TypeRule{"hex", true, true, false, false, kOptional, "", ""},
    TypeRule{"huggingface", false, false, false, true, kOptional, "", ""},
    TypeRule{"julia", false, false, false, false, kProhibited, "uuid", ""},
    TypeRule{"otp", false, false, false, false, kProhibited, "", ""},
    TypeRule{"pub", false, true, false, false, kOptional, "", ""},
    TypeRule{"pypi", false, true, true, false, kOptional, "", ""},
    TypeRule{"qpkg", true, false, false, false, kOptional, "", ""},
    TypeRule{"rpm", true, false, false, false, kOptional, "", ""},
    TypeRule{"swift", false, false, false, false, kRequired, "", ""},
    TypeRule{"vcpkg", false, false, false, false, kProhibited, "", ""},
    TypeRule{"vscode-extension", false, false, false, false, kRequired, "", ""},
};

const TypeRule* RuleFor(std::string_view type) {
  for (const TypeRule& r : kTypeRules) {
    if (r.type == type) {
      return &r;
    }
  }
  return nullptr;
}

bool IsAlpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}

std::optional<std::string> Decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out.push_back(s[i]);
      continue;
    }
    if (i + 2 >= s.size()) {
      return std::nullopt;
    }
    const int hi = HexDigitValue(s[i + 1]);
    const int lo = HexDigitValue(s[i + 2]);
    if (hi < 0 || lo < 0) {
      return std::nullopt;
    }
    out.push_back(static_cast<char>(hi * 16 + lo));
    i += 2;
  }
  return out;
}

// Canonical encoding: everything but unreserved characters and ':' is percent-encoded.
std::string Encode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : s) {
    if (IsAlpha(c) || IsDigit(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == ':') {
      out.push_back(c);
    } else {
      const auto u = static_cast<unsigned char>(c);
      out.push_back('%');
      out.push_back(kHex[u >> 4]);
      out.push_back(kHex[u & 0xF]);
    }
  }
  return out;
}

bool ValidType(std::string_view t) {
  if (t.empty() || !IsAlpha(t[0])) {
    return false;
  }
  return std::all_of(t.begin(), t.end(), [](char c) {
    return IsAlpha(c) || IsDigit(c) || c == '.' || c == '+' || c == '-';
  });
}

bool ValidQualifierKey(std::string_view k) {
  if (k.empty() || IsDigit(k[0])) {
    return false;
  }
  return std::all_of(k.begin(), k.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || IsDigit(c) || c == '.' || c == '-' || c == '_';
  });
}

// Splits a '/'-separated path, drops empty segments (and '.'/'..' for subpaths), decodes each.
std::optional<std::vector<std::string>> Segments(std::string_view s, bool is_subpath, bool decode) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= s.size()) {
    const std::size_t slash = std::min(s.find('/', start), s.size());
    const std::string_view raw = s.substr(start, slash - start);
    start = slash + 1;
    if (raw.empty()) {
      continue;
    }
    std::optional<std::string> seg = decode ? Decode(raw) : std::optional<std::string>(raw);
    if (!seg) {
      return std::nullopt;
    }
    if (is_subpath && (*seg == "." || *seg == "..")) {
      continue;
    }
    out.push_back(std::move(*seg));
  }
  return out;
}

std::string Join(const std::vector<std::string>& parts) {
  std::string out;
  for (const std::string& p : parts) {
    if (!out.empty()) {
      out.push_back('/');
    }
    out += p;
  }
  return out;
}

Error PurlError(std::string_view key, std::string_view text) {
  return MakeError(ErrorCode::kDataError, SbomMessages(), key, text);
}

Error RuleError(std::string_view text, std::string_view type, std::string_view rule) {
  return MakeError(ErrorCode::kDataError, SbomMessages(), "sbom.purl_type_rule", text, type, rule);
}

bool IsChromeExtensionId(std::string_view name) {
  return name.size() == 32 &&
         std::all_of(name.begin(), name.end(), [](char c) { return c >= 'a' && c <= 'p'; });
}

bool IsChromeExtensionVersion(std::string_view v) {
  if (v.empty()) {
    return true;
  }
  int parts = 1;
  for (const char c : v) {
    if (c == '.') {
      ++parts;
    } else if (!IsDigit(c)) {
      return false;
    }
  }
  return parts <= 4;
}

// Validates and normalises the components; `text` is what the user gave (for messages).
Result<Purl> Normalise(Purl p, std::string_view text) {
  p.type = ToLowerAscii(p.type);
  if (!ValidType(p.type)) {
    return PurlError("sbom.purl_type", text);
  }
  if (p.name.empty()) {
    return PurlError("sbom.purl_name", text);
  }
  for (auto& [key, value] : p.qualifiers) {
    if (!ValidQualifierKey(key)) {
      return MakeError(ErrorCode::kDataError, SbomMessages(), "sbom.purl_qualifier", text, key);
    }
  }
  std::erase_if(p.qualifiers, [](const auto& kv) { return kv.second.empty(); });
  std::sort(p.qualifiers.begin(), p.qualifiers.end());
  for (std::size_t i = 1; i < p.qualifiers.size(); ++i) {
    if (p.qualifiers[i].first == p.qualifiers[i - 1].first) {
      return MakeError(ErrorCode::kDataError, SbomMessages(), "sbom.purl_qualifier", text,
                       p.qualifiers[i].first);
    }
  }
  if (const TypeRule* rule = RuleFor(p.type)) {
    if (rule->lower_namespace) {
      p.namespace_path = ToLowerAscii(p.namespace_path);
    }
    if (rule->lower_name) {
      p.name = ToLowerAscii(p.name);
    }
    if (rule->underscore_to_dash) {
      std::replace(p.name.begin(), p.name.end(), '_', '-');
    }
    if (rule->lower_version) {
      p.version = ToLowerAscii(p.version);
    }
    if (rule->namespace_rule == NamespaceRule::kRequired && p.namespace_path.empty()) {
      return RuleError(text, p.type, "namespace required");
    }
    if (rule->namespace_rule == NamespaceRule::kProhibited && !p.namespace_path.empty()) {
      return RuleError(text, p.type, "no namespace allowed");
    }
    if (!rule->required_qualifier.empty() && p.Qualifier(rule->required_qualifier).empty()) {
      return RuleError(text, p.type, std::string(rule->required_qualifier) + " required");
    }
    if (!rule->forbidden_in_name.empty() &&
        p.name.find(rule->forbidden_in_name) != std::string::npos) {
      return RuleError(text, p.type, "name contains " + std::string(rule->forbidden_in_name));
    }
  }
  // Rules that are code rather than flags.
  if (p.type == "chrome-extension" &&
      (!IsChromeExtensionId(p.name) || !IsChromeExtensionVersion(p.version))) {
    return RuleError(text, p.type, "32 characters a-p, version of at most 4 numbers");
  }
  if (p.type == "mlflow" &&
      p.Qualifier("repository_url").find("azuredatabricks.net") != std::string_view::npos) {
    p.name = ToLowerAscii(p.name);  // Databricks model names are case-insensitive
  }
  return p;
}

}  // namespace

std::string_view Purl::Qualifier(std::string_view key) const {
  for (const auto& [k, v] : qualifiers) {
    if (k == key) {
      return v;
    }
  }
  return {};
}

Result<Purl> ParsePurl(std::string_view text) {
  Purl p;
  std::string_view rest = text;
  if (const std::size_t hash = rest.find('#'); hash != std::string_view::npos) {
    auto segs = Segments(rest.substr(hash + 1), /*is_subpath=*/true, /*decode=*/true);
    if (!segs) {
      return PurlError("sbom.purl_encoding", text);
    }
    p.subpath = Join(*segs);
    rest = rest.substr(0, hash);
  }
  if (const std::size_t q = rest.find('?'); q != std::string_view::npos) {
    std::string_view qs = rest.substr(q + 1);
    rest = rest.substr(0, q);
    while (!qs.empty()) {
      const std::size_t amp = std::min(qs.find('&'), qs.size());
      const std::string_view pair = qs.substr(0, amp);
      qs = amp < qs.size() ? qs.substr(amp + 1) : std::string_view();
      if (pair.empty()) {
        continue;
      }
      const std::size_t eq = pair.find('=');
      if (eq == std::string_view::npos) {
        return MakeError(ErrorCode::kDataError, SbomMessages(), "sbom.purl_qualifier", text, pair);
      }
      auto value = Decode(pair.substr(eq + 1));
      if (!value) {
        return PurlError("sbom.purl_encoding", text);
      }
      // Keys are not decoded (a valid key never needs encoding, so "%20" fails) but are
      // case-insensitive: the canonical form is lower case.
      p.qualifiers.emplace_back(ToLowerAscii(pair.substr(0, eq)), std::move(*value));
    }
  }
  const std::size_t colon = rest.find(':');
  if (colon == std::string_view::npos || ToLowerAscii(rest.substr(0, colon)) != "pkg") {
    return PurlError("sbom.purl_scheme", text);
  }
  rest = rest.substr(colon + 1);
  while (!rest.empty() && rest.front() == '/') {
    rest.remove_prefix(1);
  }
  const std::size_t slash = rest.find('/');
  if (slash == std::string_view::npos) {
    return PurlError(rest.empty() ? "sbom.purl_type" : "sbom.purl_name", text);
  }
  p.type = std::string(rest.substr(0, slash));
  rest = rest.substr(slash + 1);
  while (!rest.empty() && rest.back() == '/') {
    rest.remove_suffix(1);
  }
  // The version follows the last '@' after the last '/' (an npm scope starts with '@').
  const std::size_t last_slash = rest.rfind('/');
  const std::size_t at = rest.rfind('@');
  if (at != std::string_view::npos && (last_slash == std::string_view::npos || at > last_slash)) {
    auto version = Decode(rest.substr(at + 1));
    if (!version) {
      return PurlError("sbom.purl_encoding", text);
    }
    p.version = std::move(*version);
    rest = rest.substr(0, at);
  }
  const std::size_t name_slash = rest.rfind('/');
  const std::string_view raw_name =
      name_slash == std::string_view::npos ? rest : rest.substr(name_slash + 1);
  auto name = Decode(raw_name);
  if (!name) {
    return PurlError("sbom.purl_encoding", text);
  }
  p.name = std::move(*name);
  if (name_slash != std::string_view::npos) {
    auto segs = Segments(rest.substr(0, name_slash), /*is_subpath=*/false, /*decode=*/true);
    if (!segs) {
      return PurlError("sbom.purl_encoding", text);
    }
    p.namespace_path = Join(*segs);
  }
  if (const TypeRule* rule = RuleFor(ToLowerAscii(p.type));
      rule != nullptr && rule->host_namespace) {
    if (const std::size_t first = p.namespace_path.find('/'); first != std::string::npos) {
      p.name = p.namespace_path.substr(first + 1) + "/" + p.name;
      p.namespace_path.resize(first);
    }
  }
  return Normalise(std::move(p), text);
}

Result<Purl> MakePurl(Purl components) {
  // Build input is already decoded; only the path-like parts need re-segmenting.
  const std::string shown = "pkg:" + components.type + "/" + components.name;
  auto ns = Segments(components.namespace_path, false, false);
  auto sub = Segments(components.subpath, true, false);
  components.namespace_path = Join(*ns);
  components.subpath = Join(*sub);
  return Normalise(std::move(components), shown);
}

std::string ToString(const Purl& purl) {
  std::string out = "pkg:" + purl.type + "/";
  if (!purl.namespace_path.empty()) {
    auto segs = Segments(purl.namespace_path, false, false);
    for (const std::string& s : *segs) {
      out += Encode(s);
      out.push_back('/');
    }
  }
  const TypeRule* rule = RuleFor(purl.type);
  if (rule != nullptr && rule->host_namespace) {
    auto segs = Segments(purl.name, false, false);
    for (std::size_t i = 0; i < segs->size(); ++i) {
      out += (i == 0 ? "" : "/") + Encode((*segs)[i]);
    }
  } else {
    out += Encode(purl.name);
  }
  if (!purl.version.empty()) {
    out.push_back('@');
    out += Encode(purl.version);
  }
  char sep = '?';
  for (const auto& [k, v] : purl.qualifiers) {
    out.push_back(sep);
    sep = '&';
    out += k;
    out.push_back('=');
    out += Encode(v);
  }
  if (!purl.subpath.empty()) {
    out.push_back('#');
    auto segs = Segments(purl.subpath, true, false);
    bool first = true;
    for (const std::string& s : *segs) {
      if (!first) {
        out.push_back('/');
      }
      first = false;
      out += Encode(s);
    }
  }
  return out;
}

}  // namespace hoshi::sbom
