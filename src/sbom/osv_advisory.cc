// SPDX-License-Identifier: Apache-2.0
// OSV records (JSON or YAML) to Advisory, the CISA KEV catalog, and loading a folder of records.
//
// Both formats are read into one small tree (simdjson for JSON, yaml-cpp's parse events for YAML;
// records are read by the thousand) and walked once. YAML scalars stay strings whatever
// they look like (a plain `1.10` is the version "1.10", not the number 1.1), which is what OSV
// means by every field we read; plain `~`/`null`/empty are null. Malformed input gives a
// kDataError "sbom.osv_*" naming the field path ("affected[0].ranges[1].events[2]") or, for
// syntax errors, the line and column; nothing in here throws past the module boundary.
//
// Severity: the best CVSS vector of `severity[]` (v4.0 over v3.1 over v3.0 over v2), then of
// `affected[].severity[]`, then `database_specific.cvss` vectors (RustSec writes one per affected
// entry). Severity *labels* (GHSA's database_specific.severity "HIGH", Ubuntu's "medium") are
// not turned into scores: a label is a range, and a made-up number would sort and threshold as
// if it were measured. Such advisories have no base_score and SeverityLabel says "unknown".
#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <system_error>
#include <vector>

#include <simdjson.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include "hoshi/core/crypto.h"
#include "hoshi/core/file.h"
#include "hoshi/core/json.h"
#include "hoshi/sbom/advisory.h"
#include "hoshi/sbom/cvss.h"
#include "hoshi/sbom/messages.h"

#include "messages_parts.h"

namespace hoshi::sbom {
namespace {

namespace fs = std::filesystem;

constexpr std::array kMessages{
    MessageEntry{"sbom.osv_syntax", "OSVレコードを解析できません: {0}",
                 "The OSV record cannot be parsed: {0}"},
    MessageEntry{"sbom.osv_not_object", "OSVレコードの最上位がオブジェクトではありません。",
                 "The OSV record is not an object at its top level."},
    MessageEntry{"sbom.osv_missing_id", "OSVレコードにidがありません。",
                 "The OSV record has no id."},
    MessageEntry{"sbom.osv_missing_field", "OSVレコードに必須項目「{0}」がありません。",
                 "The OSV record has no '{0}'."},
    MessageEntry{"sbom.osv_expected_string",
                 "OSVレコードの項目「{0}」は文字列である必要があります。",
                 "The OSV record field '{0}' must be a string."},
    MessageEntry{"sbom.osv_expected_array", "OSVレコードの項目「{0}」は配列である必要があります。",
                 "The OSV record field '{0}' must be an array."},
    MessageEntry{"sbom.osv_expected_object",
                 "OSVレコードの項目「{0}」はオブジェクトである必要があります。",
                 "The OSV record field '{0}' must be an object."},
    MessageEntry{
        "sbom.osv_range_type",
        "OSVレコードの「{0}」の範囲種別「{1}」は SEMVER、ECOSYSTEM、GIT のいずれでもありません。",
        "The OSV record range '{0}' has type '{1}', not SEMVER, ECOSYSTEM or GIT."},
    MessageEntry{"sbom.osv_event",
                 "OSVレコードのイベント「{0}」は introduced、fixed、last_affected、limit "
                 "のうち1つだけを持つ必要があります。",
                 "The OSV record event '{0}' must have exactly one of introduced, fixed, "
                 "last_affected and limit."},
    MessageEntry{"sbom.osv_too_deep", "OSVレコードの入れ子が深すぎます（上限 {0} 段）。",
                 "The OSV record is nested too deeply (limit {0} levels)."},
    MessageEntry{"sbom.osv_too_many_nodes", "OSVレコードの要素が多すぎます（上限 {0} 個）。",
                 "The OSV record has too many elements (limit {0})."},
    MessageEntry{"sbom.osv_too_large", "OSVファイル「{0}」が大きすぎます（上限 {1} バイト）。",
                 "The OSV file '{0}' is too large (limit {1} bytes)."},
    MessageEntry{"sbom.osv_extension",
                 "ファイル「{0}」はOSVレコードの形式（.json、.yaml、.yml）ではありません。",
                 "The file '{0}' is not an OSV record (.json, .yaml or .yml)."},
    MessageEntry{"sbom.osv_dir", "OSVレコードのフォルダ「{0}」がないか、読み込めません。",
                 "The OSV record folder '{0}' does not exist or cannot be read."},
    MessageEntry{"sbom.kev_syntax", "KEVカタログを解析できません: {0}",
                 "The KEV catalog cannot be parsed: {0}"},
    MessageEntry{"sbom.kev_format", "KEVカタログに配列「vulnerabilities」がありません。",
                 "The KEV catalog has no 'vulnerabilities' array."},
    MessageEntry{"sbom.kev_entry",
                 "KEVカタログの {0} 番目の項目に文字列の cveID と dateAdded がありません。",
                 "KEV catalog entry {0} has no cveID and dateAdded strings."},
    MessageEntry{"sbom.cvss_invalid", "CVSSベクトル「{0}」の「{1}」が不正か、欠けています。",
                 "The CVSS vector '{0}' has an invalid or missing part '{1}'."},
};

/// Bounds for one record: OSV records are a few kilobytes and a few levels deep.
constexpr std::uintmax_t kMaxRecordBytes = std::uintmax_t{16} << 20;
constexpr int kMaxDepth = 64;
constexpr std::size_t kMaxYamlNodes = 250'000;  // aliases multiply nodes; real ones have ~1,200
constexpr std::size_t kMaxSummaryChars = 200;

template <typename... Args>
Error DataError(std::string_view key, std::string_view source, Args&&... args) {
  return MakeError(ErrorCode::kDataError, SbomMessages(), key, std::forward<Args>(args)...)
      .WithLocation(SourceLocation{std::string(source), 0, 0});
}

// ---- Reading JSON and YAML into one tree ----

/// The JSON data model, enough to walk a record: numbers and booleans only need their kind.
struct Value {
  enum class Kind : std::uint8_t { kNull, kBool, kNumber, kString, kArray, kObject };
  struct Member;

  Kind kind = Kind::kNull;
  std::string text;             // kString
  std::vector<Value> items;     // kArray
  std::vector<Member> members;  // kObject, in input order

  /// The first member named `key`; nullptr when absent.
  [[nodiscard]] const Value* Find(std::string_view key) const;
  [[nodiscard]] bool is_null() const { return kind == Kind::kNull; }
  /// Nodes in this tree (aliases in YAML copy trees, so their size is bounded).
  [[nodiscard]] std::size_t Count() const;
};
struct Value::Member {
  std::string key;
  Value value;
};

const Value* Value::Find(std::string_view key) const {
  for (const Member& m : members) {
    if (m.key == key) {
      return &m.value;
    }
  }
  return nullptr;
}

std::size_t Value::Count() const {
  std::size_t n = 1;
  for (const Value& v : items) {
    n += v.Count();
  }
  for (const Member& m : members) {
    n += m.value.Count();
  }
  return n;
}

/// The deepest nesting of arrays/objects in JSON text (strings skipped), stopping early past
/// `limit`, so that absurd input is refused before any parser recurses into it.
int JsonDepth(std::string_view text, int limit) {
  int depth = 0;
  int deepest = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size() && deepest <= limit; ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      deepest = std::max(deepest, ++depth);
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return deepest;
}

/// simdjson's DOM to Value, through its error-code accessors (nothing here throws).
Value FromSimdjson(simdjson::dom::element element) {
  Value out;
  simdjson::dom::array array;
  simdjson::dom::object object;
  std::string_view text;
  if (element.get_array().get(array) == simdjson::SUCCESS) {
    out.kind = Value::Kind::kArray;
    out.items.reserve(array.size());
    for (const simdjson::dom::element item : array) {
      out.items.push_back(FromSimdjson(item));
    }
  } else if (element.get_object().get(object) == simdjson::SUCCESS) {
    out.kind = Value::Kind::kObject;
    out.members.reserve(object.size());
    for (const simdjson::dom::key_value_pair field : object) {
      out.members.push_back({std::string(field.key), FromSimdjson(field.value)});
    }
  } else if (element.get_string().get(text) == simdjson::SUCCESS) {
    out.kind = Value::Kind::kString;
    out.text = std::string(text);
  } else if (element.is_bool()) {
    out.kind = Value::Kind::kBool;
  } else if (element.is_number()) {
    out.kind = Value::Kind::kNumber;
  }
  return out;
}

/// nlohmann's tree, used only where simdjson refuses what JSON allows (integers beyond 64 bits).
Value FromNlohmann(const Json& json) {
  Value out;
  if (json.is_array()) {
    out.kind = Value::Kind::kArray;
    for (const Json& item : json) {
      out.items.push_back(FromNlohmann(item));
    }
  } else if (json.is_object()) {
    out.kind = Value::Kind::kObject;
    for (const auto& [key, item] : json.items()) {
      out.members.push_back({key, FromNlohmann(item)});
    }
  } else if (json.is_string()) {
    out.kind = Value::Kind::kString;
    out.text = json.get<std::string>();
  } else if (json.is_boolean()) {
    out.kind = Value::Kind::kBool;
  } else if (json.is_number()) {
    out.kind = Value::Kind::kNumber;
  }
  return out;
}

/// `key` ("sbom.osv_syntax", "sbom.kev_syntax") around a syntax error of the JSON reader, each
/// language keeping the reader's message in that language.
Error WrapSyntaxError(std::string_view key, const Error& inner) {
  LocalizedText text{FormatMessage(SbomMessages(), key, inner.message(Lang::kJa)).ja,
                     FormatMessage(SbomMessages(), key, inner.message(Lang::kEn)).en};
  Error error = Error(ErrorCode::kDataError, std::move(text)).WithReason(std::string(key));
  if (inner.location()) {
    error.WithLocation(*inner.location());
  }
  return error;
}

/// simdjson for speed (records are read by the thousand); on failure nlohmann reads the text
/// again, to locate the error (line, column) or to accept what simdjson alone refuses.
Result<Value> ReadJson(std::string_view text, std::string_view source,
                       std::string_view syntax_key) {
  if (JsonDepth(text, kMaxDepth) > kMaxDepth) {
    return DataError("sbom.osv_too_deep", source, kMaxDepth);
  }
  thread_local simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(text.data(), text.size()).get(root) == simdjson::SUCCESS) {
    return FromSimdjson(root);
  }
  auto parsed = ParseJson(text, source);
  if (!parsed) {
    return WrapSyntaxError(syntax_key, parsed.error());
  }
  return FromNlohmann(*parsed);
}

/// Builds a Value from yaml-cpp's parse events (cheaper than its node graph). Scalars stay
/// strings (see the file comment); aliases copy the anchored tree within a node budget.
class YamlBuilder final : public YAML::EventHandler {
 public:
  explicit YamlBuilder(std::string_view source) : source_(source) {}

  /// The document, or the first error met while building it.
  Result<Value> Take() {
    if (error_) {
      return std::move(*error_);
    }
    return std::move(root_);
  }

  /// A syntax error at `mark` (yaml-cpp counts from 0).
  Error Located(const YAML::Mark& mark, const std::string& what) const {
    return MakeError(ErrorCode::kDataError, SbomMessages(), "sbom.osv_syntax", what)
        .WithLocation(SourceLocation{std::string(source_), mark.is_null() ? 0 : mark.line + 1,
                                     mark.is_null() ? 0 : mark.column + 1});
  }

  void OnDocumentStart(const YAML::Mark& /*mark*/) override {}
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    Add(Value{}, anchor, mark);
  }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    const auto it = anchors_.find(anchor);
    if (it == anchors_.end() || error_) {
      Add(Value{}, YAML::NullAnchor, mark);
      return;
    }
    // Count before copying: nested aliases grow exponentially ("billion laughs").
    nodes_ += it->second.Count();
    if (nodes_ > kMaxYamlNodes) {
      Fail(DataError("sbom.osv_too_many_nodes", source_, FormatNumber(kMaxYamlNodes)));
      return;
    }
    Add(it->second, YAML::NullAnchor, mark);
  }
  void OnScalar(const YAML::Mark& mark, const std::string& /*tag*/, YAML::anchor_t anchor,
                const std::string& value) override {
    Value v;
    v.kind = Value::Kind::kString;
    v.text = value;
    Add(std::move(v), anchor, mark);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string& /*tag*/, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value /*style*/) override {
    Open(Value::Kind::kArray, anchor, mark);
  }
  void OnSequenceEnd() override { Close(); }
  void OnMapStart(const YAML::Mark& mark, const std::string& /*tag*/, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value /*style*/) override {
    Open(Value::Kind::kObject, anchor, mark);
  }
  void OnMapEnd() override { Close(); }

 private:
  struct Frame {
    Value value;
    YAML::anchor_t anchor;
    YAML::Mark mark;
    std::optional<std::string> key;  // a map's key waiting for its value
  };

  void Fail(Error error) {
    if (!error_) {
      error_ = std::move(error);
    }
  }

  void Open(Value::Kind kind, YAML::anchor_t anchor, const YAML::Mark& mark) {
    if (stack_.size() >= static_cast<std::size_t>(kMaxDepth)) {
      Fail(DataError("sbom.osv_too_deep", source_, kMaxDepth));
    }
    Value v;
    v.kind = kind;
    stack_.push_back(Frame{std::move(v), anchor, mark, std::nullopt});
  }

  void Close() {
    if (stack_.empty()) {
      return;
    }
    Frame frame = std::move(stack_.back());
    stack_.pop_back();
    Add(std::move(frame.value), frame.anchor, frame.mark);
  }

  void Add(Value value, YAML::anchor_t anchor, const YAML::Mark& mark) {
    if (++nodes_ > kMaxYamlNodes) {
      Fail(DataError("sbom.osv_too_many_nodes", source_, FormatNumber(kMaxYamlNodes)));
    }
    if (error_) {
      return;  // keep consuming events, build nothing
    }
    if (anchor != YAML::NullAnchor) {
      anchors_[anchor] = value;
    }
    if (stack_.empty()) {
      root_ = std::move(value);
      return;
    }
    Frame& top = stack_.back();
    if (top.value.kind == Value::Kind::kArray) {
      top.value.items.push_back(std::move(value));
    } else if (!top.key) {
      if (value.kind != Value::Kind::kString) {
        Fail(Located(mark, "a mapping key is not a scalar"));
        return;
      }
      top.key = std::move(value.text);
    } else {
      top.value.members.push_back({std::move(*top.key), std::move(value)});
      top.key.reset();
    }
  }

  std::string_view source_;
  std::vector<Frame> stack_;
  std::map<YAML::anchor_t, Value> anchors_;
  Value root_;
  std::size_t nodes_ = 0;
  std::optional<Error> error_;
};

Result<Value> ReadYaml(std::string_view text, std::string_view source) {
  YamlBuilder builder(source);
  try {
    std::istringstream in{std::string(text)};
    YAML::Parser parser(in);
    parser.HandleNextDocument(builder);
  } catch (const YAML::Exception& e) {
    return builder.Located(e.mark, e.msg);
  } catch (const std::exception& e) {
    return builder.Located(YAML::Mark::null_mark(), e.what());
  }
  return builder.Take();
}

// ---- Typed access with OSV field paths ----

class Fields {
 public:
  explicit Fields(std::string_view source) : source_(source) {}

  /// Member `key` of `object` if it is a string; "" when absent or null.
  Result<std::string> OptString(const Value& object, std::string_view key,
                                const std::string& path) const {
    const Value* v = object.Find(key);
    if (v == nullptr || v->is_null()) {
      return std::string();
    }
    if (v->kind != Value::Kind::kString) {
      return DataError("sbom.osv_expected_string", source_, Join(path, key));
    }
    return v->text;
  }

  Result<std::string> String(const Value& object, std::string_view key,
                             const std::string& path) const {
    const Value* v = object.Find(key);
    if (v == nullptr || v->is_null()) {
      return DataError("sbom.osv_missing_field", source_, Join(path, key));
    }
    return OptString(object, key, path);
  }

  /// Member `key` if it is an array; nullptr when absent or null.
  Result<const Value*> OptArray(const Value& object, std::string_view key,
                                const std::string& path) const {
    return Optional(object, key, path, Value::Kind::kArray, "sbom.osv_expected_array");
  }
  Result<const Value*> OptObject(const Value& object, std::string_view key,
                                 const std::string& path) const {
    return Optional(object, key, path, Value::Kind::kObject, "sbom.osv_expected_object");
  }

  /// The strings of an optional array member.
  Result<std::vector<std::string>> Strings(const Value& object, std::string_view key,
                                           const std::string& path) const {
    std::vector<std::string> out;
    HOSHI_ASSIGN_OR_RETURN(const Value* array, OptArray(object, key, path));
    if (array == nullptr) {
      return out;
    }
    out.reserve(array->items.size());
    for (std::size_t i = 0; i < array->items.size(); ++i) {
      const Value& item = array->items[i];
      if (item.kind != Value::Kind::kString) {
        return DataError("sbom.osv_expected_string", source_, Index(Join(path, key), i));
      }
      out.push_back(item.text);
    }
    return out;
  }

  Status RequireObject(const Value& value, const std::string& path) const {
    if (value.kind != Value::Kind::kObject) {
      return DataError("sbom.osv_expected_object", source_, path);
    }
    return Status::Ok();
  }

  [[nodiscard]] std::string_view source() const { return source_; }

  static std::string Join(const std::string& path, std::string_view key) {
    return path.empty() ? std::string(key) : path + "." + std::string(key);
  }
  static std::string Index(const std::string& path, std::size_t i) {
    return path + "[" + std::to_string(i) + "]";
  }

 private:
  Result<const Value*> Optional(const Value& object, std::string_view key, const std::string& path,
                                Value::Kind kind, std::string_view error_key) const {
    const Value* v = object.Find(key);
    if (v == nullptr || v->is_null()) {
      return static_cast<const Value*>(nullptr);
    }
    if (v->kind != kind) {
      return DataError(error_key, source_, Join(path, key));
    }
    return v;
  }

  std::string_view source_;
};

// ---- Summary ----

bool IsContinuation(char c) {
  return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

std::string_view Trim(std::string_view s) {
  const auto space = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
  while (!s.empty() && space(s.front())) {
    s.remove_prefix(1);
  }
  while (!s.empty() && space(s.back())) {
    s.remove_suffix(1);
  }
  return s;
}

/// At most `max_chars` code points; a longer text is cut on a UTF-8 boundary, at a word break
/// when one is near, and ends with "…".
std::string CutCharacters(std::string_view text, std::size_t max_chars) {
  std::size_t chars = 0;
  std::size_t cut = text.size();
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (IsContinuation(text[i])) {
      continue;
    }
    if (chars == max_chars - 1) {
      cut = i;  // room for the ellipsis
    }
    if (++chars > max_chars) {
      break;
    }
  }
  if (chars <= max_chars) {
    return std::string(text);
  }
  std::string_view head = text.substr(0, cut);
  const std::size_t space = head.find_last_of(' ');
  if (space != std::string_view::npos && space > head.size() * 3 / 4) {
    head = head.substr(0, space);
  }
  return std::string(Trim(head)) + "…";
}

std::string SummaryFrom(std::string_view summary, std::string_view details) {
  std::string_view text = Trim(summary);
  if (text.empty()) {
    // The first non-blank line of the details.
    std::string_view rest = details;
    while (!rest.empty() && text.empty()) {
      const std::size_t nl = rest.find('\n');
      text = Trim(rest.substr(0, nl));
      rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
    }
  }
  return CutCharacters(text, kMaxSummaryChars);
}

// ---- Severity ----

/// v4.0 > v3.1 > v3.0 > v2; 0 for what is not a CVSS vector.
int CvssRank(std::string_view vector) {
  if (vector.starts_with("CVSS:4.0/")) {
    return 4;
  }
  if (vector.starts_with("CVSS:3.1/")) {
    return 3;
  }
  if (vector.starts_with("CVSS:3.0/")) {
    return 2;
  }
  return vector.starts_with("CVSS:") ? 0 : 1;
}

/// The best-ranked scored entry of `severities` (the first of equal rank); nullptr when none.
const Severity* BestSeverity(const std::vector<Severity>& severities) {
  const Severity* best = nullptr;
  for (const Severity& s : severities) {
    if (s.base_score && (best == nullptr || CvssRank(s.vector) > CvssRank(best->vector))) {
      best = &s;
    }
  }
  return best;
}

Result<std::vector<Severity>> ParseSeverities(const Fields& f, const Value& object,
                                              const std::string& path) {
  std::vector<Severity> out;
  HOSHI_ASSIGN_OR_RETURN(const Value* array, f.OptArray(object, "severity", path));
  if (array == nullptr) {
    return out;
  }
  for (std::size_t i = 0; i < array->items.size(); ++i) {
    const std::string item_path = Fields::Index(Fields::Join(path, "severity"), i);
    const Value& item = array->items[i];
    HOSHI_RETURN_IF_ERROR(f.RequireObject(item, item_path));
    Severity s;
    HOSHI_ASSIGN_OR_RETURN(s.type, f.String(item, "type", item_path));
    HOSHI_ASSIGN_OR_RETURN(s.vector, f.String(item, "score", item_path));
    if (s.type.starts_with("CVSS_")) {
      if (auto score = CvssBaseScore(s.vector)) {
        s.base_score = *score;
      }
    }
    out.push_back(std::move(s));
  }
  return out;
}

/// A `database_specific.cvss` vector of `object`, scored; nullopt when absent or not scorable
/// (database_specific is free-form, so other shapes are ignored, not errors).
std::optional<Severity> DatabaseSpecificCvss(const Value& object) {
  const Value* db = object.Find("database_specific");
  const Value* cvss = db != nullptr ? db->Find("cvss") : nullptr;
  if (cvss == nullptr || cvss->kind != Value::Kind::kString) {
    return std::nullopt;
  }
  Severity s{"database_specific.cvss", cvss->text, std::nullopt};
  if (auto score = CvssBaseScore(s.vector)) {
    s.base_score = *score;
    return s;
  }
  return std::nullopt;
}

// ---- affected[] ----

Result<RangeEvent> ParseEvent(const Fields& f, const Value& event, const std::string& path) {
  HOSHI_RETURN_IF_ERROR(f.RequireObject(event, path));
  struct KindName {
    RangeEvent::Kind kind;
    std::string_view name;
  };
  static constexpr std::array kKinds{
      KindName{RangeEvent::Kind::kIntroduced, "introduced"},
      KindName{RangeEvent::Kind::kFixed, "fixed"},
      KindName{RangeEvent::Kind::kLastAffected, "last_affected"},
      KindName{RangeEvent::Kind::kLimit, "limit"},
  };
  std::optional<RangeEvent> found;
  for (const KindName& k : kKinds) {
    if (event.Find(k.name) == nullptr) {
      continue;
    }
    if (found) {
      return DataError("sbom.osv_event", f.source(), path);
    }
    HOSHI_ASSIGN_OR_RETURN(std::string version, f.String(event, k.name, path));
    found = RangeEvent{k.kind, std::move(version)};
  }
  if (!found) {
    return DataError("sbom.osv_event", f.source(), path);
  }
  return *found;
}

Result<AffectedRange> ParseRange(const Fields& f, const Value& range, const std::string& path) {
  HOSHI_RETURN_IF_ERROR(f.RequireObject(range, path));
  HOSHI_ASSIGN_OR_RETURN(const std::string type, f.String(range, "type", path));
  AffectedRange out;
  if (type == "SEMVER") {
    out.type = AffectedRange::Type::kSemver;
  } else if (type == "ECOSYSTEM") {
    out.type = AffectedRange::Type::kEcosystem;
  } else if (type == "GIT") {
    out.type = AffectedRange::Type::kGit;
  } else {
    return DataError("sbom.osv_range_type", f.source(), path, type);
  }
  HOSHI_ASSIGN_OR_RETURN(const Value* events, f.OptArray(range, "events", path));
  if (events == nullptr) {
    return DataError("sbom.osv_missing_field", f.source(), Fields::Join(path, "events"));
  }
  for (std::size_t i = 0; i < events->items.size(); ++i) {
    HOSHI_ASSIGN_OR_RETURN(
        RangeEvent event,
        ParseEvent(f, events->items[i], Fields::Index(Fields::Join(path, "events"), i)));
    out.events.push_back(std::move(event));
  }
  return out;
}

struct AffectedExtras {
  std::vector<Severity> severity;  // affected[].severity
  std::optional<Severity> database_specific_cvss;
};

Result<AdvisoryAffected> ParseAffected(const Fields& f, const Value& entry, const std::string& path,
                                       AffectedExtras& extras) {
  HOSHI_RETURN_IF_ERROR(f.RequireObject(entry, path));
  AdvisoryAffected out;
  HOSHI_ASSIGN_OR_RETURN(const Value* package, f.OptObject(entry, "package", path));
  if (package != nullptr) {
    const std::string package_path = Fields::Join(path, "package");
    HOSHI_ASSIGN_OR_RETURN(out.package.ecosystem, f.String(*package, "ecosystem", package_path));
    HOSHI_ASSIGN_OR_RETURN(out.package.name, f.String(*package, "name", package_path));
    HOSHI_ASSIGN_OR_RETURN(out.purl, f.OptString(*package, "purl", package_path));
  }
  out.affected.ecosystem = out.package.ecosystem;
  HOSHI_ASSIGN_OR_RETURN(const Value* ranges, f.OptArray(entry, "ranges", path));
  if (ranges != nullptr) {
    for (std::size_t i = 0; i < ranges->items.size(); ++i) {
      HOSHI_ASSIGN_OR_RETURN(
          AffectedRange range,
          ParseRange(f, ranges->items[i], Fields::Index(Fields::Join(path, "ranges"), i)));
      out.affected.ranges.push_back(std::move(range));
    }
  }
  HOSHI_ASSIGN_OR_RETURN(out.affected.versions, f.Strings(entry, "versions", path));
  PrepareAffected(out.affected);
  HOSHI_ASSIGN_OR_RETURN(std::vector<Severity> severity, ParseSeverities(f, entry, path));
  extras.severity.insert(extras.severity.end(), severity.begin(), severity.end());
  if (!extras.database_specific_cvss) {
    extras.database_specific_cvss = DatabaseSpecificCvss(entry);
  }
  return out;
}

// ---- The record ----

void AddUnique(std::vector<std::string>& list, const std::string& value, const std::string& id) {
  if (value != id && std::find(list.begin(), list.end(), value) == list.end()) {
    list.push_back(value);
  }
}

Result<Advisory> FromValue(const Value& root, std::string_view bytes, std::string_view source) {
  if (root.kind != Value::Kind::kObject) {
    return DataError("sbom.osv_not_object", source);
  }
  const Fields f(source);
  const std::string top;
  Advisory a;
  HOSHI_ASSIGN_OR_RETURN(a.id, f.OptString(root, "id", top));
  if (a.id.empty()) {
    return DataError("sbom.osv_missing_id", source);
  }
  HOSHI_ASSIGN_OR_RETURN(const std::vector<std::string> aliases, f.Strings(root, "aliases", top));
  HOSHI_ASSIGN_OR_RETURN(const std::vector<std::string> upstream, f.Strings(root, "upstream", top));
  for (const auto* list : {&aliases, &upstream}) {
    for (const std::string& alias : *list) {
      AddUnique(a.aliases, alias, a.id);
    }
  }
  HOSHI_ASSIGN_OR_RETURN(const std::string summary, f.OptString(root, "summary", top));
  HOSHI_ASSIGN_OR_RETURN(const std::string details, f.OptString(root, "details", top));
  a.summary = SummaryFrom(summary, details);
  HOSHI_ASSIGN_OR_RETURN(a.published, f.OptString(root, "published", top));
  HOSHI_ASSIGN_OR_RETURN(a.modified, f.OptString(root, "modified", top));
  HOSHI_ASSIGN_OR_RETURN(a.withdrawn, f.OptString(root, "withdrawn", top));

  AffectedExtras extras;
  HOSHI_ASSIGN_OR_RETURN(const Value* affected, f.OptArray(root, "affected", top));
  if (affected != nullptr) {
    for (std::size_t i = 0; i < affected->items.size(); ++i) {
      HOSHI_ASSIGN_OR_RETURN(
          AdvisoryAffected entry,
          ParseAffected(f, affected->items[i], Fields::Index("affected", i), extras));
      a.affected.push_back(std::move(entry));
    }
  }
  HOSHI_ASSIGN_OR_RETURN(a.severity, ParseSeverities(f, root, top));

  // The best vector: top-level severity, then per-package severity, then database_specific.
  const Severity* best = BestSeverity(a.severity);
  if (best == nullptr) {
    best = BestSeverity(extras.severity);
  }
  if (best == nullptr && !extras.database_specific_cvss) {
    extras.database_specific_cvss = DatabaseSpecificCvss(root);
  }
  if (best == nullptr && extras.database_specific_cvss) {
    best = &*extras.database_specific_cvss;
  }
  if (best != nullptr) {
    a.base_score = best->base_score;
    a.cvss_vector = best->vector;
  }
  a.content_hash = Sha256Hex(bytes);
  return a;
}

bool HasExtension(const fs::path& path, std::initializer_list<std::string_view> extensions) {
  std::string ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return std::find(extensions.begin(), extensions.end(), ext) != extensions.end();
}

/// Reads a file of at most kMaxRecordBytes, checking the size before reading.
Result<std::string> ReadBounded(const fs::path& path) {
  std::error_code ec;
  const std::uintmax_t size = fs::file_size(path, ec);
  if (!ec && size > kMaxRecordBytes) {
    return MakeError(ErrorCode::kTooLarge, SbomMessages(), "sbom.osv_too_large", path.string(),
                     FormatNumber(static_cast<long long>(kMaxRecordBytes)))
        .WithLocation(SourceLocation{path.string(), 0, 0});
  }
  auto text = ReadFile(path.string(), kMaxRecordBytes);
  if (!text) {
    return std::move(text).error().WithLocation(SourceLocation{path.string(), 0, 0});
  }
  return std::move(text).value();
}

}  // namespace

std::span<const MessageEntry> AdvisoryMessages() {
  return kMessages;
}

std::string_view SeverityLabel(std::optional<double> base_score) {
  if (!base_score) {
    return "unknown";
  }
  if (*base_score >= 9.0) {
    return "critical";
  }
  if (*base_score >= 7.0) {
    return "high";
  }
  if (*base_score >= 4.0) {
    return "medium";
  }
  return *base_score > 0 ? "low" : "none";
}

Result<Advisory> ParseOsvJson(std::string_view json, std::string_view source) {
  HOSHI_ASSIGN_OR_RETURN(const Value root, ReadJson(json, source, "sbom.osv_syntax"));
  return FromValue(root, json, source);
}

Result<Advisory> ParseOsvYaml(std::string_view yaml, std::string_view source) {
  HOSHI_ASSIGN_OR_RETURN(const Value root, ReadYaml(yaml, source));
  return FromValue(root, yaml, source);
}

Result<Advisory> ReadOsvFile(const std::filesystem::path& path) {
  const bool json = HasExtension(path, {".json"});
  if (!json && !HasExtension(path, {".yaml", ".yml"})) {
    return DataError("sbom.osv_extension", path.string(), path.string());
  }
  HOSHI_ASSIGN_OR_RETURN(const std::string text, ReadBounded(path));
  return json ? ParseOsvJson(text, path.string()) : ParseOsvYaml(text, path.string());
}

Result<KevCatalog> ParseKev(std::string_view json) {
  HOSHI_ASSIGN_OR_RETURN(const Value root, ReadJson(json, "", "sbom.kev_syntax"));
  const Value* vulnerabilities = root.Find("vulnerabilities");
  if (vulnerabilities == nullptr || vulnerabilities->kind != Value::Kind::kArray) {
    return MakeError(ErrorCode::kDataError, SbomMessages(), "sbom.kev_format");
  }
  KevCatalog kev;
  if (const Value* version = root.Find("catalogVersion");
      version != nullptr && version->kind == Value::Kind::kString) {
    kev.catalog_version = version->text;
  }
  for (std::size_t i = 0; i < vulnerabilities->items.size(); ++i) {
    const Value& entry = vulnerabilities->items[i];
    const Value* cve = entry.Find("cveID");
    const Value* added = entry.Find("dateAdded");
    if (cve == nullptr || added == nullptr || cve->kind != Value::Kind::kString ||
        added->kind != Value::Kind::kString) {
      return MakeError(ErrorCode::kDataError, SbomMessages(), "sbom.kev_entry", i + 1);
    }
    // A CVE listed twice keeps its earliest date.
    const auto [it, inserted] = kev.date_added.try_emplace(cve->text, added->text);
    if (!inserted && added->text < it->second) {
      it->second = added->text;
    }
  }
  return kev;
}

Result<KevCatalog> ReadKevFile(const std::filesystem::path& path) {
  HOSHI_ASSIGN_OR_RETURN(const std::string text, ReadFile(path.string(), kDefaultMaxFileBytes));
  auto kev = ParseKev(text);
  if (!kev) {
    return std::move(kev).error().WithLocation(SourceLocation{path.string(), 0, 0});
  }
  return kev;
}

Result<AdvisoryLoadReport> LoadAdvisoryDirectory(
    const std::filesystem::path& dir, AdvisoryDb& db,
    const std::function<void(std::size_t, std::size_t)>& progress) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return MakeError(ErrorCode::kNotFound, SbomMessages(), "sbom.osv_dir", dir.string())
        .WithDetail(ec ? ec.message() : "not a directory");
  }
  std::vector<fs::path> paths;
  for (fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec),
       end;
       !ec && it != end; it.increment(ec)) {
    if (it->is_regular_file(ec) && HasExtension(it->path(), {".json", ".yaml", ".yml"})) {
      paths.push_back(it->path());
    }
  }
  if (ec) {
    return MakeError(ErrorCode::kIoError, SbomMessages(), "sbom.osv_dir", dir.string())
        .WithDetail(ec.message());
  }
  std::sort(paths.begin(), paths.end());  // deterministic order whatever the file system's

  constexpr std::size_t kMaxErrors = 20;
  constexpr std::size_t kProgressEvery = 256;
  AdvisoryLoadReport report;
  report.files = paths.size();
  for (std::size_t i = 0; i < paths.size(); ++i) {
    auto advisory = ReadOsvFile(paths[i]);
    if (advisory) {
      report.withdrawn += advisory->withdrawn.empty() ? 0 : 1;
      ++report.loaded;
      (void)db.Upsert(std::move(advisory).value());
    } else {
      ++report.failed;
      if (report.errors.size() < kMaxErrors) {
        Error error = std::move(advisory).error();
        SourceLocation location = error.location().value_or(SourceLocation{});
        location.source = paths[i].string();
        report.errors.push_back(std::move(error).WithLocation(std::move(location)));
      }
    }
    if (progress && ((i + 1) % kProgressEvery == 0 || i + 1 == paths.size())) {
      progress(i + 1, paths.size());
    }
  }
  return report;
}

}  // namespace hoshi::sbom
