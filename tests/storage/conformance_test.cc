// SPDX-License-Identifier: Apache-2.0
// Backend conformance: every test runs on SQLite in memory, SQLite in a file, and PostgreSQL.
// The PostgreSQL instances need HOSHI_TEST_PG_DSN (tools/pg-test-cluster.sh prints one) and skip
// without it. Each PostgreSQL test works in a schema of its own, so tests can run in parallel.
#include <sys/stat.h>

#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>

#include "hoshi/core/crypto.h"
#include "hoshi/storage/bulk_insert.h"
#include "hoshi/storage/database.h"

namespace hoshi::storage {
namespace {

namespace fs = std::filesystem;

#define HOSHI_ASSERT_OK(expr)                                                           \
  do {                                                                                  \
    const auto& hoshi_status_ = (expr);                                                 \
    ASSERT_TRUE(hoshi_status_.ok()) << #expr << ": " << hoshi_status_.error().detail(); \
  } while (false)

#define HOSHI_ASSERT_OK_AND_ASSIGN_IMPL(tmp, lhs, expr)           \
  auto tmp = (expr);                                              \
  ASSERT_TRUE(tmp.ok()) << #expr << ": " << tmp.error().detail(); \
  lhs = std::move(tmp).value()

#define HOSHI_ASSERT_OK_AND_ASSIGN(lhs, expr) \
  HOSHI_ASSERT_OK_AND_ASSIGN_IMPL(HOSHI_CONCAT(hoshi_assert_, __LINE__), lhs, expr)

enum class Backend { kSqliteMemory, kSqliteFile, kPostgres };

std::string BackendName(Backend backend) {
  switch (backend) {
    case Backend::kSqliteMemory:
      return "SqliteMemory";
    case Backend::kSqliteFile:
      return "SqliteFile";
    case Backend::kPostgres:
      return "Postgres";
  }
  return "Unknown";
}

// gtest (and so ctest's test list) prints the parameter with this.
void PrintTo(Backend backend, std::ostream* os) {
  *os << BackendName(backend);
}

template <typename... Args>
std::vector<Value> Params(Args&&... args) {
  std::vector<Value> out;
  (out.emplace_back(std::forward<Args>(args)), ...);
  return out;
}

// Words a user-facing message must never contain: SQL, table names, engine text.
void ExpectNoSqlInMessage(const Error& error) {
  for (const std::string* text : {&error.message().ja, &error.message().en}) {
    for (const char* word :
         {"INSERT", "SELECT", "UPDATE", "DELETE", "CREATE", "settings", "conformance", "UNIQUE",
          "unique", "duplicate key", "FOREIGN", "foreign key", "violates", "sqlite", "SQLSTATE",
          "NOT NULL", "syntax", "no such table", "does not exist"}) {
      EXPECT_EQ(text->find(word), std::string::npos) << "'" << word << "' in: " << *text;
    }
  }
}

// ---- Logical schema, for comparing what the two dialects' migrations produce --------------------

struct ColumnInfo {
  std::string name;
  std::string type;  // normalised: integer, text, real, blob, ...
  bool not_null = false;
  bool primary_key = false;
  auto operator<=>(const ColumnInfo&) const = default;
};

struct LogicalSchema {
  std::map<std::string, std::vector<ColumnInfo>> tables;
  // (table, column, referenced table, referenced column)
  std::set<std::tuple<std::string, std::string, std::string, std::string>> foreign_keys;
  // (index name, table), excluding indexes that back PRIMARY KEY / UNIQUE constraints
  std::set<std::pair<std::string, std::string>> indexes;
};

std::string NormaliseType(std::string type) {
  for (char& c : type) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  if (type.find("int") != std::string::npos) {
    return "integer";
  }
  if (type.find("char") != std::string::npos || type.find("text") != std::string::npos ||
      type.find("clob") != std::string::npos) {
    return "text";
  }
  if (type == "real" || type.find("double") != std::string::npos ||
      type.find("float") != std::string::npos) {
    return "real";
  }
  if (type == "blob" || type == "bytea") {
    return "blob";
  }
  return type;
}

Result<LogicalSchema> ReadSqliteSchema(Connection& conn) {
  LogicalSchema schema;
  HOSHI_ASSIGN_OR_RETURN(ResultSet tables,
                         conn.Query("SELECT name FROM sqlite_master WHERE type = 'table' "
                                    "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name"));
  for (const Row& t : tables.rows) {
    HOSHI_ASSIGN_OR_RETURN(std::string table, t.GetText(0));
    const std::vector<Value> name = Params(table);
    HOSHI_ASSIGN_OR_RETURN(
        ResultSet columns,
        conn.Query("SELECT name, type, \"notnull\", pk FROM pragma_table_info(?) ORDER BY cid",
                   name));
    std::vector<ColumnInfo>& out = schema.tables[table];
    for (const Row& c : columns.rows) {
      ColumnInfo info;
      HOSHI_ASSIGN_OR_RETURN(info.name, c.GetText(0));
      HOSHI_ASSIGN_OR_RETURN(std::string type, c.GetText(1));
      info.type = NormaliseType(type);
      HOSHI_ASSIGN_OR_RETURN(const std::int64_t not_null, c.GetInt(2));
      HOSHI_ASSIGN_OR_RETURN(const std::int64_t pk, c.GetInt(3));
      info.primary_key = pk > 0;
      // SQLite lets non-INTEGER primary keys hold NULL (a legacy quirk); logically they are NOT
      // NULL, as in PostgreSQL.
      info.not_null = not_null != 0 || pk > 0;
      out.push_back(std::move(info));
    }
    HOSHI_ASSIGN_OR_RETURN(
        ResultSet fks,
        conn.Query("SELECT \"from\", \"table\", \"to\" FROM pragma_foreign_key_list(?)", name));
    for (const Row& fk : fks.rows) {
      HOSHI_ASSIGN_OR_RETURN(std::string from, fk.GetText(0));
      HOSHI_ASSIGN_OR_RETURN(std::string ref_table, fk.GetText(1));
      std::string to;
      if (!fk.IsNull(2)) {
        HOSHI_ASSIGN_OR_RETURN(to, fk.GetText(2));
      }
      schema.foreign_keys.emplace(table, from, ref_table, to);
    }
  }
  HOSHI_ASSIGN_OR_RETURN(ResultSet indexes, conn.Query("SELECT name, tbl_name FROM sqlite_master "
                                                       "WHERE type = 'index' AND sql IS NOT NULL"));
  for (const Row& i : indexes.rows) {
    HOSHI_ASSIGN_OR_RETURN(std::string index, i.GetText(0));
    HOSHI_ASSIGN_OR_RETURN(std::string table, i.GetText(1));
    schema.indexes.emplace(index, table);
  }
  return schema;
}

Result<LogicalSchema> ReadPostgresSchema(Connection& conn) {
  LogicalSchema schema;
  HOSHI_ASSIGN_OR_RETURN(
      ResultSet columns,
      conn.Query("SELECT c.table_name, c.column_name, c.data_type, c.is_nullable "
                 "FROM information_schema.columns c JOIN information_schema.tables t "
                 "ON t.table_schema = c.table_schema AND t.table_name = c.table_name "
                 "WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE' "
                 "ORDER BY c.table_name, c.ordinal_position"));
  for (const Row& c : columns.rows) {
    HOSHI_ASSIGN_OR_RETURN(std::string table, c.GetText(0));
    ColumnInfo info;
    HOSHI_ASSIGN_OR_RETURN(info.name, c.GetText(1));
    HOSHI_ASSIGN_OR_RETURN(std::string type, c.GetText(2));
    info.type = NormaliseType(type);
    HOSHI_ASSIGN_OR_RETURN(std::string nullable, c.GetText(3));
    info.not_null = nullable == "NO";
    schema.tables[table].push_back(std::move(info));
  }
  HOSHI_ASSIGN_OR_RETURN(
      ResultSet pks,
      conn.Query(
          "SELECT kcu.table_name, kcu.column_name "
          "FROM information_schema.table_constraints tc "
          "JOIN information_schema.key_column_usage kcu "
          "ON kcu.constraint_schema = tc.constraint_schema "
          "AND kcu.constraint_name = tc.constraint_name AND kcu.table_name = tc.table_name "
          "WHERE tc.table_schema = current_schema() AND tc.constraint_type = 'PRIMARY KEY'"));
  for (const Row& pk : pks.rows) {
    HOSHI_ASSIGN_OR_RETURN(std::string table, pk.GetText(0));
    HOSHI_ASSIGN_OR_RETURN(std::string column, pk.GetText(1));
    for (ColumnInfo& info : schema.tables[table]) {
      if (info.name == column) {
        info.primary_key = true;
      }
    }
  }
  HOSHI_ASSIGN_OR_RETURN(
      ResultSet fks,
      conn.Query("SELECT cl.relname, a.attname, rcl.relname, ra.attname "
                 "FROM pg_constraint c "
                 "JOIN pg_class cl ON cl.oid = c.conrelid "
                 "JOIN pg_namespace n ON n.oid = cl.relnamespace "
                 "JOIN pg_class rcl ON rcl.oid = c.confrelid "
                 "JOIN LATERAL unnest(c.conkey, c.confkey) AS k(col, rcol) ON true "
                 "JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.col "
                 "JOIN pg_attribute ra ON ra.attrelid = c.confrelid AND ra.attnum = k.rcol "
                 "WHERE c.contype = 'f' AND n.nspname = current_schema()"));
  for (const Row& fk : fks.rows) {
    HOSHI_ASSIGN_OR_RETURN(std::string table, fk.GetText(0));
    HOSHI_ASSIGN_OR_RETURN(std::string column, fk.GetText(1));
    HOSHI_ASSIGN_OR_RETURN(std::string ref_table, fk.GetText(2));
    HOSHI_ASSIGN_OR_RETURN(std::string ref_column, fk.GetText(3));
    schema.foreign_keys.emplace(table, column, ref_table, ref_column);
  }
  HOSHI_ASSIGN_OR_RETURN(
      ResultSet indexes,
      conn.Query("SELECT i.relname, t.relname FROM pg_index x "
                 "JOIN pg_class i ON i.oid = x.indexrelid "
                 "JOIN pg_class t ON t.oid = x.indrelid "
                 "JOIN pg_namespace n ON n.oid = t.relnamespace "
                 "WHERE n.nspname = current_schema() "
                 "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)"));
  for (const Row& i : indexes.rows) {
    HOSHI_ASSIGN_OR_RETURN(std::string index, i.GetText(0));
    HOSHI_ASSIGN_OR_RETURN(std::string table, i.GetText(1));
    schema.indexes.emplace(index, table);
  }
  return schema;
}

Result<LogicalSchema> ReadSchema(Connection& conn) {
  return conn.dialect() == Dialect::kSqlite ? ReadSqliteSchema(conn) : ReadPostgresSchema(conn);
}

// ---- Fixture ---------------------------------------------------------------------------------

class StorageConformanceTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    switch (GetParam()) {
      case Backend::kSqliteMemory:
        url_ = "sqlite::memory:";
        break;
      case Backend::kSqliteFile:
        dir_ = fs::temp_directory_path() / ("hoshi-storage-test-" + ToHex(RandomBytes(8)));
        fs::create_directories(dir_);
        url_ = "sqlite:" + (dir_ / "conformance.db").string();
        break;
      case Backend::kPostgres: {
        // NOLINTNEXTLINE(concurrency-mt-unsafe): read once, before any thread exists
        const char* dsn = std::getenv("HOSHI_TEST_PG_DSN");
        if (dsn == nullptr || *dsn == '\0') {
          GTEST_SKIP() << "HOSHI_TEST_PG_DSN is not set (see tools/pg-test-cluster.sh)";
        }
#ifndef HOSHI_WITH_POSTGRES
        GTEST_SKIP() << "built without HOSHI_WITH_POSTGRES";
#endif
        url_ = dsn;
        schema_ = "hoshi_test_" + ToHex(RandomBytes(8));
        HOSHI_ASSERT_OK_AND_ASSIGN(admin_, Open(url_));
        HOSHI_ASSERT_OK(admin_->ExecuteScript("CREATE SCHEMA " + schema_));
        break;
      }
    }
    HOSHI_ASSERT_OK_AND_ASSIGN(conn_, Connect());
  }

  void TearDown() override {
    conn_.reset();
    if (admin_ != nullptr) {
      EXPECT_TRUE(admin_->ExecuteScript("DROP SCHEMA " + schema_ + " CASCADE").ok());
      admin_.reset();
    }
    if (!dir_.empty()) {
      std::error_code ec;
      fs::remove_all(dir_, ec);
    }
  }

  // A new connection to the test's database (for SQLite in memory: a different, empty one).
  Result<std::unique_ptr<Connection>> Connect() {
    HOSHI_ASSIGN_OR_RETURN(std::unique_ptr<Connection> conn, Open(url_));
    if (!schema_.empty()) {
      HOSHI_RETURN_IF_ERROR(conn->ExecuteScript("SET search_path TO " + schema_));
    }
    return conn;
  }
  // Whether Connect() reaches the same data as conn().
  bool SharesDatabase() const {
    return GetParam() != Backend::kSqliteMemory;
  }

  Connection& conn() {
    return *conn_;
  }
  bool IsSqlite() const {
    return GetParam() != Backend::kPostgres;
  }
  std::string Ddl(std::string_view sqlite, std::string_view postgres) const {
    return std::string(IsSqlite() ? sqlite : postgres);
  }

  // A table with one column per Value type.
  void CreateValuesTable() {
    HOSHI_ASSERT_OK(conn().ExecuteScript(
        Ddl("CREATE TABLE conformance_values "
            "(id INTEGER PRIMARY KEY, i INTEGER, d REAL, s TEXT, b BLOB)",
            "CREATE TABLE conformance_values "
            "(id BIGINT PRIMARY KEY, i BIGINT, d DOUBLE PRECISION, s TEXT, b BYTEA)")));
  }

  static std::int64_t Count(Connection& conn, const std::string& table) {
    const Result<ResultSet> rs = conn.Query("SELECT COUNT(*) FROM " + table);
    EXPECT_TRUE(rs.ok()) << rs.error().detail();
    if (!rs.ok() || rs->rows.size() != 1) {
      return -1;
    }
    return rs->rows[0].GetInt(0).ok() ? *rs->rows[0].GetInt(0) : -1;
  }
  std::int64_t Count(const std::string& table) {
    return Count(conn(), table);
  }

  std::string url_;
  fs::path dir_;
  std::string schema_;
  std::unique_ptr<Connection> admin_;
  std::unique_ptr<Connection> conn_;
};

INSTANTIATE_TEST_SUITE_P(Backends, StorageConformanceTest,
                         ::testing::Values(Backend::kSqliteMemory, Backend::kSqliteFile,
                                           Backend::kPostgres),
                         [](const ::testing::TestParamInfo<Backend>& param_info) {
                           return BackendName(param_info.param);
                         });

// ---- Migrations ------------------------------------------------------------------------------

TEST_P(StorageConformanceTest, MigrateAppliesEveryMigrationOnce) {
  const std::vector<Migration> migrations = Migrations(conn().dialect());
  ASSERT_FALSE(migrations.empty());
  EXPECT_EQ(*SchemaVersion(conn()), 0);

  HOSHI_ASSERT_OK_AND_ASSIGN(const int applied, Migrate(conn()));
  EXPECT_EQ(applied, static_cast<int>(migrations.size()));
  EXPECT_EQ(*SchemaVersion(conn()), static_cast<int>(migrations.size()));
  EXPECT_FALSE(conn().in_transaction());

  HOSHI_ASSERT_OK_AND_ASSIGN(const int again, Migrate(conn()));
  EXPECT_EQ(again, 0);
  EXPECT_EQ(*SchemaVersion(conn()), static_cast<int>(migrations.size()));

  HOSHI_ASSERT_OK_AND_ASSIGN(
      ResultSet rs,
      conn().Query("SELECT version, name, applied_at FROM schema_migrations ORDER BY version"));
  ASSERT_EQ(rs.rows.size(), migrations.size());
  for (std::size_t i = 0; i < migrations.size(); ++i) {
    EXPECT_EQ(*rs.rows[i].GetInt(0), migrations[i].number);
    EXPECT_EQ(*rs.rows[i].GetText(1), migrations[i].name);
    const std::string applied_at = *rs.rows[i].GetText(2);
    EXPECT_EQ(applied_at.size(), 20u) << applied_at;  // 2026-01-01T00:00:00Z
    EXPECT_TRUE(applied_at.ends_with("Z")) << applied_at;
  }
}

TEST_P(StorageConformanceTest, MigrateIsIdempotentAcrossConnections) {
  if (!SharesDatabase()) {
    GTEST_SKIP() << "an in-memory database is private to its connection";
  }
  HOSHI_ASSERT_OK(Migrate(conn()));
  HOSHI_ASSERT_OK_AND_ASSIGN(std::unique_ptr<Connection> other, Connect());
  HOSHI_ASSERT_OK_AND_ASSIGN(const int applied, Migrate(*other));
  EXPECT_EQ(applied, 0);
  EXPECT_EQ(*SchemaVersion(*other), static_cast<int>(Migrations(conn().dialect()).size()));
}

TEST_P(StorageConformanceTest, MigrateResumesAfterAppliedMigrations) {
  const std::vector<Migration> migrations = Migrations(conn().dialect());
  ASSERT_GE(migrations.size(), 2u);
  // Simulate a database that an older release migrated to version 1.
  HOSHI_ASSERT_OK(conn().ExecuteScript(
      "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
      "applied_at TEXT NOT NULL)"));
  HOSHI_ASSERT_OK(conn().ExecuteScript(migrations[0].sql));
  HOSHI_ASSERT_OK(conn().Query("INSERT INTO schema_migrations VALUES (?, ?, ?)",
                               Params(1, migrations[0].name, "2026-01-01T00:00:00Z")));
  EXPECT_EQ(*SchemaVersion(conn()), 1);
  HOSHI_ASSERT_OK_AND_ASSIGN(const int applied, Migrate(conn()));
  EXPECT_EQ(applied, static_cast<int>(migrations.size()) - 1);
}

TEST_P(StorageConformanceTest, FailedMigrationIsRolledBackAndReported) {
  const std::vector<Migration> migrations = Migrations(conn().dialect());
  ASSERT_GE(migrations.size(), 3u);
  // A stray table that migration 3 also creates makes it fail half-way.
  HOSHI_ASSERT_OK(conn().ExecuteScript("CREATE TABLE assessments (x TEXT)"));
  const Result<int> applied = Migrate(conn());
  ASSERT_FALSE(applied.ok());
  EXPECT_NE(applied.error().message().en.find("migration 3"), std::string::npos)
      << applied.error().message().en;
  EXPECT_NE(applied.error().message().ja.find("3"), std::string::npos);
  ExpectNoSqlInMessage(applied.error());
  EXPECT_FALSE(conn().in_transaction());
  // Migrations 1 and 2 are committed; nothing of 3 is left.
  EXPECT_EQ(*SchemaVersion(conn()), 2);
  const Result<ResultSet> answers = conn().Query("SELECT COUNT(*) FROM assessment_answers");
  EXPECT_FALSE(answers.ok());
  // Once the obstacle is gone, Migrate picks up where it stopped.
  HOSHI_ASSERT_OK(conn().ExecuteScript("DROP TABLE assessments"));
  HOSHI_ASSERT_OK_AND_ASSIGN(const int rest, Migrate(conn()));
  EXPECT_EQ(rest, static_cast<int>(migrations.size()) - 2);
}

TEST_P(StorageConformanceTest, MigrateRefusesANewerSchema) {
  HOSHI_ASSERT_OK_AND_ASSIGN(const int applied, Migrate(conn()));
  HOSHI_ASSERT_OK(conn().Query("INSERT INTO schema_migrations VALUES (?, ?, ?)",
                               Params(applied + 1, "from_the_future", "2030-01-01T00:00:00Z")));
  const Result<int> again = Migrate(conn());
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code(), ErrorCode::kFailedPrecondition);
}

TEST_P(StorageConformanceTest, MigratedSchemaMatchesSqliteReference) {
  HOSHI_ASSERT_OK(Migrate(conn()));
  HOSHI_ASSERT_OK_AND_ASSIGN(const LogicalSchema schema, ReadSchema(conn()));

  HOSHI_ASSERT_OK_AND_ASSIGN(std::unique_ptr<Connection> reference_conn, Open("sqlite::memory:"));
  HOSHI_ASSERT_OK(Migrate(*reference_conn));
  HOSHI_ASSERT_OK_AND_ASSIGN(const LogicalSchema reference, ReadSchema(*reference_conn));

  ASSERT_GE(reference.tables.size(), 6u);  // schema_migrations + the tables of 0001..0003
  ASSERT_TRUE(reference.tables.contains("schema_migrations"));
  ASSERT_TRUE(reference.tables.contains("assessment_answers"));
  EXPECT_FALSE(reference.foreign_keys.empty());
  EXPECT_FALSE(reference.indexes.empty());

  std::set<std::string> names;
  std::set<std::string> reference_names;
  for (const auto& [table, columns] : schema.tables) {
    names.insert(table);
  }
  for (const auto& [table, columns] : reference.tables) {
    reference_names.insert(table);
  }
  EXPECT_EQ(names, reference_names);
  for (const auto& [table, columns] : reference.tables) {
    const auto it = schema.tables.find(table);
    if (it == schema.tables.end()) {
      continue;
    }
    ASSERT_EQ(it->second.size(), columns.size()) << table;
    for (std::size_t i = 0; i < columns.size(); ++i) {
      const ColumnInfo& got = it->second[i];
      const ColumnInfo& want = columns[i];
      EXPECT_EQ(got.name, want.name) << table << " column " << i;
      EXPECT_EQ(got.type, want.type) << table << "." << want.name;
      EXPECT_EQ(got.not_null, want.not_null) << table << "." << want.name;
      EXPECT_EQ(got.primary_key, want.primary_key) << table << "." << want.name;
    }
  }
  EXPECT_EQ(schema.foreign_keys, reference.foreign_keys);
  EXPECT_EQ(schema.indexes, reference.indexes);
}

TEST(StorageMigrationsTest, NumberedAlikeInBothDialects) {
  const std::vector<Migration> sqlite = Migrations(Dialect::kSqlite);
  const std::vector<Migration> postgres = Migrations(Dialect::kPostgres);
  ASSERT_EQ(sqlite.size(), postgres.size());
  for (std::size_t i = 0; i < sqlite.size(); ++i) {
    EXPECT_EQ(sqlite[i].number, static_cast<int>(i) + 1);
    EXPECT_EQ(postgres[i].number, static_cast<int>(i) + 1);
    EXPECT_EQ(sqlite[i].name, postgres[i].name);
    EXPECT_FALSE(sqlite[i].sql.empty());
    EXPECT_FALSE(postgres[i].sql.empty());
  }
  ASSERT_GE(sqlite.size(), 3u);
  EXPECT_EQ(sqlite[0].name, "init");
  EXPECT_EQ(sqlite[1].name, "catalog_versions");
  EXPECT_EQ(sqlite[2].name, "assessments");
}

// ---- Values ----------------------------------------------------------------------------------

TEST_P(StorageConformanceTest, RoundTripsEveryValueType) {
  CreateValuesTable();
  Bytes all_bytes;
  for (int b = 0; b < 256; ++b) {
    all_bytes.push_back(static_cast<std::uint8_t>(b));
  }
  struct Sample {
    std::int64_t i;
    double d;
    std::string s;
    Bytes b;
  };
  const double kInf = std::numeric_limits<double>::infinity();
  const std::vector<Sample> samples = {
      {0, 0.0, "", {}},
      {std::numeric_limits<std::int64_t>::min(), -1.5, "日本語のテキスト 🌸 ｶﾅ「引用」", {0x00}},
      {std::numeric_limits<std::int64_t>::max(), 1e300,
       "quote ' double \" backslash \\ question ? semicolon ; percent % dollar $1", all_bytes},
      {-1, 0.1, "line\nbreak\ttab\r\n", {0xff, 0xfe, 0x00, 0x5c}},
      {42, kInf, "セキュリティ対策", {0x5c, 0x78}},  // "\x" looks like bytea hex input
      {7, -kInf, "x", {0x27}},
      {8, std::numeric_limits<double>::denorm_min(), "ー", {0x01}},
      {9, std::numeric_limits<double>::max(), "𠮷野家", {0x80}},
      {10, 1.0 / 3.0, "a", {0x22}},
  };
  HOSHI_ASSERT_OK_AND_ASSIGN(
      std::unique_ptr<Statement> insert,
      conn().Prepare("INSERT INTO conformance_values (id, i, d, s, b) VALUES (?, ?, ?, ?, ?)"));
  for (std::size_t n = 0; n < samples.size(); ++n) {
    const Sample& s = samples[n];
    HOSHI_ASSERT_OK_AND_ASSIGN(
        const ResultSet rs,
        insert->Execute(Params(static_cast<std::int64_t>(n), s.i, s.d, s.s, s.b)));
    EXPECT_EQ(rs.rows_affected, 1);
  }
  for (std::size_t n = 0; n < samples.size(); ++n) {
    const Sample& s = samples[n];
    HOSHI_ASSERT_OK_AND_ASSIGN(
        const ResultSet rs, conn().Query("SELECT i, d, s, b FROM conformance_values WHERE id = ?",
                                         Params(static_cast<std::int64_t>(n))));
    ASSERT_EQ(rs.rows.size(), 1u);
    EXPECT_EQ(rs.columns, (std::vector<std::string>{"i", "d", "s", "b"}));
    const Row& row = rs.rows[0];
    EXPECT_EQ(row.at(0), Value(s.i)) << "sample " << n;
    EXPECT_EQ(row.at(1), Value(s.d)) << "sample " << n;
    EXPECT_EQ(row.at(2), Value(s.s)) << "sample " << n;
    EXPECT_EQ(row.at(3), Value(s.b)) << "sample " << n;
    EXPECT_EQ(*row.GetInt(0), s.i);
    EXPECT_EQ(*row.GetDouble(1), s.d);
    EXPECT_EQ(*row.GetText(2), s.s);
    EXPECT_EQ(*row.GetBytes(3), s.b);
  }
  // Text is UTF-8 on both: lengths count characters, and matching works on Japanese text.
  HOSHI_ASSERT_OK_AND_ASSIGN(
      const ResultSet jp, conn().Query("SELECT id, LENGTH(s) FROM conformance_values WHERE s = ?",
                                       Params("セキュリティ対策")));
  ASSERT_EQ(jp.rows.size(), 1u);
  EXPECT_EQ(*jp.rows[0].GetInt(0), 4);
  EXPECT_EQ(*jp.rows[0].GetInt(1), 8);
}

TEST_P(StorageConformanceTest, BulkInsertWritesChunksOfRows) {
  CreateValuesTable();
  BulkInsert bulk(conn(), "conformance_values", "id, i, d, s, b",
                  /*rows_per_statement=*/3);
  for (std::int64_t n = 0; n < 7; ++n) {
    const Value blob = n == 4 ? Value{nullptr} : Value{Bytes{static_cast<std::uint8_t>(n), 0x00}};
    HOSHI_ASSERT_OK(
        bulk.Add({n, n * 10, 0.5 * static_cast<double>(n), "行 '?' " + std::to_string(n), blob}));
  }
  EXPECT_EQ(bulk.rows_written(), 6u);  // two full chunks; one row waits for Flush
  EXPECT_EQ(bulk.pending(), 1u);
  EXPECT_EQ(Count(conn(), "conformance_values"), 6);
  HOSHI_ASSERT_OK(bulk.Flush());
  HOSHI_ASSERT_OK(bulk.Flush());  // nothing pending: no statement
  EXPECT_EQ(bulk.rows_written(), 7u);
  EXPECT_EQ(bulk.statements(), 3u);
  HOSHI_ASSERT_OK_AND_ASSIGN(
      const ResultSet rs,
      conn().Query("SELECT id, i, d, s, b FROM conformance_values ORDER BY id"));
  ASSERT_EQ(rs.rows.size(), 7u);
  for (std::int64_t n = 0; n < 7; ++n) {
    const Row& row = rs.rows[static_cast<std::size_t>(n)];
    EXPECT_EQ(*row.GetInt(0), n);
    EXPECT_EQ(*row.GetInt(1), n * 10);
    EXPECT_EQ(*row.GetDouble(2), 0.5 * static_cast<double>(n));
    EXPECT_EQ(*row.GetText(3), "行 '?' " + std::to_string(n));
    if (n == 4) {
      EXPECT_TRUE(row.IsNull(4));
    } else {
      EXPECT_EQ(*row.GetBytes(4), (Bytes{static_cast<std::uint8_t>(n), 0x00}));
    }
  }
  // A row of the wrong width is refused before anything is buffered.
  const Status wrong = bulk.Add({std::int64_t{99}});
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().code(), ErrorCode::kInternal);
  EXPECT_EQ(bulk.pending(), 0u);
  // A duplicate key fails its chunk as a whole (kAlreadyExists); rows written before stay.
  HOSHI_ASSERT_OK(bulk.Add({std::int64_t{100}, nullptr, nullptr, "new", nullptr}));
  const Status duplicate = bulk.Add({std::int64_t{3}, nullptr, nullptr, "dup", nullptr});
  ASSERT_TRUE(duplicate.ok());  // buffered, not yet written
  const Status flushed = bulk.Flush();
  ASSERT_FALSE(flushed.ok());
  EXPECT_EQ(flushed.error().code(), ErrorCode::kAlreadyExists);
  EXPECT_EQ(bulk.pending(), 0u);
  EXPECT_EQ(Count(conn(), "conformance_values"), 7);
  // Fewer rows than a chunk go out as power-of-two pieces: 137 = 128 + 8 + 1.
  BulkInsert pieces(conn(), "conformance_values", "id, s");
  for (std::int64_t n = 1000; n < 1137; ++n) {
    HOSHI_ASSERT_OK(pieces.Add({n, std::to_string(n)}));
  }
  HOSHI_ASSERT_OK(pieces.Flush());
  EXPECT_EQ(pieces.statements(), 3u);
  EXPECT_EQ(pieces.rows_written(), 137u);
  EXPECT_EQ(Count(conn(), "conformance_values"), 7 + 137);
  HOSHI_ASSERT_OK_AND_ASSIGN(
      const ResultSet last,
      conn().Query("SELECT s FROM conformance_values WHERE id = ?", Params(std::int64_t{1136})));
  ASSERT_EQ(last.rows.size(), 1u);
  EXPECT_EQ(*last.rows[0].GetText(0), "1136");
}

TEST_P(StorageConformanceTest, RoundTripsNull) {
  CreateValuesTable();
  HOSHI_ASSERT_OK(
      conn().Query("INSERT INTO conformance_values (id, i, d, s, b) VALUES (?, ?, ?, ?, ?)",
                   Params(1, nullptr, nullptr, nullptr, nullptr)));
  HOSHI_ASSERT_OK_AND_ASSIGN(const ResultSet rs,
                             conn().Query("SELECT id, i, d, s, b FROM conformance_values"));
  ASSERT_EQ(rs.rows.size(), 1u);
  EXPECT_FALSE(rs.rows[0].IsNull(0));
  for (std::size_t c = 1; c < 5; ++c) {
    EXPECT_TRUE(rs.rows[0].IsNull(c)) << c;
    EXPECT_EQ(rs.rows[0].at(c), Value(nullptr)) << c;
  }
  EXPECT_FALSE(rs.rows[0].GetInt(1).ok());  // NULL is not a value of any type
  // NULL parameters compare like SQL NULL.
  HOSHI_ASSERT_OK_AND_ASSIGN(
      const ResultSet none,
      conn().Query("SELECT id FROM conformance_values WHERE s = ?", Params(nullptr)));
  EXPECT_TRUE(none.rows.empty());
  HOSHI_ASSERT_OK_AND_ASSIGN(const ResultSet is_null,
                             conn().Query("SELECT id FROM conformance_values WHERE s IS NULL"));
  EXPECT_EQ(is_null.rows.size(), 1u);
}

TEST_P(StorageConformanceTest, ReportsColumnsAndRowsAffected) {
  CreateValuesTable();
  for (int id = 1; id <= 5; ++id) {
    HOSHI_ASSERT_OK_AND_ASSIGN(
        const ResultSet rs,
        conn().Query("INSERT INTO conformance_values (id, s) VALUES (?, ?)", Params(id, "a")));
    EXPECT_EQ(rs.rows_affected, 1);
    EXPECT_TRUE(rs.rows.empty());
  }
  HOSHI_ASSERT_OK_AND_ASSIGN(
      const ResultSet updated,
      conn().Query("UPDATE conformance_values SET s = ? WHERE id > ?", Params("b", 2)));
  EXPECT_EQ(updated.rows_affected, 3);
  HOSHI_ASSERT_OK_AND_ASSIGN(
      const ResultSet none,
      conn().Query("UPDATE conformance_values SET s = ? WHERE id > ?", Params("c", 100)));
  EXPECT_EQ(none.rows_affected, 0);
  HOSHI_ASSERT_OK_AND_ASSIGN(const ResultSet selected,
                             conn().Query("SELECT id AS ident, s FROM conformance_values "
                                          "WHERE id < ? ORDER BY id",
                                          Params(0)));
  EXPECT_EQ(selected.columns, (std::vector<std::string>{"ident", "s"}));
  EXPECT_TRUE(selected.rows.empty());
  EXPECT_EQ(selected.rows_affected, 0);
  // DDL after DML reports 0, not the previous statement's count.
  HOSHI_ASSERT_OK_AND_ASSIGN(const ResultSet ddl,
                             conn().Query("CREATE TABLE conformance_other (x TEXT)"));
  EXPECT_EQ(ddl.rows_affected, 0);
  HOSHI_ASSERT_OK_AND_ASSIGN(
      const ResultSet deleted,
      conn().Query("DELETE FROM conformance_values WHERE s = ?", Params("b")));
  EXPECT_EQ(deleted.rows_affected, 3);
  EXPECT_EQ(Count("conformance_values"), 2);
}

TEST_P(StorageConformanceTest, QuestionMarksInLiteralsAreNotPlaceholders) {
  HOSHI_ASSERT_OK(conn().ExecuteScript(
      Ddl("CREATE TABLE marks (id INTEGER PRIMARY KEY, \"q?\" TEXT, note TEXT)",
          "CREATE TABLE marks (id BIGINT PRIMARY KEY, \"q?\" TEXT, note TEXT)")));
  HOSHI_ASSERT_OK(conn().Query(
      "INSERT INTO marks (id, \"q?\", note) VALUES (?, '?', 'it''s a ?') -- why?\n", Params(1)));
  HOSHI_ASSERT_OK(
      conn().Query(R"(INSERT INTO marks (id, "q?", note) /* two ? here */ VALUES (?, ?, '??'))",
                   Params(2, "param?")));
  HOSHI_ASSERT_OK_AND_ASSIGN(
      const ResultSet one,
      conn().Query("SELECT \"q?\", note FROM marks WHERE \"q?\" = '?' AND id = ?", Params(1)));
  ASSERT_EQ(one.rows.size(), 1u);
  EXPECT_EQ(*one.rows[0].GetText(0), "?");
  EXPECT_EQ(*one.rows[0].GetText(1), "it's a ?");
  HOSHI_ASSERT_OK_AND_ASSIGN(
      const ResultSet both,
      conn().Query(R"(SELECT COUNT(*) FROM marks WHERE note = '??' OR note = ?)",
                   Params("it's a ?")));
  EXPECT_EQ(*both.rows[0].GetInt(0), 2);
  HOSHI_ASSERT_OK_AND_ASSIGN(const ResultSet second,
                             conn().Query("SELECT \"q?\" FROM marks WHERE id = ?", Params(2)));
  EXPECT_EQ(*second.rows[0].GetText(0), "param?");
  // A statement with a literal '?' and no placeholder takes no parameters.
  const Result<ResultSet> extra = conn().Query("SELECT '?' FROM marks", Params(1));
  ASSERT_FALSE(extra.ok());
  EXPECT_EQ(extra.error().code(), ErrorCode::kInternal);
}

// ---- Statements ------------------------------------------------------------------------------

TEST_P(StorageConformanceTest, PreparedStatementsAreReusable) {
  CreateValuesTable();
  HOSHI_ASSERT_OK_AND_ASSIGN(
      std::unique_ptr<Statement> insert,
      conn().Prepare("INSERT INTO conformance_values (id, i, s) VALUES (?, ?, ?)"));
  for (int id = 0; id < 50; ++id) {
    HOSHI_ASSERT_OK(insert->Execute(Params(id, id * 10, "行 " + std::to_string(id))));
  }
  HOSHI_ASSERT_OK_AND_ASSIGN(std::unique_ptr<Statement> select,
                             conn().Prepare("SELECT i, s FROM conformance_values WHERE id = ?"));
  for (int id : {0, 49, 7, 7, 25}) {
    HOSHI_ASSERT_OK_AND_ASSIGN(const ResultSet rs, select->Execute(Params(id)));
    ASSERT_EQ(rs.rows.size(), 1u);
    EXPECT_EQ(*rs.rows[0].GetInt(0), id * 10);
    EXPECT_EQ(*rs.rows[0].GetText(1), "行 " + std::to_string(id));
  }
  // The wrong number of parameters is a programming error; the statement stays usable.
  const Result<ResultSet> wrong = select->Execute(Params(1, 2));
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().code(), ErrorCode::kInternal);
  EXPECT_TRUE(select->Execute(Params(3)).ok());
  // The same statement may take Bytes in one call and NULL in the next.
  HOSHI_ASSERT_OK_AND_ASSIGN(std::unique_ptr<Statement> set_blob,
                             conn().Prepare("UPDATE conformance_values SET b = ? WHERE id = ?"));
  HOSHI_ASSERT_OK(set_blob->Execute(Params(Bytes{1, 2, 3}, 1)));
  HOSHI_ASSERT_OK(set_blob->Execute(Params(nullptr, 2)));
  HOSHI_ASSERT_OK(set_blob->Execute(Params(Bytes{}, 3)));
  HOSHI_ASSERT_OK_AND_ASSIGN(
      const ResultSet blobs,
      conn().Query("SELECT b FROM conformance_values WHERE id IN (1, 2, 3) ORDER BY id"));
  ASSERT_EQ(blobs.rows.size(), 3u);
  EXPECT_EQ(blobs.rows[0].at(0), Value(Bytes{1, 2, 3}));
  EXPECT_EQ(blobs.rows[1].at(0), Value(nullptr));
  EXPECT_EQ(blobs.rows[2].at(0), Value(Bytes{}));
  // Query() caches per SQL text: repeated calls give fresh results.
  for (int round = 0; round < 3; ++round) {
    EXPECT_EQ(Count("conformance_values"), 50);
  }
}

TEST_P(StorageConformanceTest, PrepareRejectsBadSql) {
  const Result<std::unique_ptr<Statement>> bad = conn().Prepare("SELEC 1");
  ASSERT_FALSE(bad.ok());
  ExpectNoSqlInMessage(bad.error());
  EXPECT_NE(bad.error().detail().find("SELEC 1"), std::string::npos);  // for the log
  const Result<std::unique_ptr<Statement>> two = conn().Prepare("SELECT 1; SELECT 2");
  EXPECT_FALSE(two.ok());
}

TEST_P(StorageConformanceTest, CachedQuerySurvivesSchemaChange) {
  CreateValuesTable();
  HOSHI_ASSERT_OK(
      conn().Query("INSERT INTO conformance_values (id, s) VALUES (?, ?)", Params(1, "a")));
  const std::string sql = "SELECT * FROM conformance_values WHERE id = ?";
  HOSHI_ASSERT_OK_AND_ASSIGN(const ResultSet before, conn().Query(sql, Params(1)));
  EXPECT_EQ(before.columns.size(), 5u);
  HOSHI_ASSERT_OK(conn().ExecuteScript("ALTER TABLE conformance_values ADD COLUMN extra TEXT"));
  HOSHI_ASSERT_OK_AND_ASSIGN(const ResultSet after, conn().Query(sql, Params(1)));
  EXPECT_EQ(after.columns.size(), 6u);
  EXPECT_EQ(after.columns.back(), "extra");
  // The same inside a transaction.
  HOSHI_ASSERT_OK(conn().ExecuteScript("ALTER TABLE conformance_values ADD COLUMN more TEXT"));
  HOSHI_ASSERT_OK_AND_ASSIGN(Transaction tx, Transaction::Begin(conn()));
  HOSHI_ASSERT_OK_AND_ASSIGN(const ResultSet in_tx, conn().Query(sql, Params(1)));
  EXPECT_EQ(in_tx.columns.size(), 7u);
  HOSHI_ASSERT_OK(tx.Commit());
}

TEST_P(StorageConformanceTest, ExecuteScriptRunsSeveralStatements) {
  HOSHI_ASSERT_OK(
      conn().ExecuteScript("CREATE TABLE s1 (x TEXT);\n-- a comment; with a semicolon\n"
                           "CREATE TABLE s2 (y TEXT);\nINSERT INTO s1 (x) VALUES ('a;b');\n"
                           "INSERT INTO s2 (y) VALUES ('?');"));
  EXPECT_EQ(Count("s1"), 1);
  EXPECT_EQ(Count("s2"), 1);
  const Status bad = conn().ExecuteScript("INSERT INTO s1 (x) VALUES ('c'); INSERT INTO nowhere");
  ASSERT_FALSE(bad.ok());
  ExpectNoSqlInMessage(bad.error());
}

// ---- Transactions ----------------------------------------------------------------------------

TEST_P(StorageConformanceTest, CommittedTransactionPersists) {
  CreateValuesTable();
  {
    HOSHI_ASSERT_OK_AND_ASSIGN(Transaction tx, Transaction::Begin(conn()));
    EXPECT_TRUE(conn().in_transaction());
    HOSHI_ASSERT_OK(conn().Query("INSERT INTO conformance_values (id, s) VALUES (?, ?)",
                                 Params(1, "committed")));
    HOSHI_ASSERT_OK(conn().Query("INSERT INTO conformance_values (id, s) VALUES (?, ?)",
                                 Params(2, "committed")));
    HOSHI_ASSERT_OK(tx.Commit());
    EXPECT_FALSE(conn().in_transaction());
    // A second Commit is an error, and the destructor then does nothing.
    const Status twice = tx.Commit();
    ASSERT_FALSE(twice.ok());
    EXPECT_EQ(twice.error().code(), ErrorCode::kFailedPrecondition);
  }
  EXPECT_EQ(Count("conformance_values"), 2);
  if (SharesDatabase()) {
    HOSHI_ASSERT_OK_AND_ASSIGN(std::unique_ptr<Connection> other, Connect());
    EXPECT_EQ(Count(*other, "conformance_values"), 2);
  }
}

TEST_P(StorageConformanceTest, TransactionRollsBackOnScopeExit) {
  CreateValuesTable();
  HOSHI_ASSERT_OK(
      conn().Query("INSERT INTO conformance_values (id, s) VALUES (?, ?)", Params(1, "before")));
  std::unique_ptr<Connection> other;
  if (SharesDatabase()) {
    HOSHI_ASSERT_OK_AND_ASSIGN(other, Connect());
  }
  {
    HOSHI_ASSERT_OK_AND_ASSIGN(Transaction tx, Transaction::Begin(conn()));
    HOSHI_ASSERT_OK(conn().Query("INSERT INTO conformance_values (id, s) VALUES (?, ?)",
                                 Params(2, "uncommitted")));
    HOSHI_ASSERT_OK(
        conn().Query("UPDATE conformance_values SET s = ? WHERE id = ?", Params("changed", 1)));
    EXPECT_EQ(Count("conformance_values"), 2);
    if (other != nullptr) {
      EXPECT_EQ(Count(*other, "conformance_values"), 1);  // not visible before commit
    }
    // no Commit(): leaving the scope rolls back
  }
  EXPECT_FALSE(conn().in_transaction());
  EXPECT_EQ(Count("conformance_values"), 1);
  HOSHI_ASSERT_OK_AND_ASSIGN(
      const ResultSet rs, conn().Query("SELECT s FROM conformance_values WHERE id = ?", Params(1)));
  EXPECT_EQ(*rs.rows[0].GetText(0), "before");
}

TEST_P(StorageConformanceTest, JoinedTransactionBelongsToItsOwner) {
  CreateValuesTable();
  {
    HOSHI_ASSERT_OK_AND_ASSIGN(Transaction outer, Transaction::Begin(conn()));
    {
      // A store joins the caller's transaction: its Commit() does not commit ...
      HOSHI_ASSERT_OK_AND_ASSIGN(Transaction inner, Transaction::BeginOrJoin(conn()));
      HOSHI_ASSERT_OK(conn().Query("INSERT INTO conformance_values (id, s) VALUES (?, ?)",
                                   Params(1, "joined")));
      HOSHI_ASSERT_OK(inner.Commit());
      EXPECT_TRUE(conn().in_transaction());
    }
    // ... and its destructor does not roll back.
    EXPECT_TRUE(conn().in_transaction());
    // The owner leaves without committing: everything, the joined write included, is undone.
  }
  EXPECT_FALSE(conn().in_transaction());
  EXPECT_EQ(Count("conformance_values"), 0);
  {
    // Without an open transaction BeginOrJoin owns one.
    HOSHI_ASSERT_OK_AND_ASSIGN(Transaction own, Transaction::BeginOrJoin(conn()));
    HOSHI_ASSERT_OK(
        conn().Query("INSERT INTO conformance_values (id, s) VALUES (?, ?)", Params(2, "own")));
    HOSHI_ASSERT_OK(own.Commit());
  }
  EXPECT_FALSE(conn().in_transaction());
  EXPECT_EQ(Count("conformance_values"), 1);
}

TEST_P(StorageConformanceTest, MovedTransactionRollsBackOnce) {
  CreateValuesTable();
  {
    HOSHI_ASSERT_OK_AND_ASSIGN(Transaction first, Transaction::Begin(conn()));
    HOSHI_ASSERT_OK(conn().Query("INSERT INTO conformance_values (id) VALUES (?)", Params(1)));
    Transaction second(std::move(first));
    HOSHI_ASSERT_OK(second.Commit());
    // `first` is moved-from: its destructor must not roll back (or touch) anything.
  }
  EXPECT_EQ(Count("conformance_values"), 1);
  {
    HOSHI_ASSERT_OK_AND_ASSIGN(Transaction first, Transaction::Begin(conn()));
    HOSHI_ASSERT_OK(conn().Query("INSERT INTO conformance_values (id) VALUES (?)", Params(2)));
    Transaction second(std::move(first));
  }
  EXPECT_FALSE(conn().in_transaction());
  EXPECT_EQ(Count("conformance_values"), 1);
}

TEST_P(StorageConformanceTest, ExplicitRollbackAndMisuse) {
  CreateValuesTable();
  HOSHI_ASSERT_OK(conn().Begin());
  HOSHI_ASSERT_OK(conn().Query("INSERT INTO conformance_values (id) VALUES (?)", Params(1)));
  const Status nested = conn().Begin();
  ASSERT_FALSE(nested.ok());
  EXPECT_EQ(nested.error().code(), ErrorCode::kFailedPrecondition);
  const Result<Transaction> nested_tx = Transaction::Begin(conn());
  EXPECT_FALSE(nested_tx.ok());
  EXPECT_TRUE(conn().in_transaction());  // the failed Begin did not end the outer transaction
  HOSHI_ASSERT_OK(conn().Rollback());
  EXPECT_FALSE(conn().in_transaction());
  EXPECT_EQ(Count("conformance_values"), 0);
  HOSHI_ASSERT_OK(conn().Rollback());  // nothing to roll back: fine
  const Status commit = conn().Commit();
  ASSERT_FALSE(commit.ok());
  EXPECT_EQ(commit.error().code(), ErrorCode::kFailedPrecondition);
}

TEST_P(StorageConformanceTest, FailedStatementKeepsTransactionUsable) {
  CreateValuesTable();
  HOSHI_ASSERT_OK_AND_ASSIGN(Transaction tx, Transaction::Begin(conn()));
  HOSHI_ASSERT_OK(
      conn().Query("INSERT INTO conformance_values (id, s) VALUES (?, ?)", Params(1, "first")));
  const Result<ResultSet> duplicate =
      conn().Query("INSERT INTO conformance_values (id, s) VALUES (?, ?)", Params(1, "duplicate"));
  ASSERT_FALSE(duplicate.ok());
  EXPECT_EQ(duplicate.error().code(), ErrorCode::kAlreadyExists);
  EXPECT_FALSE(conn().Query("SELECT nonsense FROM nowhere").ok());
  EXPECT_FALSE(conn().Prepare("SELEC").ok());
  EXPECT_TRUE(conn().in_transaction());
  HOSHI_ASSERT_OK(
      conn().Query("INSERT INTO conformance_values (id, s) VALUES (?, ?)", Params(2, "second")));
  HOSHI_ASSERT_OK(tx.Commit());
  HOSHI_ASSERT_OK_AND_ASSIGN(const ResultSet rs,
                             conn().Query("SELECT s FROM conformance_values ORDER BY id"));
  ASSERT_EQ(rs.rows.size(), 2u);
  EXPECT_EQ(*rs.rows[0].GetText(0), "first");
  EXPECT_EQ(*rs.rows[1].GetText(0), "second");
}

TEST_P(StorageConformanceTest, StatementPreparedInRolledBackTransactionStillWorks) {
  CreateValuesTable();
  std::unique_ptr<Statement> insert;
  {
    HOSHI_ASSERT_OK_AND_ASSIGN(Transaction tx, Transaction::Begin(conn()));
    HOSHI_ASSERT_OK_AND_ASSIGN(
        insert, conn().Prepare("INSERT INTO conformance_values (id, s) VALUES (?, ?)"));
    HOSHI_ASSERT_OK(insert->Execute(Params(1, "rolled back")));
  }
  HOSHI_ASSERT_OK(insert->Execute(Params(2, "kept")));
  EXPECT_EQ(Count("conformance_values"), 1);
  insert.reset();  // dropping a statement outside a transaction is fine, too
  EXPECT_EQ(Count("conformance_values"), 1);
}

// ---- Errors ----------------------------------------------------------------------------------

TEST_P(StorageConformanceTest, UniqueViolationIsAlreadyExists) {
  HOSHI_ASSERT_OK(Migrate(conn()));
  const std::string sql = "INSERT INTO settings (key, value) VALUES (?, ?)";
  HOSHI_ASSERT_OK(conn().Query(sql, Params("language", "ja")));
  const Result<ResultSet> again = conn().Query(sql, Params("language", "en"));
  ASSERT_FALSE(again.ok());
  const Error& error = again.error();
  EXPECT_EQ(error.code(), ErrorCode::kAlreadyExists);
  EXPECT_EQ(error.message().ja, "このデータはすでに存在します。");
  EXPECT_EQ(error.message().en, "This data already exists.");
  ExpectNoSqlInMessage(error);
  EXPECT_EQ(error.ToString(Lang::kEn).find("INSERT"), std::string::npos);
  EXPECT_NE(error.detail().find(sql), std::string::npos) << error.detail();  // the log has it
  // Through a prepared statement, too.
  HOSHI_ASSERT_OK_AND_ASSIGN(std::unique_ptr<Statement> insert, conn().Prepare(sql));
  const Result<ResultSet> prepared = insert->Execute(Params("language", "en"));
  ASSERT_FALSE(prepared.ok());
  EXPECT_EQ(prepared.error().code(), ErrorCode::kAlreadyExists);
  // A composite primary key as well.
  HOSHI_ASSERT_OK(conn().Query(
      "INSERT INTO assessments (id, organization_id, catalog_key, level, state, created_at, "
      "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
      Params("a1", "org", "scs-2026", 3, "draft", "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z")));
  const std::string transition =
      "INSERT INTO assessment_transitions (assessment_id, seq, from_state, to_state, event, at) "
      "VALUES (?, ?, ?, ?, ?, ?)";
  HOSHI_ASSERT_OK(conn().Query(
      transition, Params("a1", 1, "draft", "review", "submit", "2026-01-02T00:00:00Z")));
  const Result<ResultSet> same_seq = conn().Query(
      transition, Params("a1", 1, "review", "draft", "reopen", "2026-01-03T00:00:00Z"));
  ASSERT_FALSE(same_seq.ok());
  EXPECT_EQ(same_seq.error().code(), ErrorCode::kAlreadyExists);
}

TEST_P(StorageConformanceTest, ForeignKeyViolationIsFailedPrecondition) {
  HOSHI_ASSERT_OK(Migrate(conn()));
  const std::string answer =
      "INSERT INTO assessment_answers (assessment_id, criterion_id, status, updated_at) "
      "VALUES (?, ?, ?, ?)";
  const Result<ResultSet> orphan =
      conn().Query(answer, Params("missing", "c-1", "met", "2026-01-01T00:00:00Z"));
  ASSERT_FALSE(orphan.ok());
  EXPECT_EQ(orphan.error().code(), ErrorCode::kFailedPrecondition);
  ExpectNoSqlInMessage(orphan.error());
  EXPECT_EQ(Count("assessment_answers"), 0);

  // With the parent row present the insert works, and ON DELETE CASCADE is enforced.
  HOSHI_ASSERT_OK(conn().Query(
      "INSERT INTO assessments (id, organization_id, catalog_key, level, state, created_at, "
      "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
      Params("a1", "org", "scs-2026", 3, "draft", "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z")));
  HOSHI_ASSERT_OK(conn().Query(answer, Params("a1", "c-1", "met", "2026-01-01T00:00:00Z")));
  HOSHI_ASSERT_OK_AND_ASSIGN(const ResultSet defaults,
                             conn().Query("SELECT reason, note, last_checked FROM "
                                          "assessment_answers WHERE assessment_id = ?",
                                          Params("a1")));
  EXPECT_EQ(*defaults.rows[0].GetText(0), "");
  EXPECT_EQ(*defaults.rows[0].GetText(1), "");
  EXPECT_TRUE(defaults.rows[0].IsNull(2));
  HOSHI_ASSERT_OK_AND_ASSIGN(const ResultSet deleted,
                             conn().Query("DELETE FROM assessments WHERE id = ?", Params("a1")));
  EXPECT_EQ(deleted.rows_affected, 1);
  EXPECT_EQ(Count("assessment_answers"), 0);
}

TEST_P(StorageConformanceTest, NotNullViolationIsFailedPrecondition) {
  HOSHI_ASSERT_OK(Migrate(conn()));
  const Result<ResultSet> missing =
      conn().Query("INSERT INTO settings (key, value) VALUES (?, ?)", Params("language", nullptr));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code(), ErrorCode::kFailedPrecondition);
  ExpectNoSqlInMessage(missing.error());
}

TEST_P(StorageConformanceTest, QueryErrorDoesNotLoseStoredData) {
  HOSHI_ASSERT_OK(Migrate(conn()));
  const std::string insert = "INSERT INTO settings (key, value) VALUES (?, ?)";
  HOSHI_ASSERT_OK(conn().Query(insert, Params("a", "1")));
  HOSHI_ASSERT_OK(conn().Query(insert, Params("b", "2")));

  EXPECT_FALSE(conn().Query("SELECT * FROM no_such_table").ok());
  EXPECT_FALSE(conn().Query("INSERT INTO settings (key, value) VALUES (").ok());
  EXPECT_FALSE(conn().Query(insert, Params("a", "duplicate")).ok());
  EXPECT_FALSE(conn().Query(insert, Params("only one parameter")).ok());
  EXPECT_FALSE(conn().Query("UPDATE settings SET value = NULL WHERE key = ?", Params("a")).ok());
  EXPECT_FALSE(conn().ExecuteScript("DELETE FROM settings; SELECT * FROM no_such_table").ok());
  EXPECT_FALSE(conn().in_transaction());

  HOSHI_ASSERT_OK_AND_ASSIGN(const ResultSet rs,
                             conn().Query("SELECT key, value FROM settings ORDER BY key"));
  ASSERT_EQ(rs.rows.size(), 2u);
  EXPECT_EQ(*rs.rows[0].GetText(1), "1");
  EXPECT_EQ(*rs.rows[1].GetText(1), "2");
  if (SharesDatabase()) {
    HOSHI_ASSERT_OK_AND_ASSIGN(std::unique_ptr<Connection> other, Connect());
    EXPECT_EQ(Count(*other, "settings"), 2);
  }
  // The connection still works for writes.
  HOSHI_ASSERT_OK(conn().Query(insert, Params("c", "3")));
  EXPECT_EQ(Count("settings"), 3);
}

// ---- Opening ---------------------------------------------------------------------------------

TEST(StorageOpenTest, RejectsUnknownUrls) {
  for (const std::string_view url : {"", "sqlite:", "mysql://u:pw@h/db", "http://example.com"}) {
    const Result<std::unique_ptr<Connection>> conn = Open(url);
    ASSERT_FALSE(conn.ok()) << url;
    EXPECT_EQ(conn.error().code(), ErrorCode::kInvalidArgument) << url;
  }
}

TEST(StorageOpenTest, SqliteFileInMissingDirectoryIsIoError) {
  const fs::path missing =
      fs::temp_directory_path() / ("hoshi-missing-" + ToHex(RandomBytes(8))) / "db.sqlite";
  const Result<std::unique_ptr<Connection>> conn = Open("sqlite:" + missing.string());
  ASSERT_FALSE(conn.ok());
  EXPECT_EQ(conn.error().code(), ErrorCode::kIoError);
  EXPECT_EQ(conn.error().message().en.find(missing.string()), std::string::npos);
}

TEST(StorageOpenTest, SqliteFileIsPrivateAndBarePathsWork) {
  const fs::path dir = fs::temp_directory_path() / ("hoshi-open-" + ToHex(RandomBytes(8)));
  fs::create_directories(dir);
  {
    const Result<std::unique_ptr<Connection>> conn = Open((dir / "bare.db").string());
    ASSERT_TRUE(conn.ok()) << conn.error().detail();
    EXPECT_EQ((*conn)->dialect(), Dialect::kSqlite);
    struct stat st {};
    ASSERT_EQ(::stat((dir / "bare.db").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    HOSHI_ASSERT_OK_AND_ASSIGN(const ResultSet mode, (*conn)->Query("PRAGMA journal_mode"));
    EXPECT_EQ(*mode.rows[0].GetText(0), "wal");
    HOSHI_ASSERT_OK_AND_ASSIGN(const ResultSet fk, (*conn)->Query("PRAGMA foreign_keys"));
    EXPECT_EQ(*fk.rows[0].GetInt(0), 1);
  }
  {
    // Not a database: an I/O error, not a crash or an "internal" error.
    { std::ofstream(dir / "garbage.db") << std::string(4096, 'x'); }
    const Result<std::unique_ptr<Connection>> conn =
        Open("sqlite:" + (dir / "garbage.db").string());
    ASSERT_FALSE(conn.ok());
    EXPECT_EQ(conn.error().code(), ErrorCode::kIoError);
  }
  std::error_code ec;
  fs::remove_all(dir, ec);
}

#ifdef HOSHI_WITH_POSTGRES
TEST(StorageOpenTest, UnreachablePostgresIsUnavailableAndHidesPassword) {
  const Result<std::unique_ptr<Connection>> conn =
      Open("postgresql://postgres:TopSecret123@127.0.0.1:1/postgres?connect_timeout=3");
  ASSERT_FALSE(conn.ok());
  const Error& error = conn.error();
  EXPECT_EQ(error.code(), ErrorCode::kUnavailable);
  EXPECT_EQ(error.message().ja, "データベースに接続できません。");
  EXPECT_EQ(error.message().en, "Cannot connect to the database.");
  EXPECT_EQ(error.detail().find("TopSecret123"), std::string::npos) << error.detail();
  EXPECT_NE(error.detail().find("postgres:***@127.0.0.1:1"), std::string::npos) << error.detail();
}

TEST(StorageOpenTest, MalformedPostgresDsnIsInvalidArgumentAndHidesPassword) {
  const Result<std::unique_ptr<Connection>> conn =
      Open("host=127.0.0.1 password=TopSecret123 port='unterminated");
  ASSERT_FALSE(conn.ok());
  EXPECT_EQ(conn.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(conn.error().detail().find("TopSecret123"), std::string::npos) << conn.error().detail();
}
#else
TEST(StorageOpenTest, PostgresNotCompiledInIsInvalidArgument) {
  const Result<std::unique_ptr<Connection>> conn = Open("postgresql://u@127.0.0.1/db");
  ASSERT_FALSE(conn.ok());
  EXPECT_EQ(conn.error().code(), ErrorCode::kInvalidArgument);
}
#endif

}  // namespace
}  // namespace hoshi::storage
