// SPDX-License-Identifier: Apache-2.0
#include "hoshi/storage/pool.h"

namespace hoshi::storage {

Lease::~Lease() {
  if (pool_ != nullptr && conn_ != nullptr) {
    pool_->Release(std::move(conn_), broken_);
  }
}

Result<std::unique_ptr<ConnectionPool>> ConnectionPool::Create(std::string url, std::size_t size) {
  HOSHI_ASSIGN_OR_RETURN(std::unique_ptr<Connection> first, Open(url));
  auto pool = std::unique_ptr<ConnectionPool>(
      new ConnectionPool(std::move(url), size == 0 ? 1 : size, first->dialect()));
  pool->idle_.push_back(std::move(first));
  pool->open_ = 1;
  return pool;
}

Result<Lease> ConnectionPool::Acquire() {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [this] { return !idle_.empty() || open_ < size_; });
  if (!idle_.empty()) {
    std::unique_ptr<Connection> conn = std::move(idle_.back());
    idle_.pop_back();
    return Lease(this, std::move(conn));
  }
  ++open_;
  lock.unlock();
  auto conn = Open(url_);
  if (!conn.ok()) {
    const std::lock_guard relock(mu_);
    --open_;
    cv_.notify_one();
    return std::move(conn).error();
  }
  return Lease(this, std::move(conn).value());
}

void ConnectionPool::Release(std::unique_ptr<Connection> conn, bool broken) {
  if (!broken && conn->in_transaction()) {
    // A handler left a transaction open (an error path without a Transaction object): undo it so
    // the next user starts clean; if even that fails the connection is not reused.
    broken = !conn->Rollback().ok();
  }
  const std::lock_guard lock(mu_);
  if (broken) {
    --open_;
  } else {
    idle_.push_back(std::move(conn));
  }
  cv_.notify_one();
}

}  // namespace hoshi::storage
