// SPDX-License-Identifier: Apache-2.0
#include "sql_text.h"

#include <gtest/gtest.h>

namespace hoshi::storage::detail {
namespace {

TEST(RewritePlaceholdersTest, NumbersPlaceholdersInOrder) {
  const RewrittenSql r = RewritePlaceholders("INSERT INTO t (a, b, c) VALUES (?, ?, ?)");
  EXPECT_EQ(r.sql, "INSERT INTO t (a, b, c) VALUES ($1, $2, $3)");
  EXPECT_EQ(r.param_count, 3);
}

TEST(RewritePlaceholdersTest, NoPlaceholders) {
  const RewrittenSql r = RewritePlaceholders("SELECT 1");
  EXPECT_EQ(r.sql, "SELECT 1");
  EXPECT_EQ(r.param_count, 0);
}

TEST(RewritePlaceholdersTest, SkipsStringLiterals) {
  const RewrittenSql r = RewritePlaceholders(R"(SELECT '?', 'it''s ?', ? WHERE x = '??')");
  EXPECT_EQ(r.sql, R"(SELECT '?', 'it''s ?', $1 WHERE x = '??')");
  EXPECT_EQ(r.param_count, 1);
}

TEST(RewritePlaceholdersTest, SkipsEscapeStrings) {
  // In E'...' a backslash escapes the quote, so the string runs to the second quote.
  const RewrittenSql r = RewritePlaceholders(R"(SELECT E'\'?', ?, e'a\\', ?)");
  EXPECT_EQ(r.sql, R"(SELECT E'\'?', $1, e'a\\', $2)");
  EXPECT_EQ(r.param_count, 2);
}

TEST(RewritePlaceholdersTest, BackslashIsOrdinaryInStandardStrings) {
  const RewrittenSql r = RewritePlaceholders(R"(SELECT 'a\', ?)");
  EXPECT_EQ(r.sql, R"(SELECT 'a\', $1)");
}

TEST(RewritePlaceholdersTest, EscapeStringPrefixNeedsTokenBoundary) {
  // Only a standalone E opens an escape string; in "type'" the quote opens a standard string
  // (not valid SQL, but the scanner must not read the backslash as an escape).
  const RewrittenSql r = RewritePlaceholders(R"(SELECT type'a', ?)");
  EXPECT_EQ(r.sql, R"(SELECT type'a', $1)");
  EXPECT_EQ(r.param_count, 1);
}

TEST(RewritePlaceholdersTest, SkipsQuotedIdentifiers) {
  const RewrittenSql r = RewritePlaceholders(R"(INSERT INTO "t?" ("col?", "a""?") VALUES (?, ?))");
  EXPECT_EQ(r.sql, R"(INSERT INTO "t?" ("col?", "a""?") VALUES ($1, $2))");
  EXPECT_EQ(r.param_count, 2);
}

TEST(RewritePlaceholdersTest, SkipsComments) {
  const RewrittenSql r =
      RewritePlaceholders("SELECT ? -- what?\n, /* a ? /* nested ? */ still ? */ ?");
  EXPECT_EQ(r.sql, "SELECT $1 -- what?\n, /* a ? /* nested ? */ still ? */ $2");
  EXPECT_EQ(r.param_count, 2);
}

TEST(RewritePlaceholdersTest, SkipsDollarQuotes) {
  const RewrittenSql r = RewritePlaceholders("SELECT $$?$$, $fn$ ? $x$ ? $fn$, ?, a$b");
  EXPECT_EQ(r.sql, "SELECT $$?$$, $fn$ ? $x$ ? $fn$, $1, a$b");
  EXPECT_EQ(r.param_count, 1);
}

TEST(RewritePlaceholdersTest, DollarNumberIsNotAQuote) {
  const RewrittenSql r = RewritePlaceholders("SELECT $1, ?");
  EXPECT_EQ(r.sql, "SELECT $1, $1");
}

TEST(RewritePlaceholdersTest, UnterminatedLiteralIsCopied) {
  const RewrittenSql r = RewritePlaceholders("SELECT ?, 'abc ?");
  EXPECT_EQ(r.sql, "SELECT $1, 'abc ?");
  EXPECT_EQ(r.param_count, 1);
}

TEST(RewritePlaceholdersTest, JapaneseTextAndIdentifiers) {
  const RewrittenSql r = RewritePlaceholders("SELECT '日本語？?' AS 列, ? FROM 表");
  EXPECT_EQ(r.sql, "SELECT '日本語？?' AS 列, $1 FROM 表");
}

TEST(RedactDsnTest, UrlPassword) {
  EXPECT_EQ(RedactDsn("postgresql://postgres:s3cr%40t@127.0.0.1:5432/db"),
            "postgresql://postgres:***@127.0.0.1:5432/db");
  EXPECT_EQ(RedactDsn("postgres://user@host/db"), "postgres://user@host/db");
  EXPECT_EQ(RedactDsn("postgres://host/db"), "postgres://host/db");
}

TEST(RedactDsnTest, UrlQueryPassword) {
  EXPECT_EQ(RedactDsn("postgresql://u@h/db?sslmode=require&password=hunter2&x=1"),
            "postgresql://u@h/db?sslmode=require&password=***&x=1");
  EXPECT_EQ(RedactDsn("postgresql:///db?password=hunter2"), "postgresql:///db?password=***");
}

TEST(RedactDsnTest, PasswordWithAtSign) {
  // user info ends at the LAST '@' of the authority
  const std::string redacted = RedactDsn("postgresql://u:p@ss@h:1/db");
  EXPECT_EQ(redacted, "postgresql://u:***@h:1/db");
}

TEST(RedactDsnTest, KeywordPassword) {
  EXPECT_EQ(RedactDsn("host=h dbname=d password=hunter2 user=u"),
            "host=h dbname=d password=*** user=u");
  EXPECT_EQ(RedactDsn("host=h password = 'a b\\' c' user=u"), "host=h password=*** user=u");
  EXPECT_EQ(RedactDsn("PASSWORD=x"), "password=***");
  EXPECT_EQ(RedactDsn("host=h passwordfile=x"), "host=h passwordfile=x");
}

TEST(LooksLikePostgresTest, Forms) {
  EXPECT_TRUE(LooksLikePostgres("postgres://h/db"));
  EXPECT_TRUE(LooksLikePostgres("postgresql://h/db"));
  EXPECT_TRUE(LooksLikePostgres("host=localhost dbname=x"));
  EXPECT_TRUE(LooksLikePostgres(" dbname = x"));
  EXPECT_FALSE(LooksLikePostgres("/var/lib/hoshitori/db.sqlite"));
  EXPECT_FALSE(LooksLikePostgres("mysql://h/db"));
  EXPECT_FALSE(LooksLikePostgres("sqlite:x.db"));
  EXPECT_FALSE(LooksLikePostgres(""));
}

TEST(AbbreviateTest, CutsAtUtf8Boundary) {
  EXPECT_EQ(Abbreviate("abc", 5), "abc");
  EXPECT_EQ(Abbreviate("abcdef", 3), "abc…");
  // "日" is 3 bytes; cutting at 4 must not split "本".
  EXPECT_EQ(Abbreviate("日本語", 4), "日…");
}

}  // namespace
}  // namespace hoshi::storage::detail
