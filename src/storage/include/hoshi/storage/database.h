// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "hoshi/core/crypto.h"
#include "hoshi/core/embedded.h"
#include "hoshi/core/result.h"

namespace hoshi::storage {

/// The SQL dialects hoshitori supports. Migrations exist once per dialect.
enum class Dialect { kSqlite, kPostgres };
[[nodiscard]] std::string_view DialectName(Dialect dialect);

/// A bound parameter or a column value. Text is UTF-8; Bytes is a BLOB / BYTEA.
using Value = std::variant<std::nullptr_t, std::int64_t, double, std::string, Bytes>;

/// One result row. Column access is by index (in SELECT order); getters fail with kInternal on a
/// type mismatch (a programming error in the query) and never throw.
class Row {
 public:
  explicit Row(std::vector<Value> values) : values_(std::move(values)) {}
  [[nodiscard]] std::size_t size() const { return values_.size(); }
  [[nodiscard]] bool IsNull(std::size_t col) const;
  [[nodiscard]] Result<std::int64_t> GetInt(std::size_t col) const;
  [[nodiscard]] Result<double> GetDouble(std::size_t col) const;
  [[nodiscard]] Result<std::string> GetText(std::size_t col) const;
  [[nodiscard]] Result<Bytes> GetBytes(std::size_t col) const;
  [[nodiscard]] const Value& at(std::size_t col) const { return values_.at(col); }

 private:
  std::vector<Value> values_;
};

/// A fully materialised query result.
struct ResultSet {
  std::vector<std::string> columns;
  std::vector<Row> rows;
  std::int64_t rows_affected = 0;  ///< for INSERT/UPDATE/DELETE
};

/// A prepared statement with `?` placeholders (rewritten to $n for PostgreSQL). Bound to its
/// connection, which must outlive it. Not thread-safe.
class Statement {
 public:
  virtual ~Statement() = default;
  [[nodiscard]] virtual Result<ResultSet> Execute(std::span<const Value> params) = 0;
};

/// One database connection. Use from one thread at a time. Errors: kUnavailable when the server
/// is unreachable, kAlreadyExists on a unique/primary-key violation, kFailedPrecondition on other
/// constraint violations, kInternal otherwise. Error messages never contain SQL or server text;
/// that goes to Error::detail() for the log.
class Connection {
 public:
  virtual ~Connection() = default;
  [[nodiscard]] virtual Dialect dialect() const = 0;
  [[nodiscard]] virtual Result<std::unique_ptr<Statement>> Prepare(std::string_view sql) = 0;
  /// Prepares (cached per SQL text) and executes one statement.
  [[nodiscard]] virtual Result<ResultSet> Query(std::string_view sql,
                                                std::span<const Value> params = {}) = 0;
  /// Runs several statements separated by semicolons, without parameters (migrations).
  [[nodiscard]] virtual Status ExecuteScript(std::string_view sql) = 0;
  [[nodiscard]] virtual Status Begin() = 0;
  [[nodiscard]] virtual Status Commit() = 0;
  [[nodiscard]] virtual Status Rollback() = 0;
  [[nodiscard]] virtual bool in_transaction() const = 0;
};

/// Opens a connection from a URL:
///   "sqlite::memory:"              a private in-memory database
///   "sqlite:PATH" or a bare PATH   a database file (created if missing; WAL mode, foreign keys on)
///   "postgres://..." / "postgresql://..." / "host=... dbname=..."   PostgreSQL via libpq
/// Errors: kInvalidArgument (bad URL or PostgreSQL not compiled in), kUnavailable, kIoError.
[[nodiscard]] Result<std::unique_ptr<Connection>> Open(std::string_view url);

/// RAII transaction: rolls back on destruction unless committed.
class Transaction {
 public:
  [[nodiscard]] static Result<Transaction> Begin(Connection& conn);
  /// Begins a transaction, or joins the one already open on `conn` (then Commit() and the
  /// destructor leave it to its owner). Lets a store's multi-statement write run inside a
  /// caller's larger transaction (a state change and its audit event commit together).
  [[nodiscard]] static Result<Transaction> BeginOrJoin(Connection& conn);
  Transaction(Transaction&& other) noexcept;
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();
  [[nodiscard]] Status Commit();

 private:
  explicit Transaction(Connection* conn, bool owns = true) : conn_(conn), owns_(owns) {}
  Connection* conn_;
  bool owns_ = true;
};

/// One numbered migration (`NNNN_name.sql`).
struct Migration {
  int number = 0;
  std::string name;
  std::string_view sql;
};

/// The migrations embedded for `dialect`, sorted by number. Numbers are contiguous from 1 and
/// identical across dialects (a test checks both).
[[nodiscard]] std::vector<Migration> Migrations(Dialect dialect);

/// Applies every pending migration, each in its own transaction, recording it in
/// `schema_migrations(version, name, applied_at)`. Idempotent. Returns how many were applied.
[[nodiscard]] Result<int> Migrate(Connection& conn);
/// The highest applied migration number (0 for an empty database).
[[nodiscard]] Result<int> SchemaVersion(Connection& conn);

}  // namespace hoshi::storage
