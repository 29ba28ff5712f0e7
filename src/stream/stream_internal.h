// SPDX-License-Identifier: Apache-2.0
// Internal: helpers shared by the two backends.
#pragma once

#include <cstdint>
#include <vector>

#include "hoshi/core/result.h"
#include "hoshi/stream/stream.h"

namespace hoshi::stream::detail {

/// Most partitions a stream may have.
inline constexpr std::uint32_t kMaxPartitions = 1024;

/// kInvalidArgument "stream.invalid_partition".
[[nodiscard]] Error InvalidPartition(std::uint32_t partition, std::uint32_t partitions);

/// Sorted, unique partitions, each checked against `partitions`; an empty list means all.
[[nodiscard]] Result<std::vector<std::uint32_t>> NormalizePartitions(
    std::vector<std::uint32_t> requested, std::uint32_t partitions);

}  // namespace hoshi::stream::detail
