// SPDX-License-Identifier: Apache-2.0
#include "hoshi/core/i18n.h"

#include <array>
#include <string>

namespace hoshi {
namespace {

constexpr std::array kCoreMessages{
    MessageEntry{"core.error_prefix", "エラー", "Error"},
    MessageEntry{"core.at_line", "{0} の {1} 行目", "{0}, line {1}"},
    MessageEntry{"core.json_parse", "JSON を解析できません（{0} バイト目付近）: {1}",
                 "Cannot parse JSON (near byte {0}): {1}"},
    MessageEntry{"core.json_missing", "必須項目「{0}」がありません。",
                 "Required field '{0}' is missing."},
    MessageEntry{"core.json_type", "項目「{0}」の型が違います（期待: {1}）。",
                 "Field '{0}' has the wrong type (expected {1})."},
    MessageEntry{"core.date_invalid", "日付「{0}」が不正です。YYYY-MM-DD 形式で指定してください。",
                 "Invalid date '{0}'. Use the form YYYY-MM-DD."},
    MessageEntry{"core.file_read", "ファイル「{0}」を読み込めません: {1}",
                 "Cannot read file '{0}': {1}"},
    MessageEntry{"core.file_write", "ファイル「{0}」に書き込めません: {1}",
                 "Cannot write file '{0}': {1}"},
    MessageEntry{"core.file_too_large", "ファイル「{0}」が大きすぎます（上限 {1} バイト）。",
                 "File '{0}' is too large (limit {1} bytes)."},
    MessageEntry{"core.crypto_init", "暗号ライブラリを初期化できません。",
                 "Cannot initialise the cryptography library."},
    MessageEntry{"core.bad_hex", "16進文字列が不正です。", "Invalid hexadecimal string."},
    MessageEntry{"core.bad_key", "鍵の形式が不正です。", "Invalid key format."},
    MessageEntry{"core.internal", "内部エラーが発生しました。", "An internal error occurred."},
};

}  // namespace

std::optional<Lang> ParseLang(std::string_view text) {
  std::string lower;
  for (char c : text) {
    lower.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c));
  }
  if (lower == "ja" || lower == "ja-jp" || lower == "ja_jp" || lower == "japanese" ||
      lower.starts_with("ja_jp.")) {
    return Lang::kJa;
  }
  if (lower == "en" || lower == "en-us" || lower == "en_us" || lower == "en-gb" ||
      lower == "english" || lower.starts_with("en_")) {
    return Lang::kEn;
  }
  return std::nullopt;
}

std::string_view LangCode(Lang lang) {
  return lang == Lang::kJa ? "ja" : "en";
}

LocalizedText Lookup(std::span<const MessageEntry> table, std::string_view key) {
  for (const auto& entry : table) {
    if (entry.key == key) {
      return LocalizedText{std::string(entry.ja), std::string(entry.en)};
    }
  }
  return LocalizedText{std::string(key), std::string(key)};
}

std::string FormatNumber(long long value) {
  std::string digits = std::to_string(value < 0 ? -value : value);
  std::string out;
  const std::size_t n = digits.size();
  for (std::size_t i = 0; i < n; ++i) {
    out.push_back(digits[i]);
    const std::size_t rest = n - i - 1;
    if (rest > 0 && rest % 3 == 0) {
      out.push_back(',');
    }
  }
  return value < 0 ? "-" + out : out;
}

std::span<const MessageEntry> CoreMessages() {
  return kCoreMessages;
}

}  // namespace hoshi
