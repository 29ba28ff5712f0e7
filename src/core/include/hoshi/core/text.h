// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <string_view>

namespace hoshi {

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

}  // namespace hoshi
