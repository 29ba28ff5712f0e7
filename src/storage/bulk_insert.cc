// SPDX-License-Identifier: Apache-2.0
#include "hoshi/storage/bulk_insert.h"

#include <algorithm>
#include <bit>
#include <iterator>
#include <span>
#include <string>
#include <utility>

#include "hoshi/storage/messages.h"

namespace hoshi::storage {

BulkInsert::BulkInsert(Connection& conn, std::string_view table, std::string_view columns,
                       std::size_t rows_per_statement)
    : conn_(conn),
      head_("INSERT INTO " + std::string(table) + " (" + std::string(columns) + ") VALUES "),
      columns_(static_cast<std::size_t>(std::count(columns.begin(), columns.end(), ',')) + 1),
      rows_per_statement_(std::max<std::size_t>(rows_per_statement, 1)) {
  row_placeholders_ = "(?";
  for (std::size_t i = 1; i < columns_; ++i) {
    row_placeholders_ += ", ?";
  }
  row_placeholders_ += ")";
  full_sql_ = Sql(rows_per_statement_);
  params_.reserve(rows_per_statement_ * columns_);
}

std::string BulkInsert::Sql(std::size_t rows) const {
  std::string sql = head_;
  sql.reserve(head_.size() + rows * (row_placeholders_.size() + 2));
  for (std::size_t i = 0; i < rows; ++i) {
    if (i != 0) {
      sql += ", ";
    }
    sql += row_placeholders_;
  }
  return sql;
}

Status BulkInsert::Add(std::vector<Value> row) {
  if (row.size() != columns_) {
    return MakeError(ErrorCode::kInternal, StorageMessages(), "storage.bad_parameters")
        .WithDetail(head_ + ": " + std::to_string(row.size()) + " values for " +
                    std::to_string(columns_) + " columns");
  }
  std::move(row.begin(), row.end(), std::back_inserter(params_));
  ++pending_rows_;
  return pending_rows_ == rows_per_statement_ ? Flush() : Status::Ok();
}

Status BulkInsert::Flush() {
  // A full chunk is one statement. A partial one is written as power-of-two pieces, largest
  // first (137 rows: 128 + 8 + 1), so that only a few SQL texts exist per table and the
  // connection's statement cache keeps them all prepared.
  std::size_t done = 0;
  while (done < pending_rows_) {
    const std::size_t left = pending_rows_ - done;
    const std::size_t rows = left == rows_per_statement_ ? left : std::bit_floor(left);
    const std::string& sql = SqlFor(rows);
    auto result =
        conn_.Query(sql, std::span<const Value>(params_).subspan(done * columns_, rows * columns_));
    if (!result.ok()) {
      params_.clear();
      pending_rows_ = 0;
      return result.error();
    }
    done += rows;
    rows_written_ += rows;
    ++statements_;
  }
  params_.clear();
  pending_rows_ = 0;
  return Status::Ok();
}

const std::string& BulkInsert::SqlFor(std::size_t rows) {
  if (rows == rows_per_statement_) {
    return full_sql_;
  }
  const auto log2 = static_cast<std::size_t>(std::bit_width(rows) - 1);
  if (piece_sql_.size() <= log2) {
    piece_sql_.resize(log2 + 1);
  }
  if (piece_sql_[log2].empty()) {
    piece_sql_[log2] = Sql(rows);
  }
  return piece_sql_[log2];
}

}  // namespace hoshi::storage
