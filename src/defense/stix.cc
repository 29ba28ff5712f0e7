// SPDX-License-Identifier: Apache-2.0
// STIX 2.x bundles and the STIX patterning language (the parts single-event matching can use).
#include <algorithm>
#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "hoshi/core/clock.h"
#include "hoshi/core/json.h"
#include "hoshi/core/text.h"
#include "hoshi/defense/indicators.h"
#include "hoshi/defense/messages.h"

namespace hoshi::defense {
namespace {

// ---- Lexer --------------------------------------------------------------------------------

enum class Tok : std::uint8_t {
  kEnd,
  kIdent,
  kString,
  kInt,
  kFloat,
  kTimestamp,  ///< t'…'
  kHex,        ///< h'…'
  kBinary,     ///< b'…'
  kOp,         ///< = == != <> < <= > >=
  kLBrack,
  kRBrack,
  kLParen,
  kRParen,
  kComma,
  kColon,
  kDot,
  kStar,
};

struct Token {
  Tok kind = Tok::kEnd;
  std::string text;     ///< identifiers and literals: the value (strings unescaped)
  bool quoted = false;  ///< a "double-quoted" identifier (never a keyword)
  std::size_t pos = 0;  ///< byte offset in the pattern
};

struct SyntaxError {
  std::size_t pos = 0;
  std::string reason;
};

bool IsIdentStart(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

bool IsIdentChar(char c) {
  return IsIdentStart(c) || (c >= '0' && c <= '9') || c == '-';
}

bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}

bool EqualsNoCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           const auto lower = [](char c) {
             return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
           };
           return lower(x) == lower(y);
         });
}

class Lexer {
 public:
  explicit Lexer(std::string_view text) : text_(text) {}

  /// All tokens, ending with kEnd; false with `error` set on a lexical error.
  bool Run(std::vector<Token>& out, SyntaxError& error) {
    while (true) {
      SkipSpaceAndComments();
      Token token;
      token.pos = i_;
      if (i_ >= text_.size()) {
        out.push_back(std::move(token));
        return true;
      }
      if (!Next(token, error)) {
        return false;
      }
      out.push_back(std::move(token));
    }
  }

 private:
  void SkipSpaceAndComments() {
    while (i_ < text_.size()) {
      const char c = text_[i_];
      if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v') {
        ++i_;
      } else if (text_.substr(i_).starts_with("/*")) {
        const auto end = text_.find("*/", i_ + 2);
        i_ = end == std::string_view::npos ? text_.size() : end + 2;
      } else if (text_.substr(i_).starts_with("//")) {
        const auto end = text_.find('\n', i_);
        i_ = end == std::string_view::npos ? text_.size() : end + 1;
      } else {
        return;
      }
    }
  }

  /// A quoted literal starting at i_ (the opening quote): `\'` and `\\` are escapes; any other
  /// backslash is kept as written (real-world regexes are often under-escaped).
  bool Quoted(char quote, std::string& out, SyntaxError& error) {
    const std::size_t start = i_;
    ++i_;
    while (i_ < text_.size()) {
      const char c = text_[i_];
      if (c == '\\' && quote == '\'' && i_ + 1 < text_.size() &&
          (text_[i_ + 1] == '\'' || text_[i_ + 1] == '\\')) {
        out += text_[i_ + 1];
        i_ += 2;
      } else if (c == quote) {
        if (quote == '"' && i_ + 1 < text_.size() && text_[i_ + 1] == '"') {
          out += '"';
          i_ += 2;
          continue;
        }
        ++i_;
        return true;
      } else {
        out += c;
        ++i_;
      }
    }
    error = SyntaxError{start, "unterminated quoted text"};
    return false;
  }

  bool Number(Token& token) {
    const std::size_t start = i_;
    if (text_[i_] == '+' || text_[i_] == '-') {
      ++i_;
    }
    while (i_ < text_.size() && IsDigit(text_[i_])) {
      ++i_;
    }
    token.kind = Tok::kInt;
    if (i_ < text_.size() && text_[i_] == '.') {
      ++i_;
      token.kind = Tok::kFloat;
      while (i_ < text_.size() && IsDigit(text_[i_])) {
        ++i_;
      }
    }
    token.text = std::string(text_.substr(start, i_ - start));
    return token.text.find_first_of("0123456789") != std::string::npos;
  }

  bool Next(Token& token, SyntaxError& error) {
    const char c = text_[i_];
    const char next = i_ + 1 < text_.size() ? text_[i_ + 1] : '\0';
    static constexpr std::array<std::pair<char, Tok>, 8> kPunct{{{'[', Tok::kLBrack},
                                                                 {']', Tok::kRBrack},
                                                                 {'(', Tok::kLParen},
                                                                 {')', Tok::kRParen},
                                                                 {',', Tok::kComma},
                                                                 {':', Tok::kColon},
                                                                 {'.', Tok::kDot},
                                                                 {'*', Tok::kStar}}};
    if ((c == 't' || c == 'h' || c == 'b') && next == '\'') {
      token.kind = c == 't' ? Tok::kTimestamp : (c == 'h' ? Tok::kHex : Tok::kBinary);
      ++i_;
      return Quoted('\'', token.text, error);
    }
    if (c == '\'') {
      token.kind = Tok::kString;
      return Quoted('\'', token.text, error);
    }
    if (c == '"') {
      token.kind = Tok::kIdent;
      token.quoted = true;
      return Quoted('"', token.text, error);
    }
    if (IsIdentStart(c)) {
      const std::size_t start = i_;
      while (i_ < text_.size() && IsIdentChar(text_[i_])) {
        ++i_;
      }
      token.kind = Tok::kIdent;
      token.text = std::string(text_.substr(start, i_ - start));
      return true;
    }
    if (IsDigit(c) || ((c == '+' || c == '-') && (IsDigit(next) || next == '.')) ||
        (c == '.' && IsDigit(next))) {
      if (!Number(token)) {
        error = SyntaxError{token.pos, "malformed number"};
        return false;
      }
      return true;
    }
    if (c == '=' || c == '!' || c == '<' || c == '>') {
      static constexpr std::array<std::string_view, 8> kOps{
          "==", "!=", "<>", "<=", ">=", "=", "<", ">"};
      for (const std::string_view op : kOps) {
        if (text_.substr(i_).starts_with(op)) {
          token.kind = Tok::kOp;
          token.text = op == "==" ? "=" : (op == "<>" ? "!=" : std::string(op));
          i_ += op.size();
          return true;
        }
      }
    }
    for (const auto& [ch, kind] : kPunct) {
      if (c == ch) {
        token.kind = kind;
        ++i_;
        return true;
      }
    }
    error = SyntaxError{i_, std::string("unexpected character '") + c + "'"};
    return false;
  }

  std::string_view text_;
  std::size_t i_ = 0;
};

// ---- Parser -------------------------------------------------------------------------------

using Alternatives = std::vector<StixAlternative>;

StixAlternative Marker(StixAlternative::Kind kind) {
  StixAlternative alt;
  alt.kind = kind;
  return alt;
}

/// Recursive descent over the STIX 2.1 grammar (oasis-open/cti-stix2-json-schemas
/// pattern_grammar/STIXPattern.g4). Each rule returns the OR'd alternatives of its
/// sub-expression; AND/FOLLOWEDBY groups collapse into one kConjunction alternative.
class Parser {
 public:
  explicit Parser(std::vector<Token> tokens) : tokens_(std::move(tokens)) {}

  bool Run(Alternatives& out, SyntaxError& error) {
    const bool ok = Observations(out) && Expect(Tok::kEnd, "end of pattern");
    if (!ok) {
      error = error_;
    }
    return ok;
  }

 private:
  [[nodiscard]] const Token& Peek() const { return tokens_[pos_]; }
  const Token& Take() {
    const Token& token = tokens_[pos_];
    if (token.kind != Tok::kEnd) {
      ++pos_;
    }
    return token;
  }
  [[nodiscard]] bool AtKeyword(std::string_view word) const {
    return Peek().kind == Tok::kIdent && !Peek().quoted && EqualsNoCase(Peek().text, word);
  }
  bool TakeKeyword(std::string_view word) {
    if (!AtKeyword(word)) {
      return false;
    }
    Take();
    return true;
  }
  bool Fail(std::string reason) {
    if (error_.reason.empty()) {
      error_ = SyntaxError{Peek().pos, std::move(reason)};
    }
    return false;
  }
  bool Expect(Tok kind, std::string_view what) {
    if (Peek().kind != kind) {
      return Fail("expected " + std::string(what));
    }
    Take();
    return true;
  }
  bool ExpectKeyword(std::string_view word) {
    return TakeKeyword(word) || Fail("expected " + std::string(word));
  }

  /// `sub (word sub)*`: OR concatenates the alternatives, AND/FOLLOWEDBY collapses them.
  template <typename Sub>
  bool Chain(Alternatives& out, std::string_view word, bool conjunctive, Sub sub) {
    if (!(this->*sub)(out)) {
      return false;
    }
    std::size_t operands = 1;
    while (TakeKeyword(word)) {
      Alternatives more;
      if (!(this->*sub)(more)) {
        return false;
      }
      out.insert(out.end(), std::make_move_iterator(more.begin()),
                 std::make_move_iterator(more.end()));
      ++operands;
    }
    if (conjunctive && operands > 1) {
      out.assign(1, Marker(StixAlternative::Kind::kConjunction));
    }
    return true;
  }

  bool Observations(Alternatives& out) {
    return Chain(out, "FOLLOWEDBY", true, &Parser::ObservationOr);
  }
  bool ObservationOr(Alternatives& out) { return Chain(out, "OR", false, &Parser::ObservationAnd); }
  bool ObservationAnd(Alternatives& out) { return Chain(out, "AND", true, &Parser::Observation); }
  bool ComparisonOr(Alternatives& out) { return Chain(out, "OR", false, &Parser::ComparisonAnd); }
  bool ComparisonAnd(Alternatives& out) { return Chain(out, "AND", true, &Parser::PropTest); }

  bool Observation(Alternatives& out) {
    if (Peek().kind == Tok::kLBrack) {
      Take();
      if (!ComparisonOr(out) || !Expect(Tok::kRBrack, "']'")) {
        return false;
      }
    } else if (Peek().kind == Tok::kLParen) {
      Take();
      if (!Observations(out) || !Expect(Tok::kRParen, "')'")) {
        return false;
      }
    } else {
      return Fail("expected '[' or '('");
    }
    return Qualifiers(out);
  }

  bool Timestamp(std::int64_t& us) {
    if (Peek().kind != Tok::kTimestamp && Peek().kind != Tok::kString) {
      return Fail("expected a timestamp");
    }
    const auto t = ParseTimestamp(Peek().text);
    if (!t) {
      return Fail("bad timestamp");
    }
    Take();
    us = t->time_since_epoch().count();
    return true;
  }

  bool Qualifiers(Alternatives& out) {
    while (true) {
      if (TakeKeyword("START")) {
        std::int64_t start = 0;
        std::int64_t stop = 0;
        if (!Timestamp(start) || !ExpectKeyword("STOP") || !Timestamp(stop)) {
          return false;
        }
        for (StixAlternative& alt : out) {
          alt.start_us = std::max(alt.start_us, start);
          alt.stop_us = alt.stop_us == 0 ? stop : std::min(alt.stop_us, stop);
        }
      } else if (TakeKeyword("WITHIN")) {
        // Bounds the time between observations; meaningless for a single one.
        if (Peek().kind != Tok::kInt && Peek().kind != Tok::kFloat) {
          return Fail("expected a number of seconds");
        }
        Take();
        if (!ExpectKeyword("SECONDS")) {
          return false;
        }
      } else if (TakeKeyword("REPEATS")) {
        if (Peek().kind != Tok::kInt) {
          return Fail("expected a repeat count");
        }
        const bool many = Take().text != "1";
        if (!ExpectKeyword("TIMES")) {
          return false;
        }
        if (many) {
          out.assign(1, Marker(StixAlternative::Kind::kRepeated));
        }
      } else {
        return true;
      }
    }
  }

  bool PathComponent(std::vector<std::string>& path) {
    if (Peek().kind != Tok::kIdent && Peek().kind != Tok::kString) {
      return Fail("expected a property name");
    }
    path.push_back(Take().text);
    return true;
  }

  bool ObjectPath(StixAlternative& alt) {
    if (Peek().kind != Tok::kIdent) {
      return Fail("expected an object type");
    }
    alt.object_type = Take().text;
    if (!Expect(Tok::kColon, "':'") || !PathComponent(alt.path)) {
      return false;
    }
    while (true) {
      if (Peek().kind == Tok::kDot) {
        Take();
        if (!PathComponent(alt.path)) {
          return false;
        }
      } else if (Peek().kind == Tok::kLBrack) {
        Take();
        if (Peek().kind != Tok::kInt && Peek().kind != Tok::kStar) {
          return Fail("expected an index or '*'");
        }
        const Token& index = Take();
        alt.path.push_back("[" + (index.kind == Tok::kStar ? std::string("*") : index.text) + "]");
        if (!Expect(Tok::kRBrack, "']'")) {
          return false;
        }
      } else {
        return true;
      }
    }
  }

  bool Literal(StixAlternative& alt) {
    const Token& token = Peek();
    switch (token.kind) {
      case Tok::kString:
        break;
      case Tok::kInt:
      case Tok::kFloat:
      case Tok::kTimestamp:
      case Tok::kHex:
      case Tok::kBinary:
        alt.values_are_strings = false;
        break;
      case Tok::kIdent:
        if (!token.quoted &&
            (EqualsNoCase(token.text, "true") || EqualsNoCase(token.text, "false"))) {
          alt.values_are_strings = false;
          break;
        }
        return Fail("expected a literal");
      default:
        return Fail("expected a literal");
    }
    alt.values.push_back(Take().text);
    return true;
  }

  bool PropTest(Alternatives& out) {
    if (Peek().kind == Tok::kLParen) {
      Take();
      return ComparisonOr(out) && Expect(Tok::kRParen, "')'");
    }
    StixAlternative alt;
    alt.negated = TakeKeyword("NOT");
    if (TakeKeyword("EXISTS")) {
      alt.op = "EXISTS";
      if (!ObjectPath(alt)) {
        return false;
      }
      out.push_back(std::move(alt));
      return true;
    }
    if (alt.negated) {
      return Fail("expected EXISTS");
    }
    if (!ObjectPath(alt)) {
      return false;
    }
    alt.negated = TakeKeyword("NOT");
    if (Peek().kind == Tok::kOp) {
      alt.op = Take().text;
      if (!Literal(alt)) {
        return false;
      }
    } else if (TakeKeyword("IN")) {
      alt.op = "IN";
      if (!Expect(Tok::kLParen, "'('")) {
        return false;
      }
      while (Peek().kind != Tok::kRParen) {
        if (!Literal(alt)) {
          return false;
        }
        if (Peek().kind != Tok::kComma) {
          break;
        }
        Take();
      }
      if (!Expect(Tok::kRParen, "')'")) {
        return false;
      }
    } else {
      static constexpr std::array<std::string_view, 4> kWordOps{"LIKE", "MATCHES", "ISSUBSET",
                                                                "ISSUPERSET"};
      const auto it = std::find_if(kWordOps.begin(), kWordOps.end(),
                                   [&](std::string_view w) { return AtKeyword(w); });
      if (it == kWordOps.end()) {
        return Fail("expected a comparison operator");
      }
      Take();
      alt.op = std::string(*it);
      if (Peek().kind != Tok::kString) {
        return Fail("expected a string");
      }
      alt.values.push_back(Take().text);
    }
    out.push_back(std::move(alt));
    return true;
  }

  std::vector<Token> tokens_;
  std::size_t pos_ = 0;
  SyntaxError error_;
};

// ---- Bundles ------------------------------------------------------------------------------

/// TLP levels from least to most restrictive.
constexpr std::array<std::string_view, 6> kTlpOrder{"clear", "white",        "green",
                                                    "amber", "amber+strict", "red"};

int TlpRank(std::string_view tlp) {
  const auto it = std::find(kTlpOrder.begin(), kTlpOrder.end(), tlp);
  if (it == kTlpOrder.end()) {
    return -1;
  }
  const auto index = static_cast<int>(it - kTlpOrder.begin());
  return index <= 1 ? 0 : index - 1;  // clear and white are the same level
}

struct KnownMarking {
  std::string_view id;
  std::string_view tlp;
};

/// TLP 1.0 (STIX 2.1 §7.2.1.4) and TLP 2.0 (oasis-open/cti-stix-common-objects,
/// extension-definition-specifications/tlp-2.0) marking-definition ids.
constexpr std::array<KnownMarking, 9> kKnownMarkings{{
    {"marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9", "white"},
    {"marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da", "green"},
    {"marking-definition--f88d31f6-486f-44da-b317-01333bde0b82", "amber"},
    {"marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed", "red"},
    {"marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487", "clear"},
    {"marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb", "green"},
    {"marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421", "amber"},
    {"marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003", "amber+strict"},
    {"marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1", "red"},
}};

constexpr std::string_view kTlp2Extension =
    "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d";

std::string_view StringField(const Json& object, std::string_view key) {
  const auto it = object.find(key);
  if (it == object.end() || !it->is_string()) {
    return {};
  }
  return it->get_ref<const std::string&>();
}

const Json* Field(const Json& object, std::string_view key) {
  const auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

/// The TLP level a marking-definition object states, or "".
std::string TlpOfDefinition(const Json& object) {
  if (StringField(object, "definition_type") == "tlp") {
    if (const Json* definition = Field(object, "definition");
        definition && definition->is_object()) {
      return ToLowerAscii(StringField(*definition, "tlp"));
    }
  }
  if (const Json* extensions = Field(object, "extensions"); extensions && extensions->is_object()) {
    if (const Json* tlp2 = Field(*extensions, kTlp2Extension); tlp2 && tlp2->is_object()) {
      return ToLowerAscii(StringField(*tlp2, "tlp_2_0"));
    }
  }
  const std::string name = ToLowerAscii(StringField(object, "name"));
  if (name.starts_with("tlp:")) {
    return name.substr(4);
  }
  return {};
}

class BundleImporter {
 public:
  BundleImporter(std::string_view source, IndicatorSet& set, ImportReport& report)
      : source_(source), set_(set), report_(report) {}

  void CollectMarkings(const Json& objects) {
    for (const Json& object : objects) {
      if (object.is_object() && StringField(object, "type") == "marking-definition") {
        if (std::string tlp = TlpOfDefinition(object); TlpRank(tlp) >= 0) {
          markings_.emplace_back(std::string(StringField(object, "id")), std::move(tlp));
        }
      }
    }
  }

  void ImportIndicator(const Json& object) {
    const std::string id(StringField(object, "id"));
    if (const Json* revoked = Field(object, "revoked");
        revoked && revoked->is_boolean() && revoked->get<bool>()) {
      report_.NoteSkipped("revoked");
      return;
    }
    if (const Json* type = Field(object, "pattern_type");
        type && !(type->is_string() && type->get_ref<const std::string&>() == "stix")) {
      report_.NoteSkipped("pattern_type");
      return;
    }
    const Json* pattern = Field(object, "pattern");
    if (pattern == nullptr || !pattern->is_string()) {
      report_.NoteInvalid("bad_indicator",
                          Located(MakeError(ErrorCode::kDataError, DefenseMessages(),
                                            "defense.stix_no_pattern", id)));
      return;
    }
    Indicator base;
    base.source = std::string(source_);
    base.stix_id = id;
    if (!Time(object, id, "valid_from", base.valid_from_us) ||
        !Time(object, id, "valid_until", base.valid_until_us)) {
      return;
    }
    if (base.valid_until_us != 0 && base.valid_until_us <= base.valid_from_us) {
      report_.NoteInvalid("bad_time", Located(MakeError(ErrorCode::kDataError, DefenseMessages(),
                                                        "defense.stix_window", id)));
      return;
    }
    base.tlp = Tlp(object);
    base.labels = Labels(object);
    if (const Json* confidence = Field(object, "confidence");
        confidence && confidence->is_number_integer()) {
      base.score =
          static_cast<int>(std::clamp<std::int64_t>(confidence->get<std::int64_t>(), 0, 100));
    }
    auto alternatives = ParseStixPattern(pattern->get_ref<const std::string&>());
    if (!alternatives) {
      const std::string detail = "indicator " + id + ": " + alternatives.error().detail();
      report_.NoteInvalid("bad_pattern",
                          Located(std::move(alternatives).error()).WithDetail(detail));
      return;
    }
    for (const StixAlternative& alt : *alternatives) {
      ImportAlternative(alt, base);
    }
  }

 private:
  Error Located(Error error) const {
    return std::move(error).WithLocation(SourceLocation{std::string(source_), 0, 0});
  }

  bool Time(const Json& object, const std::string& id, std::string_view key, std::int64_t& us) {
    const Json* value = Field(object, key);
    if (value == nullptr || value->is_null()) {
      return true;
    }
    if (value->is_string()) {
      if (const auto t = ParseTimestamp(value->get_ref<const std::string&>())) {
        us = t->time_since_epoch().count();
        return true;
      }
    }
    const std::string text = value->is_string() ? value->get<std::string>() : value->dump();
    report_.NoteInvalid("bad_time", Located(MakeError(ErrorCode::kDataError, DefenseMessages(),
                                                      "defense.stix_time", id, key, text)));
    return false;
  }

  std::string Tlp(const Json& object) const {
    std::string best;
    const auto consider = [&](const Json& ref) {
      if (!ref.is_string()) {
        return;
      }
      const std::string_view id = ref.get_ref<const std::string&>();
      std::string_view tlp;
      for (const auto& [marking_id, marking_tlp] : markings_) {
        if (marking_id == id) {
          tlp = marking_tlp;
        }
      }
      for (const KnownMarking& known : kKnownMarkings) {
        if (tlp.empty() && known.id == id) {
          tlp = known.tlp;
        }
      }
      if (!tlp.empty() && TlpRank(tlp) > TlpRank(best)) {
        best = std::string(tlp);
      }
    };
    if (const Json* refs = Field(object, "object_marking_refs"); refs && refs->is_array()) {
      std::for_each(refs->begin(), refs->end(), consider);
    }
    if (const Json* granular = Field(object, "granular_markings");
        granular && granular->is_array()) {
      for (const Json& marking : *granular) {
        const Json* selectors = marking.is_object() ? Field(marking, "selectors") : nullptr;
        const Json* ref = marking.is_object() ? Field(marking, "marking_ref") : nullptr;
        if (selectors && selectors->is_array() && ref &&
            std::find(selectors->begin(), selectors->end(), Json("pattern")) != selectors->end()) {
          consider(*ref);
        }
      }
    }
    return best;
  }

  static std::vector<std::string> Labels(const Json& object) {
    std::vector<std::string> labels;
    for (const std::string_view key : {"indicator_types", "labels"}) {
      const Json* list = Field(object, key);
      if (list == nullptr || !list->is_array()) {
        continue;
      }
      for (const Json& item : *list) {
        if (item.is_string() && std::find(labels.begin(), labels.end(),
                                          item.get_ref<const std::string&>()) == labels.end()) {
          labels.push_back(item.get<std::string>());
        }
      }
    }
    return labels;
  }

  /// The indicator type an equality on this object path yields; nullopt when unsupported.
  static std::optional<IndicatorType> Target(const StixAlternative& alt) {
    const bool value_path = alt.path.size() == 1 && alt.path[0] == "value";
    if (value_path && (alt.object_type == "ipv4-addr" || alt.object_type == "ipv6-addr")) {
      return IndicatorType::kIp;
    }
    if (value_path && alt.object_type == "domain-name") {
      return IndicatorType::kDomain;
    }
    if (value_path && alt.object_type == "url") {
      return IndicatorType::kUrl;
    }
    if (alt.object_type == "file" && alt.path.size() == 2 && alt.path[0] == "hashes") {
      std::string algorithm = ToLowerAscii(alt.path[1]);
      std::erase(algorithm, '-');
      if (algorithm == "md5") {
        return IndicatorType::kMd5;
      }
      if (algorithm == "sha1") {
        return IndicatorType::kSha1;
      }
      if (algorithm == "sha256") {
        return IndicatorType::kSha256;
      }
    }
    return std::nullopt;
  }

  void ImportAlternative(const StixAlternative& alt, const Indicator& base) {
    if (alt.kind == StixAlternative::Kind::kConjunction) {
      report_.NoteSkipped("conjunction");
      return;
    }
    if (alt.kind == StixAlternative::Kind::kRepeated) {
      report_.NoteSkipped("qualifier");
      return;
    }
    const auto type = Target(alt);
    if (!type) {
      report_.NoteSkipped("unsupported_type", std::max<std::size_t>(1, alt.values.size()));
      return;
    }
    if (alt.negated || (alt.op != "=" && alt.op != "IN")) {
      report_.NoteSkipped("unsupported_operator", std::max<std::size_t>(1, alt.values.size()));
      return;
    }
    Indicator indicator = base;
    indicator.type = *type;
    if (alt.start_us != 0) {
      indicator.valid_from_us = std::max(indicator.valid_from_us, alt.start_us);
    }
    if (alt.stop_us != 0) {
      indicator.valid_until_us = indicator.valid_until_us == 0
                                     ? alt.stop_us
                                     : std::min(indicator.valid_until_us, alt.stop_us);
    }
    if (indicator.valid_until_us != 0 && indicator.valid_until_us <= indicator.valid_from_us) {
      report_.NoteSkipped("qualifier", alt.values.size());
      return;
    }
    for (const std::string& value : alt.values) {
      // ipv4-addr holds IPv4 text only, ipv6-addr IPv6 text only.
      const bool family_ok = alt.object_type == "ipv4-addr"   ? value.find(':') == std::string::npos
                             : alt.object_type == "ipv6-addr" ? value.find(':') != std::string::npos
                                                              : true;
      indicator.value = value;
      if (!alt.values_are_strings || !family_ok || !set_.Add(indicator).ok()) {
        report_.NoteInvalid("bad_value", Located(MakeError(ErrorCode::kDataError, DefenseMessages(),
                                                           "defense.stix_value", base.stix_id,
                                                           value.substr(0, 200), alt.object_type)));
        continue;
      }
      ++report_.added;
    }
  }

  std::string_view source_;
  IndicatorSet& set_;
  ImportReport& report_;
  std::vector<std::pair<std::string, std::string>> markings_;  ///< id → TLP, from the bundle
};

}  // namespace

Result<std::vector<StixAlternative>> ParseStixPattern(std::string_view pattern) {
  std::vector<Token> tokens;
  SyntaxError error;
  Alternatives out;
  if (Lexer(pattern).Run(tokens, error) && Parser(std::move(tokens)).Run(out, error)) {
    return out;
  }
  return MakeError(ErrorCode::kDataError, DefenseMessages(), "defense.stix_pattern",
                   pattern.substr(0, 200), error.pos + 1)
      .WithDetail(error.reason);
}

Result<ImportReport> ImportStixBundle(std::string_view json, std::string_view source,
                                      IndicatorSet& set) {
  HOSHI_ASSIGN_OR_RETURN(const Json root, ParseJson(json, source));
  const Json* objects = nullptr;
  Json single = Json::array();
  if (root.is_array()) {
    objects = &root;
  } else if (root.is_object() && StringField(root, "type") == "bundle") {
    objects = Field(root, "objects");
    if (objects == nullptr) {
      objects = &single;
    }
  } else if (root.is_object() && !StringField(root, "type").empty()) {
    single.push_back(root);
    objects = &single;
  }
  if (objects == nullptr || !objects->is_array()) {
    return MakeError(ErrorCode::kDataError, DefenseMessages(), "defense.stix_not_bundle")
        .WithLocation(SourceLocation{std::string(source), 0, 0});
  }
  ImportReport report;
  BundleImporter importer(source, set, report);
  importer.CollectMarkings(*objects);
  for (const Json& object : *objects) {
    if (object.is_object() && StringField(object, "type") == "indicator") {
      importer.ImportIndicator(object);
    }
  }
  return report;
}

}  // namespace hoshi::defense
