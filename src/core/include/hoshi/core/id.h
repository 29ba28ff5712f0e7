// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <string_view>

#include "hoshi/core/clock.h"

namespace hoshi {

/// A new UUIDv7 (RFC 9562) string: time-ordered (milliseconds from `clock`), 74 random bits.
/// Thread-safe.
[[nodiscard]] std::string NewId(const Clock& clock);

/// True for a lower-case canonical UUID string ("xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx").
[[nodiscard]] bool IsValidId(std::string_view id);

}  // namespace hoshi
