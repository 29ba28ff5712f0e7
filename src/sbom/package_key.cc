// SPDX-License-Identifier: Apache-2.0
// OSV package keys from purls and the name normalisation the index uses.
#include <algorithm>
#include <array>
#include <cctype>
#include <string>
#include <string_view>

#include "hoshi/core/text.h"
#include "hoshi/sbom/document.h"

namespace hoshi::sbom {
namespace {

/// purl type → OSV ecosystem, and how the OSV name is built from namespace and name.
enum class NameForm { kName, kSlash, kColon };
struct TypeEcosystem {
  std::string_view purl_type;
  std::string_view ecosystem;
  NameForm form;
};
constexpr std::array kTypeEcosystems{
    TypeEcosystem{"npm", "npm", NameForm::kSlash},  // "@scope/name"
    TypeEcosystem{"pypi", "PyPI", NameForm::kName},
    TypeEcosystem{"maven", "Maven", NameForm::kColon},  // "group:artifact"
    TypeEcosystem{"golang", "Go", NameForm::kSlash},    // module path
    TypeEcosystem{"cargo", "crates.io", NameForm::kName},
    TypeEcosystem{"gem", "RubyGems", NameForm::kName},
    TypeEcosystem{"nuget", "NuGet", NameForm::kName},
    TypeEcosystem{"composer", "Packagist", NameForm::kSlash},  // "vendor/name"
    TypeEcosystem{"hex", "Hex", NameForm::kName},
    TypeEcosystem{"pub", "Pub", NameForm::kName},
    TypeEcosystem{"swift", "SwiftURL", NameForm::kSlash},
    TypeEcosystem{"hackage", "Hackage", NameForm::kName},
    TypeEcosystem{"cran", "CRAN", NameForm::kName},
    TypeEcosystem{"conan", "ConanCenter", NameForm::kName},
    TypeEcosystem{"deb", "Debian", NameForm::kName},  // refined by the namespace (ubuntu)
    TypeEcosystem{"apk", "Alpine", NameForm::kName},
    TypeEcosystem{"rpm", "Red Hat", NameForm::kName},
    TypeEcosystem{"bitnami", "Bitnami", NameForm::kName},
};

}  // namespace

std::string_view BaseEcosystem(std::string_view ecosystem) {
  return ecosystem.substr(0, ecosystem.find(':'));
}

std::optional<PackageKey> PackageKeyFromPurl(const Purl& purl) {
  const auto* row = std::find_if(kTypeEcosystems.begin(), kTypeEcosystems.end(),
                                 [&](const TypeEcosystem& t) { return t.purl_type == purl.type; });
  if (row == kTypeEcosystems.end() || purl.name.empty()) {
    return std::nullopt;
  }
  PackageKey key{std::string(row->ecosystem), purl.name};
  if (!purl.namespace_path.empty()) {
    switch (row->form) {
      case NameForm::kSlash:
        key.name = purl.namespace_path + "/" + purl.name;
        break;
      case NameForm::kColon:
        key.name = purl.namespace_path + ":" + purl.name;
        break;
      case NameForm::kName:
        break;
    }
  } else if (row->form == NameForm::kColon) {
    return std::nullopt;  // a Maven artifact without its group cannot be matched
  }
  // Distribution packages: the namespace names the distribution.
  if (purl.type == "deb" && ToLowerAscii(purl.namespace_path) == "ubuntu") {
    key.ecosystem = "Ubuntu";
  } else if (purl.type == "rpm") {
    const std::string ns = ToLowerAscii(purl.namespace_path);
    if (ns == "opensuse") {
      key.ecosystem = "openSUSE";
    } else if (ns == "suse") {
      key.ecosystem = "SUSE";
    } else if (ns == "rocky") {
      key.ecosystem = "Rocky Linux";
    } else if (ns == "almalinux") {
      key.ecosystem = "AlmaLinux";
    }
  } else if (purl.type == "apk" && ToLowerAscii(purl.namespace_path) == "wolfi") {
    key.ecosystem = "Wolfi";
  }
  return key;
}

std::string NormalizePackageName(std::string_view ecosystem, std::string_view name) {
  const std::string_view base = BaseEcosystem(ecosystem);
  if (base == "PyPI") {
    // PEP 503: lower case, every run of '-', '_' and '.' becomes a single '-'.
    std::string out;
    out.reserve(name.size());
    bool in_run = false;
    for (const char c : name) {
      if (c == '-' || c == '_' || c == '.') {
        if (!in_run) {
          out.push_back('-');
        }
        in_run = true;
      } else {
        out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
        in_run = false;
      }
    }
    return out;
  }
  if (base == "crates.io") {
    std::string out = ToLowerAscii(name);
    std::replace(out.begin(), out.end(), '_', '-');
    return out;
  }
  if (base == "npm" || base == "NuGet" || base == "Packagist" || base == "RubyGems") {
    return ToLowerAscii(name);
  }
  return std::string(name);
}

}  // namespace hoshi::sbom
