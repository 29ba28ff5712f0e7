// SPDX-License-Identifier: Apache-2.0
// Private to the storage module: the PostgreSQL (libpq) backend of hoshi::storage::Connection.
#pragma once

#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "hoshi/storage/database.h"

struct pg_conn;

namespace hoshi::storage::detail {

class PostgresConnection;

/// A server-side prepared statement (`?` rewritten to `$n`). Parameters are sent as text, except
/// Bytes, which go as binary bytea; the server infers the other types from the SQL. One server
/// statement is prepared per pattern of Bytes/non-Bytes parameters (normally just one).
/// The connection must outlive it.
class PostgresStatement final : public Statement {
 public:
  PostgresStatement(PostgresConnection* conn, std::string sql, std::string rewritten,
                    int param_count)
      : conn_(conn),
        sql_(std::move(sql)),
        rewritten_(std::move(rewritten)),
        param_count_(param_count) {}
  ~PostgresStatement() override;
  PostgresStatement(const PostgresStatement&) = delete;
  PostgresStatement& operator=(const PostgresStatement&) = delete;

  [[nodiscard]] Result<ResultSet> Execute(std::span<const Value> params) override;

 private:
  friend class PostgresConnection;
  /// Prepares the variant for `signature` ('b' per Bytes parameter, 'u' otherwise) if needed.
  [[nodiscard]] Result<const std::string*> PreparedName(const std::string& signature);
  /// Execute() without the per-statement savepoint.
  [[nodiscard]] Result<ResultSet> ExecuteUnguarded(std::span<const Value> params);

  PostgresConnection* conn_;
  std::string sql_;        // as given, for error details
  std::string rewritten_;  // with $n placeholders
  int param_count_;
  std::map<std::string, std::string> prepared_;  // signature -> server statement name
};

/// A libpq connection. Inside a transaction every statement runs under a savepoint, so a failed
/// statement leaves the transaction usable, as on SQLite. Query() caches statements per SQL text.
class PostgresConnection final : public Connection {
 public:
  /// Connects with a URL or keyword string. The password never appears in errors or details.
  [[nodiscard]] static Result<std::unique_ptr<Connection>> Open(std::string_view dsn);
  ~PostgresConnection() override;
  PostgresConnection(const PostgresConnection&) = delete;
  PostgresConnection& operator=(const PostgresConnection&) = delete;

  [[nodiscard]] Dialect dialect() const override { return Dialect::kPostgres; }
  [[nodiscard]] Result<std::unique_ptr<Statement>> Prepare(std::string_view sql) override;
  [[nodiscard]] Result<ResultSet> Query(std::string_view sql,
                                        std::span<const Value> params = {}) override;
  [[nodiscard]] Status ExecuteScript(std::string_view sql) override;
  [[nodiscard]] Status Begin() override;
  [[nodiscard]] Status Commit() override;
  [[nodiscard]] Status Rollback() override;
  [[nodiscard]] bool in_transaction() const override;

 private:
  friend class PostgresStatement;
  explicit PostgresConnection(pg_conn* conn) : conn_(conn) {}

  [[nodiscard]] Result<std::unique_ptr<PostgresStatement>> PrepareStatement(std::string_view sql);
  /// Runs `fn` under a savepoint when a transaction is open, rolling back to it on failure.
  template <typename Fn>
  [[nodiscard]] auto Guarded(Fn&& fn) -> decltype(fn());
  /// Guarded(), run a second time if the first attempt hit a stale cached plan.
  template <typename Fn>
  [[nodiscard]] auto GuardedWithRetry(Fn&& fn) -> decltype(fn());
  /// Runs parameterless SQL through the simple-query protocol (may hold several statements).
  [[nodiscard]] Status Exec(const std::string& sql, std::string* command_status = nullptr);
  [[nodiscard]] std::string NextStatementName();
  /// Drops a server-side statement now, or after the current transaction (a failing DEALLOCATE
  /// must never abort the caller's transaction).
  void Deallocate(std::string name);
  void FlushDeallocations();

  pg_conn* conn_;
  std::unordered_map<std::string, std::unique_ptr<PostgresStatement>> cache_;
  std::vector<std::string> pending_deallocations_;
  std::uint64_t statement_counter_ = 0;
  bool closing_ = false;
  bool stale_plan_ = false;  // set by PostgresStatement when the server rejected a stale plan
};

/// Open() for PostgreSQL URLs (see hoshi::storage::Open).
[[nodiscard]] inline Result<std::unique_ptr<Connection>> OpenPostgres(std::string_view dsn) {
  return PostgresConnection::Open(dsn);
}

}  // namespace hoshi::storage::detail
