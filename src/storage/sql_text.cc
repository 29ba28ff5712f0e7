// SPDX-License-Identifier: Apache-2.0
#include "sql_text.h"

#include <cstddef>
#include <string>

namespace hoshi::storage::detail {
namespace {

bool IsIdentStart(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;
}

bool IsIdentChar(char c) {
  return IsIdentStart(c) || (c >= '0' && c <= '9') || c == '$';
}

char Lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

// End (one past the closing quote) of a quoted run starting at `begin` (the opening quote).
// A doubled quote is an escaped quote; with `backslash_escapes`, so is a backslash pair.
std::size_t QuotedEnd(std::string_view sql, std::size_t begin, char quote, bool backslash_escapes) {
  std::size_t i = begin + 1;
  while (i < sql.size()) {
    if (backslash_escapes && sql[i] == '\\') {
      i += 2;
      continue;
    }
    if (sql[i] == quote) {
      if (i + 1 < sql.size() && sql[i + 1] == quote) {
        i += 2;
        continue;
      }
      return i + 1;
    }
    ++i;
  }
  return sql.size();
}

// End of a PostgreSQL dollar-quoted string starting at `begin`, or npos when `begin` does not
// open one ($$ or $tag$, where the tag is an identifier without '$').
std::size_t DollarQuoteEnd(std::string_view sql, std::size_t begin) {
  std::size_t i = begin + 1;
  if (i < sql.size() && sql[i] != '$') {
    if (!IsIdentStart(sql[i])) {
      return std::string_view::npos;  // "$1" and the like
    }
    while (i < sql.size() && IsIdentChar(sql[i]) && sql[i] != '$') {
      ++i;
    }
  }
  if (i >= sql.size() || sql[i] != '$') {
    return std::string_view::npos;
  }
  const std::string_view tag = sql.substr(begin, i - begin + 1);
  const std::size_t close = sql.find(tag, i + 1);
  return close == std::string_view::npos ? sql.size() : close + tag.size();
}

std::size_t BlockCommentEnd(std::string_view sql, std::size_t begin) {
  int depth = 0;
  std::size_t i = begin;
  while (i + 1 < sql.size()) {
    if (sql[i] == '/' && sql[i + 1] == '*') {
      ++depth;
      i += 2;
    } else if (sql[i] == '*' && sql[i + 1] == '/') {
      --depth;
      i += 2;
      if (depth == 0) {
        return i;
      }
    } else {
      ++i;
    }
  }
  return sql.size();
}

bool StartsWithNoCase(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) {
    return false;
  }
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (Lower(text[i]) != Lower(prefix[i])) {
      return false;
    }
  }
  return true;
}

// Replaces the value of every `password=` (case-insensitive, optional blanks around '=') whose
// keyword starts at a token boundary. `url_query` values end at '&' or '#'; keyword values end at
// a blank unless quoted with '.
std::string RedactPasswordParams(std::string_view text, bool url_query) {
  constexpr std::string_view kKey = "password";
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    const bool boundary = i == 0 || text[i - 1] == ' ' || text[i - 1] == '\t' ||
                          text[i - 1] == '\n' || text[i - 1] == '?' || text[i - 1] == '&';
    if (!boundary || !StartsWithNoCase(text.substr(i), kKey)) {
      out.push_back(text[i]);
      ++i;
      continue;
    }
    std::size_t j = i + kKey.size();
    while (j < text.size() && (text[j] == ' ' || text[j] == '\t')) {
      ++j;
    }
    if (j >= text.size() || text[j] != '=') {
      out.push_back(text[i]);
      ++i;
      continue;
    }
    ++j;
    while (!url_query && j < text.size() && (text[j] == ' ' || text[j] == '\t')) {
      ++j;
    }
    std::size_t end = j;
    if (url_query) {
      while (end < text.size() && text[end] != '&' && text[end] != '#') {
        ++end;
      }
    } else if (end < text.size() && text[end] == '\'') {
      end = QuotedEnd(text, end, '\'', /*backslash_escapes=*/true);
    } else {
      while (end < text.size() && text[end] != ' ' && text[end] != '\t' && text[end] != '\n') {
        ++end;
      }
    }
    out.append("password=***");
    i = end;
  }
  return out;
}

}  // namespace

RewrittenSql RewritePlaceholders(std::string_view sql) {
  RewrittenSql out;
  out.sql.reserve(sql.size() + 8);
  std::size_t i = 0;
  while (i < sql.size()) {
    const char c = sql[i];
    const char next = i + 1 < sql.size() ? sql[i + 1] : '\0';
    std::size_t end = i + 1;
    if (c == '\'') {
      // E'...' (and e'...') strings take backslash escapes; the E must be a token of its own.
      const bool escapes =
          i > 0 && (sql[i - 1] == 'E' || sql[i - 1] == 'e') && (i < 2 || !IsIdentChar(sql[i - 2]));
      end = QuotedEnd(sql, i, '\'', escapes);
    } else if (c == '"') {
      end = QuotedEnd(sql, i, '"', /*backslash_escapes=*/false);
    } else if (c == '-' && next == '-') {
      const std::size_t newline = sql.find('\n', i);
      end = newline == std::string_view::npos ? sql.size() : newline + 1;
    } else if (c == '/' && next == '*') {
      end = BlockCommentEnd(sql, i);
    } else if (c == '$' && (i == 0 || !IsIdentChar(sql[i - 1]))) {
      const std::size_t dollar_end = DollarQuoteEnd(sql, i);
      if (dollar_end != std::string_view::npos) {
        end = dollar_end;
      }
    } else if (c == '?') {
      out.sql.append("$").append(std::to_string(++out.param_count));
      i = end;
      continue;
    } else if (IsIdentStart(c)) {
      // Copy whole identifiers so that a '$' inside one (foo$bar) is never read as a quote.
      while (end < sql.size() && IsIdentChar(sql[end])) {
        ++end;
      }
      // An E right before a quote stays in the output; the quote branch looks back at it.
    }
    out.sql.append(sql.substr(i, end - i));
    i = end;
  }
  return out;
}

std::string RedactDsn(std::string_view dsn) {
  const std::size_t scheme = dsn.find("://");
  if (scheme == std::string_view::npos) {
    return RedactPasswordParams(dsn, /*url_query=*/false);
  }
  // postgresql://[user[:password]@][host][:port][/dbname][?param=value&...]
  const std::size_t authority_begin = scheme + 3;
  std::size_t authority_end = dsn.find_first_of("/?#", authority_begin);
  if (authority_end == std::string_view::npos) {
    authority_end = dsn.size();
  }
  const std::string_view authority = dsn.substr(authority_begin, authority_end - authority_begin);
  std::string out(dsn.substr(0, authority_begin));
  const std::size_t at = authority.rfind('@');
  if (at != std::string_view::npos) {
    const std::string_view userinfo = authority.substr(0, at);
    const std::size_t colon = userinfo.find(':');
    if (colon != std::string_view::npos) {
      out.append(userinfo.substr(0, colon)).append(":***");
    } else {
      out.append(userinfo);
    }
    out.append(authority.substr(at));
  } else {
    out.append(authority);
  }
  out.append(RedactPasswordParams(dsn.substr(authority_end), /*url_query=*/true));
  return out;
}

bool LooksLikePostgres(std::string_view url) {
  if (url.starts_with("postgres://") || url.starts_with("postgresql://")) {
    return true;
  }
  std::size_t i = 0;
  while (i < url.size() && (url[i] == ' ' || url[i] == '\t')) {
    ++i;
  }
  const std::size_t key_begin = i;
  while (i < url.size() && ((url[i] >= 'a' && url[i] <= 'z') || url[i] == '_')) {
    ++i;
  }
  if (i == key_begin) {
    return false;
  }
  while (i < url.size() && (url[i] == ' ' || url[i] == '\t')) {
    ++i;
  }
  return i < url.size() && url[i] == '=';
}

std::string Abbreviate(std::string_view text, std::size_t max_chars) {
  if (text.size() <= max_chars) {
    return std::string(text);
  }
  std::size_t cut = max_chars;
  // Do not split a UTF-8 sequence: back up over continuation bytes (10xxxxxx).
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) {
    --cut;
  }
  return std::string(text.substr(0, cut)) + "…";
}

}  // namespace hoshi::storage::detail
