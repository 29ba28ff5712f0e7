// SPDX-License-Identifier: Apache-2.0
// Internal: the JSON reader shared by the SBOM and VEX parsers (document.cc, cyclonedx.cc,
// spdx.cc, vex.cc). Not installed; only this module's sources include it.
//
// Reading policy, the same for every format:
//  - The input is read with simdjson On Demand: values we do not use are skipped without being
//    materialised. Stage 1 still checks UTF-8, strings and bracket balance over the whole input;
//    the grammar of skipped values is not checked (a bad number inside an unused field passes).
//  - Unknown fields are ignored. A field we use must have the type its schema gives it (string,
//    array, object); otherwise the whole document is rejected with "sbom.parse_expect_*", naming
//    the JSON path (components[12].version) and the line and column. JSON null counts as absent.
//    We reject rather than skip so that a component never silently loses its version or purl.
//  - An invalid purl is not an error: the component is kept unmatched and counted.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <simdjson.h>

#include "hoshi/core/result.h"
#include "hoshi/sbom/document.h"
#include "hoshi/sbom/messages.h"

namespace hoshi::sbom::detail {

namespace od = simdjson::ondemand;

/// The formats the parsers recognise from a document's root object.
enum class DocumentKind { kUnknown, kCycloneDx, kSpdx2, kSpdx3, kOpenVex, kCsaf };

/// Nesting the readers descend into (components in components, CSAF branches) is capped here
/// whatever ParseLimits::max_depth says: simdjson On Demand tracks at most 1024 open JSON levels
/// (two per component level) and the readers recurse once per level.
inline constexpr std::size_t kMaxNesting = 256;

/// The JSON path of the value being read ("components[3].purl"), for error messages. Segment
/// names are the readers' literals or keys in the parser's buffer: both outlive the path.
class JsonPath {
 public:
  void Push(std::string_view name) { segments_.push_back({name, 0, false}); }
  void PushIndex(std::size_t index) { segments_.push_back({{}, index, true}); }
  void Pop() { segments_.pop_back(); }
  /// The path, with `leaf` appended when not empty.
  [[nodiscard]] std::string ToString(std::string_view leaf = {}) const;

 private:
  struct Segment {
    std::string_view name;
    std::size_t index;
    bool is_index;
  };
  std::vector<Segment> segments_;
};

/// Reads one document: owns the On Demand document, the path, and builds located errors.
class JsonReader {
 public:
  JsonReader(simdjson::padded_string_view input, std::string_view source, const ParseLimits& limits)
      : input_(input), source_(source), limits_(limits) {}

  /// Runs stage 1 and checks that the root is an object (errors "sbom.parse_*").
  [[nodiscard]] Status Open(od::parser& parser);
  /// Which format the root object declares (bomFormat, spdxVersion, @context, document); rewinds
  /// the document afterwards. `version` receives the declared version text when there is one.
  [[nodiscard]] Result<DocumentKind> Detect(std::string& version);
  /// After the root object has been read: rejects anything but whitespace after it.
  [[nodiscard]] Status CheckEnd();

  /// Calls fn(key, value) for each field of the root object.
  template <typename Fn>
  [[nodiscard]] Status ForEachRootField(Fn&& fn);
  /// Calls fn(key, value) for each field of the object `value` (at `name` below the current
  /// path; null counts as an empty object). fn returns Status.
  template <typename Fn>
  [[nodiscard]] Status ForEachField(od::value& value, std::string_view name, Fn&& fn);
  /// Calls fn(value) for each element of the array `value` but null ones (a null array counts
  /// as empty).
  template <typename Fn>
  [[nodiscard]] Status ForEachElement(od::value& value, std::string_view name, Fn&& fn);
  /// A string field; null leaves `out` unchanged. The view lives as long as the document.
  [[nodiscard]] Status ReadString(od::value& value, std::string_view name, std::string_view& out);
  [[nodiscard]] Status ReadString(od::value& value, std::string_view name, std::string& out);
  /// The listed string fields of the object `value` (other fields are ignored).
  struct StringField {
    std::string_view key;
    std::string_view* out;
  };
  [[nodiscard]] Status ReadStringFields(od::value& value, std::string_view name,
                                        std::initializer_list<StringField> fields);
  /// A string, or an array of strings (JSON-LD and OpenVEX allow both), each passed to fn.
  template <typename Fn>
  [[nodiscard]] Status ForEachString(od::value& value, std::string_view name, Fn&& fn);

  /// A kDataError "sbom.parse_json"/"sbom.parse_truncated"/… for a simdjson failure.
  [[nodiscard]] Error JsonError(simdjson::error_code code);
  /// An error at the current position: `key` takes (path, line, column, extra...).
  template <typename... Args>
  [[nodiscard]] Error ErrorHere(ErrorCode code, std::string_view key, std::string_view leaf,
                                Args&&... extra);

  /// The JSON type of `value` (without consuming it).
  [[nodiscard]] Result<od::json_type> TypeOf(od::value& value);

  [[nodiscard]] const ParseLimits& limits() const { return limits_; }
  /// limits().max_depth, at most kMaxNesting.
  [[nodiscard]] std::size_t max_depth() const { return std::min(limits_.max_depth, kMaxNesting); }
  [[nodiscard]] std::size_t input_size() const { return input_.length(); }

 private:
  struct LineColumn {
    int line;
    int column;
  };
  [[nodiscard]] LineColumn Locate(std::size_t offset) const;
  [[nodiscard]] std::size_t CurrentOffset();
  [[nodiscard]] Error Located(Error error, std::size_t offset) const;
  [[nodiscard]] Error TypeError(std::string_view expected_key, std::string_view leaf);
  /// Calls fn(key, value) for each field until stop() says so after one.
  template <typename Fn, typename Stop>
  [[nodiscard]] Status IterateFields(od::object& object, Fn& fn, Stop stop);
  [[nodiscard]] Status DetectField(std::string_view key, od::value& value, DocumentKind& kind,
                                   std::string& version);

  simdjson::padded_string_view input_;
  std::string_view source_;
  const ParseLimits& limits_;
  od::document document_;
  bool opened_ = false;
  JsonPath path_;
};

// ---- Shared helpers (document.cc) ----

/// Sets c.purl (canonical) and c.package from a purl text; counts an invalid one.
void AssignPurl(std::string_view text, Component& c, std::size_t& invalid_purls);
/// The canonical form of a purl text, or nullopt when it is not a valid purl.
[[nodiscard]] std::optional<std::string> CanonicalPurl(std::string_view text);

/// Parent of a component that has none / whose parent is the document's subject.
inline constexpr std::uint32_t kNoParent = UINT32_MAX;
inline constexpr std::uint32_t kSubjectParent = UINT32_MAX - 1;
/// Gives every component a unique ref ("component-N" when absent, "<ref>-N" for a repeated one)
/// and sets parent_ref from `parents` (one index per component, kNoParent, or kSubjectParent).
void FinishComponents(std::vector<Component>& components, const std::vector<std::uint32_t>& parents,
                      std::string_view subject_ref);

/// kTooLarge "sbom.too_large".
[[nodiscard]] Error DocumentTooLarge(std::size_t size, std::size_t limit);
/// kTooLarge "sbom.parse_too_many" / "sbom.vex_too_many".
[[nodiscard]] Error TooManyComponents(std::size_t limit);
[[nodiscard]] Error TooManyStatements(std::size_t limit);
/// Appends `statement` once per id in `ids` (first the main id, then aliases), counting against
/// the statement limit.
[[nodiscard]] Status EmitStatements(const VexStatement& statement,
                                    const std::vector<std::string_view>& ids,
                                    const ParseLimits& limits, std::vector<VexStatement>& out);

// ---- Format readers ----

/// CycloneDX JSON. With `vex_only`, metadata and components are skipped.
[[nodiscard]] Status ReadCycloneDx(JsonReader& reader, bool vex_only, SbomDocument& out);
[[nodiscard]] Status ReadSpdx2(JsonReader& reader, SbomDocument& out);
[[nodiscard]] Status ReadSpdx3(JsonReader& reader, SbomDocument& out);
[[nodiscard]] Status ReadOpenVex(JsonReader& reader, std::vector<VexStatement>& out);
[[nodiscard]] Status ReadCsaf(JsonReader& reader, std::vector<VexStatement>& out);
/// Detects the VEX format and reads it (vex.cc).
[[nodiscard]] Status ReadVexBody(JsonReader& reader, std::vector<VexStatement>& out);

/// The thread's On Demand parser (buffers are reused between documents; see document.cc).
[[nodiscard]] od::parser& ThreadParser();
/// The thread's reusable input buffer with room for `size` bytes plus simdjson's padding;
/// nullptr when it cannot be allocated. Reusing it spares a large allocation per document.
[[nodiscard]] char* ThreadInputBuffer(std::size_t size);
/// The first `length` bytes of the thread input buffer, padding cleared.
[[nodiscard]] simdjson::padded_string_view ThreadInput(std::size_t length);
/// Releases the thread's parser and input buffers when the last document made them large.
void TrimThreadBuffers();

/// Checks the size, opens `input` with the thread's parser, runs body(reader, out) (which detects
/// and reads the format), and checks that nothing follows the root object.
template <typename T, typename Body>
[[nodiscard]] Result<T> ParseWith(simdjson::padded_string_view input, std::string_view source,
                                  const ParseLimits& limits, Body&& body) {
  if (input.length() > limits.max_bytes) {
    return DocumentTooLarge(input.length(), limits.max_bytes);
  }
  T out{};
  Status status;
  {
    // The reader's document points into the thread parser: it ends before the parser is trimmed.
    JsonReader reader(input, source, limits);
    status = reader.Open(ThreadParser());
    if (status) {
      status = body(reader, out);
    }
    if (status) {
      status = reader.CheckEnd();
    }
  }
  TrimThreadBuffers();
  if (!status) {
    return std::move(status).error();
  }
  return out;
}

/// ParseWith over text that is not padded yet (copied once into the thread input buffer).
template <typename T, typename Body>
[[nodiscard]] Result<T> ParseText(std::string_view json, const ParseLimits& limits, Body&& body) {
  if (json.size() > limits.max_bytes) {
    return DocumentTooLarge(json.size(), limits.max_bytes);
  }
  char* buffer = ThreadInputBuffer(json.size());
  if (buffer == nullptr) {
    return DocumentTooLarge(json.size(), limits.max_bytes);
  }
  std::copy(json.begin(), json.end(), buffer);
  return ParseWith<T>(ThreadInput(json.size()), {}, limits, std::forward<Body>(body));
}

// ---- Template definitions ----

template <typename... Args>
Error JsonReader::ErrorHere(ErrorCode code, std::string_view key, std::string_view leaf,
                            Args&&... extra) {
  const std::size_t offset = CurrentOffset();
  const LineColumn at = Locate(offset);
  return Located(MakeError(code, SbomMessages(), key, path_.ToString(leaf), at.line, at.column,
                           std::forward<Args>(extra)...),
                 offset);
}

template <typename Fn, typename Stop>
Status JsonReader::IterateFields(od::object& object, Fn& fn, Stop stop) {
  for (auto entry : object) {
    od::field field;
    std::string_view key;
    if (auto e = std::move(entry).get(field)) {
      return JsonError(e);
    }
    if (auto e = field.unescaped_key().get(key)) {
      return JsonError(e);
    }
    HOSHI_RETURN_IF_ERROR(fn(key, field.value()));
    if (stop()) {
      break;
    }
  }
  return Status::Ok();
}

template <typename Fn>
Status JsonReader::ForEachRootField(Fn&& fn) {
  od::object root;
  if (auto e = document_.get_object().get(root)) {
    return JsonError(e);
  }
  return IterateFields(root, fn, [] { return false; });
}

template <typename Fn>
Status JsonReader::ForEachField(od::value& value, std::string_view name, Fn&& fn) {
  HOSHI_ASSIGN_OR_RETURN(const od::json_type type, TypeOf(value));
  if (type == od::json_type::null) {
    return Status::Ok();
  }
  if (type != od::json_type::object) {
    return TypeError("sbom.parse_expect_object", name);
  }
  od::object object;
  if (auto e = value.get_object().get(object)) {
    return JsonError(e);
  }
  path_.Push(name);
  HOSHI_RETURN_IF_ERROR(IterateFields(object, fn, [] { return false; }));
  path_.Pop();
  return Status::Ok();
}

template <typename Fn>
Status JsonReader::ForEachElement(od::value& value, std::string_view name, Fn&& fn) {
  HOSHI_ASSIGN_OR_RETURN(const od::json_type type, TypeOf(value));
  if (type == od::json_type::null) {
    return Status::Ok();
  }
  if (type != od::json_type::array) {
    return TypeError("sbom.parse_expect_array", name);
  }
  od::array array;
  if (auto e = value.get_array().get(array)) {
    return JsonError(e);
  }
  path_.Push(name);
  std::size_t index = 0;
  for (auto entry : array) {
    if (auto e = entry.error()) {
      return JsonError(e);
    }
    od::value& element = entry.value_unsafe();
    path_.PushIndex(index++);
    HOSHI_ASSIGN_OR_RETURN(const od::json_type element_type, TypeOf(element));
    if (element_type != od::json_type::null) {
      HOSHI_RETURN_IF_ERROR(fn(element));
    }
    path_.Pop();
  }
  path_.Pop();
  return Status::Ok();
}

template <typename Fn>
Status JsonReader::ForEachString(od::value& value, std::string_view name, Fn&& fn) {
  HOSHI_ASSIGN_OR_RETURN(const od::json_type type, TypeOf(value));
  if (type != od::json_type::array) {
    std::string_view text;
    HOSHI_RETURN_IF_ERROR(ReadString(value, name, text));
    return text.empty() ? Status::Ok() : fn(text);
  }
  return ForEachElement(value, name, [&](od::value& element) -> Status {
    std::string_view text;
    HOSHI_RETURN_IF_ERROR(ReadString(element, {}, text));
    return text.empty() ? Status::Ok() : fn(text);
  });
}

}  // namespace hoshi::sbom::detail
