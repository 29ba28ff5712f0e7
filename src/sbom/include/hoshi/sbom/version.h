// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string_view>

#include "hoshi/core/result.h"

namespace hoshi::sbom {

/// The ordering rules of one version scheme (an ecosystem's notion of "newer").
///
/// `Compare` is a total order over all strings: each scheme documents how it orders strings that
/// are not valid versions in it (usually: as its upstream tool does, e.g. PEP 440 legacy versions
/// sort before every valid one). `Validate` says whether a string is a valid version.
class VersionScheme {
 public:
  virtual ~VersionScheme() = default;
  /// A stable name: "semver", "go", "pypi", "maven", "debian", "rpm", "generic", …
  [[nodiscard]] virtual std::string_view name() const = 0;
  /// Ok, or a kDataError "sbom.version_invalid".
  [[nodiscard]] virtual Status Validate(std::string_view version) const = 0;
  /// Negative, zero or positive as `a` is older than, equal to or newer than `b`.
  [[nodiscard]] virtual int Compare(std::string_view a, std::string_view b) const = 0;
};

/// The scheme for an OSV ecosystem name ("npm", "PyPI", "Maven", "Go", "crates.io", "Debian",
/// "Debian:12", "Red Hat", "Rocky Linux", "AlmaLinux", "openSUSE", "SUSE", "Alpine", …) or a purl
/// type ("npm", "pypi", "maven", "golang", "cargo", "deb", "rpm", "apk", …). An ecosystem suffix
/// after ':' (a release, e.g. "Alpine:v3.18") is ignored. Unknown names give nullptr; use
/// GenericScheme() as the explicit fallback.
[[nodiscard]] const VersionScheme* SchemeFor(std::string_view ecosystem);

/// Dot/dash separated numbers and words: numbers compare numerically, words by bytes, a missing
/// part is older. Used for ecosystems without a scheme of their own.
[[nodiscard]] const VersionScheme& GenericScheme();

}  // namespace hoshi::sbom
