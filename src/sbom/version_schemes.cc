// SPDX-License-Identifier: Apache-2.0
// Version schemes. Each one follows its reference implementation (named in the comment above
// it); the shared vectors in ../shared/data/versions check them (tests/version_test.cc).
#include <algorithm>
#include <array>
#include <cctype>
#include <optional>
#include <string>
#include <vector>

#include "hoshi/core/text.h"
#include "hoshi/sbom/messages.h"
#include "hoshi/sbom/version.h"

namespace hoshi::sbom {
namespace {

bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}
bool IsAlpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
int Sign(int v) {
  return (v > 0) - (v < 0);
}
template <typename T>
int Cmp(const T& a, const T& b) {
  return a < b ? -1 : (b < a ? 1 : 0);
}

// Compares two digit strings of any length numerically.
int CompareDigits(std::string_view a, std::string_view b) {
  while (!a.empty() && a.front() == '0') {
    a.remove_prefix(1);
  }
  while (!b.empty() && b.front() == '0') {
    b.remove_prefix(1);
  }
  if (a.size() != b.size()) {
    return a.size() < b.size() ? -1 : 1;
  }
  return Sign(a.compare(b));
}

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), IsDigit);
}

Status Invalid(std::string_view version, std::string_view scheme) {
  return MakeError(ErrorCode::kDataError, SbomMessages(), "sbom.version_invalid", version, scheme);
}

// ---------------------------------------------------------------------------------------------
// Generic: runs of digits compare numerically, runs of letters by bytes, separators are ignored;
// a number is newer than a word, and a longer version is newer than its prefix.
std::vector<std::string_view> GenericTokens(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < s.size()) {
    const std::size_t start = i;
    if (IsDigit(s[i])) {
      while (i < s.size() && IsDigit(s[i])) {
        ++i;
      }
    } else if (IsAlpha(s[i])) {
      while (i < s.size() && IsAlpha(s[i])) {
        ++i;
      }
    } else {
      ++i;
      continue;
    }
    out.push_back(s.substr(start, i - start));
  }
  return out;
}

/// One token of a dotted version: a number is newer than a word; numbers compare numerically
/// (any length), words by bytes.
int CompareMixedToken(std::string_view a, bool a_number, std::string_view b, bool b_number) {
  if (a_number != b_number) {
    return a_number ? 1 : -1;
  }
  return a_number ? CompareDigits(a, b) : Sign(a.compare(b));
}

int GenericCompare(std::string_view a, std::string_view b) {
  const auto ta = GenericTokens(a);
  const auto tb = GenericTokens(b);
  for (std::size_t i = 0; i < std::max(ta.size(), tb.size()); ++i) {
    if (i >= ta.size()) {
      return -1;
    }
    if (i >= tb.size()) {
      return 1;
    }
    const int c = CompareMixedToken(ta[i], IsDigit(ta[i][0]), tb[i], IsDigit(tb[i][0]));
    if (c != 0) {
      return c;
    }
  }
  return 0;
}

class GenericVersionScheme final : public VersionScheme {
 public:
  std::string_view name() const override { return "generic"; }
  Status Validate(std::string_view v) const override {
    return v.empty() ? Invalid(v, "generic") : Status::Ok();
  }
  int Compare(std::string_view a, std::string_view b) const override {
    return GenericCompare(a, b);
  }
};

// ---------------------------------------------------------------------------------------------
// SemVer 2.0.0 (npm, crates.io, Go, and the SEMVER range type of OSV). Lenient as OSV's own
// comparator: an optional 'v', any number of numeric parts (missing ones are 0), then
// "-prerelease" and "+build" (ignored).
struct SemVer {
  std::vector<std::string_view> release;
  std::vector<std::string_view> pre;  // empty: a release
  bool valid = true;                  // strict SemVer 2.0.0 (three parts, no leading zeros)
};

SemVer ParseSemVerParts(std::string_view s) {
  SemVer v;
  if (!s.empty() && (s.front() == 'v' || s.front() == 'V')) {
    s.remove_prefix(1);
  }
  if (const std::size_t plus = s.find('+'); plus != std::string_view::npos) {
    s = s.substr(0, plus);
  }
  std::size_t i = 0;
  while (true) {
    const std::size_t start = i;
    while (i < s.size() && IsDigit(s[i])) {
      ++i;
    }
    if (i == start) {
      v.valid = false;
      break;
    }
    v.release.push_back(s.substr(start, i - start));
    if (i < s.size() && s[i] == '.' && i + 1 < s.size() && IsDigit(s[i + 1])) {
      ++i;
      continue;
    }
    break;
  }
  std::string_view rest = s.substr(i);
  if (!rest.empty() && rest.front() == '-') {
    rest.remove_prefix(1);
  } else if (!rest.empty()) {
    v.valid = false;  // e.g. "1.2.3a": OSV treats the rest as a pre-release
  }
  while (!rest.empty()) {
    const std::size_t dot = std::min(rest.find('.'), rest.size());
    v.pre.push_back(rest.substr(0, dot));
    rest = dot < rest.size() ? rest.substr(dot + 1) : std::string_view();
  }
  if (v.release.size() != 3) {
    v.valid = false;
  }
  for (std::string_view part : v.release) {
    if (part.size() > 1 && part.front() == '0') {
      v.valid = false;
    }
  }
  return v;
}

int CompareSemVer(std::string_view a, std::string_view b) {
  const SemVer va = ParseSemVerParts(a);
  const SemVer vb = ParseSemVerParts(b);
  for (std::size_t i = 0; i < std::max(va.release.size(), vb.release.size()); ++i) {
    const std::string_view pa = i < va.release.size() ? va.release[i] : "0";
    const std::string_view pb = i < vb.release.size() ? vb.release[i] : "0";
    if (const int c = CompareDigits(pa, pb); c != 0) {
      return c;
    }
  }
  if (va.pre.empty() != vb.pre.empty()) {
    return va.pre.empty() ? 1 : -1;
  }
  for (std::size_t i = 0; i < std::max(va.pre.size(), vb.pre.size()); ++i) {
    if (i >= va.pre.size()) {
      return -1;
    }
    if (i >= vb.pre.size()) {
      return 1;
    }
    const bool na = AllDigits(va.pre[i]);
    const bool nb = AllDigits(vb.pre[i]);
    if (na != nb) {
      return na ? -1 : 1;  // numeric identifiers have lower precedence
    }
    const int c = na ? CompareDigits(va.pre[i], vb.pre[i]) : Sign(va.pre[i].compare(vb.pre[i]));
    if (c != 0) {
      return c;
    }
  }
  return 0;
}

class SemVerScheme final : public VersionScheme {
 public:
  constexpr SemVerScheme(std::string_view name, bool go) noexcept : name_(name), go_(go) {}
  std::string_view name() const override { return name_; }
  Status Validate(std::string_view v) const override {
    // Go versions carry the 'v' (pseudo-versions and "+incompatible" are SemVer already).
    if (go_ && (v.empty() || v.front() != 'v')) {
      return Invalid(v, name_);
    }
    return ParseSemVerParts(v).valid ? Status::Ok() : Invalid(v, name_);
  }
  int Compare(std::string_view a, std::string_view b) const override { return CompareSemVer(a, b); }

 private:
  std::string_view name_;
  bool go_;
};

// ---------------------------------------------------------------------------------------------
// PEP 440 (pypa/packaging 21.x `Version`, with `LegacyVersion` for strings that are not PEP 440:
// those sort before every valid version, as in packaging < 22 and in OSV).
struct Pep440 {
  long long epoch = 0;
  std::vector<std::string> release;  // digits, trailing zeros stripped for comparison
  int pre_phase = 0;                 // 0 none, 1 a, 2 b, 3 rc
  std::string pre_num;
  bool has_post = false;
  std::string post_num;
  bool has_dev = false;
  std::string dev_num;
  std::vector<std::string> local;
};

class Pep440Parser {
 public:
  explicit Pep440Parser(std::string_view s) : s_(ToLowerAscii(s)) {}

  std::optional<Pep440> Parse() {
    Pep440 v;
    Trim();
    if (Peek() == 'v') {
      ++i_;
    }
    std::string first = Digits();
    if (first.empty()) {
      return std::nullopt;
    }
    if (Peek() == '!') {
      ++i_;
      if (first.size() > 15) {
        return std::nullopt;
      }
      v.epoch = std::stoll(first);
      first = Digits();
      if (first.empty()) {
        return std::nullopt;
      }
    }
    v.release.push_back(first);
    while (Peek() == '.' && IsDigit(PeekAt(1))) {
      ++i_;
      v.release.push_back(Digits());
    }
    // Pre-release: [-_.]?(a|b|c|rc|alpha|beta|pre|preview)[-_.]?N?
    {
      const std::size_t save = i_;
      SkipSep();
      static constexpr std::array<std::pair<std::string_view, int>, 8> kPre{{{"alpha", 1},
                                                                             {"a", 1},
                                                                             {"beta", 2},
                                                                             {"b", 2},
                                                                             {"preview", 3},
                                                                             {"pre", 3},
                                                                             {"rc", 3},
                                                                             {"c", 3}}};
      bool found = false;
      for (const auto& [word, phase] : kPre) {
        if (Word(word)) {
          v.pre_phase = phase;
          found = true;
          break;
        }
      }
      if (found) {
        v.pre_num = OptionalNumber();
      } else {
        i_ = save;
      }
    }
    // Post-release: -N | [-_.]?(post|rev|r)[-_.]?N?
    {
      const std::size_t save = i_;
      if (Peek() == '-' && IsDigit(PeekAt(1))) {
        ++i_;
        v.has_post = true;
        v.post_num = Digits();
      } else {
        SkipSep();
        if (Word("post") || Word("rev") || Word("r")) {
          v.has_post = true;
          v.post_num = OptionalNumber();
        } else {
          i_ = save;
        }
      }
    }
    // Development release: [-_.]?dev[-_.]?N?
    {
      const std::size_t save = i_;
      SkipSep();
      if (Word("dev")) {
        v.has_dev = true;
        v.dev_num = OptionalNumber();
      } else {
        i_ = save;
      }
    }
    // Local version: +[a-z0-9]+([-_.][a-z0-9]+)*
    if (Peek() == '+') {
      ++i_;
      while (true) {
        const std::size_t start = i_;
        while (i_ < s_.size() && (IsDigit(s_[i_]) || IsAlpha(s_[i_]))) {
          ++i_;
        }
        if (i_ == start) {
          return std::nullopt;
        }
        v.local.push_back(s_.substr(start, i_ - start));
        if (i_ < s_.size() && IsSep(s_[i_])) {
          ++i_;
          continue;
        }
        break;
      }
    }
    Trim();
    if (i_ != s_.size()) {
      return std::nullopt;
    }
    while (v.release.size() > 1 && CompareDigits(v.release.back(), "0") == 0) {
      v.release.pop_back();
    }
    return v;
  }

 private:
  static bool IsSep(char c) { return c == '-' || c == '_' || c == '.'; }
  char Peek() const { return i_ < s_.size() ? s_[i_] : '\0'; }
  char PeekAt(std::size_t k) const { return i_ + k < s_.size() ? s_[i_ + k] : '\0'; }
  void SkipSep() {
    if (IsSep(Peek())) {
      ++i_;
    }
  }
  void Trim() {
    while (i_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[i_]))) {
      ++i_;
    }
    while (!s_.empty() && std::isspace(static_cast<unsigned char>(s_.back()))) {
      s_.pop_back();
    }
  }
  /// `[-_.]?N?` after a pre/post/dev word: the number, or "0" (leaving a separator that is not
  /// followed by digits unread).
  std::string OptionalNumber() {
    const std::size_t before_sep = i_;
    SkipSep();
    std::string n = Digits();
    if (n.empty()) {
      i_ = before_sep;
      n = "0";
    }
    return n;
  }
  std::string Digits() {
    const std::size_t start = i_;
    while (i_ < s_.size() && IsDigit(s_[i_])) {
      ++i_;
    }
    return s_.substr(start, i_ - start);
  }
  bool Word(std::string_view w) {
    if (std::string_view(s_).substr(i_).starts_with(w)) {
      i_ += w.size();
      return true;
    }
    return false;
  }

  std::string s_;
  std::size_t i_ = 0;
};

// packaging.version._legacy_cmpkey: a list of strings, compared element-wise.
std::vector<std::string> LegacyKey(std::string_view text) {
  const std::string s = ToLowerAscii(text);
  std::vector<std::string> raw;
  std::size_t i = 0;
  while (i < s.size()) {
    const std::size_t start = i;
    if (IsDigit(s[i])) {
      while (i < s.size() && IsDigit(s[i])) {
        ++i;
      }
    } else if (s[i] >= 'a' && s[i] <= 'z') {
      while (i < s.size() && s[i] >= 'a' && s[i] <= 'z') {
        ++i;
      }
    } else {
      ++i;  // '.', '-' and anything else are single-character components
    }
    std::string part = s.substr(start, i - start);
    if (part == ".") {
      continue;
    }
    if (part == "pre" || part == "preview" || part == "rc") {
      part = "c";
    } else if (part == "-") {
      part = "final-";
    } else if (part == "dev") {
      part = "@";
    }
    if (IsDigit(part[0])) {
      raw.push_back(std::string(part.size() < 8 ? 8 - part.size() : 0, '0') + part);
    } else {
      raw.emplace_back("*" + part);
    }
  }
  raw.emplace_back("*final");
  std::vector<std::string> parts;
  for (const std::string& part : raw) {
    if (part.starts_with("*")) {
      if (part < "*final") {
        while (!parts.empty() && parts.back() == "*final-") {
          parts.pop_back();
        }
      }
      while (!parts.empty() && parts.back() == "00000000") {
        parts.pop_back();
      }
    }
    parts.push_back(part);
  }
  return parts;
}

int ComparePep440Local(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  for (std::size_t i = 0; i < std::max(a.size(), b.size()); ++i) {
    if (i >= a.size()) {
      return -1;
    }
    if (i >= b.size()) {
      return 1;
    }
    const bool na = AllDigits(a[i]);
    const bool nb = AllDigits(b[i]);
    if (na != nb) {
      return na ? 1 : -1;  // numeric segments sort after alphanumeric ones
    }
    const int c = na ? CompareDigits(a[i], b[i]) : Sign(a[i].compare(b[i]));
    if (c != 0) {
      return c;
    }
  }
  return 0;
}

int ComparePep440(const Pep440& a, const Pep440& b) {
  if (const int c = Cmp(a.epoch, b.epoch); c != 0) {
    return c;
  }
  for (std::size_t i = 0; i < std::max(a.release.size(), b.release.size()); ++i) {
    const std::string_view pa = i < a.release.size() ? std::string_view(a.release[i]) : "0";
    const std::string_view pb = i < b.release.size() ? std::string_view(b.release[i]) : "0";
    if (const int c = CompareDigits(pa, pb); c != 0) {
      return c;
    }
  }
  // Pre-release key: a dev-only release sorts before every pre-release; no pre-release after.
  auto pre_rank = [](const Pep440& v) {
    if (v.pre_phase == 0 && !v.has_post && v.has_dev) {
      return -1;
    }
    return v.pre_phase == 0 ? 4 : v.pre_phase;
  };
  if (const int c = Cmp(pre_rank(a), pre_rank(b)); c != 0) {
    return c;
  }
  if (a.pre_phase != 0) {
    if (const int c = CompareDigits(a.pre_num, b.pre_num); c != 0) {
      return c;
    }
  }
  if (a.has_post != b.has_post) {
    return a.has_post ? 1 : -1;
  }
  if (a.has_post) {
    if (const int c = CompareDigits(a.post_num, b.post_num); c != 0) {
      return c;
    }
  }
  if (a.has_dev != b.has_dev) {
    return a.has_dev ? -1 : 1;
  }
  if (a.has_dev) {
    if (const int c = CompareDigits(a.dev_num, b.dev_num); c != 0) {
      return c;
    }
  }
  if (a.local.empty() != b.local.empty()) {
    return a.local.empty() ? -1 : 1;
  }
  return ComparePep440Local(a.local, b.local);
}

class Pep440Scheme final : public VersionScheme {
 public:
  std::string_view name() const override { return "pypi"; }
  Status Validate(std::string_view v) const override {
    return Pep440Parser(v).Parse() ? Status::Ok() : Invalid(v, "PEP 440");
  }
  int Compare(std::string_view a, std::string_view b) const override {
    const auto va = Pep440Parser(a).Parse();
    const auto vb = Pep440Parser(b).Parse();
    if (va && vb) {
      return ComparePep440(*va, *vb);
    }
    if (va.has_value() != vb.has_value()) {
      return va ? 1 : -1;  // legacy versions sort before every PEP 440 version
    }
    const auto ka = LegacyKey(a);
    const auto kb = LegacyKey(b);
    return Cmp(ka, kb);
  }
};

// ---------------------------------------------------------------------------------------------
// Maven: org.apache.maven.artifact.versioning.ComparableVersion.
struct MavenItem {
  enum class Kind { kInt, kString, kList };
  Kind kind;
  std::string value;  // digits without leading zeros, or the aliased qualifier
  std::vector<MavenItem> items;

  bool IsNull() const {
    switch (kind) {
      case Kind::kInt:
      case Kind::kString:
        return value.empty();
      case Kind::kList:
        return items.empty();
    }
    return false;
  }
};

constexpr std::array<std::string_view, 7> kMavenQualifiers{"alpha",    "beta", "milestone", "rc",
                                                           "snapshot", "",     "sp"};

std::string MavenComparableQualifier(const std::string& q) {
  for (std::size_t i = 0; i < kMavenQualifiers.size(); ++i) {
    if (kMavenQualifiers[i] == q) {
      return std::to_string(i);
    }
  }
  return std::to_string(kMavenQualifiers.size()) + "-" + q;
}

MavenItem MavenString(std::string value, bool followed_by_digit) {
  if (followed_by_digit && value.size() == 1) {
    if (value == "a") {
      value = "alpha";
    } else if (value == "b") {
      value = "beta";
    } else if (value == "m") {
      value = "milestone";
    }
  }
  if (value == "ga" || value == "final" || value == "release") {
    value.clear();
  } else if (value == "cr") {
    value = "rc";
  }
  return MavenItem{MavenItem::Kind::kString, std::move(value), {}};
}

MavenItem MavenParseItem(bool is_digit, std::string_view buf) {
  if (is_digit) {
    while (!buf.empty() && buf.front() == '0') {
      buf.remove_prefix(1);
    }
    return MavenItem{MavenItem::Kind::kInt, std::string(buf), {}};
  }
  return MavenString(std::string(buf), false);
}

void MavenNormalize(MavenItem& list) {
  for (std::size_t i = list.items.size(); i-- > 0;) {
    if (list.items[i].IsNull()) {
      list.items.erase(list.items.begin() + static_cast<std::ptrdiff_t>(i));
    } else if (list.items[i].kind != MavenItem::Kind::kList) {
      break;
    }
  }
}

MavenItem MavenParse(std::string_view text) {
  const std::string version = ToLowerAscii(text);
  MavenItem root{MavenItem::Kind::kList, "", {}};
  // Path of indices from the root to the current list (lists nest at the end only).
  std::vector<MavenItem*> stack{&root};
  auto current = [&]() -> MavenItem& { return *stack.back(); };
  auto push_list = [&]() {
    current().items.push_back(MavenItem{MavenItem::Kind::kList, "", {}});
    stack.push_back(&current().items.back());
  };
  bool is_digit = false;
  std::size_t start = 0;
  for (std::size_t i = 0; i < version.size(); ++i) {
    const char c = version[i];
    if (c == '.') {
      if (i == start) {
        current().items.push_back(MavenItem{MavenItem::Kind::kInt, "", {}});
      } else {
        current().items.push_back(MavenParseItem(is_digit, version.substr(start, i - start)));
      }
      start = i + 1;
    } else if (c == '-') {
      if (i == start) {
        current().items.push_back(MavenItem{MavenItem::Kind::kInt, "", {}});
      } else {
        current().items.push_back(MavenParseItem(is_digit, version.substr(start, i - start)));
      }
      start = i + 1;
      push_list();
    } else if (IsDigit(c)) {
      if (!is_digit && i > start) {
        current().items.push_back(MavenString(version.substr(start, i - start), true));
        start = i;
        push_list();
      }
      is_digit = true;
    } else {
      if (is_digit && i > start) {
        current().items.push_back(MavenParseItem(true, version.substr(start, i - start)));
        start = i;
        push_list();
      }
      is_digit = false;
    }
  }
  if (version.size() > start) {
    current().items.push_back(MavenParseItem(is_digit, version.substr(start)));
  }
  while (!stack.empty()) {
    MavenNormalize(*stack.back());
    stack.pop_back();
  }
  return root;
}

int MavenCompare(const MavenItem* a, const MavenItem* b);

// a is never null here; b may be.
int MavenCompareNonNull(const MavenItem& a, const MavenItem* b) {
  switch (a.kind) {
    case MavenItem::Kind::kInt:
      if (b == nullptr) {
        return a.value.empty() ? 0 : 1;
      }
      if (b->kind == MavenItem::Kind::kInt) {
        return CompareDigits(a.value, b->value);
      }
      return 1;
    case MavenItem::Kind::kString:
      if (b == nullptr) {
        return Sign(MavenComparableQualifier(a.value).compare(MavenComparableQualifier("")));
      }
      if (b->kind == MavenItem::Kind::kString) {
        return Sign(MavenComparableQualifier(a.value).compare(MavenComparableQualifier(b->value)));
      }
      return -1;
    case MavenItem::Kind::kList:
      if (b == nullptr) {
        return a.items.empty() ? 0 : MavenCompareNonNull(a.items.front(), nullptr);
      }
      if (b->kind == MavenItem::Kind::kInt) {
        return -1;
      }
      if (b->kind == MavenItem::Kind::kString) {
        return 1;
      }
      for (std::size_t i = 0; i < std::max(a.items.size(), b->items.size()); ++i) {
        const MavenItem* l = i < a.items.size() ? &a.items[i] : nullptr;
        const MavenItem* r = i < b->items.size() ? &b->items[i] : nullptr;
        if (const int c = MavenCompare(l, r); c != 0) {
          return c;
        }
      }
      return 0;
  }
  return 0;
}

int MavenCompare(const MavenItem* a, const MavenItem* b) {
  if (a == nullptr) {
    return b == nullptr ? 0 : -MavenCompareNonNull(*b, nullptr);
  }
  return MavenCompareNonNull(*a, b);
}

class MavenScheme final : public VersionScheme {
 public:
  std::string_view name() const override { return "maven"; }
  Status Validate(std::string_view v) const override {
    return v.empty() ? Invalid(v, "Maven") : Status::Ok();
  }
  int Compare(std::string_view a, std::string_view b) const override {
    const MavenItem ia = MavenParse(a);
    const MavenItem ib = MavenParse(b);
    return MavenCompare(&ia, &ib);
  }
};

// ---------------------------------------------------------------------------------------------
// Debian: dpkg's verrevcmp over [epoch:]upstream[-revision].
int DebOrder(char c) {
  if (IsDigit(c)) {
    return 0;
  }
  if (IsAlpha(c)) {
    return c;
  }
  if (c == '~') {
    return -1;
  }
  if (c != '\0') {
    return static_cast<unsigned char>(c) + 256;
  }
  return 0;
}

int DebVerRevCmp(std::string_view a, std::string_view b) {
  std::size_t i = 0;
  std::size_t j = 0;
  auto at = [](std::string_view s, std::size_t k) { return k < s.size() ? s[k] : '\0'; };
  while (i < a.size() || j < b.size()) {
    int first_diff = 0;
    while ((i < a.size() && !IsDigit(a[i])) || (j < b.size() && !IsDigit(b[j]))) {
      const int ac = DebOrder(at(a, i));
      const int bc = DebOrder(at(b, j));
      if (ac != bc) {
        return Sign(ac - bc);
      }
      ++i;
      ++j;
    }
    while (at(a, i) == '0') {
      ++i;
    }
    while (at(b, j) == '0') {
      ++j;
    }
    while (IsDigit(at(a, i)) && IsDigit(at(b, j))) {
      if (first_diff == 0) {
        first_diff = at(a, i) - at(b, j);
      }
      ++i;
      ++j;
    }
    if (IsDigit(at(a, i))) {
      return 1;
    }
    if (IsDigit(at(b, j))) {
      return -1;
    }
    if (first_diff != 0) {
      return Sign(first_diff);
    }
  }
  return 0;
}

struct Evr {
  std::string_view epoch;
  std::string_view version;
  std::string_view release;
  bool has_release = false;
};

// [epoch:]version[-release]; the release follows the last '-'.
Evr SplitEvr(std::string_view s) {
  Evr e;
  if (const std::size_t colon = s.find(':'); colon != std::string_view::npos) {
    e.epoch = s.substr(0, colon);
    s = s.substr(colon + 1);
  }
  if (const std::size_t dash = s.rfind('-'); dash != std::string_view::npos) {
    e.release = s.substr(dash + 1);
    e.has_release = true;
    s = s.substr(0, dash);
  }
  e.version = s;
  return e;
}

class DebianScheme final : public VersionScheme {
 public:
  std::string_view name() const override { return "debian"; }
  Status Validate(std::string_view v) const override {
    const Evr e = SplitEvr(v);
    if (e.version.empty() || !IsDigit(e.version.front()) ||
        (v.find(':') != std::string_view::npos && !AllDigits(e.epoch))) {
      return Invalid(v, "Debian");
    }
    return Status::Ok();
  }
  int Compare(std::string_view a, std::string_view b) const override {
    const Evr ea = SplitEvr(a);
    const Evr eb = SplitEvr(b);
    if (const int c = CompareDigits(ea.epoch, eb.epoch); c != 0) {
      return c;
    }
    if (const int c = DebVerRevCmp(ea.version, eb.version); c != 0) {
      return c;
    }
    return DebVerRevCmp(ea.release, eb.release);
  }
};

// ---------------------------------------------------------------------------------------------
// RPM: rpmvercmp (rpm >= 4.15: '~' sorts before everything, '^' after the base but before any
// other addition) applied to epoch, version and release in turn.
int RpmVerCmp(std::string_view a, std::string_view b) {
  if (a == b) {
    return 0;
  }
  std::size_t i = 0;
  std::size_t j = 0;
  auto alnum = [](char c) { return IsDigit(c) || IsAlpha(c); };
  while (i < a.size() || j < b.size()) {
    while (i < a.size() && !alnum(a[i]) && a[i] != '~' && a[i] != '^') {
      ++i;
    }
    while (j < b.size() && !alnum(b[j]) && b[j] != '~' && b[j] != '^') {
      ++j;
    }
    const char ca = i < a.size() ? a[i] : '\0';
    const char cb = j < b.size() ? b[j] : '\0';
    if (ca == '~' || cb == '~') {
      if (ca != '~') {
        return 1;
      }
      if (cb != '~') {
        return -1;
      }
      ++i;
      ++j;
      continue;
    }
    if (ca == '^' || cb == '^') {
      if (ca == '\0') {
        return -1;
      }
      if (cb == '\0') {
        return 1;
      }
      if (ca != '^') {
        return 1;
      }
      if (cb != '^') {
        return -1;
      }
      ++i;
      ++j;
      continue;
    }
    if (ca == '\0' || cb == '\0') {
      break;
    }
    std::size_t ei = i;
    std::size_t ej = j;
    const bool is_num = IsDigit(ca);
    auto same_class = [&](char c) { return is_num ? IsDigit(c) : IsAlpha(c); };
    while (ei < a.size() && same_class(a[ei])) {
      ++ei;
    }
    while (ej < b.size() && same_class(b[ej])) {
      ++ej;
    }
    if (ej == j) {
      return is_num ? 1 : -1;  // segments of different classes: a number is newer
    }
    const std::string_view sa = a.substr(i, ei - i);
    const std::string_view sb = b.substr(j, ej - j);
    const int c = is_num ? CompareDigits(sa, sb) : Sign(sa.compare(sb));
    if (c != 0) {
      return c;
    }
    i = ei;
    j = ej;
  }
  const bool a_end = i >= a.size();
  const bool b_end = j >= b.size();
  if (a_end && b_end) {
    return 0;
  }
  return a_end ? -1 : 1;
}

class RpmScheme final : public VersionScheme {
 public:
  std::string_view name() const override { return "rpm"; }
  Status Validate(std::string_view v) const override {
    return v.empty() ? Invalid(v, "RPM") : Status::Ok();
  }
  int Compare(std::string_view a, std::string_view b) const override {
    const Evr ea = SplitEvr(a);
    const Evr eb = SplitEvr(b);
    // A missing epoch is 0; epochs that are not numbers (seen in the wild and in OSV's vectors)
    // compare with rpmvercmp too.
    if (const int c =
            RpmVerCmp(ea.epoch.empty() ? "0" : ea.epoch, eb.epoch.empty() ? "0" : eb.epoch);
        c != 0) {
      return c;
    }
    if (const int c = RpmVerCmp(ea.version, eb.version); c != 0) {
      return c;
    }
    if (ea.has_release != eb.has_release) {
      return ea.has_release ? 1 : -1;  // "1" < "1-" < "1-0" (as OSV's RPM comparator)
    }
    return RpmVerCmp(ea.release, eb.release);
  }
};

// ---------------------------------------------------------------------------------------------
// Alpine (apk-tools): number{.number}...{letter}{_suffix{number}}...{~hash}{-r#}. Non-first
// numbers with a leading zero compare as strings (apk's "fraction" rule); suffixes order
// alpha < beta < pre < rc < (none) < cvs < svn < git < hg < p; the hash is ignored; a version
// with unparsed text left over sorts before one without; two invalid versions compare by bytes.
struct ApkVersion {
  std::vector<std::string_view> numbers;
  char letter = '\0';
  std::vector<std::pair<int, std::string_view>> suffixes;  // weight, number ("" = 0)
  std::string_view build = "0";
  std::string_view remainder;
  bool invalid = false;
};

constexpr std::array<std::string_view, 10> kApkSuffixes{"alpha", "beta", "pre", "rc", "",
                                                        "cvs",   "svn",  "git", "hg", "p"};
constexpr int kApkNoSuffix = 4;

ApkVersion ParseApk(std::string_view s) {
  ApkVersion v;
  std::size_t i = 0;
  while (i < s.size() && IsDigit(s[i])) {
    const std::size_t start = i;
    while (i < s.size() && IsDigit(s[i])) {
      ++i;
    }
    v.numbers.push_back(s.substr(start, i - start));
    if (i + 1 < s.size() && s[i] == '.' && IsDigit(s[i + 1])) {
      ++i;
    } else {
      break;
    }
  }
  if (i < s.size() && s[i] >= 'a' && s[i] <= 'z') {
    v.letter = s[i++];
  }
  while (i < s.size() && s[i] == '_') {
    bool matched = false;
    // Longest names first so that "pre" is not read as "p" + "re".
    for (const std::string_view name :
         {"alpha", "beta", "pre", "rc", "cvs", "svn", "git", "hg", "p"}) {
      if (s.substr(i + 1).starts_with(name)) {
        std::size_t j = i + 1 + name.size();
        const std::size_t num_start = j;
        while (j < s.size() && IsDigit(s[j])) {
          ++j;
        }
        const auto weight = static_cast<int>(
            std::find(kApkSuffixes.begin(), kApkSuffixes.end(), name) - kApkSuffixes.begin());
        v.suffixes.emplace_back(weight, s.substr(num_start, j - num_start));
        i = j;
        matched = true;
        break;
      }
    }
    if (!matched) {
      break;
    }
  }
  if (i < s.size() && s[i] == '~') {
    std::size_t j = i + 1;
    while (j < s.size() && (IsDigit(s[j]) || (s[j] >= 'a' && s[j] <= 'f'))) {
      ++j;
    }
    if (j > i + 1) {
      i = j;
    }
  }
  if (i < s.size()) {
    if (s.substr(i).starts_with("-r")) {
      std::size_t j = i + 2;
      while (j < s.size() && IsDigit(s[j])) {
        ++j;
      }
      v.build = s.substr(i + 2, j - i - 2);
      i = j;
    } else {
      v.invalid = true;
    }
  }
  v.remainder = s.substr(i);
  return v;
}

int CompareApk(std::string_view a, std::string_view b) {
  const ApkVersion va = ParseApk(a);
  const ApkVersion vb = ParseApk(b);
  if (va.invalid && vb.invalid) {
    return Sign(a.compare(b));
  }
  for (std::size_t i = 0; i < std::max(va.numbers.size(), vb.numbers.size()); ++i) {
    const std::string_view na = i < va.numbers.size() ? va.numbers[i] : "0";
    const std::string_view nb = i < vb.numbers.size() ? vb.numbers[i] : "0";
    int c = 0;
    if (i != 0 && (na.front() == '0' || nb.front() == '0')) {
      c = Sign(na.compare(nb));
    } else {
      c = CompareDigits(na, nb);
    }
    if (c != 0) {
      return c;
    }
  }
  if ((va.letter == '\0') != (vb.letter == '\0')) {
    return va.letter == '\0' ? -1 : 1;
  }
  if (const int c = Cmp(va.letter, vb.letter); c != 0) {
    return c;
  }
  for (std::size_t i = 0; i < std::max(va.suffixes.size(), vb.suffixes.size()); ++i) {
    const auto sa = i < va.suffixes.size() ? va.suffixes[i]
                                           : std::pair<int, std::string_view>{kApkNoSuffix, ""};
    const auto sb = i < vb.suffixes.size() ? vb.suffixes[i]
                                           : std::pair<int, std::string_view>{kApkNoSuffix, ""};
    if (const int c = Cmp(sa.first, sb.first); c != 0) {
      return c;
    }
    if (const int c = CompareDigits(sa.second, sb.second); c != 0) {
      return c;
    }
  }
  if (const int c = CompareDigits(va.build, vb.build); c != 0) {
    return c;
  }
  if (va.remainder.empty() != vb.remainder.empty()) {
    return va.remainder.empty() ? 1 : -1;
  }
  return 0;
}

class ApkScheme final : public VersionScheme {
 public:
  std::string_view name() const override { return "alpine"; }
  Status Validate(std::string_view v) const override {
    const ApkVersion p = ParseApk(v);
    return (p.numbers.empty() || p.invalid || !p.remainder.empty()) ? Invalid(v, "Alpine")
                                                                    : Status::Ok();
  }
  int Compare(std::string_view a, std::string_view b) const override { return CompareApk(a, b); }
};

// ---------------------------------------------------------------------------------------------
// RubyGems: Gem::Version. Digits and letters become separate segments ("1.0a1" → 1.0.a.1); the
// numeric segments before the first letter are the release, the rest the pre-release; trailing
// zeros of each part are dropped; a number is newer than a word, a missing segment is 0.
std::vector<std::string> GemSegments(std::string_view s) {
  std::vector<std::string> segs;
  std::string cur;
  auto flush = [&]() {
    segs.push_back(cur);
    cur.clear();
  };
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '.') {
      flush();
      continue;
    }
    if (!cur.empty() && IsDigit(cur.back()) != IsDigit(c)) {
      flush();
    }
    cur.push_back(c);
  }
  flush();
  std::vector<std::string> numbers;
  std::vector<std::string> rest;
  for (std::string& seg : segs) {
    if (rest.empty() && AllDigits(seg)) {
      numbers.push_back(std::move(seg));
    } else {
      rest.push_back(std::move(seg));
    }
  }
  auto drop_zeros = [](std::vector<std::string>& v) {
    while (!v.empty() && v.back() == "0") {
      v.pop_back();
    }
  };
  drop_zeros(numbers);
  drop_zeros(rest);
  numbers.insert(numbers.end(), rest.begin(), rest.end());
  return numbers;
}

int CompareGem(std::string_view a, std::string_view b) {
  const auto sa = GemSegments(a);
  const auto sb = GemSegments(b);
  for (std::size_t i = 0; i < std::max(sa.size(), sb.size()); ++i) {
    const std::string_view pa = i < sa.size() ? std::string_view(sa[i]) : "0";
    const std::string_view pb = i < sb.size() ? std::string_view(sb[i]) : "0";
    const int c = CompareMixedToken(pa, AllDigits(pa), pb, AllDigits(pb));
    if (c != 0) {
      return c;
    }
  }
  return 0;
}

class GemScheme final : public VersionScheme {
 public:
  std::string_view name() const override { return "rubygems"; }
  Status Validate(std::string_view v) const override {
    const bool ok = !v.empty() && IsDigit(v.front()) && std::all_of(v.begin(), v.end(), [](char c) {
      return IsDigit(c) || IsAlpha(c) || c == '.' || c == '-';
    });
    return ok ? Status::Ok() : Invalid(v, "RubyGems");
  }
  int Compare(std::string_view a, std::string_view b) const override { return CompareGem(a, b); }
};

// ---------------------------------------------------------------------------------------------
// NuGet: NuGet.Versioning — up to four numeric parts (missing are 0), then a SemVer 2.0.0
// pre-release compared case-insensitively; "+metadata" is ignored.
int CompareNuGet(std::string_view a, std::string_view b) {
  const std::string la = ToLowerAscii(a);
  const std::string lb = ToLowerAscii(b);
  return CompareSemVer(la, lb);
}

class NuGetScheme final : public VersionScheme {
 public:
  std::string_view name() const override { return "nuget"; }
  Status Validate(std::string_view v) const override {
    const SemVer p = ParseSemVerParts(v);
    const bool ok = !p.release.empty() && p.release.size() <= 4 && (v.empty() || v[0] != 'v');
    return ok ? Status::Ok() : Invalid(v, "NuGet");
  }
  int Compare(std::string_view a, std::string_view b) const override { return CompareNuGet(a, b); }
};

// ---------------------------------------------------------------------------------------------
// Packagist: PHP's version_compare() after removing a leading 'v' (as OSV does). '-', '_' and
// '+' become '.', a '.' is put between digits and non-digits; parts compare as numbers, or by the
// special forms (unknown < dev < alpha = a < beta = b < RC = rc < # (a number) < pl = p).
std::vector<std::string> PhpParts(std::string_view v) {
  if (!v.empty() && (v.front() == 'v' || v.front() == 'V')) {
    v.remove_prefix(1);
  }
  std::string canon;
  for (const char c : v) {
    const char prev = canon.empty() ? '\0' : canon.back();
    if (c == '-' || c == '_' || c == '+') {
      if (prev != '.') {
        canon.push_back('.');
      }
      continue;
    }
    if (!canon.empty() && prev != '.' && c != '.' && IsDigit(prev) != IsDigit(c)) {
      canon.push_back('.');
    }
    canon.push_back(c);
  }
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= canon.size()) {
    const std::size_t dot = std::min(canon.find('.', start), canon.size());
    parts.push_back(canon.substr(start, dot - start));
    start = dot + 1;
  }
  return parts;
}

int PhpSpecialForm(std::string_view form) {
  static constexpr std::array<std::pair<std::string_view, int>, 10> kForms{{{"dev", 0},
                                                                            {"alpha", 1},
                                                                            {"a", 1},
                                                                            {"beta", 2},
                                                                            {"b", 2},
                                                                            {"RC", 3},
                                                                            {"rc", 3},
                                                                            {"#", 4},
                                                                            {"pl", 5},
                                                                            {"p", 5}}};
  for (const auto& [name, order] : kForms) {
    if (form.starts_with(name)) {
      return order;
    }
  }
  return -1;
}

int ComparePhpParts(const std::vector<std::string>& a, std::size_t ia,
                    const std::vector<std::string>& b, std::size_t ib) {
  while (ia < a.size() && ib < b.size()) {
    const bool da = AllDigits(a[ia]);
    const bool db = AllDigits(b[ib]);
    int c = 0;
    if (da && db) {
      c = CompareDigits(a[ia], b[ib]);
    } else if (!da && !db) {
      c = Cmp(PhpSpecialForm(a[ia]), PhpSpecialForm(b[ib]));
    } else if (da) {
      c = Cmp(PhpSpecialForm("#"), PhpSpecialForm(b[ib]));
    } else {
      c = Cmp(PhpSpecialForm(a[ia]), PhpSpecialForm("#"));
    }
    if (c != 0) {
      return c;
    }
    ++ia;
    ++ib;
  }
  static const std::vector<std::string> kNumber{"#"};
  if (ia < a.size()) {
    return AllDigits(a[ia]) ? 1 : ComparePhpParts(a, ia, kNumber, 0);
  }
  if (ib < b.size()) {
    return AllDigits(b[ib]) ? -1 : ComparePhpParts(kNumber, 0, b, ib);
  }
  return 0;
}

class PackagistScheme final : public VersionScheme {
 public:
  std::string_view name() const override { return "packagist"; }
  Status Validate(std::string_view v) const override {
    return v.empty() ? Invalid(v, "Packagist") : Status::Ok();
  }
  int Compare(std::string_view a, std::string_view b) const override {
    return ComparePhpParts(PhpParts(a), 0, PhpParts(b), 0);
  }
};

// ---------------------------------------------------------------------------------------------
// The registry: OSV ecosystem names and purl types, as data.
const GenericVersionScheme kGeneric;
const SemVerScheme kSemVer("semver", false);
const SemVerScheme kGo("go", true);
const Pep440Scheme kPep440;
const MavenScheme kMaven;
const DebianScheme kDebian;
const RpmScheme kRpm;
const ApkScheme kApk;
const GemScheme kGem;
const NuGetScheme kNuGet;
const PackagistScheme kPackagist;

struct SchemeName {
  std::string_view name;  // OSV ecosystem (case-sensitive) or purl type (lower case)
  const VersionScheme* scheme;
};

const std::array kSchemeNames{
    SchemeName{"npm", &kSemVer},
    SchemeName{"crates.io", &kSemVer},
    SchemeName{"cargo", &kSemVer},
    SchemeName{"SEMVER", &kSemVer},
    SchemeName{"Go", &kGo},
    SchemeName{"golang", &kGo},
    SchemeName{"PyPI", &kPep440},
    SchemeName{"pypi", &kPep440},
    SchemeName{"Maven", &kMaven},
    SchemeName{"maven", &kMaven},
    SchemeName{"Debian", &kDebian},
    SchemeName{"Ubuntu", &kDebian},
    SchemeName{"deb", &kDebian},
    SchemeName{"Red Hat", &kRpm},
    SchemeName{"Rocky Linux", &kRpm},
    SchemeName{"AlmaLinux", &kRpm},
    SchemeName{"openSUSE", &kRpm},
    SchemeName{"SUSE", &kRpm},
    SchemeName{"Mageia", &kRpm},
    SchemeName{"openEuler", &kRpm},
    SchemeName{"rpm", &kRpm},
    SchemeName{"Alpine", &kApk},
    SchemeName{"Alpaquita", &kApk},
    SchemeName{"Wolfi", &kApk},
    SchemeName{"Chainguard", &kApk},
    SchemeName{"apk", &kApk},
    SchemeName{"RubyGems", &kGem},
    SchemeName{"gem", &kGem},
    SchemeName{"NuGet", &kNuGet},
    SchemeName{"nuget", &kNuGet},
    SchemeName{"Packagist", &kPackagist},
    SchemeName{"composer", &kPackagist},
    SchemeName{"generic", &kGeneric},
};

}  // namespace

const VersionScheme* SchemeFor(std::string_view ecosystem) {
  if (const std::size_t colon = ecosystem.find(':'); colon != std::string_view::npos) {
    ecosystem = ecosystem.substr(0, colon);
  }
  for (const SchemeName& s : kSchemeNames) {
    if (s.name == ecosystem) {
      return s.scheme;
    }
  }
  return nullptr;
}

const VersionScheme& GenericScheme() {
  return kGeneric;
}

}  // namespace hoshi::sbom
