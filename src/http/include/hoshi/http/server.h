// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "hoshi/core/i18n.h"
#include "hoshi/core/result.h"

namespace hoshi::http {

namespace detail {
class ServerImpl;
}  // namespace detail

/// One header field as received or to be sent. Names compare case-insensitively.
struct Header {
  std::string name;
  std::string value;
};

/// An HTTP request as the handler sees it. Built by the server; the handler may modify it (for
/// example rename `body_file` away). Owned by the server for the duration of one handler call.
struct Request {
  std::string method;  ///< "GET", "POST", ... (as sent; HTTP methods are case-sensitive)
  std::string target;  ///< raw request target, e.g. "/api/v1/x?y=1"
  /// Percent-decoded path without the query. Requests whose path has an invalid %-escape, a
  /// decoded control character (incl. NUL) or a "." / ".." segment are refused with 400 before
  /// any handler runs.
  std::string path;
  /// Decoded query parameters ('+' as space), in the order sent; duplicates are kept.
  std::vector<std::pair<std::string, std::string>> query;
  std::vector<Header> headers;
  /// The first header called `name` (case-insensitive); "" if absent.
  [[nodiscard]] std::string_view HeaderValue(std::string_view name) const;
  /// The first value of query parameter `name` (case-sensitive); "" if absent.
  [[nodiscard]] std::string_view QueryValue(std::string_view name) const;
  /// The language the client prefers (LangFromAcceptLanguage of Accept-Language).
  [[nodiscard]] Lang PreferredLang() const;

  std::string body;  ///< buffered body (when not streamed)
  /// When the body policy streams to disk: path of a temp file (mode 0600, random name) in
  /// ServerOptions::upload_dir holding the complete body; "" when the request had no body. The
  /// server deletes that file after the handler returns; the handler may rename it away first.
  std::string body_file;
  std::uint64_t body_size = 0;  ///< bytes in `body` or in `body_file`
  std::string request_id;       ///< generated per request (UUIDv7); echoed as X-Request-Id
  std::string remote_address;   ///< peer IP address, no port
  std::uint16_t remote_port = 0;
};

/// What the handler returns. The server adds Content-Length, Connection, Date, Server,
/// X-Request-Id and the security headers (X-Content-Type-Options: nosniff, Referrer-Policy:
/// no-referrer; for JSON also Cache-Control: no-store and a restrictive Content-Security-Policy)
/// unless `headers` already names them. Headers whose name or value contains CR, LF or NUL, and
/// Content-Length / Transfer-Encoding / Connection, are dropped (and logged).
struct Response {
  int status = 200;
  std::string content_type = "application/json; charset=utf-8";
  std::vector<Header> headers;  ///< extra headers (Set-Cookie etc.); repeated names are kept
  std::string body;
};

/// The application. Runs on a worker thread (one of ServerOptions::threads), may block (database).
/// Exceptions escaping it become a 500 JSON error with the request id; their text is logged only.
using Handler = std::function<Response(Request&)>;

/// How the body of one request is read.
struct BodyPolicy {
  bool stream_to_file = false;        ///< false: into Request::body; true: into Request::body_file
  std::uint64_t max_bytes = 1 << 20;  ///< larger bodies are refused with 413 (kTooLarge)
};
/// Chooses the BodyPolicy from the request head (method, path, query, headers; no body yet).
/// Runs on an I/O thread: must be quick and must not block. An exception gives a 500.
using BodyPolicyFn = std::function<BodyPolicy(const Request& head)>;

/// One line of the access log. Never holds the query string, headers, cookies or bodies.
struct AccessLogEntry {
  std::string request_id;
  std::string remote_address;
  std::string method;  ///< "" when the request line could not be parsed
  std::string path;    ///< decoded path; "" when the request could not be parsed
  int status = 0;
  std::uint64_t bytes_in = 0;   ///< head + body bytes read for this request
  std::uint64_t bytes_out = 0;  ///< bytes written for this response (incl. 100 Continue)
  double duration_ms = 0;       ///< from the start of the request to the last byte written
};

struct ServerOptions {
  std::string address = "127.0.0.1";   ///< numeric address or host name to bind
  std::uint16_t port = 8080;           ///< 0 = ephemeral (tests); see Server::port()
  int threads = 4;                     ///< worker threads running the Handler
  int io_threads = 2;                  ///< threads running the Asio io_context (network, parsing)
  std::size_t max_connections = 1024;  ///< further connections get 503 and are closed
  std::size_t max_header_bytes = std::size_t{16} * 1024;  ///< request line + headers; over => 431
  std::uint64_t max_body_bytes = 1 << 20;                 ///< used when body_policy is empty
  std::chrono::milliseconds request_timeout{30000};       ///< head + body must arrive within this
  std::chrono::milliseconds idle_timeout{60000};          ///< keep-alive idle limit
  std::chrono::milliseconds shutdown_grace{10000};  ///< Stop(): in-flight requests get this long
  std::string upload_dir;    ///< required when any policy streams; must exist (0700 advised)
  BodyPolicyFn body_policy;  ///< optional; default {false, max_body_bytes}
  /// Optional; default: one line per request on stderr (spdlog logger "http"). Called on an I/O
  /// thread; must be thread-safe and quick.
  std::function<void(const AccessLogEntry&)> access_log;
  bool handle_signals = false;  ///< SIGINT/SIGTERM => graceful Stop()
};

/// An HTTP/1.1 server (Boost.Beast) with keep-alive, pipelining (answered in order), limits,
/// timeouts, streamed uploads and graceful shutdown. All public methods are thread-safe.
class Server {
 public:
  /// Binds, listens and starts the I/O and worker threads. Errors: kUnavailable when resolving,
  /// binding or listening fails (the message names address and port), kInvalidArgument for bad
  /// options (threads < 1, upload_dir not a directory, empty handler).
  [[nodiscard]] static Result<std::unique_ptr<Server>> Start(ServerOptions options,
                                                             Handler handler);
  /// The bound port (useful with port 0).
  [[nodiscard]] std::uint16_t port() const;
  /// Graceful and non-blocking: stops accepting, closes idle keep-alive connections, lets
  /// in-flight requests finish (their responses carry Connection: close) for up to
  /// shutdown_grace, then closes what is left. Idempotent; callable from any thread, including a
  /// handler.
  void Stop();
  /// Blocks until the server has stopped (after Stop(), from any thread or a signal) and every
  /// handler has returned. Must not be called from a handler.
  void Wait();
  /// Stop() + Wait().
  ~Server();

  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

 private:
  explicit Server(std::unique_ptr<detail::ServerImpl> impl);
  std::unique_ptr<detail::ServerImpl> impl_;
};

/// The parts of an origin-form request target.
struct ParsedTarget {
  std::string path;
  std::vector<std::pair<std::string, std::string>> query;
};

/// Splits and decodes "/path?query" exactly as the server does for every request. Refuses
/// (kInvalidArgument, reason "http.bad_target"): a target not starting with '/', invalid
/// %-escapes, control characters (incl. NUL) in the decoded path, "." or ".." path segments, NUL
/// in the decoded query.
[[nodiscard]] Result<ParsedTarget> ParseTarget(std::string_view target);

/// The platform's JSON error body, used by the server for its own errors and by the API for all
/// others:
/// {"error":{"code":"<ApiName(code)>","reason":"<Error::reason(), omitted if empty>",
///           "message":"<message in lang>","request_id":"..."}}
/// with HTTP status HttpStatus(code) from core's error table. Never includes Error::detail().
[[nodiscard]] Response ErrorResponse(const Error& error, Lang lang, std::string_view request_id);

/// Lang from an Accept-Language header: the highest-weighted of "ja*" / "en*" wins (ties: the
/// first); Japanese when neither is present or the header is empty.
[[nodiscard]] Lang LangFromAcceptLanguage(std::string_view header);

/// The http module's user-facing messages ("http.*") in Japanese and English. Static; thread-safe.
[[nodiscard]] std::span<const MessageEntry> HttpMessages();

}  // namespace hoshi::http
