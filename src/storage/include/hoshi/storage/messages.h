// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <span>

#include "hoshi/core/i18n.h"

namespace hoshi::storage {

/// The storage module's user-facing messages in Japanese and English, keyed "storage.*". They never
/// contain SQL, file paths, connection strings or server text (those go to Error::detail()).
/// The table is static and immutable; safe to use from any thread.
[[nodiscard]] std::span<const MessageEntry> StorageMessages();

}  // namespace hoshi::storage
