// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <span>

#include "hoshi/core/i18n.h"

namespace hoshi::cred {

/// The bilingual message table of the cred module (keys "cred.*"). Thread-safe (static data).
[[nodiscard]] std::span<const MessageEntry> CredMessages();

}  // namespace hoshi::cred
