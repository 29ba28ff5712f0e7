// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "hoshi/core/result.h"
#include "hoshi/storage/database.h"

namespace hoshi::storage {

/// Buffers rows for one table and writes them as multi-row INSERTs: one statement (and on
/// PostgreSQL one round trip) per `rows_per_statement` rows instead of one per row. The rows of a
/// full chunk always use the same SQL text, so the connection's statement cache prepares it once.
///
/// Rows reach the database only in Add (when a chunk is full) and Flush: call Flush before
/// reading them back and before committing. Destroying it with rows pending drops them (a caller
/// that returns an error early rolls back anyway). Use from the connection's thread.
class BulkInsert {
 public:
  /// `table` and `columns` ("a, b, c") are SQL written by the caller, never user input.
  BulkInsert(Connection& conn, std::string_view table, std::string_view columns,
             std::size_t rows_per_statement = kDefaultRowsPerStatement);

  /// Appends one row (its size must equal the column count: kInternal otherwise); writes a chunk
  /// when it is full. Errors are the connection's (e.g. kAlreadyExists on a duplicate key); the
  /// buffered rows are then dropped, and some of them may have been written: use it inside a
  /// transaction and roll back on error.
  [[nodiscard]] Status Add(std::vector<Value> row);
  /// Writes the rows still buffered: a full chunk as one statement, fewer rows as power-of-two
  /// pieces (at most log2(rows_per_statement) + 1 statements), so that a table needs only a few
  /// distinct SQL texts and they stay in the connection's statement cache.
  [[nodiscard]] Status Flush();

  [[nodiscard]] std::size_t pending() const { return pending_rows_; }
  [[nodiscard]] std::size_t rows_written() const { return rows_written_; }
  [[nodiscard]] std::size_t statements() const { return statements_; }

  /// 200 rows: well inside SQLite's 32,766 and PostgreSQL's 65,535 bound parameters for tables of
  /// up to 160 columns, and few enough that a statement's text stays small.
  static constexpr std::size_t kDefaultRowsPerStatement = 200;

 private:
  /// The INSERT text for `rows` rows.
  [[nodiscard]] std::string Sql(std::size_t rows) const;
  /// Sql(rows) for a full chunk or a power of two, built once.
  [[nodiscard]] const std::string& SqlFor(std::size_t rows);

  Connection& conn_;
  std::string head_;  ///< "INSERT INTO t (a, b) VALUES "
  std::string row_placeholders_;
  std::size_t columns_;
  std::size_t rows_per_statement_;
  std::string full_sql_;                ///< Sql(rows_per_statement_)
  std::vector<std::string> piece_sql_;  ///< [k]: Sql(2^k), built when first needed
  std::vector<Value> params_;
  std::size_t pending_rows_ = 0;
  std::size_t rows_written_ = 0;
  std::size_t statements_ = 0;
};

}  // namespace hoshi::storage
