// SPDX-License-Identifier: Apache-2.0
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

#include <gtest/gtest.h>

#include "hoshi/api/platform.h"

namespace hoshi::api {
namespace {

// docs/api/openapi.yaml is generated from the route table; this fails when it is stale.
// HOSHI_UPDATE_GOLDEN=1 rewrites it.
TEST(OpenApi, DocumentIsCurrent) {
  const std::string path = std::string(HOSHI_SOURCE_DIR) + "/docs/api/openapi.yaml";
  const std::string generated = OpenApiYaml();
  const char* update = std::getenv("HOSHI_UPDATE_GOLDEN");  // NOLINT(concurrency-mt-unsafe)
  if (update != nullptr && std::string(update) == "1") {
    std::ofstream(path, std::ios::binary) << generated;
  }
  std::ifstream in(path, std::ios::binary);
  ASSERT_TRUE(in) << path << " is missing; run with HOSHI_UPDATE_GOLDEN=1";
  std::stringstream stored;
  stored << in.rdbuf();
  const std::string have = stored.str();
  std::size_t line = 1;
  std::size_t i = 0;
  while (i < have.size() && i < generated.size() && have[i] == generated[i]) {
    line += have[i] == '\n' ? 1 : 0;
    ++i;
  }
  EXPECT_TRUE(have == generated) << "docs/api/openapi.yaml is stale from line " << line
                                 << "; regenerate with HOSHI_UPDATE_GOLDEN=1";
}

// The route table of docs/api.md sits between two markers and is generated like the OpenAPI
// document; HOSHI_UPDATE_GOLDEN=1 rewrites it in place.
TEST(OpenApi, RouteTableInApiMdIsCurrent) {
  const std::string path = std::string(HOSHI_SOURCE_DIR) + "/docs/api.md";
  constexpr std::string_view kBegin = "<!-- routes:begin";
  constexpr std::string_view kEnd = "<!-- routes:end -->";
  std::ifstream in(path, std::ios::binary);
  ASSERT_TRUE(in) << path;
  std::stringstream stored;
  stored << in.rdbuf();
  std::string doc = stored.str();
  const std::size_t begin = doc.find(kBegin);
  ASSERT_NE(begin, std::string::npos) << "docs/api.md lacks the " << kBegin << " marker";
  const std::size_t first = doc.find('\n', begin) + 1;
  const std::size_t end = doc.find(kEnd, first);
  ASSERT_NE(end, std::string::npos) << "docs/api.md lacks the " << kEnd << " marker";
  const std::string generated = RouteTableMarkdown();
  const char* update = std::getenv("HOSHI_UPDATE_GOLDEN");  // NOLINT(concurrency-mt-unsafe)
  if (update != nullptr && std::string(update) == "1") {
    doc.replace(first, end - first, generated);
    std::ofstream(path, std::ios::binary) << doc;
    return;
  }
  EXPECT_EQ(doc.substr(first, end - first), generated)
      << "the route table in docs/api.md is stale; regenerate with HOSHI_UPDATE_GOLDEN=1";
}

TEST(OpenApi, EveryRouteIsDocumentedOnceUnderApiV1) {
  const std::string doc = OpenApiYaml();
  std::set<std::string> seen;
  for (const Route& r : Routes()) {
    // TAXII 2.1 fixes its discovery endpoint at /taxii2/; everything else is under /api/v1/.
    EXPECT_TRUE(r.path.substr(0, 8) == "/api/v1/" || r.path.substr(0, 8) == "/taxii2/") << r.path;
    const std::string key = std::string(r.method) + " " + std::string(r.path);
    EXPECT_TRUE(seen.insert(key).second) << "duplicate route " << key;
    EXPECT_NE(doc.find("\n  " + std::string(r.path) + ":\n"), std::string::npos) << r.path;
    EXPECT_FALSE(r.summary_ja.empty());
    EXPECT_FALSE(r.summary_en.empty());
    EXPECT_FALSE(r.who.empty());
  }
}

}  // namespace
}  // namespace hoshi::api
