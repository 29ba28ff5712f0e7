// SPDX-License-Identifier: Apache-2.0
// Private to the storage module: dialect-independent SQL text helpers (no database library needed,
// so they are unit-tested without a server).
#pragma once

#include <string>
#include <string_view>

namespace hoshi::storage::detail {

/// SQL with `?` placeholders rewritten to PostgreSQL's `$1..$n`.
struct RewrittenSql {
  std::string sql;
  int param_count = 0;
};

/// Rewrites each `?` outside string literals ('...', E'...'), quoted identifiers ("..."), dollar
/// quotes ($tag$...$tag$) and comments (-- and nested /* */) to `$n`, numbering from 1.
/// Unterminated literals are copied unchanged; the server reports them.
[[nodiscard]] RewrittenSql RewritePlaceholders(std::string_view sql);

/// `dsn` with any password replaced by "***": the password of a URL's user info, a `password=`
/// URL query parameter, and a `password=` keyword (quoted or not) of a libpq keyword string.
[[nodiscard]] std::string RedactDsn(std::string_view dsn);

/// True for what Open() sends to libpq: "postgres://", "postgresql://" or a keyword string whose
/// first token is `keyword=`.
[[nodiscard]] bool LooksLikePostgres(std::string_view url);

/// The first `max_chars` bytes of `text` (cut at a UTF-8 boundary), with "…" when cut. For details.
[[nodiscard]] std::string Abbreviate(std::string_view text, std::size_t max_chars = 500);

}  // namespace hoshi::storage::detail
