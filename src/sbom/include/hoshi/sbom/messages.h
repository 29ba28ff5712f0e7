// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <span>

#include "hoshi/core/i18n.h"

namespace hoshi::sbom {

/// The sbom module's message table (keys "sbom.*"), Japanese and English.
[[nodiscard]] std::span<const MessageEntry> SbomMessages();

}  // namespace hoshi::sbom
