// SPDX-License-Identifier: Apache-2.0
#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "hoshi/core/error_code.h"
#include "hoshi/core/json.h"
#include "hoshi/http/server.h"

#include "internal.h"

namespace hoshi::http {
namespace {

using Query = std::vector<std::pair<std::string, std::string>>;

TEST(HttpTargetTest, DecodesPathAndQuery) {
  const Result<ParsedTarget> parsed = ParseTarget("/a%20b/c?x=1&y=hello+world&z=%E6%97%A5%2B");
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->path, "/a b/c");
  EXPECT_EQ(parsed->query, (Query{{"x", "1"}, {"y", "hello world"}, {"z", "日+"}}));
}

TEST(HttpTargetTest, PlusInPathIsLiteral) {
  const Result<ParsedTarget> parsed = ParseTarget("/a+b");
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->path, "/a+b");
  EXPECT_TRUE(parsed->query.empty());
}

TEST(HttpTargetTest, KeepsOrderDuplicatesAndEmptyValues) {
  const Result<ParsedTarget> parsed = ParseTarget("/?a=1&b=2&a=3&flag&&=v&c=");
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->path, "/");
  EXPECT_EQ(parsed->query,
            (Query{{"a", "1"}, {"b", "2"}, {"a", "3"}, {"flag", ""}, {"", "v"}, {"c", ""}}));
}

TEST(HttpTargetTest, IgnoresFragment) {
  const Result<ParsedTarget> parsed = ParseTarget("/x?a=1#frag");
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->path, "/x");
  EXPECT_EQ(parsed->query, (Query{{"a", "1"}}));
}

TEST(HttpTargetTest, RejectsInvalidEscapes) {
  for (const char* target : {"/a%2", "/a%", "/a%zz", "/a%2g", "/?q=%G1", "/?%=1", "/?q=%"}) {
    const Result<ParsedTarget> parsed = ParseTarget(target);
    ASSERT_FALSE(parsed.ok()) << target;
    EXPECT_EQ(parsed.error().code(), ErrorCode::kInvalidArgument);
    EXPECT_EQ(parsed.error().reason(), "http.bad_target");
  }
}

TEST(HttpTargetTest, RejectsNulAndControlCharactersInPath) {
  for (const char* target : {"/a%00b", "/a%0Ab", "/a%0d", "/%7f", "/?q=%00", "/?%00=1"}) {
    EXPECT_FALSE(ParseTarget(target).ok()) << target;
  }
  // A newline in a query value is data (e.g. a search text), not a path problem.
  const Result<ParsedTarget> parsed = ParseTarget("/?q=a%0Ab");
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->query, (Query{{"q", "a\nb"}}));
}

TEST(HttpTargetTest, RejectsDotSegments) {
  for (const char* target : {"/a/../b", "/..", "/a/.", "/./a", "/a/%2e%2e/b", "/a/%2E/b"}) {
    EXPECT_FALSE(ParseTarget(target).ok()) << target;
  }
  for (const char* target : {"/a/..b", "/.well-known/x", "/a/b.", "/a//b"}) {
    EXPECT_TRUE(ParseTarget(target).ok()) << target;
  }
}

TEST(HttpTargetTest, RequiresOriginForm) {
  for (const char* target : {"", "*", "http://example.com/x", "a/b", "?q=1"}) {
    EXPECT_FALSE(ParseTarget(target).ok()) << target;
  }
}

TEST(HttpTargetTest, PercentDecodeHandlesPlus) {
  std::string out;
  ASSERT_TRUE(detail::PercentDecode("a+b%2B", true, out));
  EXPECT_EQ(out, "a b+");
  ASSERT_TRUE(detail::PercentDecode("a+b%2B", false, out));
  EXPECT_EQ(out, "a+b+");
  EXPECT_FALSE(detail::PercentDecode("%4", false, out));
}

TEST(HttpLangTest, AcceptLanguage) {
  EXPECT_EQ(LangFromAcceptLanguage(""), Lang::kJa);
  EXPECT_EQ(LangFromAcceptLanguage("en"), Lang::kEn);
  EXPECT_EQ(LangFromAcceptLanguage("EN-gb"), Lang::kEn);
  EXPECT_EQ(LangFromAcceptLanguage("en-US,en;q=0.9"), Lang::kEn);
  EXPECT_EQ(LangFromAcceptLanguage("ja,en;q=0.8"), Lang::kJa);
  EXPECT_EQ(LangFromAcceptLanguage("ja-JP"), Lang::kJa);
  EXPECT_EQ(LangFromAcceptLanguage("fr, en;q=0.5"), Lang::kEn);
  EXPECT_EQ(LangFromAcceptLanguage("en;q=0.5, ja;q=0.9"), Lang::kJa);
  EXPECT_EQ(LangFromAcceptLanguage("ja;q=0.4, en ; q=0.6"), Lang::kEn);
  EXPECT_EQ(LangFromAcceptLanguage("en;q=0"), Lang::kJa);
  EXPECT_EQ(LangFromAcceptLanguage("fr"), Lang::kJa);
  EXPECT_EQ(LangFromAcceptLanguage("*"), Lang::kJa);
  EXPECT_EQ(LangFromAcceptLanguage("english"), Lang::kJa);  // not a language tag
  EXPECT_EQ(LangFromAcceptLanguage("en;q=bogus"), Lang::kJa);
}

TEST(HttpRequestTest, HeaderAndQueryLookup) {
  Request request;
  request.headers = {{"Content-Type", "text/plain"}, {"X-Dup", "1"}, {"x-dup", "2"}};
  request.query = {{"a", "1"}, {"a", "2"}, {"B", "3"}};
  EXPECT_EQ(request.HeaderValue("content-type"), "text/plain");
  EXPECT_EQ(request.HeaderValue("X-DUP"), "1");
  EXPECT_EQ(request.HeaderValue("Missing"), "");
  EXPECT_EQ(request.QueryValue("a"), "1");
  EXPECT_EQ(request.QueryValue("b"), "");  // query names are case-sensitive
  EXPECT_EQ(request.QueryValue("B"), "3");
  EXPECT_EQ(request.PreferredLang(), Lang::kJa);
  request.headers.push_back({"accept-language", "en-US"});
  EXPECT_EQ(request.PreferredLang(), Lang::kEn);
}

TEST(HttpErrorResponseTest, ShapeStatusAndNoDetail) {
  const Error error =
      MakeError(ErrorCode::kTooLarge, HttpMessages(), "http.body_too_large", "1,024")
          .WithDetail("secret detail /etc/shadow");
  const Response en = ErrorResponse(error, Lang::kEn, "req-1");
  EXPECT_EQ(en.status, 413);
  EXPECT_EQ(en.content_type, "application/json; charset=utf-8");
  EXPECT_EQ(en.body.find("secret"), std::string::npos);
  const Result<Json> json = ParseJson(en.body);
  ASSERT_TRUE(json.ok()) << en.body;
  const Json& e = (*json)["error"];
  EXPECT_EQ(e["code"], "too_large");
  EXPECT_EQ(e["reason"], "http.body_too_large");
  EXPECT_EQ(e["message"], "The request body is too large (limit 1,024 bytes).");
  EXPECT_EQ(e["request_id"], "req-1");
  EXPECT_EQ(json->size(), 1U);
  EXPECT_EQ(e.size(), 4U);

  const Response ja = ErrorResponse(error, Lang::kJa, "req-1");
  const Result<Json> ja_json = ParseJson(ja.body);
  ASSERT_TRUE(ja_json.ok());
  EXPECT_EQ((*ja_json)["error"]["message"], "リクエスト本文が大きすぎます（上限 1,024 バイト）。");
}

TEST(HttpErrorResponseTest, ReasonOmittedWhenEmptyAndStatusFromTable) {
  const Error error(ErrorCode::kNotFound, LocalizedText{"見つかりません。", "Not found."});
  const Response response = ErrorResponse(error, Lang::kJa, "r");
  EXPECT_EQ(response.status, 404);
  const Result<Json> json = ParseJson(response.body);
  ASSERT_TRUE(json.ok());
  EXPECT_FALSE((*json)["error"].contains("reason"));
  EXPECT_EQ((*json)["error"]["code"], "not_found");
  EXPECT_EQ((*json)["error"]["message"], "見つかりません。");
}

TEST(HttpUtilTest, EscapeForLog) {
  EXPECT_EQ(detail::EscapeForLog("/a b"), "/a b");
  EXPECT_EQ(detail::EscapeForLog("a\nb\"c\\"), "a\\x0ab\\x22c\\x5c");
  EXPECT_EQ(detail::EscapeForLog("\x1b[31m"), "\\x1b[31m");
  EXPECT_EQ(detail::EscapeForLog("日"), "\\xe6\\x97\\xa5");
}

TEST(HttpUtilTest, HttpDate) {
  const auto t = std::chrono::system_clock::time_point(std::chrono::seconds(784111777));
  EXPECT_EQ(detail::HttpDate(t), "Sun, 06 Nov 1994 08:49:37 GMT");
}

TEST(HttpUtilTest, IEquals) {
  EXPECT_TRUE(detail::IEquals("Content-Length", "content-length"));
  EXPECT_FALSE(detail::IEquals("Content-Length", "content-lengt"));
  EXPECT_FALSE(detail::IEquals("a", "b"));
}

}  // namespace
}  // namespace hoshi::http
