// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <span>

#include "hoshi/core/i18n.h"

namespace hoshi::defense {

/// The defense module's message table (keys "defense.*"), Japanese and English.
[[nodiscard]] std::span<const MessageEntry> DefenseMessages();

}  // namespace hoshi::defense
