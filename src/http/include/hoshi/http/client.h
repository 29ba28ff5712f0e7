// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "hoshi/core/result.h"
#include "hoshi/http/server.h"

namespace hoshi::http {

namespace detail {
struct ClientImpl;
}  // namespace detail

/// A response received by Client.
struct ClientResponse {
  int status = 0;
  std::vector<Header> headers;
  std::string body;
  /// The first header called `name` (case-insensitive); "" if absent.
  [[nodiscard]] std::string_view HeaderValue(std::string_view name) const;
};

struct ClientOptions {
  /// Limit for each step (connect, write request, read response); the connection is closed and
  /// kUnavailable returned when it passes.
  std::chrono::milliseconds timeout{30000};
  std::uint64_t max_response_bytes = 64ULL << 20;  ///< larger bodies => kTooLarge
};

/// A small synchronous HTTP/1.1 keep-alive client (plain TCP) for tests, end-to-end tests and CLI
/// tools. Sends Host and User-Agent; Content-Length unless `headers` sets Content-Length or
/// Transfer-Encoding. Not thread-safe: one Client per thread. Movable.
class Client {
 public:
  /// Resolves `host` and connects. Errors: kUnavailable (message names host and port).
  [[nodiscard]] static Result<Client> Connect(std::string_view host, std::uint16_t port,
                                              ClientOptions options = {});

  /// Sends one request and reads the response. If the connection was closed (by the server or
  /// after a Connection: close response), reconnects first; if a reused keep-alive connection
  /// turns out to be closed by the server, reconnects and resends once. If the server answers
  /// before the whole body was sent (e.g. 413) and closes, that answer is returned.
  /// Errors: kUnavailable (connect, I/O or timeout), kDataError (malformed response), kTooLarge.
  [[nodiscard]] Result<ClientResponse> Send(std::string_view method, std::string_view target,
                                            const std::vector<Header>& headers = {},
                                            std::string_view body = {});

  /// Like Send, with the body read from `file_path` in chunks (for large uploads); `chunked`
  /// uses Transfer-Encoding: chunked instead of Content-Length. Errors as Send, plus kIoError
  /// when the file cannot be opened.
  [[nodiscard]] Result<ClientResponse> SendFile(std::string_view method, std::string_view target,
                                                const std::string& file_path,
                                                const std::vector<Header>& headers = {},
                                                bool chunked = false);

  /// Closes the connection (the next Send reconnects).
  void Close();
  /// True while a connection is open (it may still have been closed by the peer).
  [[nodiscard]] bool connected() const;

  Client(Client&& other) noexcept;
  Client& operator=(Client&& other) noexcept;
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;
  ~Client();

 private:
  explicit Client(std::unique_ptr<detail::ClientImpl> impl);
  std::unique_ptr<detail::ClientImpl> impl_;
};

}  // namespace hoshi::http
