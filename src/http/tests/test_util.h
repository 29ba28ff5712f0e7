// SPDX-License-Identifier: Apache-2.0
// Helpers for the http tests: temp dirs, a raw POSIX socket for protocol-level checks, access-log
// capture.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "hoshi/core/json.h"
#include "hoshi/http/server.h"

#include "internal.h"

namespace hoshi::http::testing {

/// A fresh directory under the system temp dir, removed with its contents on destruction.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "hoshi-http-XXXXXX").string();
    if (::mkdtemp(pattern.data()) != nullptr) {
      path_ = pattern;
    }
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  [[nodiscard]] const std::string& path() const { return path_; }
  /// Names of the entries in the directory.
  [[nodiscard]] std::vector<std::string> List() const {
    std::vector<std::string> names;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(path_, ec)) {
      names.push_back(entry.path().filename().string());
    }
    return names;
  }

 private:
  std::string path_;
};

/// Writes `size` pseudo-random bytes (fixed seed) to `path` and returns them.
inline std::string WriteRandomFile(const std::string& path, std::size_t size) {
  std::mt19937_64 rng(20260327);
  std::string data(size, '\0');
  for (char& c : data) {
    c = static_cast<char>(rng() & 0xff);
  }
  std::ofstream out(path, std::ios::binary);
  out.write(data.data(), static_cast<std::streamsize>(data.size()));
  return data;
}

/// A parsed response read from a RawSocket.
struct RawResponse {
  int status = 0;
  std::string head;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  [[nodiscard]] std::string Header(std::string_view name) const {
    for (const auto& [key, value] : headers) {
      if (detail::IEquals(key, name)) {
        return value;
      }
    }
    return {};
  }
  [[nodiscard]] std::size_t HeaderCount(std::string_view name) const {
    std::size_t n = 0;
    for (const auto& header : headers) {
      n += detail::IEquals(header.first, name) ? 1 : 0;
    }
    return n;
  }
};

/// A blocking loopback TCP connection with receive/send timeouts, for byte-level tests.
class RawSocket {
 public:
  explicit RawSocket(std::uint16_t port, int timeout_ms = 5000) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    timeval tv{};
    tv.tv_sec = timeout_ms / 1000;
    tv.tv_usec = (timeout_ms % 1000) * 1000;
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    ::inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
    connected_ = ::connect(fd_, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0;
  }
  ~RawSocket() {
    if (fd_ >= 0) {
      ::close(fd_);
    }
  }
  RawSocket(const RawSocket&) = delete;
  RawSocket& operator=(const RawSocket&) = delete;

  [[nodiscard]] bool connected() const { return connected_; }

  bool Send(std::string_view data) {
    while (!data.empty()) {
      const ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) {
        return false;
      }
      data.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
  }

  /// Reads one response; nullopt on EOF, error or timeout before it is complete. `head_request`:
  /// the response has no body whatever Content-Length says.
  std::optional<RawResponse> ReadResponse(bool head_request = false) {
    std::size_t end = 0;
    while ((end = buffer_.find("\r\n\r\n")) == std::string::npos) {
      if (!Fill()) {
        return std::nullopt;
      }
    }
    RawResponse response;
    response.head = buffer_.substr(0, end + 4);
    buffer_.erase(0, end + 4);
    if (response.head.size() < 12 || !response.head.starts_with("HTTP/1.")) {
      return std::nullopt;
    }
    response.status = std::stoi(response.head.substr(9, 3));
    std::size_t pos = response.head.find("\r\n") + 2;
    while (pos < end) {
      const std::size_t eol = response.head.find("\r\n", pos);
      const std::string line = response.head.substr(pos, eol - pos);
      const std::size_t colon = line.find(':');
      if (colon != std::string::npos) {
        std::string value = line.substr(colon + 1);
        while (!value.empty() && value.front() == ' ') {
          value.erase(0, 1);
        }
        response.headers.emplace_back(line.substr(0, colon), value);
      }
      pos = eol + 2;
    }
    const std::string length = response.Header("Content-Length");
    if (response.status >= 200 && !head_request && !length.empty()) {
      const auto n = static_cast<std::size_t>(std::stoull(length));
      while (buffer_.size() < n) {
        if (!Fill()) {
          return std::nullopt;
        }
      }
      response.body = buffer_.substr(0, n);
      buffer_.erase(0, n);
    }
    return response;
  }

  /// True when the peer closes the connection (EOF or reset) before the receive timeout; data
  /// arriving meanwhile is discarded.
  bool WaitForClose() {
    buffer_.clear();
    for (;;) {
      char chunk[4096];
      const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
      if (n == 0) {
        return true;
      }
      if (n < 0) {
        return errno == ECONNRESET;
      }
    }
  }

 private:
  bool Fill() {
    char chunk[16384];
    const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) {
      return false;
    }
    buffer_.append(chunk, static_cast<std::size_t>(n));
    return true;
  }

  int fd_ = -1;
  bool connected_ = false;
  std::string buffer_;
};

/// Thread-safe capture of access-log entries.
class AccessLogCapture {
 public:
  std::function<void(const AccessLogEntry&)> Sink() {
    return [this](const AccessLogEntry& entry) {
      const std::lock_guard lock(mu_);
      entries_.push_back(entry);
    };
  }
  [[nodiscard]] std::vector<AccessLogEntry> Entries() {
    const std::lock_guard lock(mu_);
    return entries_;
  }

 private:
  std::mutex mu_;
  std::vector<AccessLogEntry> entries_;
};

/// Parses a JSON body, failing the test when it is not JSON.
inline Json ParseBody(std::string_view body) {
  Result<Json> parsed = ParseJson(body);
  EXPECT_TRUE(parsed.ok()) << body;
  return parsed.ok() ? std::move(parsed).value() : Json::object();
}

}  // namespace hoshi::http::testing
