// SPDX-License-Identifier: Apache-2.0
#include "hoshi/http/server.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <exception>
#include <limits>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/file.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <spdlog/logger.h>

#include "hoshi/core/clock.h"
#include "hoshi/core/crypto.h"
#include "hoshi/core/error_code.h"
#include "hoshi/core/id.h"

#include "internal.h"

namespace hoshi::http {
namespace detail {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;

constexpr std::size_t kReadChunk = std::size_t{16} * 1024;
// After an error response the connection is closed "lingering": our side is shut down for
// writing and what the client still sends is read and discarded for a while, so that closing
// with unread data does not reset the connection before the client has read the response.
constexpr std::chrono::milliseconds kLingerTime{2000};
constexpr std::uint64_t kLingerMaxBytes = 64ULL << 20;
constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";

const beast::error_category& HttpErrorCategory() {
  return bhttp::make_error_code(bhttp::error::end_of_stream).category();
}

std::string_view ToStd(beast::string_view s) {
  return {s.data(), s.size()};
}

beast::string_view ToBeast(std::string_view s) {
  return {s.data(), s.size()};
}

std::string ErrnoMessage(int error) {
  return std::error_code(error, std::generic_category()).message();
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
    s.remove_suffix(1);
  }
  return s;
}

bool IsValidHeaderName(std::string_view name) {
  if (name.empty()) {
    return false;
  }
  // RFC 9110 token characters.
  return std::all_of(name.begin(), name.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') ||
           std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
  });
}

bool IsValidHeaderValue(std::string_view value) {
  return std::none_of(value.begin(), value.end(),
                      [](char c) { return c == '\r' || c == '\n' || c == '\0'; });
}

/// A file that is unlinked when this object dies, unless it was moved away.
class TempFile {
 public:
  TempFile() = default;
  explicit TempFile(std::string path) : path_(std::move(path)) {}
  TempFile(TempFile&& other) noexcept : path_(std::exchange(other.path_, {})) {}
  TempFile& operator=(TempFile&& other) noexcept {
    if (this != &other) {
      Remove();
      path_ = std::exchange(other.path_, {});
    }
    return *this;
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  ~TempFile() { Remove(); }

  /// Unlinks the file (ENOENT is fine: the handler may have renamed it away).
  void Remove() {
    if (!path_.empty()) {
      ::unlink(path_.c_str());
      path_.clear();
    }
  }
  [[nodiscard]] const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace

class Connection;

class ServerImpl {
 public:
  ServerImpl(ServerOptions options, Handler handler);
  ServerImpl(const ServerImpl&) = delete;
  ServerImpl& operator=(const ServerImpl&) = delete;

  Status Listen();
  void Run();
  void Stop();
  void Wait();
  [[nodiscard]] std::uint16_t port() const { return port_; }

  // Used by connections (any thread).
  [[nodiscard]] const ServerOptions& options() const { return options_; }
  [[nodiscard]] bool stopping() const { return stopping_.load(); }
  net::thread_pool& workers() { return workers_; }
  Response InvokeHandler(Request& request);
  void LogAccess(const AccessLogEntry& entry);
  void Unregister(std::uint64_t id);

 private:
  void DoAccept();
  void OnAccept(beast::error_code ec, tcp::socket socket);
  void BeginShutdown();
  std::vector<std::shared_ptr<Connection>> Snapshot();
  void RunIo();

  const ServerOptions options_;
  const Handler handler_;
  std::atomic<bool> stopping_{false};
  std::uint16_t port_ = 0;

  // Declared before ioc_: connections still queued in the io_context when it is destroyed
  // unregister themselves from here.
  std::mutex registry_mu_;
  std::unordered_map<std::uint64_t, std::weak_ptr<Connection>> registry_;
  std::uint64_t next_id_ = 0;    // guarded by registry_mu_
  bool shutdown_begun_ = false;  // guarded by registry_mu_
  bool io_alive_ = true;         // guarded by registry_mu_

  std::mutex join_mu_;
  net::thread_pool workers_;
  net::io_context ioc_;
  net::strand<net::io_context::executor_type> strand_;  // acceptor, timers, signals
  tcp::acceptor acceptor_;
  net::steady_timer grace_timer_;
  net::steady_timer accept_retry_timer_;
  std::optional<net::signal_set> signals_;
  std::optional<net::executor_work_guard<net::io_context::executor_type>> work_;
  std::vector<std::thread> io_threads_;
};

/// One client connection. Every member is used on the connection's strand only, except
/// `force_closed_` (atomic) and `executor_` (immutable), which a worker thread reads.
class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(ServerImpl& server, tcp::socket socket)
      : server_(server),
        stream_(std::move(socket)),
        executor_(stream_.get_executor()),
        request_timer_(executor_) {}
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection() {
    try {
      server_.Unregister(id_);
    } catch (...) {  // std::system_error from the mutex: nothing sensible left to do
    }
  }

  void set_id(std::uint64_t id) { id_ = id; }
  [[nodiscard]] const net::any_io_executor& executor() const { return executor_; }

  void Start(bool reject);
  /// The server is stopping: close if idle; otherwise the current request finishes first.
  void OnServerStop();
  /// The grace period is over.
  void ForceClose();

 private:
  enum class State { kIdle, kReading, kHandling, kWriting, kLingering, kClosed };

  /// What the access log and the error responses need about the current request.
  struct Current {
    std::string request_id;
    std::string method;
    std::string path;
    Lang lang = Lang::kJa;
    bool keep_alive = false;
    bool is_head = false;
    std::uint64_t body_limit = 0;
    int status = 0;
    std::uint64_t bytes_in = 0;
    std::uint64_t bytes_out = 0;
    std::chrono::steady_clock::time_point start;
  };

  void BeginRequest();
  void DoIdleWait();
  void DoReadHead();
  void StartRequestTimer();
  void OnHead(beast::error_code ec, std::size_t bytes);
  bool StartFileBody();
  void StartStringBody();
  void ReadBody();
  void OnBody(beast::error_code ec, std::size_t bytes);
  void OnReadError(beast::error_code ec);
  void Dispatch();
  void WriteResponse(Response response, bool close_after);
  void OnWrite(beast::error_code ec, std::size_t bytes, bool keep_alive);
  void SendError(const Error& error, int status_override = 0);
  void LingeringClose();
  void DoLinger();
  void Close();
  Error TooLarge(std::uint64_t limit) const {
    return MakeError(ErrorCode::kTooLarge, HttpMessages(), "http.body_too_large",
                     FormatNumber(static_cast<long long>(
                         std::min<std::uint64_t>(limit, std::numeric_limits<long long>::max()))));
  }

  ServerImpl& server_;
  beast::tcp_stream stream_;
  const net::any_io_executor executor_;
  net::steady_timer request_timer_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::empty_body>> head_parser_;
  std::optional<bhttp::request_parser<bhttp::string_body>> string_parser_;
  std::optional<bhttp::request_parser<bhttp::file_body>> file_parser_;
  std::optional<bhttp::response<bhttp::string_body>> response_;
  Request request_;
  TempFile temp_file_;
  Current current_;
  State state_ = State::kIdle;
  std::uint64_t id_ = 0;
  std::uint64_t seq_ = 0;
  bool timed_out_ = false;
  bool expect_continue_ = false;
  std::uint64_t linger_bytes_ = 0;
  std::string remote_address_;
  std::uint16_t remote_port_ = 0;
  std::atomic<bool> force_closed_{false};
};

// ---------------------------------------------------------------------------------------------
// Connection

void Connection::Start(bool reject) {
  beast::error_code ec;
  const tcp::endpoint remote = stream_.socket().remote_endpoint(ec);
  if (!ec) {
    remote_address_ = remote.address().to_string();
    remote_port_ = remote.port();
  }
  beast::error_code ignored;
  stream_.socket().set_option(tcp::no_delay(true), ignored);
  if (reject) {
    BeginRequest();
    state_ = State::kReading;
    SendError(MakeError(ErrorCode::kUnavailable, HttpMessages(), "http.overloaded"));
    return;
  }
  DoIdleWait();
}

void Connection::OnServerStop() {
  if (state_ == State::kIdle) {
    Close();
  }
}

void Connection::ForceClose() {
  force_closed_.store(true);
  Close();
}

void Connection::BeginRequest() {
  ++seq_;
  current_ = Current{};
  current_.request_id = NewId(SystemClock::Instance());
  current_.start = std::chrono::steady_clock::now();
  timed_out_ = false;
  expect_continue_ = false;
}

void Connection::DoIdleWait() {
  if (server_.stopping()) {
    Close();
    return;
  }
  state_ = State::kIdle;
  if (buffer_.size() > 0) {  // a pipelined request is already here
    DoReadHead();
    return;
  }
  stream_.expires_after(server_.options().idle_timeout);
  stream_.async_read_some(buffer_.prepare(kReadChunk),
                          [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                            if (ec || self->state_ != State::kIdle) {
                              self->Close();  // idle timeout, client closed, or server stopping
                              return;
                            }
                            self->buffer_.commit(n);
                            self->DoReadHead();
                          });
}

void Connection::DoReadHead() {
  state_ = State::kReading;
  BeginRequest();
  head_parser_.emplace();
  head_parser_->header_limit(static_cast<std::uint32_t>(std::min<std::size_t>(
      server_.options().max_header_bytes, std::numeric_limits<std::uint32_t>::max())));
  // The body limit is applied once the policy is known (see OnHead). Not boost::none: Beast 1.74
  // compares a Content-Length against an empty optional as "over the limit".
  head_parser_->body_limit(std::numeric_limits<std::uint64_t>::max());
  stream_.expires_never();  // the request timer below covers head + body
  StartRequestTimer();
  bhttp::async_read_header(
      stream_, buffer_, *head_parser_,
      [self = shared_from_this()](beast::error_code ec, std::size_t n) { self->OnHead(ec, n); });
}

void Connection::StartRequestTimer() {
  // On expiry the pending read is cancelled (not the socket closed, as tcp_stream's own timeout
  // would do), so that a 408 can still be sent.
  request_timer_.expires_after(server_.options().request_timeout);
  request_timer_.async_wait([weak = weak_from_this(), seq = seq_](beast::error_code ec) {
    const std::shared_ptr<Connection> self = weak.lock();
    if (ec || !self || seq != self->seq_ || self->state_ != State::kReading) {
      return;
    }
    self->timed_out_ = true;
    beast::error_code ignored;
    self->stream_.socket().cancel(ignored);
  });
}

void Connection::OnHead(beast::error_code ec, std::size_t bytes) {
  current_.bytes_in += bytes;
  if (state_ != State::kReading) {
    return;
  }
  if (timed_out_) {
    SendError(MakeError(ErrorCode::kInvalidArgument, HttpMessages(), "http.request_timeout"), 408);
    return;
  }
  if (ec) {
    OnReadError(ec);
    return;
  }
  const auto& head = head_parser_->get();
  request_ = Request{};
  request_.method = std::string(ToStd(head.method_string()));
  request_.target = std::string(ToStd(head.target()));
  for (const auto& field : head) {
    request_.headers.push_back(
        Header{std::string(ToStd(field.name_string())), std::string(ToStd(field.value()))});
  }
  request_.request_id = current_.request_id;
  request_.remote_address = remote_address_;
  request_.remote_port = remote_port_;
  current_.method = request_.method;
  current_.lang = request_.PreferredLang();
  current_.keep_alive = head.keep_alive();
  current_.is_head = head.method() == bhttp::verb::head;

  // A Transfer-Encoding whose last coding is not "chunked" leaves the body length undefined for
  // a request (RFC 9112 §6.3); refuse it rather than guess (request smuggling).
  if (head.find(bhttp::field::transfer_encoding) != head.end() && !head_parser_->chunked()) {
    SendError(MakeError(ErrorCode::kInvalidArgument, HttpMessages(), "http.malformed"));
    return;
  }
  Result<ParsedTarget> target = ParseTarget(request_.target);
  if (!target) {
    SendError(target.error());
    return;
  }
  request_.path = std::move(target->path);
  request_.query = std::move(target->query);
  current_.path = request_.path;

  BodyPolicy policy{false, server_.options().max_body_bytes};
  if (server_.options().body_policy) {
    try {
      policy = server_.options().body_policy(request_);
    } catch (const std::exception& e) {
      Logger().error("request {}: body policy threw: {}", current_.request_id,
                     EscapeForLog(e.what()));
      SendError(MakeError(ErrorCode::kInternal, HttpMessages(), "http.internal"));
      return;
    } catch (...) {
      Logger().error("request {}: body policy threw", current_.request_id);
      SendError(MakeError(ErrorCode::kInternal, HttpMessages(), "http.internal"));
      return;
    }
  }
  current_.body_limit = policy.max_bytes;

  if (head_parser_->is_done()) {  // no body
    head_parser_.reset();
    Dispatch();
    return;
  }
  // Checked here, before any body byte is read (the parser's body_limit covers chunked bodies).
  const boost::optional<std::uint64_t> length = head_parser_->content_length();
  if (length && *length > policy.max_bytes) {
    SendError(TooLarge(policy.max_bytes));
    return;
  }
  expect_continue_ =
      head.version() >= 11 && IEquals(Trim(ToStd(head[bhttp::field::expect])), "100-continue");
  if (policy.stream_to_file) {
    if (!StartFileBody()) {
      return;
    }
  } else {
    StartStringBody();
  }
  ReadBody();
}

void Connection::StartStringBody() {
  string_parser_.emplace(std::move(*head_parser_));
  head_parser_.reset();
  string_parser_->body_limit(current_.body_limit);
  if (const auto length = string_parser_->content_length(); length) {
    // Never trust the announced length for more than a modest up-front allocation.
    string_parser_->get().body().reserve(
        static_cast<std::size_t>(std::min<std::uint64_t>(*length, kReadChunk * 64)));
  }
}

bool Connection::StartFileBody() {
  const std::string& dir = server_.options().upload_dir;
  if (dir.empty()) {
    Logger().error("request {}: the body policy streams to a file but upload_dir is empty",
                   current_.request_id);
    SendError(MakeError(ErrorCode::kInternal, HttpMessages(), "http.internal"));
    return false;
  }
  const Bytes random = RandomBytes(16);
  std::string path = dir + "/upload-" + ToHex(random) + ".part";
  // O_EXCL + a random name: never follows or reuses an existing file. 0600: only this user.
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) {
    Logger().error("request {}: cannot create an upload file in the upload directory: {}",
                   current_.request_id, ErrnoMessage(errno));
    SendError(MakeError(ErrorCode::kIoError, HttpMessages(), "http.upload_failed"));
    return false;
  }
  temp_file_ = TempFile(std::move(path));
  file_parser_.emplace(std::move(*head_parser_));
  head_parser_.reset();
  file_parser_->body_limit(current_.body_limit);
  beast::file file;
  file.native_handle(fd);  // the file now owns fd
  beast::error_code ec;
  file_parser_->get().body().reset(std::move(file), ec);
  if (ec) {
    Logger().error("request {}: cannot open the upload file: {}", current_.request_id,
                   ec.message());
    SendError(MakeError(ErrorCode::kIoError, HttpMessages(), "http.upload_failed"));
    return false;
  }
  return true;
}

void Connection::ReadBody() {
  if (expect_continue_) {
    expect_continue_ = false;
    net::async_write(stream_, net::buffer(kContinue.data(), kContinue.size()),
                     [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                       self->current_.bytes_out += n;
                       if (self->state_ != State::kReading) {
                         return;
                       }
                       if (self->timed_out_) {
                         self->SendError(MakeError(ErrorCode::kInvalidArgument, HttpMessages(),
                                                   "http.request_timeout"),
                                         408);
                         return;
                       }
                       if (ec) {
                         self->Close();
                         return;
                       }
                       self->ReadBody();
                     });
    return;
  }
  auto on_body = [self = shared_from_this()](beast::error_code ec, std::size_t n) {
    self->OnBody(ec, n);
  };
  if (string_parser_) {
    bhttp::async_read(stream_, buffer_, *string_parser_, std::move(on_body));
  } else {
    bhttp::async_read(stream_, buffer_, *file_parser_, std::move(on_body));
  }
}

void Connection::OnBody(beast::error_code ec, std::size_t bytes) {
  current_.bytes_in += bytes;
  if (state_ != State::kReading) {
    return;
  }
  if (timed_out_) {
    SendError(MakeError(ErrorCode::kInvalidArgument, HttpMessages(), "http.request_timeout"), 408);
    return;
  }
  if (ec) {
    OnReadError(ec);
    return;
  }
  if (string_parser_) {
    request_.body = std::move(string_parser_->get().body());
    request_.body_size = request_.body.size();
    string_parser_.reset();
  } else {
    file_parser_->get().body().close();
    file_parser_.reset();
    struct stat st {};
    if (::stat(temp_file_.path().c_str(), &st) == 0) {
      request_.body_size = static_cast<std::uint64_t>(st.st_size);
    }
    request_.body_file = temp_file_.path();
  }
  Dispatch();
}

void Connection::OnReadError(beast::error_code ec) {
  if (ec == bhttp::error::header_limit) {
    SendError(MakeError(ErrorCode::kTooLarge, HttpMessages(), "http.header_too_large",
                        FormatNumber(static_cast<long long>(server_.options().max_header_bytes))),
              431);
  } else if (ec == bhttp::error::body_limit) {
    SendError(TooLarge(current_.body_limit));
  } else if (file_parser_ &&
             (ec == boost::system::errc::no_space_on_device ||
              ec == boost::system::errc::io_error || ec == boost::system::errc::file_too_large)) {
    Logger().error("request {}: cannot write the upload file: {}", current_.request_id,
                   ec.message());
    SendError(MakeError(ErrorCode::kIoError, HttpMessages(), "http.upload_failed"));
  } else if (ec.category() == HttpErrorCategory() && ec != bhttp::error::end_of_stream &&
             ec != bhttp::error::partial_message) {
    Logger().debug("request {}: malformed: {}", current_.request_id, ec.message());
    SendError(MakeError(ErrorCode::kInvalidArgument, HttpMessages(), "http.malformed"));
  } else {
    Close();  // the client went away or the socket failed; nobody to answer
  }
}

void Connection::Dispatch() {
  request_timer_.cancel();
  state_ = State::kHandling;
  // The handler may block, so it runs on the worker pool; the response comes back to this
  // connection's strand. The temp file travels with the request and is removed right after the
  // handler returns.
  net::post(server_.workers(), [self = shared_from_this(), request = std::move(request_),
                                temp = std::move(temp_file_)]() mutable {
    // The last reference to the connection is always handed back to its strand, so that it is
    // never destroyed on a worker thread.
    const net::any_io_executor executor = self->executor();
    if (self->force_closed_.load()) {
      net::post(executor, [self = std::move(self)] {});  // grace period over while queued
      return;
    }
    Response response = self->server_.InvokeHandler(request);
    temp.Remove();
    net::post(executor, [self = std::move(self), response = std::move(response)]() mutable {
      self->WriteResponse(std::move(response), false);
    });
  });
  request_ = Request{};
}

void Connection::WriteResponse(Response response, bool close_after) {
  if (state_ == State::kClosed) {
    return;
  }
  request_timer_.cancel();
  state_ = State::kWriting;
  if (response.status < 200 || response.status > 599) {
    Logger().error("request {}: the handler returned the invalid status {}", current_.request_id,
                   response.status);
    response = ErrorResponse(MakeError(ErrorCode::kInternal, HttpMessages(), "http.internal"),
                             current_.lang, current_.request_id);
  }
  const bool keep_alive = current_.keep_alive && !close_after && !server_.stopping();
  current_.status = response.status;

  auto& msg = response_.emplace();
  msg.version(11);
  msg.result(static_cast<unsigned>(response.status));
  for (const Header& header : response.headers) {
    if (!IsValidHeaderName(header.name) || !IsValidHeaderValue(header.value) ||
        IEquals(header.name, "Content-Length") || IEquals(header.name, "Transfer-Encoding") ||
        IEquals(header.name, "Connection")) {
      Logger().warn("request {}: dropped the response header '{}'", current_.request_id,
                    EscapeForLog(header.name));
      continue;
    }
    msg.insert(ToBeast(header.name), ToBeast(header.value));
  }
  const auto set_default = [&msg](std::string_view name, std::string_view value) {
    if (msg.find(ToBeast(name)) == msg.end()) {
      msg.set(ToBeast(name), ToBeast(value));
    }
  };
  const int status = response.status;
  const bool bodyless_status = status == 204 || status == 304;
  if (!bodyless_status && !response.content_type.empty() &&
      IsValidHeaderValue(response.content_type)) {
    set_default("Content-Type", response.content_type);
  }
  msg.set("X-Request-Id", ToBeast(current_.request_id));
  set_default("X-Content-Type-Options", "nosniff");
  set_default("Referrer-Policy", "no-referrer");
  if (response.content_type.find("json") != std::string::npos) {
    set_default("Cache-Control", "no-store");
    set_default("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
  }
  set_default("Server", "hoshitori");
  set_default("Date", HttpDate(std::chrono::system_clock::now()));
  if (bodyless_status) {
    // No body and no Content-Length (RFC 9110 §8.6).
  } else if (current_.is_head) {
    msg.content_length(response.body.size());
  } else {
    msg.body() = std::move(response.body);
    msg.prepare_payload();
  }
  msg.keep_alive(keep_alive);

  stream_.expires_after(server_.options().request_timeout);
  bhttp::async_write(stream_, msg,
                     [self = shared_from_this(), keep_alive](beast::error_code ec, std::size_t n) {
                       self->OnWrite(ec, n, keep_alive);
                     });
}

void Connection::OnWrite(beast::error_code ec, std::size_t bytes, bool keep_alive) {
  current_.bytes_out += bytes;
  response_.reset();
  AccessLogEntry entry;
  entry.request_id = current_.request_id;
  entry.remote_address = remote_address_;
  entry.method = current_.method;
  entry.path = current_.path;
  entry.status = current_.status;
  entry.bytes_in = current_.bytes_in;
  entry.bytes_out = current_.bytes_out;
  entry.duration_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - current_.start)
          .count();
  server_.LogAccess(entry);
  if (ec || state_ == State::kClosed) {
    Close();
  } else if (!keep_alive) {
    LingeringClose();
  } else {
    DoIdleWait();
  }
}

void Connection::SendError(const Error& error, int status_override) {
  // Only called when no read is pending, so the parsers can go.
  head_parser_.reset();
  string_parser_.reset();
  file_parser_.reset();
  temp_file_.Remove();
  Response response = ErrorResponse(error, current_.lang, current_.request_id);
  if (status_override != 0) {
    response.status = status_override;
  }
  WriteResponse(std::move(response), /*close_after=*/true);
}

void Connection::LingeringClose() {
  state_ = State::kLingering;
  beast::error_code ec;
  stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
  if (ec) {
    Close();
    return;
  }
  linger_bytes_ = 0;
  buffer_.clear();
  stream_.expires_after(kLingerTime);
  DoLinger();
}

void Connection::DoLinger() {
  stream_.async_read_some(buffer_.prepare(kReadChunk), [self = shared_from_this()](
                                                           beast::error_code ec, std::size_t n) {
    self->linger_bytes_ += n;
    if (ec || self->state_ != State::kLingering || self->linger_bytes_ > kLingerMaxBytes) {
      self->Close();
      return;
    }
    self->DoLinger();
  });
}

void Connection::Close() {
  if (state_ == State::kClosed) {
    return;
  }
  state_ = State::kClosed;
  request_timer_.cancel();
  // Pending operations complete with an error and find state_ == kClosed. The parsers and the
  // temp file go with this object.
  beast::error_code ignored;
  stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
  stream_.close();
}

// ---------------------------------------------------------------------------------------------
// ServerImpl

ServerImpl::ServerImpl(ServerOptions options, Handler handler)
    : options_(std::move(options)),
      handler_(std::move(handler)),
      workers_(static_cast<std::size_t>(options_.threads)),
      ioc_(options_.io_threads),
      strand_(net::make_strand(ioc_)),
      acceptor_(strand_),
      grace_timer_(strand_),
      accept_retry_timer_(strand_) {}

Status ServerImpl::Listen() {
  const auto fail = [this](const beast::error_code& ec) {
    return MakeError(ErrorCode::kUnavailable, HttpMessages(), "http.listen_failed",
                     options_.address, options_.port)
        .WithDetail(ec.message());
  };
  beast::error_code ec;
  tcp::resolver resolver(ioc_);
  const auto results =
      resolver.resolve(options_.address, std::to_string(options_.port),
                       tcp::resolver::passive | tcp::resolver::numeric_service, ec);
  if (ec) {
    return fail(ec);
  }
  if (results.empty()) {
    return fail(net::error::host_not_found);
  }
  const tcp::endpoint endpoint = results.begin()->endpoint();
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) {
    acceptor_.set_option(net::socket_base::reuse_address(true), ec);
  }
  if (!ec) {
    acceptor_.bind(endpoint, ec);
  }
  if (!ec) {
    acceptor_.listen(net::socket_base::max_listen_connections, ec);
  }
  if (ec) {
    beast::error_code ignored;
    acceptor_.close(ignored);
    return fail(ec);
  }
  port_ = acceptor_.local_endpoint(ec).port();
  Logger().info("listening on {} port {}", endpoint.address().to_string(), port_);
  return Status::Ok();
}

void ServerImpl::Run() {
  work_.emplace(ioc_.get_executor());
  if (options_.handle_signals) {
    signals_.emplace(strand_, SIGINT, SIGTERM);
    signals_->async_wait([this](beast::error_code ec, int signal_number) {
      if (!ec) {
        Logger().info("signal {} received, stopping", signal_number);
        Stop();
      }
    });
  }
  DoAccept();  // no I/O thread runs yet, so this is on the strand in effect
  io_threads_.reserve(static_cast<std::size_t>(options_.io_threads));
  for (int i = 0; i < options_.io_threads; ++i) {
    io_threads_.emplace_back([this] { RunIo(); });
  }
}

void ServerImpl::RunIo() {
  for (;;) {
    try {
      ioc_.run();
      return;
    } catch (const std::exception& e) {
      Logger().error("an I/O handler threw: {}", EscapeForLog(e.what()));
    } catch (...) {
      Logger().error("an I/O handler threw");
    }
  }
}

void ServerImpl::DoAccept() {
  acceptor_.async_accept(net::make_strand(ioc_), [this](beast::error_code ec, tcp::socket socket) {
    OnAccept(ec, std::move(socket));
  });
}

void ServerImpl::OnAccept(beast::error_code ec, tcp::socket socket) {
  if (stopping_.load() || ec == net::error::operation_aborted) {
    return;  // the socket (if any) closes here
  }
  if (ec) {
    // E.g. EMFILE: wait a little instead of spinning.
    Logger().warn("accept failed: {}", ec.message());
    accept_retry_timer_.expires_after(std::chrono::milliseconds(100));
    accept_retry_timer_.async_wait([this](beast::error_code timer_ec) {
      if (!timer_ec && !stopping_.load()) {
        DoAccept();
      }
    });
    return;
  }
  auto connection = std::make_shared<Connection>(*this, std::move(socket));
  bool reject = false;
  {
    const std::lock_guard lock(registry_mu_);
    reject = registry_.size() >= options_.max_connections;
    const std::uint64_t id = ++next_id_;
    registry_.emplace(id, connection);
    connection->set_id(id);
  }
  net::dispatch(connection->executor(), [connection, reject] { connection->Start(reject); });
  DoAccept();
}

void ServerImpl::Unregister(std::uint64_t id) {
  const std::lock_guard lock(registry_mu_);
  registry_.erase(id);
  if (shutdown_begun_ && registry_.empty() && io_alive_) {
    // Nothing left to wait for: let the io_context run out of work now.
    net::post(strand_, [this] { grace_timer_.cancel(); });
  }
}

std::vector<std::shared_ptr<Connection>> ServerImpl::Snapshot() {
  std::vector<std::shared_ptr<Connection>> connections;
  const std::lock_guard lock(registry_mu_);
  connections.reserve(registry_.size());
  for (const auto& [id, weak] : registry_) {
    if (auto connection = weak.lock()) {
      connections.push_back(std::move(connection));
    }
  }
  return connections;
}

void ServerImpl::Stop() {
  if (stopping_.exchange(true)) {
    return;
  }
  net::post(strand_, [this] { BeginShutdown(); });
}

void ServerImpl::BeginShutdown() {
  beast::error_code ignored;
  acceptor_.close(ignored);
  accept_retry_timer_.cancel();
  if (signals_) {
    signals_->cancel(ignored);
  }
  {
    const std::lock_guard lock(registry_mu_);
    shutdown_begun_ = true;
  }
  // Destroyed outside the registry lock (a last reference runs ~Connection, which locks it).
  const std::vector<std::shared_ptr<Connection>> connections = Snapshot();
  if (!connections.empty()) {
    grace_timer_.expires_after(options_.shutdown_grace);
    grace_timer_.async_wait([this](beast::error_code ec) {
      if (ec) {
        return;
      }
      const std::vector<std::shared_ptr<Connection>> left = Snapshot();
      if (!left.empty()) {
        Logger().warn("shutdown grace period over; closing {} connection(s)", left.size());
      }
      for (const auto& connection : left) {
        net::post(connection->executor(), [connection] { connection->ForceClose(); });
      }
    });
  }
  for (const auto& connection : connections) {
    net::post(connection->executor(), [connection] { connection->OnServerStop(); });
  }
  work_.reset();
}

void ServerImpl::Wait() {
  const std::lock_guard join_lock(join_mu_);
  for (std::thread& thread : io_threads_) {
    if (thread.joinable()) {
      thread.join();
    }
  }
  {
    const std::lock_guard lock(registry_mu_);
    io_alive_ = false;
  }
  workers_.join();  // handlers still running after the grace period finish here
}

Response ServerImpl::InvokeHandler(Request& request) {
  try {
    return handler_(request);
  } catch (const std::exception& e) {
    Logger().error("request {}: the handler threw: {}", request.request_id, EscapeForLog(e.what()));
  } catch (...) {
    Logger().error("request {}: the handler threw a non-standard exception", request.request_id);
  }
  return ErrorResponse(MakeError(ErrorCode::kInternal, HttpMessages(), "http.internal"),
                       request.PreferredLang(), request.request_id);
}

void ServerImpl::LogAccess(const AccessLogEntry& entry) {
  if (options_.access_log) {
    try {
      options_.access_log(entry);
    } catch (...) {
      Logger().error("the access log callback threw");
    }
    return;
  }
  Logger().info("{} {} {} \"{}\" {} in={} out={} {:.1f}ms", entry.request_id, entry.remote_address,
                entry.method.empty() ? "-" : EscapeForLog(entry.method), EscapeForLog(entry.path),
                entry.status, entry.bytes_in, entry.bytes_out, entry.duration_ms);
}

}  // namespace detail

// ---------------------------------------------------------------------------------------------
// Server

Result<std::unique_ptr<Server>> Server::Start(ServerOptions options, Handler handler) {
  if (!handler) {
    return MakeError(ErrorCode::kInvalidArgument, HttpMessages(), "http.no_handler");
  }
  if (options.threads < 1 || options.io_threads < 1) {
    return MakeError(ErrorCode::kInvalidArgument, HttpMessages(), "http.bad_threads");
  }
  if (!options.upload_dir.empty()) {
    struct stat st {};
    if (::stat(options.upload_dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
      return MakeError(ErrorCode::kInvalidArgument, HttpMessages(), "http.bad_upload_dir",
                       options.upload_dir);
    }
  }
  auto impl = std::make_unique<detail::ServerImpl>(std::move(options), std::move(handler));
  HOSHI_RETURN_IF_ERROR(impl->Listen());
  impl->Run();
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

Server::Server(std::unique_ptr<detail::ServerImpl> impl) : impl_(std::move(impl)) {}

Server::~Server() {
  try {
    Stop();
    Wait();
  } catch (const std::exception& e) {  // std::system_error from a mutex or a thread join
    detail::Logger().error("stopping the server failed: {}", detail::EscapeForLog(e.what()));
  }
}

std::uint16_t Server::port() const {
  return impl_->port();
}

void Server::Stop() {
  impl_->Stop();
}

void Server::Wait() {
  impl_->Wait();
}

}  // namespace hoshi::http
