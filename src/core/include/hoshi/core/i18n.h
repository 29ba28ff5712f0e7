// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include <fmt/format.h>

namespace hoshi {

/// User-facing language. Japanese is the default everywhere.
enum class Lang { kJa, kEn };

/// "ja" / "en" (also "ja-JP", "en-US", "japanese", "english"); nullopt otherwise.
[[nodiscard]] std::optional<Lang> ParseLang(std::string_view text);
[[nodiscard]] std::string_view LangCode(Lang lang);

/// A text in both languages. Every user-facing string is built as one, so neither can be missing.
struct LocalizedText {
  std::string ja;
  std::string en;
  [[nodiscard]] const std::string& In(Lang lang) const { return lang == Lang::kJa ? ja : en; }
  bool operator==(const LocalizedText&) const = default;
};

/// One entry of a module's message table (`constexpr MessageEntry kMessages[] = {...}`).
struct MessageEntry {
  std::string_view key;
  std::string_view ja;
  std::string_view en;
};

/// Looks `key` up in `table`. A missing key is a programmer error: it returns the key itself in
/// both languages so that the gap is visible, and the module's message test catches it.
[[nodiscard]] LocalizedText Lookup(std::span<const MessageEntry> table, std::string_view key);

/// Formats both languages of a message with the same fmt arguments (`{0}`, `{1}`, …).
template <typename... Args>
[[nodiscard]] LocalizedText FormatMessage(const MessageEntry& entry, Args&&... args) {
  return LocalizedText{fmt::format(fmt::runtime(entry.ja), args...),
                       fmt::format(fmt::runtime(entry.en), args...)};
}
template <typename... Args>
[[nodiscard]] LocalizedText FormatMessage(std::span<const MessageEntry> table, std::string_view key,
                                          Args&&... args) {
  const LocalizedText t = Lookup(table, key);
  return LocalizedText{fmt::format(fmt::runtime(t.ja), args...),
                       fmt::format(fmt::runtime(t.en), args...)};
}

/// Formats an integer with ja-JP digit grouping ("12,345").
[[nodiscard]] std::string FormatNumber(long long value);

/// The messages of core itself (error wrappers, generic texts).
[[nodiscard]] std::span<const MessageEntry> CoreMessages();

}  // namespace hoshi
