// SPDX-License-Identifier: Apache-2.0
// Internal helpers for building the catalog module's bilingual errors.
#pragma once

#include <cstdint>
#include <string_view>
#include <utility>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "hoshi/catalog/catalog.h"
#include "hoshi/core/result.h"

namespace hoshi::catalog::detail {

/// An Error from CatalogMessages(), with the same arguments in both languages.
template <typename... Args>
[[nodiscard]] Error CatalogError(ErrorCode code, std::string_view key, Args&&... args) {
  return MakeError(code, CatalogMessages(), key, std::forward<Args>(args)...);
}

/// Like CatalogError, but argument {0} differs per language (e.g. a level's localized name).
template <typename... Args>
[[nodiscard]] Error CatalogErrorWith(ErrorCode code, std::string_view key,
                                     const LocalizedText& first, Args&&... args) {
  const LocalizedText t = Lookup(CatalogMessages(), key);
  return Error(code, LocalizedText{fmt::format(fmt::runtime(t.ja), first.ja, args...),
                                   fmt::format(fmt::runtime(t.en), first.en, args...)});
}

/// `prefix` (a message with its arguments) followed by another error's message, per language.
[[nodiscard]] inline LocalizedText Concat(const LocalizedText& prefix, const LocalizedText& rest) {
  return LocalizedText{prefix.ja + rest.ja, prefix.en + rest.en};
}

/// Checks a JSON document's header: an object whose "format" is `format` (else `bad_format_key`)
/// and whose "format_version" is `version`.
[[nodiscard]] Status CheckDocumentHeader(const nlohmann::json& j, std::string_view format,
                                         std::string_view bad_format_key, std::int64_t version);

}  // namespace hoshi::catalog::detail
