// SPDX-License-Identifier: Apache-2.0
#include "hoshi/core/id.h"

#include <cstdint>

#include "hoshi/core/crypto.h"

namespace hoshi {

std::string NewId(const Clock& clock) {
  const auto ms = static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(clock.Now().time_since_epoch())
          .count());
  Bytes b = RandomBytes(16);
  for (int i = 0; i < 6; ++i) {
    b[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(ms >> (8 * (5 - i)));
  }
  b[6] = static_cast<std::uint8_t>(0x70 | (b[6] & 0x0f));  // version 7
  b[8] = static_cast<std::uint8_t>(0x80 | (b[8] & 0x3f));  // variant 10
  const std::string hex = ToHex(b);
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
         hex.substr(16, 4) + "-" + hex.substr(20, 12);
}

bool IsValidId(std::string_view id) {
  if (id.size() != 36) {
    return false;
  }
  for (std::size_t i = 0; i < id.size(); ++i) {
    const char c = id[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') {
        return false;
      }
    } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      return false;
    }
  }
  return true;
}

}  // namespace hoshi
