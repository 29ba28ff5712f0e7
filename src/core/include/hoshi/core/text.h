// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace hoshi {

/// `text` with A–Z turned into a–z; other bytes (UTF-8 included) unchanged. For identifiers,
/// keys and ids that compare without case (CVE ids, purl parts, STIX ids), never for names.
[[nodiscard]] inline std::string ToLowerAscii(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return out;
}

/// `text` with a–z turned into A–Z; other bytes unchanged.
[[nodiscard]] inline std::string ToUpperAscii(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') {
      c = static_cast<char>(c - 'a' + 'A');
    }
  }
  return out;
}

/// The number of Unicode code points in UTF-8 text (continuation bytes are not counted): the
/// "characters" that user-facing length limits are stated in.
[[nodiscard]] constexpr std::size_t Utf8Length(std::string_view text) {
  std::size_t n = 0;
  for (const char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0U) != 0x80U) {
      ++n;
    }
  }
  return n;
}

/// The value of a hexadecimal digit (0–15), or -1 for any other character.
[[nodiscard]] constexpr int HexDigitValue(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

/// The number of terminal columns UTF-8 text takes: East Asian wide and full-width characters
/// (CJK, kana, hangul, full-width forms) count two, everything else one. For aligned tables.
[[nodiscard]] constexpr std::size_t DisplayWidth(std::string_view text) {
  std::size_t width = 0;
  for (std::size_t i = 0; i < text.size();) {
    const auto b = static_cast<unsigned char>(text[i]);
    const std::size_t len = b < 0x80U ? 1 : b < 0xE0U ? 2 : b < 0xF0U ? 3 : 4;
    char32_t cp = len == 1 ? b : len == 2 ? (b & 0x1FU) : len == 3 ? (b & 0x0FU) : (b & 0x07U);
    for (std::size_t k = 1; k < len && i + k < text.size(); ++k) {
      cp = (cp << 6U) | (static_cast<unsigned char>(text[i + k]) & 0x3FU);
    }
    const bool wide = (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
                      (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
                      (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
                      (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD);
    width += wide ? 2 : 1;
    i += len;
  }
  return width;
}

}  // namespace hoshi
