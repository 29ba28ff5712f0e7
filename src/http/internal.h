// SPDX-License-Identifier: Apache-2.0
// Helpers shared by the server, the client and their tests; not part of the public API.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "hoshi/core/result.h"

namespace spdlog {
class logger;
}  // namespace spdlog

namespace hoshi::http::detail {

/// Percent-decodes `in` into `out`. '+' becomes a space when `plus_as_space`. False on a '%' not
/// followed by two hex digits.
[[nodiscard]] bool PercentDecode(std::string_view in, bool plus_as_space, std::string& out);

/// The parts of an origin-form request target.
struct ParsedTarget {
  std::string path;
  std::vector<std::pair<std::string, std::string>> query;
};

/// Splits and decodes "/path?query". Refuses (kInvalidArgument, reason "http.bad_target"): a
/// target not starting with '/', invalid %-escapes, control characters (incl. NUL) in the
/// decoded path, "." or ".." path segments, NUL in the decoded query.
[[nodiscard]] Result<ParsedTarget> ParseTarget(std::string_view target);

/// ASCII case-insensitive equality.
[[nodiscard]] bool IEquals(std::string_view a, std::string_view b);

/// `text` with control characters, '"', '\\' and bytes >= 0x7f escaped as \xNN, for log lines.
[[nodiscard]] std::string EscapeForLog(std::string_view text);

/// IMF-fixdate (RFC 9110 §5.6.7), e.g. "Sun, 06 Nov 1994 08:49:37 GMT".
[[nodiscard]] std::string HttpDate(std::chrono::system_clock::time_point t);

/// The module's logger ("http", stderr). Thread-safe.
[[nodiscard]] spdlog::logger& Logger();

}  // namespace hoshi::http::detail
