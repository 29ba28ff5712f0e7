// SPDX-License-Identifier: Apache-2.0
#include "hoshi/api/static_site.h"

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "hoshi/core/crypto.h"

namespace hoshi::api {
namespace {

class StaticSiteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = std::filesystem::temp_directory_path() / ("hoshi-site-" + ToHex(RandomBytes(6)));
    root_ = base_ / "dist";
    std::filesystem::create_directories(root_ / "assets");
    Write(root_ / "index.html", "<!doctype html><title>星取り</title>");
    Write(root_ / "assets" / "app-1234.js", "console.log(1)");
    Write(base_ / "secret.txt", "outside");
    std::filesystem::create_symlink(base_ / "secret.txt", root_ / "link.txt");
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(base_, ec);
  }
  static void Write(const std::filesystem::path& p, std::string_view text) {
    std::ofstream(p, std::ios::binary) << text;
  }
  static http::Request Get(std::string path, std::string method = "GET") {
    http::Request r;
    r.method = std::move(method);
    r.path = path;
    r.target = path;
    return r;
  }
  static std::string Header(const http::Response& r, std::string_view name) {
    for (const auto& h : r.headers) {
      if (h.name == name) {
        return h.value;
      }
    }
    return {};
  }
  std::filesystem::path base_;
  std::filesystem::path root_;
};

TEST_F(StaticSiteTest, ServesFilesIndexAndSpaFallback) {
  StaticSite site(root_);
  ASSERT_TRUE(site.available());
  auto index = site.Serve(Get("/"));
  ASSERT_TRUE(index.has_value());
  EXPECT_EQ(index->content_type, "text/html; charset=utf-8");
  EXPECT_NE(index->body.find("星取り"), std::string::npos);
  EXPECT_EQ(Header(*index, "Cache-Control"), "no-cache");
  EXPECT_NE(Header(*index, "Content-Security-Policy").find("frame-ancestors 'none'"),
            std::string::npos);
  auto js = site.Serve(Get("/assets/app-1234.js"));
  ASSERT_TRUE(js.has_value());
  EXPECT_EQ(js->content_type, "text/javascript; charset=utf-8");
  EXPECT_NE(Header(*js, "Cache-Control").find("immutable"), std::string::npos);
  auto route = site.Serve(Get("/supplier/assessments/123"));  // client-side route
  ASSERT_TRUE(route.has_value());
  EXPECT_NE(route->body.find("星取り"), std::string::npos);
  auto head = site.Serve(Get("/", "HEAD"));
  ASSERT_TRUE(head.has_value());
  EXPECT_TRUE(head->body.empty());
}

TEST_F(StaticSiteTest, LeavesApiAndUnknownAssetsAloneAndNeverLeavesTheRoot) {
  StaticSite site(root_);
  EXPECT_FALSE(site.Serve(Get("/api/v1/me")).has_value());
  EXPECT_FALSE(site.Serve(Get("/healthz")).has_value());
  EXPECT_FALSE(site.Serve(Get("/", "POST")).has_value());
  EXPECT_FALSE(site.Serve(Get("/assets/missing.js")).has_value());
  EXPECT_FALSE(site.Serve(Get("/link.txt")).has_value());  // a symlink out of the root
  StaticSite none(base_ / "nowhere");
  EXPECT_FALSE(none.available());
  EXPECT_FALSE(none.Serve(Get("/")).has_value());
}

}  // namespace
}  // namespace hoshi::api
