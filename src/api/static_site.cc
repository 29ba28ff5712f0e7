// SPDX-License-Identifier: Apache-2.0
#include "hoshi/api/static_site.h"

#include <array>
#include <fstream>
#include <sstream>

namespace hoshi::api {
namespace {

constexpr std::uint64_t kMaxFileBytes = 32U << 20;

constexpr std::array<std::pair<std::string_view, std::string_view>, 14> kTypes{{
    {".html", "text/html; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".json", "application/json; charset=utf-8"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".jpg", "image/jpeg"},
    {".ico", "image/x-icon"},
    {".webp", "image/webp"},
    {".woff2", "font/woff2"},
    {".woff", "font/woff"},
    {".txt", "text/plain; charset=utf-8"},
    {".webmanifest", "application/manifest+json"},
}};

std::string_view TypeOf(const std::filesystem::path& p) {
  const std::string ext = p.extension().string();
  for (const auto& [e, type] : kTypes) {
    if (e == ext) {
      return type;
    }
  }
  return "application/octet-stream";
}

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

std::optional<std::string> Slurp(const std::filesystem::path& p) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(p, ec);
  if (ec || size > kMaxFileBytes) {
    return std::nullopt;
  }
  std::ifstream in(p, std::ios::binary);
  if (!in) {
    return std::nullopt;
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

StaticSite::StaticSite(const std::filesystem::path& root) {
  std::error_code ec;
  root_ = std::filesystem::weakly_canonical(root, ec);
  available_ = !ec && std::filesystem::is_regular_file(root_ / "index.html", ec);
}

std::optional<http::Response> StaticSite::Serve(const http::Request& request) const {
  if (!available_ || (request.method != "GET" && request.method != "HEAD") ||
      StartsWith(request.path, "/api/") || request.path == "/api" || request.path == "/healthz" ||
      request.path == "/readyz") {
    return std::nullopt;
  }
  std::filesystem::path file = root_ / std::filesystem::path(request.path).relative_path();
  std::error_code ec;
  if (request.path == "/" || std::filesystem::is_directory(file, ec)) {
    file = root_ / "index.html";
  }
  bool fallback = false;
  if (!std::filesystem::is_regular_file(file, ec)) {
    if (std::filesystem::path(request.path).has_extension()) {
      return std::nullopt;  // a missing asset is a 404 from the caller, not the SPA
    }
    file = root_ / "index.html";
    fallback = true;
  }
  // Resolve symlinks and stay inside the root.
  const std::filesystem::path real = std::filesystem::weakly_canonical(file, ec);
  const auto rel = real.lexically_relative(root_);
  if (ec || rel.empty() || StartsWith(rel.string(), "..")) {
    return std::nullopt;
  }
  auto body = Slurp(real);
  if (!body) {
    return std::nullopt;
  }
  http::Response r;
  r.status = 200;
  r.content_type = std::string(TypeOf(real));
  r.body = request.method == "HEAD" ? std::string() : std::move(*body);
  const bool is_index = fallback || real.filename() == "index.html";
  r.headers.push_back({"Cache-Control", is_index ? "no-cache"
                                        : StartsWith(rel.string(), "assets/")
                                            ? "public, max-age=31536000, immutable"
                                            : "public, max-age=3600"});
  r.headers.push_back(
      {"Content-Security-Policy",
       "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
       "script-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
       "frame-ancestors 'none'; form-action 'self'"});
  r.headers.push_back({"X-Frame-Options", "DENY"});
  return r;
}

}  // namespace hoshi::api
