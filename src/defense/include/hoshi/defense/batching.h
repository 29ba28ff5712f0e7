// SPDX-License-Identifier: Apache-2.0
// Splitting one telemetry log into stream-sized batches (issue #6): `hoshitori telemetry publish`
// cuts each log file into gzip pieces that each fit into one stream message and each parse on
// their own, so that a worker can analyse any piece without the others.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "hoshi/core/i18n.h"
#include "hoshi/core/result.h"
#include "hoshi/defense/logs.h"

namespace hoshi::defense {

/// Largest decompressed log PackLogBatches accepts (1 GiB).
inline constexpr std::uint64_t kMaxPackedLogBytes = std::uint64_t{1} << 30U;
/// Smallest accepted piece budget.
inline constexpr std::size_t kMinBatchBytes = 512;

/// A log cut into pieces.
struct PackedLog {
  /// Each piece is one gzip member of at most `max_piece_bytes` bytes holding whole lines of the
  /// log, in order; together they hold every line exactly once. For Zeek TSV, each piece starts
  /// with the header lines in force at its first line (#separator, #set_separator, #empty_field,
  /// #unset_field, #path, #open, #fields, #types; a later header block replaces them), so it
  /// parses on its own to exactly the events of its lines. The pieces depend only on the log's
  /// text and the budget (the same input always gives the same bytes with the same zlib).
  std::vector<std::string> pieces;
  /// The format of the first non-blank line.
  LogFormat format = LogFormat::kAuto;
  /// Decompressed bytes of the log.
  std::uint64_t raw_bytes = 0;
  /// Lines of the log (header lines included; the repeated header lines are not counted).
  std::uint64_t lines = 0;
  /// Empty, or "gzip_truncated" / "gzip_corrupt" (the names ParseLog uses): the gzip input ended
  /// early or was damaged; the lines before the damage are in the pieces, the cut last line is
  /// dropped.
  std::string problem;
};

/// Cuts one log (plain or gzip, detected by the magic bytes 1f 8b; concatenated members are read
/// in turn) at line boundaries into gzip pieces of at most `max_piece_bytes` bytes each (the
/// caller leaves room in its message limit for the envelope). Pieces are filled close to the
/// budget. An empty log (or one of blank lines only) gives no pieces. `source_name` names the
/// log in errors.
/// Errors: kInvalidArgument "defense.batch_budget" (budget below kMinBatchBytes);
/// kTooLarge "defense.batch_log_too_large" (more than kMaxPackedLogBytes decompressed);
/// kTooLarge "defense.batch_line_too_large" (one line — with the Zeek header in force — does
/// not fit into a piece even compressed; the error's location names the 1-based line);
/// kDataError "defense.log_format" (the first non-blank line is in no known format).
/// Pure function; thread-safe.
[[nodiscard]] Result<PackedLog> PackLogBatches(std::string_view log, std::size_t max_piece_bytes,
                                               std::string_view source_name = "-");

/// The messages of PackLogBatches ("defense.batch_*"), Japanese and English. Static, immutable.
[[nodiscard]] std::span<const MessageEntry> BatchingMessages();

}  // namespace hoshi::defense
