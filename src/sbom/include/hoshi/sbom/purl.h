// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "hoshi/core/result.h"

namespace hoshi::sbom {

/// A package URL (https://github.com/package-url/purl-spec), decoded and normalised. Empty
/// strings mean "absent" (the spec gives no meaning to an empty version, namespace or subpath).
struct Purl {
  std::string type;            ///< lower case
  std::string namespace_path;  ///< decoded segments joined by '/'
  std::string name;            ///< decoded; never empty
  std::string version;         ///< decoded
  /// Decoded key/value pairs, keys lower case, sorted by key, no empty values, keys unique.
  std::vector<std::pair<std::string, std::string>> qualifiers;
  std::string subpath;  ///< decoded segments joined by '/', without '.', '..' or empty segments

  /// The value of a qualifier, or "" when absent.
  [[nodiscard]] std::string_view Qualifier(std::string_view key) const;
  bool operator==(const Purl&) const = default;
};

/// Parses and normalises a purl string (strict: qualifier keys must already be lower case, as
/// the spec's tests require). Errors are kDataError with reason "sbom.purl_*".
[[nodiscard]] Result<Purl> ParsePurl(std::string_view text);

/// Validates and normalises purl components given separately (the spec's "build" operation):
/// lower-cases the type, applies the per-type rules, sorts qualifiers and drops empty ones.
[[nodiscard]] Result<Purl> MakePurl(Purl components);

/// The canonical string form of a normalised purl.
[[nodiscard]] std::string ToString(const Purl& purl);

}  // namespace hoshi::sbom
