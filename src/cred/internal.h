// SPDX-License-Identifier: Apache-2.0
// Helpers shared by the cred module's sources; not part of the public API.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include <fmt/args.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "hoshi/core/clock.h"
#include "hoshi/core/i18n.h"
#include "hoshi/cred/messages.h"

namespace hoshi::cred::detail {

inline constexpr std::string_view kUuidUrnPrefix = "urn:uuid:";

/// The member `key` of `object` (which must be an object), or nullptr.
inline const nlohmann::json* Member(const nlohmann::json& object, std::string_view key) {
  auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

/// The member `key` of `object` when it is an object holding a string member `key`, or nullptr.
inline const std::string* StringMember(const nlohmann::json* object, std::string_view key) {
  if (object == nullptr || !object->is_object()) {
    return nullptr;
  }
  const nlohmann::json* value = Member(*object, key);
  return value != nullptr && value->is_string() ? &value->get_ref<const std::string&>() : nullptr;
}

/// True when `value` is a JSON string equal to `expected`.
inline bool IsString(const nlohmann::json* value, std::string_view expected) {
  return value != nullptr && value->is_string() && value->get_ref<const std::string&>() == expected;
}

/// The time of a string member holding an RFC 3339 timestamp.
inline std::optional<TimePoint> TimeMember(const nlohmann::json& object, std::string_view key) {
  const std::string* text = StringMember(&object, key);
  if (text == nullptr) {
    return std::nullopt;
  }
  auto time = ParseTimestamp(*text);
  return time ? std::optional<TimePoint>(*time) : std::nullopt;
}

/// "sha256:" followed by 64 lower-case hex digits.
inline bool IsSha256Digest(std::string_view text) {
  constexpr std::string_view kPrefix = "sha256:";
  if (text.size() != kPrefix.size() + 64 || !text.starts_with(kPrefix)) {
    return false;
  }
  for (char c : text.substr(kPrefix.size())) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      return false;
    }
  }
  return true;
}

/// A non-empty printable-ASCII reference without spaces or a fragment ("https://…/revocations"
/// or an absolute path "/api/v1/public/revocations").
inline bool IsUrlLike(std::string_view text) {
  if (text.empty() || text.size() > 2048) {
    return false;
  }
  for (char c : text) {
    if (c <= ' ' || c > '~' || c == '#' || c == '"' || c == '\\') {
      return false;
    }
  }
  return true;
}

/// A message whose arguments differ by language (dates, underlying errors): `{0}`, `{1}`, … of
/// the Japanese text take the `ja` of each argument, those of the English text the `en`.
inline LocalizedText FormatLocalized(std::string_view key,
                                     std::initializer_list<LocalizedText> args) {
  const LocalizedText t = Lookup(CredMessages(), key);
  fmt::dynamic_format_arg_store<fmt::format_context> ja;
  fmt::dynamic_format_arg_store<fmt::format_context> en;
  for (const LocalizedText& arg : args) {
    ja.push_back(arg.ja);
    en.push_back(arg.en);
  }
  return LocalizedText{fmt::vformat(t.ja, ja), fmt::vformat(t.en, en)};
}

/// A date in both languages ("2027年3月31日" / "31 Mar 2027").
inline LocalizedText DateText(const Date& date) {
  return LocalizedText{date.Format(Lang::kJa), date.Format(Lang::kEn)};
}

/// The same text in both languages (user data such as a revocation reason).
inline LocalizedText Verbatim(std::string text) {
  return LocalizedText{text, text};
}

}  // namespace hoshi::cred::detail
