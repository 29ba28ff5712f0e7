// SPDX-License-Identifier: Apache-2.0
// Private to the storage module: the SQLite backend of hoshi::storage::Connection.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>

#include "hoshi/storage/database.h"

struct sqlite3;
struct sqlite3_stmt;

namespace hoshi::storage::detail {

/// A prepared SQLite statement. Owns its sqlite3_stmt; the connection must outlive it.
class SqliteStatement final : public Statement {
 public:
  SqliteStatement(sqlite3* db, sqlite3_stmt* stmt, std::string sql)
      : db_(db), stmt_(stmt), sql_(std::move(sql)) {}
  ~SqliteStatement() override;
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;

  [[nodiscard]] Result<ResultSet> Execute(std::span<const Value> params) override;

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
  std::string sql_;  // for error details only
};

/// A connection to one SQLite database (a file in WAL mode, or a private in-memory database),
/// with foreign keys enforced and a busy timeout. Query() caches prepared statements per SQL text.
class SqliteConnection final : public Connection {
 public:
  /// Opens `path` (created 0600 if missing), or a private in-memory database when `in_memory`.
  [[nodiscard]] static Result<std::unique_ptr<Connection>> Open(const std::string& path,
                                                                bool in_memory);
  ~SqliteConnection() override;
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  [[nodiscard]] Dialect dialect() const override { return Dialect::kSqlite; }
  [[nodiscard]] Result<std::unique_ptr<Statement>> Prepare(std::string_view sql) override;
  [[nodiscard]] Result<ResultSet> Query(std::string_view sql,
                                        std::span<const Value> params = {}) override;
  [[nodiscard]] Status ExecuteScript(std::string_view sql) override;
  [[nodiscard]] Status Begin() override;
  [[nodiscard]] Status Commit() override;
  [[nodiscard]] Status Rollback() override;
  [[nodiscard]] bool in_transaction() const override;

 private:
  explicit SqliteConnection(sqlite3* db) : db_(db) {}
  [[nodiscard]] Result<std::unique_ptr<SqliteStatement>> PrepareStatement(std::string_view sql,
                                                                          bool persistent);
  [[nodiscard]] Status Exec(const char* sql);

  sqlite3* db_;
  std::unordered_map<std::string, std::unique_ptr<SqliteStatement>> cache_;
};

/// Open() for the "sqlite:" URLs (see hoshi::storage::Open).
[[nodiscard]] inline Result<std::unique_ptr<Connection>> OpenSqlite(const std::string& path,
                                                                    bool in_memory) {
  return SqliteConnection::Open(path, in_memory);
}

}  // namespace hoshi::storage::detail
