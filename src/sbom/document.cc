// SPDX-License-Identifier: Apache-2.0
// SBOM and VEX documents: format detection, file loading, the shared JSON reader and the
// message table part "sbom.parse_*", "sbom.vex_*", "sbom.too_large". The format readers live in
// cyclonedx.cc, spdx.cc and vex.cc; the reading policy is described in document_internal.h.
#include "hoshi/sbom/document.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdint>
#include <memory>
#include <new>
#include <string>
#include <system_error>
#include <unordered_set>

#include <simdjson.h>

#include "hoshi/sbom/messages.h"

#include "document_internal.h"
#include "messages_parts.h"

namespace hoshi::sbom {

using detail::DocumentKind;
using detail::DocumentTooLarge;
using detail::JsonReader;
namespace od = simdjson::ondemand;

namespace {

constexpr std::array kDocumentMessages{
    MessageEntry{"sbom.too_large", "文書のサイズ（{0}バイト）が上限（{1}バイト）を超えています。",
                 "The document is {0} bytes, over the limit of {1} bytes."},
    MessageEntry{"sbom.parse_not_found", "ファイル「{0}」が見つかりません。",
                 "The file '{0}' does not exist."},
    MessageEntry{"sbom.parse_read", "ファイル「{0}」を読み込めません。",
                 "The file '{0}' cannot be read."},
    MessageEntry{"sbom.parse_empty", "文書が空です。", "The document is empty."},
    MessageEntry{"sbom.parse_not_json", "JSONではありません（{0}行{1}列）。",
                 "The document is not JSON (line {0}, column {1})."},
    MessageEntry{"sbom.parse_json", "JSONの構文が不正です（{0}行{1}列）：{2}",
                 "The document is not valid JSON (line {0}, column {1}): {2}"},
    MessageEntry{"sbom.parse_truncated",
                 "JSONのオブジェクトか配列が閉じられていません（{0}行{1}列）。ファイルが途中で"
                 "切れていないか確認してください。",
                 "The JSON ends before an object or array is closed (line {0}, column {1}); the "
                 "file may be truncated."},
    MessageEntry{"sbom.parse_utf8", "UTF-8として不正なバイトがあります（{0}行{1}列）。",
                 "The document is not valid UTF-8 (line {0}, column {1})."},
    MessageEntry{"sbom.parse_trailing", "JSONの後に余分なデータがあります（{0}行{1}列）。",
                 "There is extra data after the JSON value (line {0}, column {1})."},
    MessageEntry{"sbom.parse_root", "文書のルートがJSONオブジェクトではありません。",
                 "The document's root is not a JSON object."},
    MessageEntry{"sbom.parse_unsupported",
                 "CycloneDX（JSON）、SPDX 2.2/2.3（JSON）、SPDX 3.0（JSON-LD）のいずれの文書とも"
                 "認識できません。",
                 "The document is not recognised as CycloneDX JSON, SPDX 2.2/2.3 JSON or SPDX 3.0 "
                 "JSON-LD."},
    MessageEntry{"sbom.parse_version", "{0}のバージョン「{1}」には対応していません。",
                 "{0} version '{1}' is not supported."},
    MessageEntry{"sbom.parse_expect_object",
                 "「{0}」はJSONオブジェクトである必要があります（{1}行{2}列）。",
                 "'{0}' must be a JSON object (line {1}, column {2})."},
    MessageEntry{"sbom.parse_expect_array", "「{0}」は配列である必要があります（{1}行{2}列）。",
                 "'{0}' must be an array (line {1}, column {2})."},
    MessageEntry{"sbom.parse_expect_string", "「{0}」は文字列である必要があります（{1}行{2}列）。",
                 "'{0}' must be a string (line {1}, column {2})."},
    MessageEntry{"sbom.parse_too_deep",
                 "「{0}」の入れ子が上限の{3}段を超えています（{1}行{2}列）。",
                 "'{0}' is nested more than {3} levels deep (line {1}, column {2})."},
    MessageEntry{"sbom.parse_too_many", "コンポーネント数が上限の{0}個を超えています。",
                 "The document has more than {0} components."},
    MessageEntry{"sbom.vex_unsupported",
                 "CycloneDX、OpenVEX、CSAF 2.0のいずれのVEX文書とも認識できません。",
                 "The document is not recognised as CycloneDX, OpenVEX or CSAF 2.0 VEX."},
    MessageEntry{"sbom.vex_status", "「{0}」の値「{3}」はVEXの状態として不明です（{1}行{2}列）。",
                 "'{0}' has an unknown VEX status '{3}' (line {1}, column {2})."},
    MessageEntry{"sbom.vex_too_many", "VEXの記述数が上限の{0}件を超えています。",
                 "The VEX document has more than {0} statements."},
};

// The thread's parser and input buffers grow to the largest document read; above this size
// they are released after the document instead of being kept for the thread's next one.
constexpr std::size_t kKeepParserBytes = std::size_t{64} << 20;

bool IsUtf8Continuation(unsigned char c) {
  return (c & 0xC0U) == 0x80U;
}

// Offset of the first byte that breaks UTF-8 (stage 1 only says that one does).
std::size_t FirstInvalidUtf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    std::size_t length = 1;
    if (c >= 0xF0U && c <= 0xF4U) {
      length = 4;
    } else if (c >= 0xE0U) {
      length = c <= 0xEFU ? 3 : 0;
    } else if (c >= 0xC2U) {
      length = 2;
    } else if (c >= 0x80U) {
      length = 0;
    }
    if (length == 0 || i + length > text.size()) {
      return i;
    }
    for (std::size_t k = 1; k < length; ++k) {
      if (!IsUtf8Continuation(static_cast<unsigned char>(text[i + k]))) {
        return i;
      }
    }
    i += length;
  }
  return text.size();
}

// Offset of the first control character JSON does not allow (stage 1's UNESCAPED_CHARS).
std::size_t FirstControlCharacter(std::string_view text) {
  const auto* it = std::find_if(text.begin(), text.end(), [](char c) {
    return static_cast<unsigned char>(c) < 0x20U && c != '\n' && c != '\r' && c != '\t';
  });
  return static_cast<std::size_t>(it - text.begin());
}

constexpr std::string_view kJsonSpace = " \t\n\r";

// Whether `text` starts like a JSON value (after whitespace), to tell "not JSON at all" (an XML
// or tag-value SBOM, a binary) from "JSON, but not an object".
bool StartsLikeJson(std::string_view text) {
  const std::size_t start = text.find_first_not_of(kJsonSpace);
  if (start == std::string_view::npos) {
    return false;
  }
  text.remove_prefix(start);
  const char c = text.front();
  if (c == '[' || c == '{' || c == '"' || c == '-' || (c >= '0' && c <= '9')) {
    return true;
  }
  for (const std::string_view literal : {"true", "false", "null"}) {
    if (text.starts_with(literal) &&
        (text.size() == literal.size() ||
         kJsonSpace.find(text[literal.size()]) != std::string_view::npos)) {
      return true;
    }
  }
  return false;
}

// Where the root object or array closes (offset after it), scanning brackets outside strings;
// npos when it never closes. Tells "extra data after the JSON" from "truncated" when simdjson
// only reports unbalanced brackets.
std::size_t RootEnd(std::string_view text) {
  int depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      i += c == '\\' ? 1 : 0;
      in_string = c != '"';
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      ++depth;
    } else if ((c == '}' || c == ']') && --depth <= 0) {
      return i + 1;
    }
  }
  return std::string_view::npos;
}

Error WithSource(Error error, const std::filesystem::path& path) {
  if (!error.location()) {
    error.WithLocation(SourceLocation{path.string(), 0, 0});
  }
  return error;
}

// Detection: what one root field says about the format.
bool IsSpdx3Context(std::string_view text) {
  return text.find("spdx.org/rdf/3") != std::string_view::npos;
}
bool IsOpenVexContext(std::string_view text) {
  return text.starts_with("https://openvex.dev/ns");
}

DocumentKind ContextKind(std::string_view text) {
  if (IsSpdx3Context(text)) {
    return DocumentKind::kSpdx3;
  }
  return IsOpenVexContext(text) ? DocumentKind::kOpenVex : DocumentKind::kUnknown;
}

// A JSON-LD @context: a string, an object, or an array of them. Only strings identify a format.
DocumentKind ReadContextKind(od::value& value) {
  std::string_view text;
  if (value.get_string().get(text) == simdjson::SUCCESS) {
    return ContextKind(text);
  }
  od::array array;
  if (value.get_array().get(array) != simdjson::SUCCESS) {
    return DocumentKind::kUnknown;
  }
  for (auto entry : array) {
    if (entry.get_string().get(text) == simdjson::SUCCESS) {
      if (const DocumentKind kind = ContextKind(text); kind != DocumentKind::kUnknown) {
        return kind;
      }
    }
  }
  return DocumentKind::kUnknown;
}

std::string ErrnoText(int err) {
  return std::error_code(err, std::generic_category()).message();
}

Error ReadError(const std::filesystem::path& path, int err) {
  const bool missing = err == ENOENT || err == ENOTDIR;
  return MakeError(missing ? ErrorCode::kNotFound : ErrorCode::kIoError, SbomMessages(),
                   missing ? "sbom.parse_not_found" : "sbom.parse_read", path.string())
      .WithDetail(path.string() + ": " + ErrnoText(err));
}

// Reads a regular file into the thread input buffer and returns its length; the size is checked
// with fstat before anything is read.
Result<std::size_t> LoadFile(const std::filesystem::path& path, std::size_t max_bytes) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return ReadError(path, errno);
  }
  struct FdCloser {
    int fd;
    ~FdCloser() { ::close(fd); }
  } closer{fd};
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    return ReadError(path, errno);
  }
  if (!S_ISREG(st.st_mode)) {
    return ReadError(path, S_ISDIR(st.st_mode) ? EISDIR : EINVAL);
  }
  const auto size = static_cast<std::uint64_t>(st.st_size);
  if (size > max_bytes) {
    return WithSource(DocumentTooLarge(size, max_bytes), path);
  }
  char* buffer = detail::ThreadInputBuffer(static_cast<std::size_t>(size));
  if (buffer == nullptr) {
    return WithSource(DocumentTooLarge(size, max_bytes), path);
  }
  // Reads at most the size seen by fstat: a file growing meanwhile cannot exceed the limit.
  std::size_t length = 0;
  while (length < size) {
    const ssize_t n = ::read(fd, buffer + length, size - length);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n < 0) {
      return ReadError(path, errno);
    }
    if (n == 0) {
      break;
    }
    length += static_cast<std::size_t>(n);
  }
  return length;
}

template <typename T, typename Body>
Result<T> ReadFileWith(const std::filesystem::path& path, const ParseLimits& limits, Body&& body) {
  auto length = LoadFile(path, limits.max_bytes);
  if (!length) {
    detail::TrimThreadBuffers();
    return std::move(length).error();
  }
  return detail::ParseWith<T>(detail::ThreadInput(*length), path.string(), limits,
                              std::forward<Body>(body));
}

Status ReadSbomBody(JsonReader& reader, SbomDocument& doc) {
  std::string version;
  HOSHI_ASSIGN_OR_RETURN(const DocumentKind kind, reader.Detect(version));
  switch (kind) {
    case DocumentKind::kCycloneDx:
      doc.format = SbomDocument::Format::kCycloneDx;
      HOSHI_RETURN_IF_ERROR(detail::ReadCycloneDx(reader, /*vex_only=*/false, doc));
      break;
    case DocumentKind::kSpdx2:
      doc.format = SbomDocument::Format::kSpdx2;
      HOSHI_RETURN_IF_ERROR(detail::ReadSpdx2(reader, doc));
      break;
    case DocumentKind::kSpdx3:
      doc.format = SbomDocument::Format::kSpdx3;
      HOSHI_RETURN_IF_ERROR(detail::ReadSpdx3(reader, doc));
      break;
    default:
      if (!version.empty()) {
        return MakeError(ErrorCode::kDataError, SbomMessages(), "sbom.parse_version", "SPDX",
                         version);
      }
      return MakeError(ErrorCode::kDataError, SbomMessages(), "sbom.parse_unsupported");
  }
  return Status::Ok();
}

}  // namespace

std::span<const MessageEntry> DocumentMessages() {
  return kDocumentMessages;
}

namespace detail {

std::string JsonPath::ToString(std::string_view leaf) const {
  std::string out;
  for (const Segment& s : segments_) {
    if (s.is_index) {
      out += '[';
      out += std::to_string(s.index);
      out += ']';
    } else if (!s.name.empty()) {
      if (!out.empty()) {
        out += '.';
      }
      out += s.name;
    }
  }
  if (!leaf.empty()) {
    if (!out.empty()) {
      out += '.';
    }
    out += leaf;
  }
  return out;
}

Status JsonReader::Open(od::parser& parser) {
  if (input_.length() > parser.max_capacity()) {
    return DocumentTooLarge(input_.length(), parser.max_capacity());
  }
  if (auto e = parser.iterate(input_).get(document_)) {
    return JsonError(e);
  }
  opened_ = true;
  const std::string_view text(input_.data(), input_.length());
  if (!StartsLikeJson(text)) {
    const std::size_t offset = text.find_first_not_of(kJsonSpace);
    const LineColumn lc = Locate(offset);
    return Located(
        MakeError(ErrorCode::kDataError, SbomMessages(), "sbom.parse_not_json", lc.line, lc.column),
        offset);
  }
  od::json_type type{};
  if (auto e = document_.type().get(type)) {
    return JsonError(e);
  }
  if (type != od::json_type::object) {
    return MakeError(ErrorCode::kDataError, SbomMessages(), "sbom.parse_root");
  }
  return Status::Ok();
}

Result<DocumentKind> JsonReader::Detect(std::string& version) {
  od::object root;
  if (auto e = document_.get_object().get(root)) {
    return JsonError(e);
  }
  DocumentKind kind = DocumentKind::kUnknown;
  auto detect = [&](std::string_view key, od::value& value) {
    return DetectField(key, value, kind, version);
  };
  HOSHI_RETURN_IF_ERROR(
      IterateFields(root, detect, [&] { return kind != DocumentKind::kUnknown; }));
  document_.rewind();
  return kind;
}

Status JsonReader::DetectField(std::string_view key, od::value& value, DocumentKind& kind,
                               std::string& version) {
  std::string_view text;
  if (key == "bomFormat") {
    HOSHI_RETURN_IF_ERROR(ReadString(value, key, text));
    kind = text == "CycloneDX" ? DocumentKind::kCycloneDx : kind;
  } else if (key == "spdxVersion") {
    HOSHI_RETURN_IF_ERROR(ReadString(value, key, text));
    version.assign(text);
    kind = text.starts_with("SPDX-2.") ? DocumentKind::kSpdx2 : kind;
  } else if (key == "@context") {
    kind = ReadContextKind(value);
  } else if (key == "document") {
    // CSAF: {"document": {"csaf_version": "2.0", "category": "csaf_vex", ...}, ...}; another
    // format's "document" of another type is not an error here.
    HOSHI_ASSIGN_OR_RETURN(const od::json_type type, TypeOf(value));
    if (type != od::json_type::object) {
      return Status::Ok();
    }
    return ForEachField(value, key, [&](std::string_view name, od::value& /*field*/) -> Status {
      if (name == "csaf_version") {
        kind = DocumentKind::kCsaf;
      }
      return Status::Ok();
    });
  }
  return Status::Ok();
}

Status JsonReader::CheckEnd() {
  const char* at = nullptr;
  const auto e = document_.current_location().get(at);
  if (e == simdjson::OUT_OF_BOUNDS) {
    return Status::Ok();
  }
  if (e) {
    return JsonError(e);
  }
  const auto offset = static_cast<std::size_t>(at - input_.data());
  const LineColumn lc = Locate(offset);
  return Located(
      MakeError(ErrorCode::kDataError, SbomMessages(), "sbom.parse_trailing", lc.line, lc.column),
      offset);
}

Status JsonReader::ReadString(od::value& value, std::string_view name, std::string_view& out) {
  HOSHI_ASSIGN_OR_RETURN(const od::json_type type, TypeOf(value));
  if (type == od::json_type::null) {
    return Status::Ok();
  }
  if (type != od::json_type::string) {
    return TypeError("sbom.parse_expect_string", name);
  }
  if (auto e = value.get_string().get(out)) {
    return JsonError(e);
  }
  return Status::Ok();
}

Status JsonReader::ReadString(od::value& value, std::string_view name, std::string& out) {
  std::string_view text;
  HOSHI_RETURN_IF_ERROR(ReadString(value, name, text));
  out.assign(text);
  return Status::Ok();
}

Status JsonReader::ReadStringFields(od::value& value, std::string_view name,
                                    std::initializer_list<StringField> fields) {
  return ForEachField(value, name, [&](std::string_view key, od::value& field) -> Status {
    const auto* it = std::find_if(fields.begin(), fields.end(),
                                  [&](const StringField& f) { return f.key == key; });
    return it == fields.end() ? Status::Ok() : ReadString(field, key, *it->out);
  });
}

Result<od::json_type> JsonReader::TypeOf(od::value& value) {
  od::json_type type{};
  if (auto e = value.type().get(type)) {
    return JsonError(e);
  }
  return type;
}

Error JsonReader::TypeError(std::string_view expected_key, std::string_view leaf) {
  return ErrorHere(ErrorCode::kDataError, expected_key, leaf);
}

Error JsonReader::JsonError(simdjson::error_code code) {
  const std::string_view text(input_.data(), input_.length());
  std::size_t offset = CurrentOffset();
  std::string_view key = "sbom.parse_json";
  switch (code) {
    case simdjson::EMPTY:
      return MakeError(ErrorCode::kDataError, SbomMessages(), "sbom.parse_empty");
    case simdjson::CAPACITY:
    case simdjson::MEMALLOC:
      return DocumentTooLarge(input_.length(), limits_.max_bytes);
    case simdjson::DEPTH_ERROR:
      return ErrorHere(ErrorCode::kTooLarge, "sbom.parse_too_deep", {},
                       simdjson::DEFAULT_MAX_DEPTH);
    case simdjson::INCOMPLETE_ARRAY_OR_OBJECT:
    case simdjson::UNCLOSED_STRING: {
      key = "sbom.parse_truncated";
      offset = text.size();
      const std::size_t end =
          code == simdjson::INCOMPLETE_ARRAY_OR_OBJECT ? RootEnd(text) : std::string_view::npos;
      if (end != std::string_view::npos && end < text.size()) {
        key = "sbom.parse_trailing";
        offset = std::min(text.find_first_not_of(kJsonSpace, end), text.size());
      }
      break;
    }
    case simdjson::UTF8_ERROR:
      key = "sbom.parse_utf8";
      offset = FirstInvalidUtf8(text);
      break;
    case simdjson::UNESCAPED_CHARS:
      offset = FirstControlCharacter(text);
      break;
    default:
      break;
  }
  const LineColumn lc = Locate(offset);
  Error error = key == "sbom.parse_json"
                    ? MakeError(ErrorCode::kDataError, SbomMessages(), key, lc.line, lc.column,
                                simdjson::error_message(code))
                    : MakeError(ErrorCode::kDataError, SbomMessages(), key, lc.line, lc.column);
  return Located(std::move(error).WithDetail(simdjson::error_message(code)), offset);
}

std::size_t JsonReader::CurrentOffset() {
  if (!opened_) {
    return input_.length();
  }
  const char* at = nullptr;
  if (document_.current_location().get(at) != simdjson::SUCCESS || at < input_.data()) {
    return input_.length();
  }
  return std::min(static_cast<std::size_t>(at - input_.data()), input_.length());
}

JsonReader::LineColumn JsonReader::Locate(std::size_t offset) const {
  const std::string_view before(input_.data(), std::min(offset, input_.length()));
  const std::size_t line_start = before.rfind('\n') + 1;  // npos + 1 == 0
  const auto line = 1 + std::count(before.begin(), before.end(), '\n');
  // Columns count characters, not bytes: skip UTF-8 continuation bytes.
  const auto column =
      1 + std::count_if(before.begin() + static_cast<std::ptrdiff_t>(line_start), before.end(),
                        [](char c) { return !IsUtf8Continuation(static_cast<unsigned char>(c)); });
  return {static_cast<int>(line), static_cast<int>(column)};
}

Error JsonReader::Located(Error error, std::size_t offset) const {
  const LineColumn lc = Locate(offset);
  return std::move(error).WithLocation(SourceLocation{std::string(source_), lc.line, lc.column});
}

Error DocumentTooLarge(std::size_t size, std::size_t limit) {
  return MakeError(ErrorCode::kTooLarge, SbomMessages(), "sbom.too_large",
                   FormatNumber(static_cast<long long>(size)),
                   FormatNumber(static_cast<long long>(limit)));
}

void AssignPurl(std::string_view text, Component& c, std::size_t& invalid_purls) {
  if (text.empty()) {
    return;
  }
  auto purl = ParsePurl(text);
  if (!purl) {
    ++invalid_purls;
    return;
  }
  c.package = PackageKeyFromPurl(*purl);
  c.purl = ToString(*purl);
}

std::optional<std::string> CanonicalPurl(std::string_view text) {
  if (!text.starts_with("pkg:")) {
    return std::nullopt;
  }
  auto purl = ParsePurl(text);
  if (!purl) {
    return std::nullopt;
  }
  return ToString(*purl);
}

void FinishComponents(std::vector<Component>& components, const std::vector<std::uint32_t>& parents,
                      std::string_view subject_ref) {
  std::unordered_set<std::string_view> seen;
  seen.reserve(components.size());
  std::vector<std::size_t> renamed;
  for (std::size_t i = 0; i < components.size(); ++i) {
    if (components[i].ref.empty() || !seen.insert(components[i].ref).second) {
      renamed.push_back(i);
    }
  }
  for (const std::size_t i : renamed) {
    Component& c = components[i];
    const std::string base = c.ref.empty() ? "component" : c.ref;
    for (std::size_t n = c.ref.empty() ? i + 1 : 2;; ++n) {
      c.ref = base + "-" + std::to_string(n);
      if (!seen.contains(c.ref)) {
        break;
      }
    }
    seen.insert(c.ref);
  }
  for (std::size_t i = 0; i < components.size() && i < parents.size(); ++i) {
    if (parents[i] == kSubjectParent) {
      components[i].parent_ref = subject_ref;
    } else if (parents[i] != kNoParent) {
      components[i].parent_ref = components[parents[i]].ref;
    }
  }
}

Error TooManyComponents(std::size_t limit) {
  return MakeError(ErrorCode::kTooLarge, SbomMessages(), "sbom.parse_too_many",
                   FormatNumber(static_cast<long long>(limit)));
}

Error TooManyStatements(std::size_t limit) {
  return MakeError(ErrorCode::kTooLarge, SbomMessages(), "sbom.vex_too_many",
                   FormatNumber(static_cast<long long>(limit)));
}

Status EmitStatements(const VexStatement& statement, const std::vector<std::string_view>& ids,
                      const ParseLimits& limits, std::vector<VexStatement>& out) {
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (ids[i].empty() || std::find(ids.begin(), ids.begin() + static_cast<std::ptrdiff_t>(i),
                                    ids[i]) != ids.begin() + static_cast<std::ptrdiff_t>(i)) {
      continue;
    }
    if (out.size() >= limits.max_components) {
      return TooManyStatements(limits.max_components);
    }
    out.push_back(statement);
    out.back().vulnerability.assign(ids[i]);
  }
  return Status::Ok();
}

od::parser& ThreadParser() {
  thread_local od::parser parser;
  return parser;
}

namespace {

struct InputBuffer {
  std::unique_ptr<char[]> data;
  std::size_t capacity = 0;  // bytes, padding included
};

InputBuffer& ThreadInputStorage() {
  thread_local InputBuffer buffer;
  return buffer;
}

}  // namespace

char* ThreadInputBuffer(std::size_t size) {
  InputBuffer& buffer = ThreadInputStorage();
  if (size > SIZE_MAX - simdjson::SIMDJSON_PADDING) {
    return nullptr;
  }
  if (buffer.capacity < size + simdjson::SIMDJSON_PADDING) {
    buffer.data.reset(new (std::nothrow) char[size + simdjson::SIMDJSON_PADDING]);
    buffer.capacity = buffer.data ? size + simdjson::SIMDJSON_PADDING : 0;
  }
  return buffer.data.get();
}

simdjson::padded_string_view ThreadInput(std::size_t length) {
  InputBuffer& buffer = ThreadInputStorage();
  std::fill_n(buffer.data.get() + length, simdjson::SIMDJSON_PADDING, '\0');
  return simdjson::padded_string_view(buffer.data.get(), length, buffer.capacity);
}

void TrimThreadBuffers() {
  od::parser& parser = ThreadParser();
  if (parser.capacity() > kKeepParserBytes) {
    parser = od::parser{};
  }
  InputBuffer& buffer = ThreadInputStorage();
  if (buffer.capacity > kKeepParserBytes) {
    buffer = InputBuffer{};
  }
}

}  // namespace detail

std::string_view FormatName(SbomDocument::Format format) {
  switch (format) {
    case SbomDocument::Format::kCycloneDx:
      return "CycloneDX";
    case SbomDocument::Format::kSpdx2:
      return "SPDX";
    case SbomDocument::Format::kSpdx3:
      return "SPDX 3";
  }
  return "CycloneDX";
}

std::string_view VexStatusName(VexStatus status) {
  switch (status) {
    case VexStatus::kNotAffected:
      return "not_affected";
    case VexStatus::kAffected:
      return "affected";
    case VexStatus::kFixed:
      return "fixed";
    case VexStatus::kUnderInvestigation:
      return "under_investigation";
  }
  return "under_investigation";
}

Result<SbomDocument> ParseSbom(std::string_view json, const ParseLimits& limits) {
  return detail::ParseText<SbomDocument>(json, limits, ReadSbomBody);
}

Result<SbomDocument> ReadSbomFile(const std::filesystem::path& path, const ParseLimits& limits) {
  return ReadFileWith<SbomDocument>(path, limits, ReadSbomBody);
}

Result<std::vector<VexStatement>> ReadVexFile(const std::filesystem::path& path,
                                              const ParseLimits& limits) {
  return ReadFileWith<std::vector<VexStatement>>(path, limits, detail::ReadVexBody);
}

}  // namespace hoshi::sbom
