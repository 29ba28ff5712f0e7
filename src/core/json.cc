// SPDX-License-Identifier: Apache-2.0
#include "hoshi/core/json.h"

namespace hoshi {
namespace {

std::string FieldName(std::string_view path, std::string_view key) {
  if (path.empty()) {
    return std::string(key);
  }
  return std::string(path) + "." + std::string(key);
}

const char* KindName(Json::value_t kind) {
  switch (kind) {
    case Json::value_t::object:
      return "object";
    case Json::value_t::array:
      return "array";
    case Json::value_t::string:
      return "string";
    case Json::value_t::boolean:
      return "boolean";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
      return "integer";
    case Json::value_t::number_float:
      return "number";
    default:
      return "value";
  }
}

Error Missing(std::string_view path, std::string_view key) {
  return MakeError(ErrorCode::kDataError, CoreMessages(), "core.json_missing",
                   FieldName(path, key));
}

Error WrongType(std::string_view path, std::string_view key, const char* expected) {
  return MakeError(ErrorCode::kDataError, CoreMessages(), "core.json_type", FieldName(path, key),
                   expected);
}

}  // namespace

std::pair<int, int> LineColumnAt(std::string_view text, std::size_t offset) {
  int line = 1;
  int column = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else if ((static_cast<unsigned char>(text[i]) & 0xc0) != 0x80) {
      ++column;
    }
  }
  return {line, column};
}

Result<Json> ParseJson(std::string_view text, std::string_view source_name) {
  // A SAX-less parse with exceptions off: on error nlohmann returns a `discarded` value, so parse
  // once more through the callback-free accept() path only to learn the byte position.
  Json value = Json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (!value.is_discarded()) {
    return value;
  }
  struct PositionFinder : nlohmann::json_sax<Json> {
    std::size_t position = 0;
    std::string message;
    bool null() override { return true; }
    bool boolean(bool /*val*/) override { return true; }
    bool number_integer(number_integer_t /*val*/) override { return true; }
    bool number_unsigned(number_unsigned_t /*val*/) override { return true; }
    bool number_float(number_float_t /*val*/, const string_t& /*s*/) override { return true; }
    bool string(string_t& /*val*/) override { return true; }
    bool binary(binary_t& /*val*/) override { return true; }
    bool start_object(std::size_t /*elements*/) override { return true; }
    bool key(string_t& /*val*/) override { return true; }
    bool end_object() override { return true; }
    bool start_array(std::size_t /*elements*/) override { return true; }
    bool end_array() override { return true; }
    bool parse_error(std::size_t pos, const std::string& /*last_token*/,
                     const nlohmann::detail::exception& ex) override {
      position = pos;
      message = ex.what();
      return false;
    }
  } finder;
  Json::sax_parse(text.begin(), text.end(), &finder, nlohmann::detail::input_format_t::json,
                  /*strict=*/true);
  const std::size_t offset = finder.position > 0 ? finder.position - 1 : 0;
  const auto [line, column] = LineColumnAt(text, offset);
  // nlohmann's message names the position; keep only its reason for users.
  std::string reason = finder.message;
  if (auto colon = reason.rfind(": "); colon != std::string::npos) {
    reason = reason.substr(colon + 2);
  }
  Error error =
      MakeError(ErrorCode::kDataError, CoreMessages(), "core.json_parse", finder.position, reason);
  return std::move(error).WithLocation(SourceLocation{std::string(source_name), line, column});
}

std::string DumpJson(const Json& value, int indent) {
  return value.dump(indent, ' ', /*ensure_ascii=*/false, Json::error_handler_t::replace);
}

Result<std::string> GetString(const Json& object, std::string_view key, std::string_view path) {
  auto it = object.find(key);
  if (it == object.end()) {
    return Missing(path, key);
  }
  if (!it->is_string()) {
    return WrongType(path, key, "string");
  }
  return it->get<std::string>();
}

Result<std::int64_t> GetInt(const Json& object, std::string_view key, std::string_view path) {
  auto it = object.find(key);
  if (it == object.end()) {
    return Missing(path, key);
  }
  if (!it->is_number_integer()) {
    return WrongType(path, key, "integer");
  }
  return it->get<std::int64_t>();
}

Result<bool> GetBool(const Json& object, std::string_view key, std::string_view path) {
  auto it = object.find(key);
  if (it == object.end()) {
    return Missing(path, key);
  }
  if (!it->is_boolean()) {
    return WrongType(path, key, "boolean");
  }
  return it->get<bool>();
}

Result<const Json*> GetOptional(const Json& object, std::string_view key, Json::value_t kind,
                                std::string_view path) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) {
    return static_cast<const Json*>(nullptr);
  }
  const bool integer_ok = kind == Json::value_t::number_integer && it->is_number_integer();
  const bool number_ok = kind == Json::value_t::number_float && it->is_number();
  if (it->type() != kind && !integer_ok && !number_ok) {
    return WrongType(path, key, KindName(kind));
  }
  return &*it;
}

Result<std::string> GetOptionalString(const Json& object, std::string_view key,
                                      std::string_view path) {
  HOSHI_ASSIGN_OR_RETURN(const Json* member, GetOptional(object, key, Json::value_t::string, path));
  return member == nullptr ? std::string() : member->get<std::string>();
}

}  // namespace hoshi
