// SPDX-License-Identifier: Apache-2.0
// purl → OSV package key, and the name normalisation of the index (data-driven).
#include <gtest/gtest.h>

#include "hoshi/sbom/document.h"

namespace hoshi::sbom {
namespace {

TEST(PackageKeyTest, FromPurl) {
  struct Case {
    const char* purl;
    const char* ecosystem;  ///< nullptr: not matchable
    const char* name;
  };
  const Case cases[] = {
      {"pkg:npm/%40angular/core@16.0.0", "npm", "@angular/core"},
      {"pkg:npm/lodash@4.17.20", "npm", "lodash"},
      {"pkg:pypi/django@4.2", "PyPI", "django"},
      {"pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1", "Maven",
       "org.apache.logging.log4j:log4j-core"},
      {"pkg:maven/log4j-core@2.14.1", nullptr, nullptr},  // no group: cannot be matched
      {"pkg:golang/github.com/gin-gonic/gin@v1.4.0", "Go", "github.com/gin-gonic/gin"},
      {"pkg:golang/golang.org/x/net@v0.17.0", "Go", "golang.org/x/net"},
      {"pkg:cargo/tokio@1.19.2", "crates.io", "tokio"},
      {"pkg:gem/rails@7.0.0", "RubyGems", "rails"},
      {"pkg:nuget/Newtonsoft.Json@13.0.1", "NuGet", "Newtonsoft.Json"},
      {"pkg:composer/laravel/framework@7.12.0", "Packagist", "laravel/framework"},
      {"pkg:deb/debian/openssl@3.0.11-1?distro=debian-12", "Debian", "openssl"},
      {"pkg:deb/ubuntu/openssl@3.0.2", "Ubuntu", "openssl"},
      {"pkg:rpm/redhat/openssl@3.0.7", "Red Hat", "openssl"},
      {"pkg:rpm/opensuse/curl@8.0", "openSUSE", "curl"},
      {"pkg:apk/alpine/musl@1.2.4", "Alpine", "musl"},
      {"pkg:apk/wolfi/glibc@2.38", "Wolfi", "glibc"},
      {"pkg:hex/phoenix@1.7.0", "Hex", "phoenix"},
      {"pkg:generic/openssl@3.0", nullptr, nullptr},
      {"pkg:github/package-url/purl-spec@1.0", nullptr, nullptr},
  };
  for (const auto& c : cases) {
    auto purl = ParsePurl(c.purl);
    ASSERT_TRUE(purl.ok()) << c.purl;
    const auto key = PackageKeyFromPurl(*purl);
    if (c.ecosystem == nullptr) {
      EXPECT_FALSE(key.has_value()) << c.purl;
      continue;
    }
    ASSERT_TRUE(key.has_value()) << c.purl;
    EXPECT_EQ(key->ecosystem, c.ecosystem) << c.purl;
    EXPECT_EQ(key->name, c.name) << c.purl;
  }
}

TEST(PackageKeyTest, NormalisedNames) {
  struct Case {
    const char* ecosystem;
    const char* name;
    const char* normalised;
  };
  const Case cases[] = {
      // PEP 503: lower case, runs of '-', '_', '.' become one '-'.
      {"PyPI", "Django", "django"},
      {"PyPI", "zope.interface", "zope-interface"},
      {"PyPI", "ruamel.yaml", "ruamel-yaml"},
      {"PyPI", "Foo__Bar-.baz", "foo-bar-baz"},
      {"PyPI", "PyYAML", "pyyaml"},
      // crates.io treats '-' and '_' as the same name, case-insensitively.
      {"crates.io", "pretty_env_logger", "pretty-env-logger"},
      {"crates.io", "Serde", "serde"},
      // Case-insensitive registries.
      {"npm", "JSONStream", "jsonstream"},
      {"NuGet", "Newtonsoft.Json", "newtonsoft.json"},
      {"Packagist", "Laravel/Framework", "laravel/framework"},
      {"RubyGems", "Rails", "rails"},
      // Case-sensitive: Go module paths, Maven coordinates, distributions.
      {"Go", "github.com/Azure/azure-sdk-for-go", "github.com/Azure/azure-sdk-for-go"},
      {"Maven", "org.Example:Lib", "org.Example:Lib"},
      {"Debian:12", "libC6", "libC6"},
      // A release suffix does not change the rules.
      {"PyPI:3.11", "Zope.Interface", "zope-interface"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(NormalizePackageName(c.ecosystem, c.name), c.normalised)
        << c.ecosystem << " " << c.name;
  }
  EXPECT_EQ(BaseEcosystem("Debian:12"), "Debian");
  EXPECT_EQ(BaseEcosystem("Alpine:v3.18"), "Alpine");
  EXPECT_EQ(BaseEcosystem("PyPI"), "PyPI");
}

}  // namespace
}  // namespace hoshi::sbom
