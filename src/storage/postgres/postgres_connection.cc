// SPDX-License-Identifier: Apache-2.0
#include "postgres/postgres_connection.h"

#include <charconv>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <libpq-fe.h>

#include "hoshi/storage/messages.h"

#include "sql_text.h"

namespace hoshi::storage::detail {
namespace {

// Type OIDs from PostgreSQL's catalog/pg_type_d.h (stable across versions; the server headers
// are not part of libpq-dev).
constexpr Oid kBoolOid = 16;
constexpr Oid kByteaOid = 17;
constexpr Oid kInt8Oid = 20;
constexpr Oid kInt2Oid = 21;
constexpr Oid kInt4Oid = 23;
constexpr Oid kFloat4Oid = 700;
constexpr Oid kFloat8Oid = 701;
constexpr Oid kNumericOid = 1700;

constexpr std::size_t kMaxCachedStatements = 256;
constexpr const char* kSavepoint = "SAVEPOINT hoshi_statement";
constexpr const char* kReleaseSavepoint = "RELEASE SAVEPOINT hoshi_statement";
constexpr const char* kRollbackToSavepoint = "ROLLBACK TO SAVEPOINT hoshi_statement";
// feature_not_supported, raised as "cached plan must not change result type".
constexpr std::string_view kStalePlanState = "0A000";

struct ResultDeleter {
  void operator()(PGresult* res) const { PQclear(res); }
};
using ResultPtr = std::unique_ptr<PGresult, ResultDeleter>;

std::string TrimEnd(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) {
    text.pop_back();
  }
  return text;
}

// Maps a failed result (or a failed connection when `res` is null) to our error. The server's
// message and the SQL go to the detail only.
Error PostgresError(PGconn* conn, const PGresult* res, std::string_view sql) {
  const char* state = res != nullptr ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
  const std::string sqlstate = state != nullptr ? state : "";
  const char* result_message = res != nullptr ? PQresultErrorMessage(res) : nullptr;
  const std::string message = TrimEnd(
      result_message != nullptr && *result_message != '\0' ? result_message : PQerrorMessage(conn));
  ErrorCode code = ErrorCode::kInternal;
  std::string_view key = "storage.query_failed";
  if (PQstatus(conn) != CONNECTION_OK || sqlstate.starts_with("08") ||
      sqlstate.starts_with("57P") || sqlstate == "53300") {
    // connection exception, admin/crash shutdown, cannot connect now, too many connections
    code = ErrorCode::kUnavailable;
    key = "storage.unavailable";
  } else if (sqlstate == "23505") {
    code = ErrorCode::kAlreadyExists;
    key = "storage.duplicate";
  } else if (sqlstate.starts_with("23")) {
    code = ErrorCode::kFailedPrecondition;
    key = "storage.constraint";
  } else if (sqlstate == "40001" || sqlstate == "40P01" || sqlstate == "55P03") {
    // serialization failure, deadlock, lock not available: retrying later can succeed
    code = ErrorCode::kUnavailable;
    key = "storage.busy";
  } else if (sqlstate.starts_with("22")) {
    // data exception: a value out of range or not valid for its column
    code = ErrorCode::kInvalidArgument;
    key = "storage.bad_value";
  }
  return MakeError(code, StorageMessages(), key)
      .WithDetail(fmt::format("postgres error (SQLSTATE {}): {}; sql: {}",
                              sqlstate.empty() ? "none" : sqlstate, message, Abbreviate(sql)));
}

bool ResultOk(const PGresult* res) {
  if (res == nullptr) {
    return false;
  }
  const ExecStatusType status = PQresultStatus(res);
  return status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
}

Error ParseError(Oid type, std::string_view text, std::string_view sql) {
  return MakeError(ErrorCode::kInternal, StorageMessages(), "storage.column_type")
      .WithDetail(fmt::format("cannot parse value of type oid {} ({} bytes); sql: {}", type,
                              text.size(), Abbreviate(sql)));
}

Result<Value> ParseValue(Oid type, const char* data, int length, std::string_view sql) {
  const std::string_view text(data, static_cast<std::size_t>(length));
  switch (type) {
    case kInt2Oid:
    case kInt4Oid:
    case kInt8Oid: {
      std::int64_t v = 0;
      const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
      if (ec != std::errc() || ptr != text.data() + text.size()) {
        return ParseError(type, text, sql);
      }
      return Value(v);
    }
    case kFloat4Oid:
    case kFloat8Oid:
    case kNumericOid: {
      double v = 0;
      const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
      if (ec == std::errc::result_out_of_range) {
        // A numeric beyond double's range: fall back to strtod's ±HUGE_VAL / 0.
        const std::string copy(text);
        return Value(std::strtod(copy.c_str(), nullptr));
      }
      if (ec != std::errc() || ptr != text.data() + text.size()) {
        return ParseError(type, text, sql);
      }
      return Value(v);
    }
    case kBoolOid:
      return Value(std::int64_t{text == "t" ? 1 : 0});
    case kByteaOid: {
      std::size_t size = 0;
      unsigned char* raw = PQunescapeBytea(reinterpret_cast<const unsigned char*>(data), &size);
      if (raw == nullptr) {
        return ParseError(type, text, sql);
      }
      Bytes bytes(raw, raw + size);
      PQfreemem(raw);
      return Value(std::move(bytes));
    }
    default:
      return Value(std::string(text));
  }
}

Result<ResultSet> ToResultSet(const PGresult* res, std::string_view sql) {
  ResultSet out;
  const int fields = PQnfields(res);
  const int tuples = PQntuples(res);
  out.columns.reserve(static_cast<std::size_t>(fields));
  std::vector<Oid> types;
  types.reserve(static_cast<std::size_t>(fields));
  for (int f = 0; f < fields; ++f) {
    out.columns.emplace_back(PQfname(res, f));
    types.push_back(PQftype(res, f));
  }
  out.rows.reserve(static_cast<std::size_t>(tuples));
  for (int r = 0; r < tuples; ++r) {
    std::vector<Value> values;
    values.reserve(static_cast<std::size_t>(fields));
    for (int f = 0; f < fields; ++f) {
      if (PQgetisnull(res, r, f) != 0) {
        values.emplace_back(nullptr);
        continue;
      }
      HOSHI_ASSIGN_OR_RETURN(Value v,
                             ParseValue(types[static_cast<std::size_t>(f)], PQgetvalue(res, r, f),
                                        PQgetlength(res, r, f), sql));
      values.push_back(std::move(v));
    }
    out.rows.emplace_back(std::move(values));
  }
  const std::string_view command = PQcmdStatus(const_cast<PGresult*>(res));
  if (command.starts_with("INSERT") || command.starts_with("UPDATE") ||
      command.starts_with("DELETE") || command.starts_with("MERGE")) {
    const std::string_view count = PQcmdTuples(const_cast<PGresult*>(res));
    std::int64_t n = 0;
    std::from_chars(count.data(), count.data() + count.size(), n);
    out.rows_affected = n;
  }
  return out;
}

// Replaces every occurrence of `secret` in `text` (defence in depth for libpq's messages).
std::string Scrub(std::string text, const std::string& secret) {
  if (secret.empty()) {
    return text;
  }
  std::size_t pos = 0;
  while ((pos = text.find(secret, pos)) != std::string::npos) {
    text.replace(pos, secret.size(), "***");
    pos += 3;
  }
  return text;
}

void IgnoreNotice(void* /*arg*/, const char* /*message*/) {
  // Server notices ("table does not exist, skipping", …) are not errors and are never shown.
}

}  // namespace

// Defined before its first use in PostgresStatement::Execute.
template <typename Fn>
auto PostgresConnection::Guarded(Fn&& fn) -> decltype(fn()) {
  if (PQtransactionStatus(conn_) != PQTRANS_INTRANS) {
    return fn();
  }
  if (Status s = Exec(kSavepoint); !s.ok()) {
    return std::move(s).error();
  }
  auto result = fn();
  if (result.ok()) {
    if (Status s = Exec(kReleaseSavepoint); !s.ok()) {
      return std::move(s).error();
    }
  } else {
    // If these fail too, the connection is gone and the next call reports it.
    Exec(kRollbackToSavepoint).IgnoreError();
    Exec(kReleaseSavepoint).IgnoreError();
  }
  return result;
}

template <typename Fn>
auto PostgresConnection::GuardedWithRetry(Fn&& fn) -> decltype(fn()) {
  stale_plan_ = false;
  auto result = Guarded(fn);
  if (!result.ok() && stale_plan_) {
    // The savepoint (or autocommit) already undid the failed attempt.
    stale_plan_ = false;
    result = Guarded(fn);
  }
  return result;
}

// ---- PostgresStatement -----------------------------------------------------------------------

PostgresStatement::~PostgresStatement() {
  for (auto& [signature, name] : prepared_) {
    conn_->Deallocate(std::move(name));
  }
}

Result<const std::string*> PostgresStatement::PreparedName(const std::string& signature) {
  if (auto it = prepared_.find(signature); it != prepared_.end()) {
    return &it->second;
  }
  std::vector<Oid> types(signature.size(), 0);
  for (std::size_t i = 0; i < signature.size(); ++i) {
    if (signature[i] == 'b') {
      types[i] = kByteaOid;
    }
  }
  std::string name = conn_->NextStatementName();
  const ResultPtr res(PQprepare(conn_->conn_, name.c_str(), rewritten_.c_str(), param_count_,
                                types.empty() ? nullptr : types.data()));
  if (!ResultOk(res.get())) {
    return PostgresError(conn_->conn_, res.get(), sql_);
  }
  return &prepared_.emplace(signature, std::move(name)).first->second;
}

Result<ResultSet> PostgresStatement::ExecuteUnguarded(std::span<const Value> params) {
  if (params.size() != static_cast<std::size_t>(param_count_)) {
    return MakeError(ErrorCode::kInternal, StorageMessages(), "storage.bad_parameters")
        .WithDetail(fmt::format("statement takes {} parameters, got {}; sql: {}", param_count_,
                                params.size(), Abbreviate(sql_)));
  }
  static constexpr char kEmpty[] = "";
  const std::size_t n = params.size();
  std::string signature(n, 'u');
  std::vector<std::string> text(n);
  std::vector<const char*> values(n, nullptr);
  std::vector<int> lengths(n, 0);
  std::vector<int> formats(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    const Value& param = params[i];
    if (const auto* v = std::get_if<std::int64_t>(&param)) {
      text[i] = std::to_string(*v);
      values[i] = text[i].c_str();
    } else if (const auto* d = std::get_if<double>(&param)) {
      text[i] = fmt::format("{}", *d);  // shortest text that reads back to the same double
      values[i] = text[i].c_str();
    } else if (const auto* s = std::get_if<std::string>(&param)) {
      if (s->find('\0') != std::string::npos) {
        return MakeError(ErrorCode::kInvalidArgument, StorageMessages(), "storage.bad_value")
            .WithDetail(fmt::format("parameter {} contains a NUL character; sql: {}", i + 1,
                                    Abbreviate(sql_)));
      }
      values[i] = s->c_str();
    } else if (const auto* b = std::get_if<Bytes>(&param)) {
      signature[i] = 'b';
      // A null pointer would send NULL; an empty bytea needs a non-null pointer.
      values[i] = b->empty() ? kEmpty : reinterpret_cast<const char*>(b->data());
      lengths[i] = static_cast<int>(b->size());
      formats[i] = 1;
    }
  }
  HOSHI_ASSIGN_OR_RETURN(const std::string* name, PreparedName(signature));
  const ResultPtr res(PQexecPrepared(conn_->conn_, name->c_str(), static_cast<int>(n),
                                     values.data(), lengths.data(), formats.data(),
                                     /*resultFormat=*/0));
  if (!ResultOk(res.get())) {
    const char* state = res != nullptr ? PQresultErrorField(res.get(), PG_DIAG_SQLSTATE) : nullptr;
    if (state != nullptr && std::string_view(state) == kStalePlanState) {
      // "cached plan must not change result type": the table changed under the prepared
      // statement. Drop it; the caller's retry prepares it afresh (SQLite does this by itself).
      conn_->Deallocate(std::move(prepared_.at(signature)));
      prepared_.erase(signature);
      conn_->stale_plan_ = true;
    }
    return PostgresError(conn_->conn_, res.get(), sql_);
  }
  return ToResultSet(res.get(), sql_);
}

Result<ResultSet> PostgresStatement::Execute(std::span<const Value> params) {
  return conn_->GuardedWithRetry([&] { return ExecuteUnguarded(params); });
}

// ---- PostgresConnection ----------------------------------------------------------------------

Result<std::unique_ptr<Connection>> PostgresConnection::Open(std::string_view dsn) {
  const std::string conninfo(dsn);
  char* parse_error = nullptr;
  PQconninfoOption* options = PQconninfoParse(conninfo.c_str(), &parse_error);
  if (options == nullptr) {
    // libpq's message may quote parts of the string (and so the password): not passed on.
    PQfreemem(parse_error);
    return MakeError(ErrorCode::kInvalidArgument, StorageMessages(), "storage.bad_url")
        .WithDetail(fmt::format("invalid PostgreSQL connection string: {}", RedactDsn(dsn)));
  }
  std::string password;
  for (const PQconninfoOption* o = options; o->keyword != nullptr; ++o) {
    if (std::string_view(o->keyword) == "password" && o->val != nullptr) {
      password = o->val;
    }
  }
  PQconninfoFree(options);

  // Later entries override earlier ones; the expanded dsn overrides the defaults before it, and
  // the client encoding is always UTF-8.
  const char* const keywords[] = {"connect_timeout", "application_name", "dbname",
                                  "client_encoding", nullptr};
  const char* const values[] = {"10", "hoshitori", conninfo.c_str(), "UTF8", nullptr};
  PGconn* conn = PQconnectdbParams(keywords, values, /*expand_dbname=*/1);
  if (conn == nullptr) {
    return MakeError(ErrorCode::kUnavailable, StorageMessages(), "storage.unavailable")
        .WithDetail("libpq could not allocate a connection");
  }
  if (PQstatus(conn) != CONNECTION_OK) {
    const std::string message = Scrub(TrimEnd(PQerrorMessage(conn)), password);
    PQfinish(conn);
    return MakeError(ErrorCode::kUnavailable, StorageMessages(), "storage.unavailable")
        .WithDetail(fmt::format("cannot connect to {}: {}", RedactDsn(dsn), message));
  }
  PQsetNoticeProcessor(conn, IgnoreNotice, nullptr);
  return std::unique_ptr<Connection>(new PostgresConnection(conn));
}

PostgresConnection::~PostgresConnection() {
  closing_ = true;  // PQfinish drops every server-side statement; no DEALLOCATE round trips
  cache_.clear();
  PQfinish(conn_);
}

std::string PostgresConnection::NextStatementName() {
  return fmt::format("hoshi_s{}", ++statement_counter_);
}

void PostgresConnection::Deallocate(std::string name) {
  if (closing_ || PQstatus(conn_) != CONNECTION_OK) {
    return;
  }
  pending_deallocations_.push_back(std::move(name));
  if (!in_transaction()) {
    FlushDeallocations();
  }
}

void PostgresConnection::FlushDeallocations() {
  for (const std::string& name : pending_deallocations_) {
    // Best effort: a leftover statement only costs server memory until the connection closes.
    Exec("DEALLOCATE " + name).IgnoreError();
  }
  pending_deallocations_.clear();
}

Status PostgresConnection::Exec(const std::string& sql, std::string* command_status) {
  const ResultPtr res(PQexec(conn_, sql.c_str()));
  if (!ResultOk(res.get())) {
    return PostgresError(conn_, res.get(), sql);
  }
  if (command_status != nullptr) {
    *command_status = PQcmdStatus(res.get());
  }
  return Status::Ok();
}

Result<std::unique_ptr<PostgresStatement>> PostgresConnection::PrepareStatement(
    std::string_view sql) {
  RewrittenSql rewritten = RewritePlaceholders(sql);
  auto statement = std::make_unique<PostgresStatement>(
      this, std::string(sql), std::move(rewritten.sql), rewritten.param_count);
  // Prepare the common variant now, so that errors in the SQL surface here.
  HOSHI_RETURN_IF_ERROR(
      statement->PreparedName(std::string(static_cast<std::size_t>(rewritten.param_count), 'u')));
  return statement;
}

Result<std::unique_ptr<Statement>> PostgresConnection::Prepare(std::string_view sql) {
  return Guarded([&]() -> Result<std::unique_ptr<Statement>> {
    HOSHI_ASSIGN_OR_RETURN(std::unique_ptr<PostgresStatement> statement, PrepareStatement(sql));
    return std::unique_ptr<Statement>(std::move(statement));
  });
}

Result<ResultSet> PostgresConnection::Query(std::string_view sql, std::span<const Value> params) {
  return GuardedWithRetry([&]() -> Result<ResultSet> {
    const std::string key(sql);
    if (auto it = cache_.find(key); it != cache_.end()) {
      return it->second->ExecuteUnguarded(params);
    }
    RewrittenSql rewritten = RewritePlaceholders(sql);
    auto statement = std::make_unique<PostgresStatement>(this, key, std::move(rewritten.sql),
                                                         rewritten.param_count);
    // Prepared lazily for the actual parameter types; cached once the server accepted it.
    Result<ResultSet> result = statement->ExecuteUnguarded(params);
    if (!statement->prepared_.empty()) {
      if (cache_.size() >= kMaxCachedStatements) {
        cache_.clear();
      }
      cache_.emplace(key, std::move(statement));
    }
    return result;
  });
}

Status PostgresConnection::ExecuteScript(std::string_view sql) {
  const std::string script(sql);
  return Guarded([&] { return Exec(script); });
}

Status PostgresConnection::Begin() {
  if (in_transaction()) {
    return MakeError(ErrorCode::kFailedPrecondition, StorageMessages(),
                     "storage.nested_transaction")
        .WithDetail("Begin inside a transaction");
  }
  return Exec("BEGIN");
}

Status PostgresConnection::Commit() {
  const PGTransactionStatusType status = PQtransactionStatus(conn_);
  if (status == PQTRANS_IDLE || status == PQTRANS_UNKNOWN) {
    if (status == PQTRANS_UNKNOWN) {
      return PostgresError(conn_, nullptr, "COMMIT");
    }
    return MakeError(ErrorCode::kFailedPrecondition, StorageMessages(), "storage.no_transaction")
        .WithDetail("Commit outside a transaction");
  }
  std::string command;
  Status result = Exec("COMMIT", &command);
  // COMMIT of a failed transaction "succeeds" with the tag ROLLBACK.
  if (result.ok() && command == "ROLLBACK") {
    result =
        MakeError(ErrorCode::kFailedPrecondition, StorageMessages(), "storage.transaction_aborted")
            .WithDetail("COMMIT of an aborted transaction rolled it back");
  }
  if (!in_transaction()) {
    FlushDeallocations();
  }
  return result;
}

Status PostgresConnection::Rollback() {
  if (!in_transaction()) {
    return Status::Ok();
  }
  Status result = Exec("ROLLBACK");
  if (!in_transaction()) {
    FlushDeallocations();
  }
  return result;
}

bool PostgresConnection::in_transaction() const {
  const PGTransactionStatusType status = PQtransactionStatus(conn_);
  return status == PQTRANS_INTRANS || status == PQTRANS_INERROR || status == PQTRANS_ACTIVE;
}

}  // namespace hoshi::storage::detail
