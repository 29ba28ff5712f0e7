// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "hoshi/core/result.h"

namespace hoshi::cred {

/// The deepest nesting of arrays and objects Canonicalize() accepts (untrusted input is bounded).
inline constexpr int kMaxJcsDepth = 256;

/// The RFC 8785 JSON Canonicalization Scheme (JCS) form of `value`: no whitespace; object members
/// sorted by the UTF-16 code units of their names; strings with only `"`, `\` and control
/// characters escaped (`\b \t \n \f \r`, otherwise `\u00xx` in lower-case hex), everything else
/// as UTF-8; numbers as IEEE-754 doubles written by ECMAScript's Number::toString (integers too:
/// values beyond 2^53 are rounded to the nearest double, as a JavaScript parser would).
/// Errors: kDataError for NaN or infinity, invalid UTF-8 in a string or member name, binary
/// values, or nesting deeper than kMaxJcsDepth. Thread-safe (pure function).
[[nodiscard]] Result<std::string> Canonicalize(const nlohmann::json& value);

/// One number in the RFC 8785 / ECMAScript form ("1e+21", "0.000001", "-5e-324"; -0 gives "0").
/// Errors: kDataError for NaN or infinity. Thread-safe.
[[nodiscard]] Result<std::string> SerializeNumber(double value);

}  // namespace hoshi::cred
