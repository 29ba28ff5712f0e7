// SPDX-License-Identifier: Apache-2.0
// CVSS base scores: v2 (FIRST CVSS v2 guide §3.2.1), v3.0 and v3.1 (specification §7.1 and, for
// v3.1, the Roundup of Appendix A), and v4.0 (FIRST's macro-vector method, ported from FIRST's
// reference calculator cvss_score.js with its lookup, max-composed and max-severity tables).
//
// Every metric the specifications define is validated (unknown names, unknown values, duplicates
// and missing base metrics are errors); only the base metrics enter the score. For v4.0 that is
// CVSS-B: the threat metric E and the environmental metrics are checked but not applied, as the
// base score of v3 ignores the temporal and environmental groups.
#include "hoshi/sbom/cvss.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "hoshi/sbom/messages.h"

namespace hoshi::sbom {
namespace {

// ---- Vector syntax, shared by all versions. ----

/// One metric of a version: its abbreviation, its allowed values ('|' separated) and whether the
/// base score needs it.
struct MetricSpec {
  std::string_view name;
  std::string_view values;
  bool required;
};

constexpr std::array kV2Metrics{
    MetricSpec{"AV", "L|A|N", true},        MetricSpec{"AC", "H|M|L", true},
    MetricSpec{"Au", "M|S|N", true},        MetricSpec{"C", "N|P|C", true},
    MetricSpec{"I", "N|P|C", true},         MetricSpec{"A", "N|P|C", true},
    MetricSpec{"E", "U|POC|F|H|ND", false}, MetricSpec{"RL", "OF|TF|W|U|ND", false},
    MetricSpec{"RC", "UC|UR|C|ND", false},  MetricSpec{"CDP", "N|L|LM|MH|H|ND", false},
    MetricSpec{"TD", "N|L|M|H|ND", false},  MetricSpec{"CR", "L|M|H|ND", false},
    MetricSpec{"IR", "L|M|H|ND", false},    MetricSpec{"AR", "L|M|H|ND", false},
};

constexpr std::array kV3Metrics{
    MetricSpec{"AV", "N|A|L|P", true},     MetricSpec{"AC", "L|H", true},
    MetricSpec{"PR", "N|L|H", true},       MetricSpec{"UI", "N|R", true},
    MetricSpec{"S", "U|C", true},          MetricSpec{"C", "H|L|N", true},
    MetricSpec{"I", "H|L|N", true},        MetricSpec{"A", "H|L|N", true},
    MetricSpec{"E", "X|U|P|F|H", false},   MetricSpec{"RL", "X|O|T|W|U", false},
    MetricSpec{"RC", "X|U|R|C", false},    MetricSpec{"CR", "X|L|M|H", false},
    MetricSpec{"IR", "X|L|M|H", false},    MetricSpec{"AR", "X|L|M|H", false},
    MetricSpec{"MAV", "X|N|A|L|P", false}, MetricSpec{"MAC", "X|L|H", false},
    MetricSpec{"MPR", "X|N|L|H", false},   MetricSpec{"MUI", "X|N|R", false},
    MetricSpec{"MS", "X|U|C", false},      MetricSpec{"MC", "X|N|L|H", false},
    MetricSpec{"MI", "X|N|L|H", false},    MetricSpec{"MA", "X|N|L|H", false},
};

constexpr std::array kV4Metrics{
    MetricSpec{"AV", "N|A|L|P", true},     MetricSpec{"AC", "L|H", true},
    MetricSpec{"AT", "N|P", true},         MetricSpec{"PR", "N|L|H", true},
    MetricSpec{"UI", "N|P|A", true},       MetricSpec{"VC", "H|L|N", true},
    MetricSpec{"VI", "H|L|N", true},       MetricSpec{"VA", "H|L|N", true},
    MetricSpec{"SC", "H|L|N", true},       MetricSpec{"SI", "H|L|N", true},
    MetricSpec{"SA", "H|L|N", true},       MetricSpec{"E", "X|A|P|U", false},
    MetricSpec{"CR", "X|H|M|L", false},    MetricSpec{"IR", "X|H|M|L", false},
    MetricSpec{"AR", "X|H|M|L", false},    MetricSpec{"MAV", "X|N|A|L|P", false},
    MetricSpec{"MAC", "X|L|H", false},     MetricSpec{"MAT", "X|N|P", false},
    MetricSpec{"MPR", "X|N|L|H", false},   MetricSpec{"MUI", "X|N|P|A", false},
    MetricSpec{"MVC", "X|H|L|N", false},   MetricSpec{"MVI", "X|H|L|N", false},
    MetricSpec{"MVA", "X|H|L|N", false},   MetricSpec{"MSC", "X|H|L|N", false},
    MetricSpec{"MSI", "X|S|H|L|N", false}, MetricSpec{"MSA", "X|S|H|L|N", false},
    MetricSpec{"S", "X|N|P", false},       MetricSpec{"AU", "X|N|Y", false},
    MetricSpec{"R", "X|A|U|I", false},     MetricSpec{"V", "X|D|C", false},
    MetricSpec{"RE", "X|L|M|H", false},    MetricSpec{"U", "X|Clear|Green|Amber|Red", false},
};

/// Longer inputs are not vectors (the longest valid v4.0 vector is about 190 characters).
constexpr std::size_t kMaxVectorLength = 512;

Error Invalid(std::string_view vector, std::string_view part) {
  const std::string shown =
      vector.size() > 80 ? std::string(vector.substr(0, 80)) + "…" : std::string(vector);
  return MakeError(ErrorCode::kDataError, SbomMessages(), "sbom.cvss_invalid", shown,
                   part.size() > 40 ? part.substr(0, 40) : part);
}

bool HasValue(std::string_view values, std::string_view value) {
  while (!values.empty()) {
    const std::size_t bar = values.find('|');
    if (values.substr(0, bar) == value) {
      return true;
    }
    values = bar == std::string_view::npos ? std::string_view() : values.substr(bar + 1);
  }
  return false;
}

/// The parsed metrics of one vector: the value of each spec entry ("" when absent).
class Metrics {
 public:
  explicit Metrics(std::span<const MetricSpec> specs) : specs_(specs), values_(specs.size()) {}

  /// Parses "K:V/K:V/…" (the part after the version prefix).
  [[nodiscard]] Status Parse(std::string_view vector, std::string_view body) {
    if (body.empty()) {
      return Invalid(vector, "");
    }
    std::size_t start = 0;
    while (start <= body.size()) {
      const std::size_t slash = std::min(body.find('/', start), body.size());
      const std::string_view field = body.substr(start, slash - start);
      const std::size_t colon = field.find(':');
      if (colon == std::string_view::npos) {
        return Invalid(vector, field);
      }
      const std::optional<std::size_t> index = IndexOf(field.substr(0, colon));
      const std::string_view value = field.substr(colon + 1);
      if (!index || !values_[*index].empty() || !HasValue(specs_[*index].values, value)) {
        return Invalid(vector, field);
      }
      values_[*index] = value;
      start = slash + 1;
    }
    for (std::size_t i = 0; i < specs_.size(); ++i) {
      if (specs_[i].required && values_[i].empty()) {
        return Invalid(vector, specs_[i].name);
      }
    }
    return Status::Ok();
  }

  /// The first character of a required metric's value (all base values are one letter).
  [[nodiscard]] char Get(std::string_view name) const {
    const std::optional<std::size_t> index = IndexOf(name);
    return index && !values_[*index].empty() ? values_[*index].front() : '\0';
  }

 private:
  [[nodiscard]] std::optional<std::size_t> IndexOf(std::string_view name) const {
    for (std::size_t i = 0; i < specs_.size(); ++i) {
      if (specs_[i].name == name) {
        return i;
      }
    }
    return std::nullopt;
  }

  std::span<const MetricSpec> specs_;
  std::vector<std::string_view> values_;
};

/// The weight of `value` in a ("letters", weights) table.
template <std::size_t N>
double Weight(std::string_view letters, const std::array<double, N>& weights, char value) {
  const std::size_t pos = letters.find(value);
  return pos < N ? weights[pos] : 0.0;
}

/// Round half up to one decimal, on the exact binary value (as Python's Decimal quantize does):
/// the product by 10 is exact in long double, so no tie is created or lost by the scaling.
double RoundHalfUp1(double value) {
  return static_cast<double>(std::floor(static_cast<long double>(value) * 10.0L + 0.5L) / 10.0L);
}

// ---- CVSS v2 ----

double ScoreV2(const Metrics& m) {
  const double av = Weight("LAN", std::array{0.395, 0.646, 1.0}, m.Get("AV"));
  const double ac = Weight("HML", std::array{0.35, 0.61, 0.71}, m.Get("AC"));
  const double au = Weight("MSN", std::array{0.45, 0.56, 0.704}, m.Get("Au"));
  const std::array cia{0.0, 0.275, 0.660};
  const double c = Weight("NPC", cia, m.Get("C"));
  const double i = Weight("NPC", cia, m.Get("I"));
  const double a = Weight("NPC", cia, m.Get("A"));
  const double impact = 10.41 * (1 - (1 - c) * (1 - i) * (1 - a));
  const double exploitability = 20 * av * ac * au;
  const double f = impact == 0 ? 0.0 : 1.176;
  const double score = RoundHalfUp1(((0.6 * impact) + (0.4 * exploitability) - 1.5) * f);
  return score <= 0 ? 0.0 : score;  // no impact gives -0.0
}

// ---- CVSS v3.0 / v3.1 ----

/// v3.1 Appendix A: the smallest one-decimal number ≥ the input, computed on integers so that
/// floating-point noise (e.g. 4.000000000000001) does not round up.
double RoundupV31(double value) {
  const auto int_input = static_cast<long long>(std::llround(value * 100000));
  if (int_input % 10000 == 0) {
    return static_cast<double>(int_input) / 100000.0;
  }
  return (std::floor(static_cast<double>(int_input) / 10000.0) + 1.0) / 10.0;
}

/// v3.0 §7.4: "round up to one decimal", as FIRST's v3.0 calculator does it.
double RoundupV30(double value) {
  return std::ceil(value * 10) / 10;
}

double ScoreV3(const Metrics& m, bool v31) {
  const bool changed = m.Get("S") == 'C';
  const double av = Weight("NALP", std::array{0.85, 0.62, 0.55, 0.2}, m.Get("AV"));
  const double ac = Weight("LH", std::array{0.77, 0.44}, m.Get("AC"));
  const double pr = changed ? Weight("NLH", std::array{0.85, 0.68, 0.5}, m.Get("PR"))
                            : Weight("NLH", std::array{0.85, 0.62, 0.27}, m.Get("PR"));
  const double ui = Weight("NR", std::array{0.85, 0.62}, m.Get("UI"));
  const std::array cia{0.56, 0.22, 0.0};
  const double c = Weight("HLN", cia, m.Get("C"));
  const double i = Weight("HLN", cia, m.Get("I"));
  const double a = Weight("HLN", cia, m.Get("A"));
  const double iss = 1 - ((1 - c) * (1 - i) * (1 - a));
  const double impact =
      changed ? 7.52 * (iss - 0.029) - 3.25 * std::pow(iss - 0.02, 15) : 6.42 * iss;
  const double exploitability = 8.22 * av * ac * pr * ui;
  if (impact <= 0) {
    return 0.0;
  }
  const double raw = changed ? std::min(1.08 * (impact + exploitability), 10.0)
                             : std::min(impact + exploitability, 10.0);
  return v31 ? RoundupV31(raw) : RoundupV30(raw);
}

// ---- CVSS v4.0 (FIRST cvss_score.js) ----

/// Scores of the 270 macro vectors "EQ1 EQ2 EQ3 EQ4 EQ5 EQ6" (FIRST cvss_lookup.js).
struct MacroScore {
  std::string_view macro;
  double score;
};
constexpr std::array<MacroScore, 270> kMacroScores{{
    {"000000", 10},  {"000001", 9.9}, {"000010", 9.8}, {"000011", 9.5}, {"000020", 9.5},
    {"000021", 9.2}, {"000100", 10},  {"000101", 9.6}, {"000110", 9.3}, {"000111", 8.7},
    {"000120", 9.1}, {"000121", 8.1}, {"000200", 9.3}, {"000201", 9},   {"000210", 8.9},
    {"000211", 8},   {"000220", 8.1}, {"000221", 6.8}, {"001000", 9.8}, {"001001", 9.5},
    {"001010", 9.5}, {"001011", 9.2}, {"001020", 9},   {"001021", 8.4}, {"001100", 9.3},
    {"001101", 9.2}, {"001110", 8.9}, {"001111", 8.1}, {"001120", 8.1}, {"001121", 6.5},
    {"001200", 8.8}, {"001201", 8},   {"001210", 7.8}, {"001211", 7},   {"001220", 6.9},
    {"001221", 4.8}, {"002001", 9.2}, {"002011", 8.2}, {"002021", 7.2}, {"002101", 7.9},
    {"002111", 6.9}, {"002121", 5},   {"002201", 6.9}, {"002211", 5.5}, {"002221", 2.7},
    {"010000", 9.9}, {"010001", 9.7}, {"010010", 9.5}, {"010011", 9.2}, {"010020", 9.2},
    {"010021", 8.5}, {"010100", 9.5}, {"010101", 9.1}, {"010110", 9},   {"010111", 8.3},
    {"010120", 8.4}, {"010121", 7.1}, {"010200", 9.2}, {"010201", 8.1}, {"010210", 8.2},
    {"010211", 7.1}, {"010220", 7.2}, {"010221", 5.3}, {"011000", 9.5}, {"011001", 9.3},
    {"011010", 9.2}, {"011011", 8.5}, {"011020", 8.5}, {"011021", 7.3}, {"011100", 9.2},
    {"011101", 8.2}, {"011110", 8},   {"011111", 7.2}, {"011120", 7},   {"011121", 5.9},
    {"011200", 8.4}, {"011201", 7},   {"011210", 7.1}, {"011211", 5.2}, {"011220", 5},
    {"011221", 3},   {"012001", 8.6}, {"012011", 7.5}, {"012021", 5.2}, {"012101", 7.1},
    {"012111", 5.2}, {"012121", 2.9}, {"012201", 6.3}, {"012211", 2.9}, {"012221", 1.7},
    {"100000", 9.8}, {"100001", 9.5}, {"100010", 9.4}, {"100011", 8.7}, {"100020", 9.1},
    {"100021", 8.1}, {"100100", 9.4}, {"100101", 8.9}, {"100110", 8.6}, {"100111", 7.4},
    {"100120", 7.7}, {"100121", 6.4}, {"100200", 8.7}, {"100201", 7.5}, {"100210", 7.4},
    {"100211", 6.3}, {"100220", 6.3}, {"100221", 4.9}, {"101000", 9.4}, {"101001", 8.9},
    {"101010", 8.8}, {"101011", 7.7}, {"101020", 7.6}, {"101021", 6.7}, {"101100", 8.6},
    {"101101", 7.6}, {"101110", 7.4}, {"101111", 5.8}, {"101120", 5.9}, {"101121", 5},
    {"101200", 7.2}, {"101201", 5.7}, {"101210", 5.7}, {"101211", 5.2}, {"101220", 5.2},
    {"101221", 2.5}, {"102001", 8.3}, {"102011", 7},   {"102021", 5.4}, {"102101", 6.5},
    {"102111", 5.8}, {"102121", 2.6}, {"102201", 5.3}, {"102211", 2.1}, {"102221", 1.3},
    {"110000", 9.5}, {"110001", 9},   {"110010", 8.8}, {"110011", 7.6}, {"110020", 7.6},
    {"110021", 7},   {"110100", 9},   {"110101", 7.7}, {"110110", 7.5}, {"110111", 6.2},
    {"110120", 6.1}, {"110121", 5.3}, {"110200", 7.7}, {"110201", 6.6}, {"110210", 6.8},
    {"110211", 5.9}, {"110220", 5.2}, {"110221", 3},   {"111000", 8.9}, {"111001", 7.8},
    {"111010", 7.6}, {"111011", 6.7}, {"111020", 6.2}, {"111021", 5.8}, {"111100", 7.4},
    {"111101", 5.9}, {"111110", 5.7}, {"111111", 5.7}, {"111120", 4.7}, {"111121", 2.3},
    {"111200", 6.1}, {"111201", 5.2}, {"111210", 5.7}, {"111211", 2.9}, {"111220", 2.4},
    {"111221", 1.6}, {"112001", 7.1}, {"112011", 5.9}, {"112021", 3},   {"112101", 5.8},
    {"112111", 2.6}, {"112121", 1.5}, {"112201", 2.3}, {"112211", 1.3}, {"112221", 0.6},
    {"200000", 9.3}, {"200001", 8.7}, {"200010", 8.6}, {"200011", 7.2}, {"200020", 7.5},
    {"200021", 5.8}, {"200100", 8.6}, {"200101", 7.4}, {"200110", 7.4}, {"200111", 6.1},
    {"200120", 5.6}, {"200121", 3.4}, {"200200", 7},   {"200201", 5.4}, {"200210", 5.2},
    {"200211", 4},   {"200220", 4},   {"200221", 2.2}, {"201000", 8.5}, {"201001", 7.5},
    {"201010", 7.4}, {"201011", 5.5}, {"201020", 6.2}, {"201021", 5.1}, {"201100", 7.2},
    {"201101", 5.7}, {"201110", 5.5}, {"201111", 4.1}, {"201120", 4.6}, {"201121", 1.9},
    {"201200", 5.3}, {"201201", 3.6}, {"201210", 3.4}, {"201211", 1.9}, {"201220", 1.9},
    {"201221", 0.8}, {"202001", 6.4}, {"202011", 5.1}, {"202021", 2},   {"202101", 4.7},
    {"202111", 2.1}, {"202121", 1.1}, {"202201", 2.4}, {"202211", 0.9}, {"202221", 0.4},
    {"210000", 8.8}, {"210001", 7.5}, {"210010", 7.3}, {"210011", 5.3}, {"210020", 6},
    {"210021", 5},   {"210100", 7.3}, {"210101", 5.5}, {"210110", 5.9}, {"210111", 4},
    {"210120", 4.1}, {"210121", 2},   {"210200", 5.4}, {"210201", 4.3}, {"210210", 4.5},
    {"210211", 2.2}, {"210220", 2},   {"210221", 1.1}, {"211000", 7.5}, {"211001", 5.5},
    {"211010", 5.8}, {"211011", 4.5}, {"211020", 4},   {"211021", 2.1}, {"211100", 6.1},
    {"211101", 5.1}, {"211110", 4.8}, {"211111", 1.8}, {"211120", 2},   {"211121", 0.9},
    {"211200", 4.6}, {"211201", 1.8}, {"211210", 1.7}, {"211211", 0.7}, {"211220", 0.8},
    {"211221", 0.2}, {"212001", 5.3}, {"212011", 2.4}, {"212021", 1.4}, {"212101", 2.4},
    {"212111", 1.2}, {"212121", 0.5}, {"212201", 1},   {"212211", 0.3}, {"212221", 0.1},
}};

/// The six equivalence-class levels of a macro vector.
using Macro = std::array<int, 6>;

/// The macro vector's score; NaN when it does not exist (JavaScript's `lookup[x]` undefined).
double MacroScoreOf(const Macro& eq) {
  std::string key(6, '0');
  for (std::size_t i = 0; i < 6; ++i) {
    if (eq[i] < 0 || eq[i] > 9) {
      return std::numeric_limits<double>::quiet_NaN();
    }
    key[i] = static_cast<char>('0' + eq[i]);
  }
  const auto* it = std::lower_bound(
      kMacroScores.begin(), kMacroScores.end(), key,
      [](const MacroScore& entry, const std::string& k) { return entry.macro < k; });
  return it != kMacroScores.end() && it->macro == key ? it->score
                                                      : std::numeric_limits<double>::quiet_NaN();
}

/// The fourteen metrics the v4.0 algorithm reads, after defaults: AV PR UI AC AT VC VI VA SC SI
/// SA CR IR AR (E only selects EQ5). Each value is one letter.
constexpr std::size_t kAV = 0, kPR = 1, kUI = 2, kAC = 3, kAT = 4, kVC = 5, kVI = 6, kVA = 7,
                      kSC = 8, kSI = 9, kSA = 10, kCR = 11, kIR = 12, kAR = 13;
using V4Values = std::array<char, 14>;

/// Severity levels of each metric in tenths: the position of the letter in the string (SC has no
/// "S" level, hence the placeholder).
constexpr std::array<std::string_view, 14> kV4Levels{"NALP", "NLH", "NPA", "LH",   "NP",
                                                     "HLN",  "HLN", "HLN", "_HLN", "SHLN",
                                                     "SHLN", "HML", "HML", "HML"};
constexpr std::array kTenths{0.0, 0.1, 0.2, 0.3};

double Level(std::size_t metric, char value) {
  const std::size_t pos = kV4Levels[metric].find(value);
  return pos < kTenths.size() ? kTenths[pos] : 0.0;
}

// The highest-severity vectors of each macro class (FIRST max_composed.js), as the letters of the
// metrics each EQ covers (EQ1 AV PR UI, EQ2 AC AT, EQ3+EQ6 VC VI VA CR IR AR, EQ4 SC SI SA),
// several separated by '|', in FIRST's order.
constexpr std::array<std::string_view, 3> kEq1Maxes{"NNN", "ANN|NLN|NNP", "PNN|ALP"};
constexpr std::array<std::string_view, 2> kEq2Maxes{"LN", "HN|LP"};
// [eq3][eq6]; EQ3 = 2 with EQ6 = 0 cannot happen.
constexpr std::array<std::array<std::string_view, 2>, 3> kEq3Eq6Maxes{{
    {"HHHHHH", "HHLMMH|HHHMMM"},
    {"LHHHHH|HLHHHH", "LHLHMH|LHHHMM|HLHMHM|HLLMHH|LLHHHM"},
    {"", "LLLHHH"},
}};
constexpr std::array<std::string_view, 3> kEq4Maxes{"HSS", "HHH", "LLL"};

std::vector<std::string_view> SplitMaxes(std::string_view maxes) {
  std::vector<std::string_view> out;
  while (!maxes.empty()) {
    const std::size_t bar = std::min(maxes.find('|'), maxes.size());
    out.push_back(maxes.substr(0, bar));
    maxes.remove_prefix(std::min(bar + 1, maxes.size()));
  }
  return out;
}

// Maximal severity distances within each macro class, in steps of 0.1 (FIRST max_severity.js).
constexpr std::array kEq1Depth{1, 4, 5};
constexpr std::array kEq2Depth{1, 2};
constexpr std::array<std::array<int, 2>, 3> kEq3Eq6Depth{{{7, 6}, {8, 8}, {0, 10}}};
constexpr std::array kEq4Depth{6, 5, 4};

Macro MacroVector(const V4Values& v, char exploit) {
  const auto is = [&](std::size_t metric, char value) { return v[metric] == value; };
  Macro eq{};
  // EQ1: 0 = AV:N and PR:N and UI:N; 1 = one of them N, not AV:P; 2 = otherwise.
  if (is(kAV, 'N') && is(kPR, 'N') && is(kUI, 'N')) {
    eq[0] = 0;
  } else if ((is(kAV, 'N') || is(kPR, 'N') || is(kUI, 'N')) && !is(kAV, 'P')) {
    eq[0] = 1;
  } else {
    eq[0] = 2;
  }
  // EQ2: 0 = AC:L and AT:N.
  eq[1] = is(kAC, 'L') && is(kAT, 'N') ? 0 : 1;
  // EQ3: 0 = VC:H and VI:H; 1 = one of VC VI VA is H; 2 = none.
  if (is(kVC, 'H') && is(kVI, 'H')) {
    eq[2] = 0;
  } else if (is(kVC, 'H') || is(kVI, 'H') || is(kVA, 'H')) {
    eq[2] = 1;
  } else {
    eq[2] = 2;
  }
  // EQ4: 0 = MSI:S or MSA:S; 1 = one of SC SI SA is H; 2 = none.
  if (is(kSI, 'S') || is(kSA, 'S')) {
    eq[3] = 0;
  } else if (is(kSC, 'H') || is(kSI, 'H') || is(kSA, 'H')) {
    eq[3] = 1;
  } else {
    eq[3] = 2;
  }
  // EQ5: E:A 0, E:P 1, E:U 2.
  eq[4] = exploit == 'U' ? 2 : exploit == 'P' ? 1 : 0;
  // EQ6: 0 = a high requirement meets a high impact.
  eq[5] = (is(kCR, 'H') && is(kVC, 'H')) || (is(kIR, 'H') && is(kVI, 'H')) ||
                  (is(kAR, 'H') && is(kVA, 'H'))
              ? 0
              : 1;
  return eq;
}

/// The score of the macro vector one step less severe through EQ3 and EQ6 together.
double EqThreeSixLowerScore(Macro eq) {
  if (eq[2] == 0 && eq[5] == 0) {  // 00 → 01 or 10, whichever scores higher
    Macro left = eq;
    Macro right = eq;
    left[5] += 1;
    right[2] += 1;
    const double l = MacroScoreOf(left);
    const double r = MacroScoreOf(right);
    return l > r ? l : r;  // as JavaScript's `>`: a NaN on the left picks the right
  }
  if (eq[5] == 1) {  // 11 → 21, 01 → 11, 21 → 31 (absent)
    eq[2] += 1;
  } else if (eq[2] == 1) {  // 10 → 11
    eq[5] += 1;
  } else {  // unreachable in valid vectors; FIRST goes one step in both
    eq[2] += 1;
    eq[5] += 1;
  }
  return MacroScoreOf(eq);
}

double ScoreV4(const Metrics& m) {
  V4Values v{};
  constexpr std::array<std::string_view, 11> kBase{"AV", "PR", "UI", "AC", "AT", "VC",
                                                   "VI", "VA", "SC", "SI", "SA"};
  for (std::size_t i = 0; i < kBase.size(); ++i) {
    v[i] = m.Get(kBase[i]);
  }
  // CVSS-B: the security requirements take their "not defined" value, High, and E is Attacked.
  v[kCR] = v[kIR] = v[kAR] = 'H';
  const char exploit = 'A';

  if (std::all_of(v.begin() + kVC, v.begin() + kSA + 1, [](char c) { return c == 'N'; })) {
    return 0.0;
  }
  const Macro eq = MacroVector(v, exploit);
  double value = MacroScoreOf(eq);

  const auto lower = [&](std::size_t which) {
    Macro next = eq;
    next[which] += 1;
    return MacroScoreOf(next);
  };
  const double score_eq1_lower = lower(0);
  const double score_eq2_lower = lower(1);
  const double score_eq3eq6_lower = EqThreeSixLowerScore(eq);
  const double score_eq4_lower = lower(3);
  const double score_eq5_lower = lower(4);

  // The first highest-severity vector of the class that the scored vector does not exceed.
  std::array<double, 14> distance{};
  const std::array<std::pair<std::vector<std::string_view>, std::array<std::size_t, 6>>, 4> parts{{
      {SplitMaxes(kEq1Maxes[eq[0]]), {kAV, kPR, kUI}},
      {SplitMaxes(kEq2Maxes[eq[1]]), {kAC, kAT}},
      {SplitMaxes(kEq3Eq6Maxes[eq[2]][eq[5]]), {kVC, kVI, kVA, kCR, kIR, kAR}},
      {SplitMaxes(kEq4Maxes[eq[3]]), {kSC, kSI, kSA}},
  }};
  const auto compute = [&](const std::array<std::string_view, 4>& chosen) {
    bool all_positive = true;
    for (std::size_t p = 0; p < parts.size(); ++p) {
      const std::string_view letters = chosen[p];
      for (std::size_t k = 0; k < letters.size(); ++k) {
        const std::size_t metric = parts[p].second[k];
        distance[metric] = Level(metric, v[metric]) - Level(metric, letters[k]);
        all_positive = all_positive && distance[metric] >= 0;
      }
    }
    return all_positive;
  };
  std::vector<std::array<std::string_view, 4>> candidates;
  for (const std::string_view a : parts[0].first) {
    for (const std::string_view b : parts[1].first) {
      for (const std::string_view c : parts[2].first) {
        for (const std::string_view d : parts[3].first) {
          candidates.push_back({a, b, c, d});
        }
      }
    }
  }
  // As FIRST: the first candidate not exceeded wins; when none qualifies the last one's
  // distances remain.
  for (const auto& chosen : candidates) {
    if (compute(chosen)) {
      break;
    }
  }

  const double current_eq1 = distance[kAV] + distance[kPR] + distance[kUI];
  const double current_eq2 = distance[kAC] + distance[kAT];
  const double current_eq3eq6 =
      distance[kVC] + distance[kVI] + distance[kVA] + distance[kCR] + distance[kIR] + distance[kAR];
  const double current_eq4 = distance[kSC] + distance[kSI] + distance[kSA];
  constexpr double kStep = 0.1;

  int n_existing_lower = 0;
  const auto add = [&](double lower_score, double current, double depth) {
    const double available = value - lower_score;
    if (std::isnan(available)) {
      return 0.0;
    }
    ++n_existing_lower;
    return available * (current / (depth * kStep));
  };
  const double n1 = add(score_eq1_lower, current_eq1, kEq1Depth[eq[0]]);
  const double n2 = add(score_eq2_lower, current_eq2, kEq2Depth[eq[1]]);
  const double n3 = add(score_eq3eq6_lower, current_eq3eq6, kEq3Eq6Depth[eq[2]][eq[5]]);
  const double n4 = add(score_eq4_lower, current_eq4, kEq4Depth[eq[3]]);
  const double n5 = add(score_eq5_lower, 0.0, 1);  // EQ5's proportion is always 0
  const double normalized_sum = n1 + n2 + n3 + n4 + n5;
  const double mean_distance = n_existing_lower == 0 ? 0 : normalized_sum / n_existing_lower;

  value -= mean_distance;
  value = std::clamp(value, 0.0, 10.0);
  // FIRST rounds half up after lifting by 1e-6: the interpolation can land one ulp below a tie.
  constexpr double kEpsilon = 1e-6;
  return std::floor((value + kEpsilon) * 10 + 0.5) / 10;
}

}  // namespace

Result<double> CvssBaseScore(std::string_view vector) {
  if (vector.size() > kMaxVectorLength) {
    return Invalid(vector, "");
  }
  constexpr std::string_view kV30 = "CVSS:3.0/";
  constexpr std::string_view kV31 = "CVSS:3.1/";
  constexpr std::string_view kV40 = "CVSS:4.0/";
  if (vector.starts_with(kV30) || vector.starts_with(kV31)) {
    Metrics m(kV3Metrics);
    HOSHI_RETURN_IF_ERROR(m.Parse(vector, vector.substr(kV31.size())));
    return ScoreV3(m, vector.starts_with(kV31));
  }
  if (vector.starts_with(kV40)) {
    Metrics m(kV4Metrics);
    HOSHI_RETURN_IF_ERROR(m.Parse(vector, vector.substr(kV40.size())));
    return ScoreV4(m);
  }
  if (vector.starts_with("CVSS:")) {
    return Invalid(vector, vector.substr(0, vector.find('/')));
  }
  // v2 has no prefix; NVD writes it in parentheses at times.
  std::string_view body = vector;
  if (body.size() >= 2 && body.front() == '(' && body.back() == ')') {
    body = body.substr(1, body.size() - 2);
  }
  Metrics m(kV2Metrics);
  HOSHI_RETURN_IF_ERROR(m.Parse(vector, body));
  return ScoreV2(m);
}

}  // namespace hoshi::sbom
