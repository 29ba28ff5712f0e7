// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "hoshi/core/result.h"

namespace hoshi {

using Json = nlohmann::json;

/// Parses JSON without exceptions. On failure the error is kDataError with the 1-based line and
/// column of the problem in `source_name`.
[[nodiscard]] Result<Json> ParseJson(std::string_view text, std::string_view source_name = "");

/// Serializes with sorted keys (nlohmann's default map), UTF-8 kept, invalid UTF-8 replaced.
/// `indent` < 0 gives the compact form.
[[nodiscard]] std::string DumpJson(const Json& value, int indent = 2);

/// Typed field access without exceptions. `path` names the field in errors ("answers.1-2-1-1").
[[nodiscard]] Result<std::string> GetString(const Json& object, std::string_view key,
                                            std::string_view path = "");
[[nodiscard]] Result<std::int64_t> GetInt(const Json& object, std::string_view key,
                                          std::string_view path = "");
[[nodiscard]] Result<bool> GetBool(const Json& object, std::string_view key,
                                   std::string_view path = "");
/// The member if present and of the wanted kind; a kDataError if present with another kind;
/// nullptr if absent.
[[nodiscard]] Result<const Json*> GetOptional(const Json& object, std::string_view key,
                                              Json::value_t kind, std::string_view path = "");
/// An optional string member, "" when absent.
[[nodiscard]] Result<std::string> GetOptionalString(const Json& object, std::string_view key,
                                                    std::string_view path = "");

/// The 1-based line and column of byte `offset` in `text`.
[[nodiscard]] std::pair<int, int> LineColumnAt(std::string_view text, std::size_t offset);

}  // namespace hoshi
