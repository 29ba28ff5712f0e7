// SPDX-License-Identifier: Apache-2.0
#include "hoshi/http/client.h"

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/file.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>

#include "hoshi/core/error_code.h"

#include "internal.h"

namespace hoshi::http {
namespace detail {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;

constexpr std::uint32_t kResponseHeaderLimit = 64 * 1024;

std::string_view ToStd(beast::string_view s) {
  return {s.data(), s.size()};
}

beast::string_view ToBeast(std::string_view s) {
  return {s.data(), s.size()};
}

bool IsHttpError(const beast::error_code& ec) {
  return ec.category() == bhttp::make_error_code(bhttp::error::end_of_stream).category();
}

// The peer closed the connection (or reset it) before answering.
bool IsClosedByPeer(const beast::error_code& ec) {
  return ec == bhttp::error::end_of_stream || ec == net::error::eof ||
         ec == net::error::connection_reset || ec == net::error::broken_pipe ||
         ec == net::error::connection_aborted;
}

}  // namespace

struct ClientImpl {
  ClientImpl(std::string host_in, std::uint16_t port_in, ClientOptions options_in)
      : host(std::move(host_in)), port(port_in), options(options_in) {}

  Error Fail(std::string_view key, const beast::error_code& ec) const {
    return MakeError(ErrorCode::kUnavailable, HttpMessages(), key, host, port)
        .WithDetail(ec.message());
  }

  /// Starts an asynchronous operation (`start(handler)`) and runs the io_context until it has
  /// completed; the stream's timeout bounds it.
  template <typename Start>
  beast::error_code Run(Start&& start) {
    beast::error_code result = net::error::would_block;
    stream->expires_after(options.timeout);
    start([&result](beast::error_code ec, std::size_t /*bytes*/) { result = ec; });
    ioc.restart();
    ioc.run();
    return result;
  }

  Status Open() {
    CloseStream();
    beast::error_code ec;
    tcp::resolver resolver(ioc);
    const auto results = resolver.resolve(host, std::to_string(port), ec);
    if (ec) {
      return Fail("http.client_connect", ec);
    }
    stream.emplace(ioc);
    stream->expires_after(options.timeout);
    beast::error_code result = net::error::would_block;
    stream->async_connect(results, [&result](beast::error_code connect_ec, const tcp::endpoint&) {
      result = connect_ec;
    });
    ioc.restart();
    ioc.run();
    if (result) {
      CloseStream();
      return Fail("http.client_connect", result);
    }
    stream->socket().set_option(tcp::no_delay(true), ec);
    return Status::Ok();
  }

  void CloseStream() {
    if (stream) {
      beast::error_code ignored;
      stream->socket().shutdown(tcp::socket::shutdown_both, ignored);
      stream->close();
      stream.reset();
    }
    buffer.clear();
    reused = false;
  }

  template <typename Body>
  void PrepareRequest(bhttp::request<Body>& request, std::string_view method,
                      std::string_view target, const std::vector<Header>& headers) const {
    request.version(11);
    request.method_string(ToBeast(method));
    request.target(ToBeast(target));
    bool has_host = false;
    bool has_user_agent = false;
    for (const Header& header : headers) {
      request.insert(ToBeast(header.name), ToBeast(header.value));
      has_host = has_host || IEquals(header.name, "Host");
      has_user_agent = has_user_agent || IEquals(header.name, "User-Agent");
    }
    if (!has_host) {
      request.set(bhttp::field::host, host + ":" + std::to_string(port));
    }
    if (!has_user_agent) {
      request.set(bhttp::field::user_agent, "hoshitori-http-client");
    }
  }

  static bool SetsFraming(const std::vector<Header>& headers) {
    for (const Header& header : headers) {
      if (IEquals(header.name, "Content-Length") || IEquals(header.name, "Transfer-Encoding")) {
        return true;
      }
    }
    return false;
  }

  /// Writes the request made by `make_request()` and reads the response, with one retry on a
  /// reused connection that the server had closed.
  template <typename MakeRequest>
  Result<ClientResponse> Exchange(MakeRequest&& make_request) {
    for (int attempt = 0;; ++attempt) {
      if (!stream) {
        HOSHI_RETURN_IF_ERROR(Open());
      }
      const bool was_reused = reused;
      auto request = make_request();
      if (!request) {
        return std::move(request).error();
      }
      const beast::error_code write_ec =
          Run([&](auto handler) { bhttp::async_write(*stream, *request, std::move(handler)); });
      // Read even after a failed write: the server may have answered early (413) and closed.
      bhttp::response_parser<bhttp::string_body> parser;
      parser.header_limit(kResponseHeaderLimit);
      parser.body_limit(options.max_response_bytes);
      beast::error_code read_ec = net::error::not_connected;
      if (stream->socket().is_open()) {
        // Head first: Beast 1.74 loses the Content-Length vs body_limit check when the head and
        // the body are parsed in one go (eager mode), so that check is done here.
        read_ec = Run([&](auto handler) {
          bhttp::async_read_header(*stream, buffer, parser, std::move(handler));
        });
        if (!read_ec && parser.content_length() &&
            *parser.content_length() > options.max_response_bytes) {
          read_ec = bhttp::error::body_limit;
        }
        if (!read_ec && !parser.is_done()) {
          read_ec = Run([&](auto handler) {
            bhttp::async_read(*stream, buffer, parser, std::move(handler));
          });
        }
      }
      if (!read_ec) {
        auto& message = parser.get();
        ClientResponse response;
        response.status = static_cast<int>(message.result_int());
        for (const auto& field : message) {
          response.headers.push_back(
              Header{std::string(ToStd(field.name_string())), std::string(ToStd(field.value()))});
        }
        response.body = std::move(message.body());
        if (message.keep_alive()) {
          reused = true;
        } else {
          CloseStream();
        }
        return response;
      }
      CloseStream();
      const bool stale = was_reused && attempt == 0 && !parser.got_some() &&
                         (IsClosedByPeer(read_ec) || IsClosedByPeer(write_ec));
      if (stale) {
        continue;
      }
      if (read_ec == beast::error::timeout || write_ec == beast::error::timeout) {
        return Fail("http.client_timeout", read_ec);
      }
      if (read_ec == bhttp::error::body_limit) {
        return MakeError(ErrorCode::kTooLarge, HttpMessages(), "http.client_too_large",
                         FormatNumber(static_cast<long long>(std::min<std::uint64_t>(
                             options.max_response_bytes,
                             static_cast<std::uint64_t>(std::numeric_limits<long long>::max())))));
      }
      if (IsHttpError(read_ec) && read_ec != bhttp::error::end_of_stream &&
          read_ec != bhttp::error::partial_message) {
        return MakeError(ErrorCode::kDataError, HttpMessages(), "http.client_bad_response", host,
                         port)
            .WithDetail(read_ec.message());
      }
      return Fail("http.client_io", write_ec ? write_ec : read_ec);
    }
  }

  std::string host;
  std::uint16_t port;
  ClientOptions options;
  net::io_context ioc{1};
  std::optional<beast::tcp_stream> stream;
  beast::flat_buffer buffer;
  bool reused = false;  // a response was received on the current connection
};

}  // namespace detail

Result<Client> Client::Connect(std::string_view host, std::uint16_t port, ClientOptions options) {
  auto impl = std::make_unique<detail::ClientImpl>(std::string(host), port, options);
  HOSHI_RETURN_IF_ERROR(impl->Open());
  return Client(std::move(impl));
}

Client::Client(std::unique_ptr<detail::ClientImpl> impl) : impl_(std::move(impl)) {}
Client::Client(Client&& other) noexcept = default;
Client& Client::operator=(Client&& other) noexcept = default;
Client::~Client() = default;

Result<ClientResponse> Client::Send(std::string_view method, std::string_view target,
                                    const std::vector<Header>& headers, std::string_view body) {
  HOSHI_CHECK(impl_ != nullptr);
  return impl_->Exchange([&]() -> Result<detail::bhttp::request<detail::bhttp::string_body>> {
    detail::bhttp::request<detail::bhttp::string_body> request;
    impl_->PrepareRequest(request, method, target, headers);
    request.body() = std::string(body);
    if (!detail::ClientImpl::SetsFraming(headers)) {
      request.prepare_payload();
    }
    return request;
  });
}

Result<ClientResponse> Client::SendFile(std::string_view method, std::string_view target,
                                        const std::string& file_path,
                                        const std::vector<Header>& headers, bool chunked) {
  HOSHI_CHECK(impl_ != nullptr);
  return impl_->Exchange([&]() -> Result<detail::bhttp::request<detail::bhttp::file_body>> {
    detail::bhttp::request<detail::bhttp::file_body> request;
    impl_->PrepareRequest(request, method, target, headers);
    detail::beast::error_code ec;
    request.body().open(file_path.c_str(), detail::beast::file_mode::scan, ec);
    if (ec) {
      return MakeError(ErrorCode::kIoError, HttpMessages(), "http.client_file", file_path)
          .WithDetail(ec.message());
    }
    if (chunked) {
      request.chunked(true);
    } else if (!detail::ClientImpl::SetsFraming(headers)) {
      request.prepare_payload();
    }
    return request;
  });
}

void Client::Close() {
  if (impl_) {
    impl_->CloseStream();
  }
}

bool Client::connected() const {
  return impl_ && impl_->stream.has_value();
}

}  // namespace hoshi::http
