// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "hoshi/core/result.h"

namespace hoshi {

/// Default cap on files read whole into memory (answer files, catalogs, sheets): 64 MiB.
inline constexpr std::uint64_t kDefaultMaxFileBytes = 64ULL << 20;

/// Reads a whole file, refusing more than `max_bytes` (kTooLarge) before reading it.
/// Errors: kNotFound (no such file), kIoError, kTooLarge.
[[nodiscard]] Result<std::string> ReadFile(const std::string& path,
                                           std::uint64_t max_bytes = kDefaultMaxFileBytes);

/// Writes `content` to `path` atomically (temporary file in the same directory, fsync, rename).
[[nodiscard]] Status WriteFileAtomic(const std::string& path, std::string_view content);

}  // namespace hoshi
