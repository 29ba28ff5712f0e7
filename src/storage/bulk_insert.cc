// SPDX-License-Identifier: Apache-2.0
#include "hoshi/storage/bulk_insert.h"

#include <algorithm>
#include <iterator>
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
  if (pending_rows_ == 0) {
    return Status::Ok();
  }
  const std::string partial = pending_rows_ == rows_per_statement_ ? "" : Sql(pending_rows_);
  const std::string& sql = partial.empty() ? full_sql_ : partial;
  auto result = conn_.Query(sql, params_);
  params_.clear();
  const std::size_t rows = std::exchange(pending_rows_, 0);
  if (!result.ok()) {
    return result.error();
  }
  rows_written_ += rows;
  ++statements_;
  return Status::Ok();
}

}  // namespace hoshi::storage
