// SPDX-License-Identifier: Apache-2.0
#include "sqlite/sqlite_connection.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <system_error>
#include <utility>

#include <fmt/format.h>
#include <sqlite3.h>

#include "hoshi/storage/messages.h"

#include "sql_text.h"

namespace hoshi::storage::detail {
namespace {

constexpr int kBusyTimeoutMs = 5000;
// Query() caches statements per SQL text; programs use a fixed set of texts, so this bound only
// matters for code that builds SQL dynamically.
constexpr std::size_t kMaxCachedStatements = 256;

// Maps a SQLite result code to our error, keeping SQLite's message and the SQL in the detail only.
Error SqliteError(sqlite3* db, int rc, std::string_view sql) {
  const int code = db != nullptr ? sqlite3_extended_errcode(db) : rc;
  const char* message = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  ErrorCode error_code = ErrorCode::kInternal;
  std::string_view key = "storage.query_failed";
  switch (code & 0xff) {
    case SQLITE_CONSTRAINT:
      if (code == SQLITE_CONSTRAINT_UNIQUE || code == SQLITE_CONSTRAINT_PRIMARYKEY ||
          code == SQLITE_CONSTRAINT_ROWID) {
        error_code = ErrorCode::kAlreadyExists;
        key = "storage.duplicate";
      } else {
        error_code = ErrorCode::kFailedPrecondition;
        key = "storage.constraint";
      }
      break;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      error_code = ErrorCode::kUnavailable;
      key = "storage.busy";
      break;
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
    case SQLITE_PERM:
      error_code = ErrorCode::kIoError;
      key = "storage.io";
      break;
    case SQLITE_TOOBIG:
    case SQLITE_RANGE:
    case SQLITE_MISMATCH:
      error_code = ErrorCode::kInvalidArgument;
      key = "storage.bad_value";
      break;
    default:
      break;
  }
  return MakeError(error_code, StorageMessages(), key)
      .WithDetail(fmt::format("sqlite error {} ({}): {}; sql: {}", code, sqlite3_errstr(code),
                              message != nullptr ? message : "", Abbreviate(sql)));
}

Value ColumnValue(sqlite3_stmt* stmt, int col) {
  switch (sqlite3_column_type(stmt, col)) {
    case SQLITE_INTEGER:
      return std::int64_t{sqlite3_column_int64(stmt, col)};
    case SQLITE_FLOAT:
      return sqlite3_column_double(stmt, col);
    case SQLITE_TEXT: {
      const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, col));
      const int size = sqlite3_column_bytes(stmt, col);
      return text == nullptr ? std::string() : std::string(text, static_cast<std::size_t>(size));
    }
    case SQLITE_BLOB: {
      const auto* data = static_cast<const std::uint8_t*>(sqlite3_column_blob(stmt, col));
      const int size = sqlite3_column_bytes(stmt, col);
      return data == nullptr ? Bytes() : Bytes(data, data + size);
    }
    default:
      return nullptr;
  }
}

int Bind(sqlite3_stmt* stmt, int index, const Value& value) {
  struct Binder {
    sqlite3_stmt* stmt;
    int index;
    int operator()(std::nullptr_t) const { return sqlite3_bind_null(stmt, index); }
    int operator()(std::int64_t v) const { return sqlite3_bind_int64(stmt, index, v); }
    int operator()(double v) const { return sqlite3_bind_double(stmt, index, v); }
    int operator()(const std::string& v) const {
      return sqlite3_bind_text64(stmt, index, v.data(), v.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
    }
    int operator()(const Bytes& v) const {
      // A null pointer would bind NULL; an empty BLOB must stay an empty BLOB.
      if (v.empty()) {
        return sqlite3_bind_zeroblob(stmt, index, 0);
      }
      return sqlite3_bind_blob64(stmt, index, v.data(), v.size(), SQLITE_TRANSIENT);
    }
  };
  return std::visit(Binder{stmt, index}, value);
}

std::string ErrnoText(int err) {
  return std::error_code(err, std::generic_category()).message();
}

}  // namespace

// ---- SqliteStatement -------------------------------------------------------------------------

SqliteStatement::~SqliteStatement() {
  sqlite3_finalize(stmt_);
}

Result<ResultSet> SqliteStatement::Execute(std::span<const Value> params) {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  const int expected = sqlite3_bind_parameter_count(stmt_);
  if (params.size() != static_cast<std::size_t>(expected)) {
    return MakeError(ErrorCode::kInternal, StorageMessages(), "storage.bad_parameters")
        .WithDetail(fmt::format("statement takes {} parameters, got {}; sql: {}", expected,
                                params.size(), Abbreviate(sql_)));
  }
  for (std::size_t i = 0; i < params.size(); ++i) {
    const int rc = Bind(stmt_, static_cast<int>(i) + 1, params[i]);
    if (rc != SQLITE_OK) {
      Error error = SqliteError(db_, rc, sql_);
      sqlite3_clear_bindings(stmt_);
      return error;
    }
  }

  ResultSet result;
  int columns = 0;
  bool first_step = true;
  const sqlite3_int64 total_before = sqlite3_total_changes64(db_);
  while (true) {
    const int rc = sqlite3_step(stmt_);
    if (first_step && (rc == SQLITE_ROW || rc == SQLITE_DONE)) {
      // Read the columns only now: the first step re-prepares the statement if the schema
      // changed since it was prepared (e.g. "SELECT *" after ALTER TABLE).
      first_step = false;
      columns = sqlite3_column_count(stmt_);
      result.columns.reserve(static_cast<std::size_t>(columns));
      for (int c = 0; c < columns; ++c) {
        const char* name = sqlite3_column_name(stmt_, c);
        result.columns.emplace_back(name != nullptr ? name : "");
      }
    }
    if (rc == SQLITE_ROW) {
      std::vector<Value> values;
      values.reserve(static_cast<std::size_t>(columns));
      for (int c = 0; c < columns; ++c) {
        values.push_back(ColumnValue(stmt_, c));
      }
      result.rows.emplace_back(std::move(values));
      continue;
    }
    if (rc == SQLITE_DONE) {
      break;
    }
    Error error = SqliteError(db_, rc, sql_);
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
    return error;
  }
  // sqlite3_changes64() keeps the count of the last INSERT/UPDATE/DELETE, even across later DDL;
  // only report it when this statement changed something.
  if (!sqlite3_stmt_readonly(stmt_) && sqlite3_total_changes64(db_) != total_before) {
    result.rows_affected = sqlite3_changes64(db_);
  }
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  return result;
}

// ---- SqliteConnection ------------------------------------------------------------------------

Result<std::unique_ptr<Connection>> SqliteConnection::Open(const std::string& path,
                                                           bool in_memory) {
  std::string file = in_memory ? std::string(":memory:") : path;
  if (!in_memory) {
    // Some builds of SQLite read "file:..." as a URI; a plain path must stay a path.
    if (file.starts_with("file:")) {
      file = "./" + file;
    }
    // Create a new database file private to its owner; SQLite gives the -wal and -shm files the
    // same permissions.
    const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd >= 0) {
      ::close(fd);
    } else if (errno != EEXIST) {
      const int err = errno;
      return MakeError(ErrorCode::kIoError, StorageMessages(), "storage.io")
          .WithDetail(fmt::format("cannot create SQLite database {}: {}", file, ErrnoText(err)));
    }
  }
  sqlite3* db = nullptr;
  const int flags =
      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
  const int rc = sqlite3_open_v2(file.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    Error error = SqliteError(db, rc, "");
    sqlite3_close_v2(db);
    return MakeError(ErrorCode::kIoError, StorageMessages(), "storage.io")
        .WithDetail(fmt::format("cannot open SQLite database {}: {}", file, error.detail()));
  }
  std::unique_ptr<SqliteConnection> conn(new SqliteConnection(db));
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, kBusyTimeoutMs);
  // Hardening: no writes to the schema tables through SQL, no SQL functions run from the schema.
  sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, nullptr);
  sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, nullptr);
  std::vector<const char*> pragmas = {"PRAGMA foreign_keys = ON"};
  if (!in_memory) {
    pragmas.push_back("PRAGMA journal_mode = WAL");
    pragmas.push_back("PRAGMA synchronous = NORMAL");
  }
  for (const char* pragma : pragmas) {
    if (Status s = conn->Exec(pragma); !s.ok()) {
      // Typically "file is not a database" or a locked/unreadable file.
      const Error& error = s.error();
      return MakeError(error.code() == ErrorCode::kUnavailable ? ErrorCode::kUnavailable
                                                               : ErrorCode::kIoError,
                       StorageMessages(),
                       error.code() == ErrorCode::kUnavailable ? "storage.busy" : "storage.io")
          .WithDetail(fmt::format("{}: {}", file, error.detail()));
    }
  }
  return std::unique_ptr<Connection>(std::move(conn));
}

SqliteConnection::~SqliteConnection() {
  cache_.clear();  // finalize cached statements before closing
  // close_v2 defers the close until any Statement still alive is finalized.
  sqlite3_close_v2(db_);
}

Result<std::unique_ptr<SqliteStatement>> SqliteConnection::PrepareStatement(std::string_view sql,
                                                                            bool persistent) {
  sqlite3_stmt* stmt = nullptr;
  const char* tail = nullptr;
  const int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                    persistent ? SQLITE_PREPARE_PERSISTENT : 0, &stmt, &tail);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(stmt);
    return SqliteError(db_, rc, sql);
  }
  auto statement = std::make_unique<SqliteStatement>(db_, stmt, std::string(sql));
  if (stmt == nullptr) {
    return MakeError(ErrorCode::kInternal, StorageMessages(), "storage.query_failed")
        .WithDetail("empty SQL statement");
  }
  // Exactly one statement: anything after it other than blanks, ';' and comments is an error
  // (ExecuteScript runs several).
  const char* end = sql.data() + sql.size();
  if (tail != nullptr && tail < end) {
    sqlite3_stmt* extra = nullptr;
    const int tail_rc =
        sqlite3_prepare_v3(db_, tail, static_cast<int>(end - tail), 0, &extra, nullptr);
    sqlite3_finalize(extra);
    if (tail_rc != SQLITE_OK || extra != nullptr) {
      return MakeError(ErrorCode::kInternal, StorageMessages(), "storage.query_failed")
          .WithDetail(fmt::format("more than one statement in: {}", Abbreviate(sql)));
    }
  }
  return statement;
}

Result<std::unique_ptr<Statement>> SqliteConnection::Prepare(std::string_view sql) {
  HOSHI_ASSIGN_OR_RETURN(std::unique_ptr<SqliteStatement> statement,
                         PrepareStatement(sql, /*persistent=*/false));
  return std::unique_ptr<Statement>(std::move(statement));
}

Result<ResultSet> SqliteConnection::Query(std::string_view sql, std::span<const Value> params) {
  auto it = cache_.find(std::string(sql));
  if (it == cache_.end()) {
    HOSHI_ASSIGN_OR_RETURN(std::unique_ptr<SqliteStatement> statement,
                           PrepareStatement(sql, /*persistent=*/true));
    if (cache_.size() >= kMaxCachedStatements) {
      cache_.clear();
    }
    it = cache_.emplace(std::string(sql), std::move(statement)).first;
  }
  return it->second->Execute(params);
}

Status SqliteConnection::Exec(const char* sql) {
  const int rc = sqlite3_exec(db_, sql, nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) {
    return SqliteError(db_, rc, sql);
  }
  return Status::Ok();
}

Status SqliteConnection::ExecuteScript(std::string_view sql) {
  // sqlite3_exec stops at the first failing statement but keeps the ones before it. Under a
  // savepoint the script is all-or-nothing, as a multi-statement query is on PostgreSQL (and a
  // failed script inside a transaction leaves that transaction as it was).
  const std::string script(sql);  // sqlite3_exec needs a NUL-terminated string
  HOSHI_RETURN_IF_ERROR(Exec("SAVEPOINT hoshi_script"));
  Status status = Exec(script.c_str());
  if (status.ok()) {
    status = Exec("RELEASE hoshi_script");
  }
  if (!status.ok()) {
    // Fails only if the script itself ended the transaction; the script's error is what matters.
    Exec("ROLLBACK TO hoshi_script").IgnoreError();
    Exec("RELEASE hoshi_script").IgnoreError();
  }
  return status;
}

Status SqliteConnection::Begin() {
  if (in_transaction()) {
    return MakeError(ErrorCode::kFailedPrecondition, StorageMessages(),
                     "storage.nested_transaction")
        .WithDetail("Begin inside a transaction");
  }
  // IMMEDIATE takes the write lock now, so a reader never has to upgrade later and fail with
  // SQLITE_BUSY where the busy timeout cannot help.
  return Exec("BEGIN IMMEDIATE");
}

Status SqliteConnection::Commit() {
  if (!in_transaction()) {
    return MakeError(ErrorCode::kFailedPrecondition, StorageMessages(), "storage.no_transaction")
        .WithDetail("Commit outside a transaction (or it was rolled back by an error)");
  }
  return Exec("COMMIT");
}

Status SqliteConnection::Rollback() {
  if (!in_transaction()) {
    return Status::Ok();  // nothing to undo (SQLite may already have rolled back on an error)
  }
  return Exec("ROLLBACK");
}

bool SqliteConnection::in_transaction() const {
  return sqlite3_get_autocommit(db_) == 0;
}

}  // namespace hoshi::storage::detail
