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
#include "hoshi/http/server.h"

namespace spdlog {
class logger;
}  // namespace spdlog

namespace hoshi::http::detail {

/// Percent-decodes `in` into `out`. '+' becomes a space when `plus_as_space`. False on a '%' not
/// followed by two hex digits.
[[nodiscard]] bool PercentDecode(std::string_view in, bool plus_as_space, std::string& out);

// ParsedTarget / ParseTarget are public (server.h): the in-process session of the api module
// builds its requests with the same parser.
using ::hoshi::http::ParsedTarget;
using ::hoshi::http::ParseTarget;

/// ASCII case-insensitive equality.
[[nodiscard]] bool IEquals(std::string_view a, std::string_view b);

/// `text` with control characters, '"', '\\' and bytes >= 0x7f escaped as \xNN, for log lines.
[[nodiscard]] std::string EscapeForLog(std::string_view text);

/// IMF-fixdate (RFC 9110 §5.6.7), e.g. "Sun, 06 Nov 1994 08:49:37 GMT".
[[nodiscard]] std::string HttpDate(std::chrono::system_clock::time_point t);

/// The module's logger ("http", stderr). Thread-safe.
[[nodiscard]] spdlog::logger& Logger();

}  // namespace hoshi::http::detail
