// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <filesystem>
#include <optional>

#include "hoshi/http/server.h"

namespace hoshi::api {

/// Serves the web UI's built files (web/dist) read-only: GET/HEAD of a file under the root, with
/// its content type, a strict Content-Security-Policy, long caching for hashed assets and none
/// for index.html; any other non-API path without a file extension gets index.html (the SPA's
/// client-side routes). Never serves outside the root (the HTTP layer already rejects dot
/// segments; symlinks out of the root are refused here too).
class StaticSite {
 public:
  explicit StaticSite(const std::filesystem::path& root);
  /// nullopt when the request is not for the site (API, health, non-GET).
  [[nodiscard]] std::optional<http::Response> Serve(const http::Request& request) const;
  [[nodiscard]] bool available() const { return available_; }

 private:
  std::filesystem::path root_;
  bool available_ = false;
};

}  // namespace hoshi::api
