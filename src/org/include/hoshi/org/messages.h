// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <span>

#include "hoshi/core/i18n.h"

namespace hoshi::org {

/// The org module's user-facing messages in Japanese and English, keyed "org.*". The table is
/// static and immutable; safe to use from any thread.
[[nodiscard]] std::span<const MessageEntry> OrgMessages();

}  // namespace hoshi::org
