// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "hoshi/storage/database.h"

namespace hoshi::storage {

class ConnectionPool;

/// A connection borrowed from a pool; returned when the lease is destroyed. A connection that
/// reported kUnavailable (the server went away) is marked broken and replaced on the next
/// Acquire instead of being handed out again.
class Lease {
 public:
  Lease(ConnectionPool* pool, std::unique_ptr<Connection> conn)
      : pool_(pool), conn_(std::move(conn)) {}
  Lease(Lease&&) noexcept = default;
  Lease& operator=(Lease&&) = delete;
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;
  ~Lease();
  [[nodiscard]] Connection& operator*() const { return *conn_; }
  [[nodiscard]] Connection* operator->() const { return conn_.get(); }
  void MarkBroken() { broken_ = true; }

 private:
  ConnectionPool* pool_;
  std::unique_ptr<Connection> conn_;
  bool broken_ = false;
};

/// A fixed-size pool of connections to one database URL, opened lazily. Thread-safe.
class ConnectionPool {
 public:
  /// Opens one connection at once (so a wrong URL fails here) and allows `size` in all.
  [[nodiscard]] static Result<std::unique_ptr<ConnectionPool>> Create(std::string url,
                                                                      std::size_t size);
  /// Waits for a free connection, opening a new one while fewer than `size` exist; a broken or
  /// rolled-back-in-transaction connection is never handed out. kUnavailable when a new one
  /// cannot be opened.
  [[nodiscard]] Result<Lease> Acquire();
  [[nodiscard]] const std::string& url() const { return url_; }
  [[nodiscard]] Dialect dialect() const { return dialect_; }

 private:
  friend class Lease;
  ConnectionPool(std::string url, std::size_t size, Dialect dialect)
      : url_(std::move(url)), size_(size), dialect_(dialect) {}
  void Release(std::unique_ptr<Connection> conn, bool broken);

  std::string url_;
  std::size_t size_;
  Dialect dialect_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<Connection>> idle_;
  std::size_t open_ = 0;
};

}  // namespace hoshi::storage
