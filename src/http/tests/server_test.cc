// SPDX-License-Identifier: Apache-2.0
#include "hoshi/http/server.h"

#include <signal.h>
#include <sys/stat.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <future>
#include <memory>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "hoshi/core/crypto.h"
#include "hoshi/core/error_code.h"
#include "hoshi/core/id.h"
#include "hoshi/core/json.h"
#include "hoshi/http/client.h"

#include "test_util.h"

namespace hoshi::http {
namespace {

using testing::AccessLogCapture;
using testing::ParseBody;
using testing::RawResponse;
using testing::RawSocket;
using testing::TempDir;
using testing::WriteRandomFile;
using namespace std::chrono_literals;

/// Echoes the request as JSON.
Response Echo(Request& request) {
  Json query = Json::array();
  for (const auto& [key, value] : request.query) {
    query.push_back(Json::array({key, value}));
  }
  Json body = Json::object();
  body["method"] = request.method;
  body["target"] = request.target;
  body["path"] = request.path;
  body["query"] = std::move(query);
  body["body"] = request.body;
  body["body_size"] = request.body_size;
  body["request_id"] = request.request_id;
  body["remote_address"] = request.remote_address;
  body["remote_port"] = request.remote_port;
  body["x_test"] = std::string(request.HeaderValue("X-Test"));
  Response response;
  response.body = DumpJson(body, -1);
  return response;
}

class HttpServerTest : public ::testing::Test {
 protected:
  ServerOptions Options() {
    ServerOptions options;
    options.port = 0;
    options.threads = 4;
    options.access_log = access_log_.Sink();
    return options;
  }

  static std::unique_ptr<Server> StartServer(ServerOptions options, Handler handler) {
    Result<std::unique_ptr<Server>> server = Server::Start(std::move(options), std::move(handler));
    EXPECT_TRUE(server.ok()) << (server.ok() ? "" : server.error().ToString(Lang::kEn));
    return server.ok() ? std::move(server).value() : nullptr;
  }

  static Client ConnectTo(const Server& server, ClientOptions options = {}) {
    Result<Client> client = Client::Connect("127.0.0.1", server.port(), options);
    if (!client.ok()) {
      ADD_FAILURE() << client.error().ToString(Lang::kEn);
      std::abort();
    }
    return std::move(client).value();
  }

  static Json ErrorOf(std::string_view body) { return ParseBody(body)["error"]; }

  AccessLogCapture access_log_;
};

TEST_F(HttpServerTest, EphemeralPortServesRequestWithStandardHeaders) {
  auto server = StartServer(Options(), Echo);
  ASSERT_NE(server, nullptr);
  EXPECT_NE(server->port(), 0);
  Client client = ConnectTo(*server);
  Result<ClientResponse> response = client.Send("GET", "/hello", {{"X-Test", "yes"}});
  ASSERT_TRUE(response.ok()) << response.error().ToString(Lang::kEn);
  EXPECT_EQ(response->status, 200);
  Json body = ParseBody(response->body);
  EXPECT_EQ(body["method"], "GET");
  EXPECT_EQ(body["path"], "/hello");
  EXPECT_EQ(body["x_test"], "yes");
  EXPECT_EQ(body["remote_address"], "127.0.0.1");
  const std::string request_id(response->HeaderValue("X-Request-Id"));
  EXPECT_TRUE(IsValidId(request_id)) << request_id;
  EXPECT_EQ(body["request_id"], request_id);
  EXPECT_EQ(response->HeaderValue("Content-Type"), "application/json; charset=utf-8");
  EXPECT_EQ(response->HeaderValue("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(response->HeaderValue("Cache-Control"), "no-store");
  EXPECT_EQ(response->HeaderValue("Referrer-Policy"), "no-referrer");
  EXPECT_NE(response->HeaderValue("Content-Security-Policy"), "");
  EXPECT_EQ(response->HeaderValue("Server"), "hoshitori");
  EXPECT_TRUE(response->HeaderValue("Date").ends_with(" GMT"));
  EXPECT_EQ(response->HeaderValue("Content-Length"), std::to_string(response->body.size()));
}

TEST_F(HttpServerTest, KeepAliveServesSeveralRequestsOnOneConnection) {
  auto server = StartServer(Options(), Echo);
  ASSERT_NE(server, nullptr);
  Client client = ConnectTo(*server);
  std::set<int> remote_ports;
  std::set<std::string> request_ids;
  for (int i = 0; i < 5; ++i) {
    Result<ClientResponse> response = client.Send("GET", "/n/" + std::to_string(i));
    ASSERT_TRUE(response.ok()) << response.error().ToString(Lang::kEn);
    ASSERT_EQ(response->status, 200);
    EXPECT_EQ(response->HeaderValue("Connection"), "");  // HTTP/1.1 default: keep-alive
    Json body = ParseBody(response->body);
    EXPECT_EQ(body["path"], "/n/" + std::to_string(i));
    remote_ports.insert(body["remote_port"].get<int>());
    request_ids.insert(body["request_id"].get<std::string>());
  }
  EXPECT_EQ(remote_ports.size(), 1U) << "all requests must use one connection";
  EXPECT_EQ(request_ids.size(), 5U) << "every request gets its own id";
}

TEST_F(HttpServerTest, PipelinedRequestsAreAnsweredInOrder) {
  auto server = StartServer(Options(), [](Request& request) {
    if (request.path == "/slow") {
      std::this_thread::sleep_for(100ms);
    }
    return Echo(request);
  });
  ASSERT_NE(server, nullptr);
  RawSocket socket(server->port());
  ASSERT_TRUE(socket.connected());
  ASSERT_TRUE(
      socket.Send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n"
                  "POST /second HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc"
                  "GET /third?q=1 HTTP/1.1\r\nHost: x\r\n\r\n"));
  const std::vector<std::string> expected = {"/slow", "/second", "/third"};
  for (const std::string& path : expected) {
    const std::optional<RawResponse> response = socket.ReadResponse();
    ASSERT_TRUE(response.has_value()) << path;
    EXPECT_EQ(response->status, 200);
    Json body = ParseBody(response->body);
    EXPECT_EQ(body["path"], path);
    if (path == "/second") {
      EXPECT_EQ(body["body"], "abc");
    }
  }
}

TEST_F(HttpServerTest, ConnectionCloseIsHonoured) {
  auto server = StartServer(Options(), Echo);
  ASSERT_NE(server, nullptr);
  RawSocket socket(server->port());
  ASSERT_TRUE(socket.Send("GET /a HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
  const std::optional<RawResponse> response = socket.ReadResponse();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->Header("Connection"), "close");
  EXPECT_TRUE(socket.WaitForClose());
}

TEST_F(HttpServerTest, Http10ClosesUnlessKeepAlive) {
  auto server = StartServer(Options(), Echo);
  ASSERT_NE(server, nullptr);
  RawSocket socket(server->port());
  ASSERT_TRUE(socket.Send("GET /a HTTP/1.0\r\n\r\n"));
  const std::optional<RawResponse> response = socket.ReadResponse();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 200);
  EXPECT_TRUE(socket.WaitForClose());
}

TEST_F(HttpServerTest, DecodesPathAndQuery) {
  auto server = StartServer(Options(), Echo);
  ASSERT_NE(server, nullptr);
  Client client = ConnectTo(*server);
  Result<ClientResponse> response =
      client.Send("GET", "/a%20b/%E6%98%9F?x=1&y=hello+world&x=%E5%8F%96%26&empty=");
  ASSERT_TRUE(response.ok());
  ASSERT_EQ(response->status, 200);
  Json body = ParseBody(response->body);
  EXPECT_EQ(body["path"], "/a b/星");
  EXPECT_EQ(body["target"], "/a%20b/%E6%98%9F?x=1&y=hello+world&x=%E5%8F%96%26&empty=");
  const Json expected = Json::parse(R"([["x","1"],["y","hello world"],["x","取&"],["empty",""]])");
  EXPECT_EQ(body["query"], expected);
}

TEST_F(HttpServerTest, InvalidTargetIs400JsonAndHandlerNotCalled) {
  std::atomic<int> calls{0};
  auto server = StartServer(Options(), [&calls](Request& request) {
    ++calls;
    return Echo(request);
  });
  ASSERT_NE(server, nullptr);
  for (const char* target : {"/a%zz", "/a%00b", "/a/../etc/passwd"}) {
    RawSocket socket(server->port());
    ASSERT_TRUE(socket.Send(std::string("GET ") + target + " HTTP/1.1\r\nHost: x\r\n\r\n"));
    const std::optional<RawResponse> response = socket.ReadResponse();
    ASSERT_TRUE(response.has_value()) << target;
    EXPECT_EQ(response->status, 400) << target;
    Json error = ErrorOf(response->body);
    EXPECT_EQ(error["code"], "invalid_argument");
    EXPECT_EQ(error["reason"], "http.bad_target");
    EXPECT_EQ(error["request_id"], response->Header("X-Request-Id"));
    EXPECT_EQ(error["message"], "リクエストのパスまたはクエリ文字列が正しくありません。");
    EXPECT_EQ(response->Header("Connection"), "close");
    EXPECT_TRUE(socket.WaitForClose());
  }
  EXPECT_EQ(calls.load(), 0);
}

TEST_F(HttpServerTest, MalformedRequestIs400AndCloses) {
  auto server = StartServer(Options(), Echo);
  ASSERT_NE(server, nullptr);
  for (const char* raw : {
           "GARBAGE\r\n\r\n",
           "GET / HTTP/1.1\r\nBad Header\r\n\r\n",
           "GET / HTTP/1.1\r\nContent-Length: abc\r\n\r\n",
           "POST / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd",
           // Request smuggling shapes: both framings, or a non-chunked final coding.
           "POST / HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
           "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n0\r\n\r\n",
           "POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\nabc",
           "POST / HTTP/1.1\r\nTransfer-Encoding: chunked, identity\r\n\r\nabc",
       }) {
    RawSocket socket(server->port());
    ASSERT_TRUE(socket.Send(raw));
    const std::optional<RawResponse> response = socket.ReadResponse();
    ASSERT_TRUE(response.has_value()) << raw;
    EXPECT_EQ(response->status, 400);
    Json error = ErrorOf(response->body);
    EXPECT_EQ(error["code"], "invalid_argument");
    EXPECT_EQ(error["reason"], "http.malformed");
    EXPECT_TRUE(socket.WaitForClose());
  }
}

TEST_F(HttpServerTest, JsonEcho) {
  auto server = StartServer(Options(), [](Request& request) {
    Response response;
    response.status = 201;
    response.body = request.body;
    return response;
  });
  ASSERT_NE(server, nullptr);
  Client client = ConnectTo(*server);
  const std::string json = R"({"name":"星取り","items":[1,2,3],"nested":{"ok":true}})";
  Result<ClientResponse> response =
      client.Send("POST", "/echo", {{"Content-Type", "application/json"}}, json);
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->status, 201);
  EXPECT_EQ(response->body, json);
  EXPECT_EQ(ParseBody(response->body)["name"], "星取り");
}

TEST_F(HttpServerTest, OversizeBufferedBodyIs413) {
  std::atomic<int> calls{0};
  ServerOptions options = Options();
  options.max_body_bytes = 1024;
  auto server = StartServer(std::move(options), [&calls](Request& request) {
    ++calls;
    return Echo(request);
  });
  ASSERT_NE(server, nullptr);
  TempDir files;
  const std::string big_file = files.path() + "/big";
  WriteRandomFile(big_file, std::size_t{256} * 1024);

  Client client = ConnectTo(*server);
  // Content-Length over the limit: refused right after the head.
  Result<ClientResponse> response = client.Send("POST", "/x", {}, std::string(4096, 'a'));
  ASSERT_TRUE(response.ok()) << response.error().ToString(Lang::kEn);
  EXPECT_EQ(response->status, 413);
  EXPECT_EQ(response->HeaderValue("Connection"), "close");
  Json error = ErrorOf(response->body);
  EXPECT_EQ(error["code"], "too_large");
  EXPECT_EQ(error["reason"], "http.body_too_large");
  EXPECT_EQ(error["request_id"], response->HeaderValue("X-Request-Id"));
  // A large body the server does not read to the end: the 413 still arrives.
  response = client.SendFile("POST", "/x", big_file);
  ASSERT_TRUE(response.ok()) << response.error().ToString(Lang::kEn);
  EXPECT_EQ(response->status, 413);
  // Chunked, no Content-Length: refused once the limit is crossed.
  response = client.SendFile("POST", "/x", big_file, {}, /*chunked=*/true);
  ASSERT_TRUE(response.ok()) << response.error().ToString(Lang::kEn);
  EXPECT_EQ(response->status, 413);
  EXPECT_EQ(ErrorOf(response->body)["code"], "too_large");
  // At the limit is fine.
  response = client.Send("POST", "/x", {}, std::string(1024, 'b'));
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(calls.load(), 1);
}

TEST_F(HttpServerTest, OversizeStreamedBodyIs413AndLeavesNoTempFile) {
  TempDir uploads;
  TempDir files;
  std::atomic<int> calls{0};
  ServerOptions options = Options();
  options.upload_dir = uploads.path();
  options.body_policy = [](const Request&) { return BodyPolicy{true, std::uint64_t{64} * 1024}; };
  auto server = StartServer(std::move(options), [&calls](Request& request) {
    ++calls;
    return Echo(request);
  });
  ASSERT_NE(server, nullptr);
  const std::string big_file = files.path() + "/big";
  WriteRandomFile(big_file, std::size_t{1024} * 1024);

  Client client = ConnectTo(*server);
  for (const bool chunked : {false, true}) {
    Result<ClientResponse> response = client.SendFile("PUT", "/upload", big_file, {}, chunked);
    ASSERT_TRUE(response.ok()) << response.error().ToString(Lang::kEn);
    EXPECT_EQ(response->status, 413) << chunked;
    EXPECT_EQ(ErrorOf(response->body)["code"], "too_large");
    EXPECT_TRUE(uploads.List().empty()) << "chunked=" << chunked;
  }
  EXPECT_EQ(calls.load(), 0);
}

TEST_F(HttpServerTest, HugeHeaderIs431) {
  ServerOptions options = Options();
  options.max_header_bytes = 1024;
  auto server = StartServer(std::move(options), Echo);
  ASSERT_NE(server, nullptr);
  RawSocket socket(server->port());
  ASSERT_TRUE(
      socket.Send("GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(4096, 'h') + "\r\n\r\n"));
  const std::optional<RawResponse> response = socket.ReadResponse();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 431);
  Json error = ErrorOf(response->body);
  EXPECT_EQ(error["code"], "too_large");
  EXPECT_EQ(error["reason"], "http.header_too_large");
  EXPECT_TRUE(socket.WaitForClose());

  // Just under the limit still works.
  Client client = ConnectTo(*server);
  Result<ClientResponse> ok = client.Send("GET", "/", {{"X-Small", std::string(200, 's')}});
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->status, 200);
}

TEST_F(HttpServerTest, SlowRequestGets408AndClose) {
  ServerOptions options = Options();
  options.request_timeout = 300ms;
  std::atomic<int> calls{0};
  auto server = StartServer(std::move(options), [&calls](Request& request) {
    ++calls;
    return Echo(request);
  });
  ASSERT_NE(server, nullptr);
  // Head never completes.
  {
    RawSocket socket(server->port());
    ASSERT_TRUE(socket.Send("GET / HTTP/1.1\r\nHost: x\r\nAccept-Language: en\r\n"));
    const std::optional<RawResponse> response = socket.ReadResponse();
    ASSERT_TRUE(response.has_value());
    EXPECT_EQ(response->status, 408);
    Json error = ErrorOf(response->body);
    EXPECT_EQ(error["reason"], "http.request_timeout");
    EXPECT_EQ(response->Header("Connection"), "close");
    EXPECT_TRUE(socket.WaitForClose());
  }
  // Body never completes.
  {
    RawSocket socket(server->port());
    ASSERT_TRUE(socket.Send(
        "POST / HTTP/1.1\r\nHost: x\r\nAccept-Language: en\r\nContent-Length: 10\r\n\r\nabc"));
    const std::optional<RawResponse> response = socket.ReadResponse();
    ASSERT_TRUE(response.has_value());
    EXPECT_EQ(response->status, 408);
    Json error = ErrorOf(response->body);
    EXPECT_EQ(error["reason"], "http.request_timeout");
    EXPECT_EQ(error["message"], "The request was not received within the time limit.");
    EXPECT_TRUE(socket.WaitForClose());
  }
  EXPECT_EQ(calls.load(), 0);
}

TEST_F(HttpServerTest, IdleKeepAliveConnectionIsClosed) {
  ServerOptions options = Options();
  options.idle_timeout = 300ms;
  auto server = StartServer(std::move(options), Echo);
  ASSERT_NE(server, nullptr);
  RawSocket socket(server->port());
  ASSERT_TRUE(socket.Send("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
  const std::optional<RawResponse> response = socket.ReadResponse();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 200);
  EXPECT_TRUE(socket.WaitForClose());
  // A connection that never sends anything is closed too (no response).
  RawSocket silent(server->port());
  EXPECT_TRUE(silent.WaitForClose());
}

// Streams to a file; the handler checks the file and returns its size and SHA-256.
Response HashUpload(Request& request, const std::string& upload_dir) {
  Json body = Json::object();
  body["body_in_memory"] = request.body.size();
  body["body_size"] = request.body_size;
  body["in_upload_dir"] =
      std::filesystem::path(request.body_file).parent_path() == std::filesystem::path(upload_dir);
  struct stat st {};
  body["mode"] = ::stat(request.body_file.c_str(), &st) == 0 ? (st.st_mode & 0777) : 0;
  std::ifstream in(request.body_file, std::ios::binary);
  Sha256Hasher hasher;
  std::string chunk(std::size_t{64} * 1024, '\0');
  while (in.read(chunk.data(), static_cast<std::streamsize>(chunk.size())) || in.gcount() > 0) {
    hasher.Update(std::string_view(chunk.data(), static_cast<std::size_t>(in.gcount())));
  }
  const Sha256Digest digest = hasher.Finish();
  body["sha256"] = ToHex(digest);
  Response response;
  response.body = DumpJson(body, -1);
  return response;
}

TEST_F(HttpServerTest, StreamedUploadReachesHandlerAsFileWithRightSha256) {
  TempDir uploads;
  TempDir files;
  ServerOptions options = Options();
  options.upload_dir = uploads.path();
  options.body_policy = [](const Request& head) {
    return head.path == "/upload" ? BodyPolicy{true, 16 << 20} : BodyPolicy{false, 1 << 20};
  };
  const std::string& upload_dir = uploads.path();
  auto server = StartServer(std::move(options), [upload_dir](Request& request) {
    return request.path == "/upload" ? HashUpload(request, upload_dir) : Echo(request);
  });
  ASSERT_NE(server, nullptr);
  const std::string file = files.path() + "/data.bin";
  const std::string data = WriteRandomFile(file, (std::size_t{3} << 20) + 123);
  const std::string expected_sha = Sha256Hex(data);

  Client client = ConnectTo(*server);
  for (const bool chunked : {false, true}) {
    Result<ClientResponse> response = client.SendFile("POST", "/upload", file, {}, chunked);
    ASSERT_TRUE(response.ok()) << response.error().ToString(Lang::kEn);
    ASSERT_EQ(response->status, 200) << response->body;
    Json body = ParseBody(response->body);
    EXPECT_EQ(body["sha256"], expected_sha) << "chunked=" << chunked;
    EXPECT_EQ(body["body_size"], data.size());
    EXPECT_EQ(body["body_in_memory"], 0);
    EXPECT_EQ(body["in_upload_dir"], true);
    EXPECT_EQ(body["mode"], 0600);
    EXPECT_TRUE(uploads.List().empty()) << "the temp file must be gone after the handler";
  }
  // Other paths are still buffered, on the same connection.
  Result<ClientResponse> small = client.Send("POST", "/other", {}, "small");
  ASSERT_TRUE(small.ok());
  EXPECT_EQ(ParseBody(small->body)["body"], "small");
}

TEST_F(HttpServerTest, HandlerMayRenameUploadedFileAway) {
  TempDir uploads;
  TempDir kept;
  ServerOptions options = Options();
  options.upload_dir = uploads.path();
  options.body_policy = [](const Request&) { return BodyPolicy{true, 1 << 20}; };
  const std::string target = kept.path() + "/kept.bin";
  auto server = StartServer(std::move(options), [target](Request& request) {
    Response response;
    response.status = std::rename(request.body_file.c_str(), target.c_str()) == 0 ? 201 : 500;
    return response;
  });
  ASSERT_NE(server, nullptr);
  Client client = ConnectTo(*server);
  const std::string payload(100000, 'k');
  Result<ClientResponse> response = client.Send("PUT", "/keep", {}, payload);
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->status, 201);
  EXPECT_TRUE(uploads.List().empty());
  std::error_code ec;
  EXPECT_EQ(std::filesystem::file_size(target, ec), payload.size());
}

TEST_F(HttpServerTest, StreamingWithoutUploadDirIs500) {
  ServerOptions options = Options();
  options.body_policy = [](const Request&) { return BodyPolicy{true, 1 << 20}; };
  auto server = StartServer(std::move(options), Echo);
  ASSERT_NE(server, nullptr);
  Client client = ConnectTo(*server);
  Result<ClientResponse> response = client.Send("POST", "/x", {}, "data");
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->status, 500);
  EXPECT_EQ(ErrorOf(response->body)["code"], "internal");
}

TEST_F(HttpServerTest, Expect100ContinueIsAnswered) {
  ServerOptions options = Options();
  options.max_body_bytes = 1000;
  auto server = StartServer(std::move(options), Echo);
  ASSERT_NE(server, nullptr);
  {
    RawSocket socket(server->port());
    ASSERT_TRUE(socket.Send(
        "POST /c HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n"));
    const std::optional<RawResponse> interim = socket.ReadResponse();
    ASSERT_TRUE(interim.has_value());
    EXPECT_EQ(interim->status, 100);
    ASSERT_TRUE(socket.Send("hello"));
    const std::optional<RawResponse> final_response = socket.ReadResponse();
    ASSERT_TRUE(final_response.has_value());
    EXPECT_EQ(final_response->status, 200);
    EXPECT_EQ(ParseBody(final_response->body)["body"], "hello");
  }
  {
    // Too large: the final 413 comes instead of 100 Continue.
    RawSocket socket(server->port());
    ASSERT_TRUE(socket.Send(
        "POST /c HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5000\r\n\r\n"));
    const std::optional<RawResponse> response = socket.ReadResponse();
    ASSERT_TRUE(response.has_value());
    EXPECT_EQ(response->status, 413);
    EXPECT_TRUE(socket.WaitForClose());
  }
}

TEST_F(HttpServerTest, HeadRequestHasLengthButNoBody) {
  auto server = StartServer(Options(), [](Request& request) {
    Response response;
    response.content_type = "text/plain; charset=utf-8";
    response.body = request.method == "HEAD" ? "twelve bytes" : "other";
    return response;
  });
  ASSERT_NE(server, nullptr);
  RawSocket socket(server->port());
  ASSERT_TRUE(socket.Send("HEAD / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n"));
  const std::optional<RawResponse> head = socket.ReadResponse(/*head_request=*/true);
  ASSERT_TRUE(head.has_value());
  EXPECT_EQ(head->status, 200);
  EXPECT_EQ(head->Header("Content-Length"), "12");
  const std::optional<RawResponse> get = socket.ReadResponse();
  ASSERT_TRUE(get.has_value());
  EXPECT_EQ(get->body, "other");  // the HEAD response carried no body bytes
}

TEST_F(HttpServerTest, ResponseHeadersFromHandler) {
  auto server = StartServer(Options(), [](Request&) {
    Response response;
    response.content_type = "text/plain; charset=utf-8";
    response.headers = {{"Set-Cookie", "a=1; HttpOnly"},
                        {"Set-Cookie", "b=2; HttpOnly"},
                        {"Cache-Control", "max-age=60"},
                        {"X-Injected", "ok\r\nX-Evil: 1"},
                        {"Bad Name", "v"},
                        {"Content-Length", "999"},
                        {"X-Request-Id", "spoofed"}};
    response.body = "plain";
    return response;
  });
  ASSERT_NE(server, nullptr);
  RawSocket socket(server->port());
  ASSERT_TRUE(socket.Send("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
  const std::optional<RawResponse> response = socket.ReadResponse();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, "plain");
  EXPECT_EQ(response->HeaderCount("Set-Cookie"), 2U);
  EXPECT_EQ(response->Header("Cache-Control"), "max-age=60");
  EXPECT_EQ(response->HeaderCount("Cache-Control"), 1U);
  EXPECT_EQ(response->Header("Content-Type"), "text/plain; charset=utf-8");
  EXPECT_EQ(response->Header("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(response->Header("Content-Security-Policy"), "");  // only for JSON
  EXPECT_EQ(response->HeaderCount("X-Injected"), 0U);
  EXPECT_EQ(response->HeaderCount("X-Evil"), 0U);
  EXPECT_EQ(response->HeaderCount("Content-Length"), 1U);
  EXPECT_EQ(response->Header("Content-Length"), "5");
  EXPECT_EQ(response->HeaderCount("X-Request-Id"), 1U);
  EXPECT_TRUE(IsValidId(response->Header("X-Request-Id")));
}

TEST_F(HttpServerTest, HandlerExceptionIs500JsonWithRequestId) {
  auto server = StartServer(Options(), [](Request& request) -> Response {
    if (request.path == "/throw") {
      throw std::runtime_error("secret-token-123 leaked in an exception");
    }
    if (request.path == "/throw-int") {
      throw 42;
    }
    return Echo(request);
  });
  ASSERT_NE(server, nullptr);
  Client client = ConnectTo(*server);
  for (const char* path : {"/throw", "/throw-int"}) {
    Result<ClientResponse> response = client.Send("GET", path);
    ASSERT_TRUE(response.ok());
    EXPECT_EQ(response->status, 500);
    EXPECT_EQ(response->body.find("secret"), std::string::npos);
    Json error = ErrorOf(response->body);
    EXPECT_EQ(error["code"], "internal");
    EXPECT_EQ(error["reason"], "http.internal");
    EXPECT_EQ(error["message"], "内部エラーが発生しました。");
    EXPECT_EQ(error["request_id"], response->HeaderValue("X-Request-Id"));
    EXPECT_TRUE(IsValidId(error["request_id"].get<std::string>()));
  }
  // The connection survives a handler failure.
  Result<ClientResponse> after = client.Send("GET", "/fine");
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->status, 200);
}

TEST_F(HttpServerTest, AcceptLanguageEnGivesEnglishMessage) {
  ServerOptions options = Options();
  options.max_body_bytes = 1024;
  auto server = StartServer(std::move(options),
                            [](Request&) -> Response { throw std::runtime_error("boom"); });
  ASSERT_NE(server, nullptr);
  Client client = ConnectTo(*server);
  Result<ClientResponse> en =
      client.Send("POST", "/", {{"Accept-Language", "en-US,en;q=0.9"}}, std::string(2048, 'x'));
  ASSERT_TRUE(en.ok());
  EXPECT_EQ(en->status, 413);
  EXPECT_EQ(ErrorOf(en->body)["message"], "The request body is too large (limit 1,024 bytes).");
  Result<ClientResponse> ja = client.Send("POST", "/", {}, std::string(2048, 'x'));
  ASSERT_TRUE(ja.ok());
  EXPECT_EQ(ErrorOf(ja->body)["message"], "リクエスト本文が大きすぎます（上限 1,024 バイト）。");
  Result<ClientResponse> handler_en = client.Send("GET", "/", {{"Accept-Language", "en"}});
  ASSERT_TRUE(handler_en.ok());
  EXPECT_EQ(handler_en->status, 500);
  EXPECT_EQ(ErrorOf(handler_en->body)["message"], "An internal error occurred.");
}

TEST_F(HttpServerTest, ConcurrentClientsFromSeveralThreads) {
  std::atomic<int> calls{0};
  auto server = StartServer(Options(), [&calls](Request& request) {
    ++calls;
    return Echo(request);
  });
  ASSERT_NE(server, nullptr);
  constexpr int kThreads = 8;
  constexpr int kRequests = 25;
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      Result<Client> client = Client::Connect("127.0.0.1", server->port());
      if (!client.ok()) {
        return;
      }
      for (int i = 0; i < kRequests; ++i) {
        const std::string body = "thread " + std::to_string(t) + " request " + std::to_string(i);
        Result<ClientResponse> response = client->Send("POST", "/t/" + std::to_string(t), {}, body);
        if (response.ok() && response->status == 200) {
          const Result<Json> json = ParseJson(response->body);
          if (json.ok() && (*json)["body"] == body &&
              (*json)["path"] == "/t/" + std::to_string(t)) {
            ++ok;
          }
        }
      }
    });
  }
  for (std::thread& thread : threads) {
    thread.join();
  }
  EXPECT_EQ(ok.load(), kThreads * kRequests);
  EXPECT_EQ(calls.load(), kThreads * kRequests);
}

TEST_F(HttpServerTest, AccessLogHasOneLinePerRequestWithoutSecrets) {
  auto server = StartServer(Options(), Echo);
  ASSERT_NE(server, nullptr);
  Client client = ConnectTo(*server);
  Result<ClientResponse> response =
      client.Send("POST", "/login?token=SECRET1",
                  {{"Cookie", "session=SECRET2"}, {"Authorization", "Bearer SECRET3"}}, "SECRET4");
  ASSERT_TRUE(response.ok());
  Result<ClientResponse> second = client.Send("GET", "/two");
  ASSERT_TRUE(second.ok());
  server->Stop();
  server->Wait();
  const std::vector<AccessLogEntry> entries = access_log_.Entries();
  ASSERT_EQ(entries.size(), 2U);
  const AccessLogEntry& entry = entries[0];
  EXPECT_EQ(entry.request_id, response->HeaderValue("X-Request-Id"));
  EXPECT_EQ(entry.remote_address, "127.0.0.1");
  EXPECT_EQ(entry.method, "POST");
  EXPECT_EQ(entry.path, "/login");
  EXPECT_EQ(entry.status, 200);
  EXPECT_GT(entry.bytes_in, 7U);
  EXPECT_EQ(entry.bytes_out > response->body.size(), true);
  EXPECT_GE(entry.duration_ms, 0.0);
  for (const std::string& field :
       {entry.request_id, entry.remote_address, entry.method, entry.path}) {
    EXPECT_EQ(field.find("SECRET"), std::string::npos) << field;
  }
  EXPECT_EQ(entries[1].path, "/two");
  EXPECT_EQ(entries[1].method, "GET");
}

TEST_F(HttpServerTest, StopLetsSlowHandlerFinish) {
  std::promise<void> started;
  std::atomic<bool> finished{false};
  auto server = StartServer(Options(), [&](Request& request) {
    started.set_value();
    std::this_thread::sleep_for(500ms);
    finished = true;
    return Echo(request);
  });
  ASSERT_NE(server, nullptr);
  const std::uint16_t port = server->port();
  auto result = std::async(std::launch::async, [port] {
    Result<Client> client = Client::Connect("127.0.0.1", port);
    if (!client.ok()) {
      return Result<ClientResponse>(std::move(client).error());
    }
    return client->Send("GET", "/slow");
  });
  started.get_future().wait();
  server->Stop();
  server->Wait();
  EXPECT_TRUE(finished.load());
  Result<ClientResponse> response = result.get();
  ASSERT_TRUE(response.ok()) << response.error().ToString(Lang::kEn);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->HeaderValue("Connection"), "close");
  // No longer accepting.
  Result<Client> late = Client::Connect("127.0.0.1", port);
  EXPECT_FALSE(late.ok());
}

TEST_F(HttpServerTest, StopIsCallableFromHandlerAndIdempotent) {
  Server* self = nullptr;
  std::promise<Server*> server_ready;
  std::shared_future<Server*> ready = server_ready.get_future().share();
  auto server = StartServer(Options(), [ready](Request& request) {
    ready.get()->Stop();
    ready.get()->Stop();
    return Echo(request);
  });
  ASSERT_NE(server, nullptr);
  self = server.get();
  server_ready.set_value(self);
  Client client = ConnectTo(*server);
  Result<ClientResponse> response = client.Send("GET", "/stop");
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->HeaderValue("Connection"), "close");
  server->Wait();
  server->Stop();
  server->Wait();  // again: returns at once
  EXPECT_FALSE(Client::Connect("127.0.0.1", self->port()).ok());
}

TEST_F(HttpServerTest, StopClosesIdleKeepAliveConnections) {
  ServerOptions options = Options();
  options.idle_timeout = std::chrono::minutes(10);
  options.shutdown_grace = std::chrono::minutes(10);
  auto server = StartServer(std::move(options), Echo);
  ASSERT_NE(server, nullptr);
  RawSocket socket(server->port(), /*timeout_ms=*/20000);
  ASSERT_TRUE(socket.Send("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
  ASSERT_TRUE(socket.ReadResponse().has_value());
  server->Stop();
  server->Wait();  // would take 10 minutes if the idle connection were waited for
  EXPECT_TRUE(socket.WaitForClose());
}

TEST_F(HttpServerTest, HandleSignalsStopsGracefullyOnSigterm) {
  ServerOptions options = Options();
  options.handle_signals = true;
  auto server = StartServer(std::move(options), Echo);
  ASSERT_NE(server, nullptr);
  const std::uint16_t port = server->port();
  Client client = ConnectTo(*server);
  ASSERT_TRUE(client.Send("GET", "/").ok());
  ASSERT_EQ(::raise(SIGTERM), 0);  // caught by the server's signal_set, not fatal
  server->Wait();                  // returns only because the signal stopped the server
  EXPECT_FALSE(Client::Connect("127.0.0.1", port).ok());
}

TEST_F(HttpServerTest, GracePeriodEndsStalledRequests) {
  ServerOptions options = Options();
  options.request_timeout = std::chrono::minutes(10);
  options.shutdown_grace = 200ms;
  auto server = StartServer(std::move(options), Echo);
  ASSERT_NE(server, nullptr);
  RawSocket socket(server->port(), /*timeout_ms=*/20000);
  ASSERT_TRUE(socket.Send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\npartial"));
  std::this_thread::sleep_for(100ms);  // let the server start reading the body
  server->Stop();
  server->Wait();  // would take 10 minutes without the grace period
  EXPECT_TRUE(socket.WaitForClose());
}

TEST_F(HttpServerTest, MaxConnectionsRejectsWith503) {
  ServerOptions options = Options();
  options.max_connections = 1;
  auto server = StartServer(std::move(options), Echo);
  ASSERT_NE(server, nullptr);
  RawSocket first(server->port());
  ASSERT_TRUE(first.Send("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
  ASSERT_TRUE(first.ReadResponse().has_value());  // now registered and idle
  RawSocket second(server->port());
  const std::optional<RawResponse> response = second.ReadResponse();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 503);
  EXPECT_EQ(ErrorOf(response->body)["code"], "unavailable");
  EXPECT_TRUE(second.WaitForClose());
}

TEST_F(HttpServerTest, StartFailsWithUnavailableWhenPortIsTaken) {
  auto first = StartServer(Options(), Echo);
  ASSERT_NE(first, nullptr);
  ServerOptions options = Options();
  options.port = first->port();
  Result<std::unique_ptr<Server>> second = Server::Start(std::move(options), Echo);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().code(), ErrorCode::kUnavailable);
  EXPECT_EQ(second.error().reason(), "http.listen_failed");
  const std::string message = second.error().message(Lang::kEn);
  EXPECT_NE(message.find("127.0.0.1"), std::string::npos) << message;
  EXPECT_NE(message.find(std::to_string(first->port())), std::string::npos) << message;
  EXPECT_FALSE(second.error().detail().empty());
}

TEST_F(HttpServerTest, StartRejectsBadOptions) {
  ServerOptions no_threads = Options();
  no_threads.threads = 0;
  Result<std::unique_ptr<Server>> a = Server::Start(std::move(no_threads), Echo);
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.error().code(), ErrorCode::kInvalidArgument);

  ServerOptions bad_dir = Options();
  bad_dir.upload_dir = "/nonexistent/hoshi-http-test";
  Result<std::unique_ptr<Server>> b = Server::Start(std::move(bad_dir), Echo);
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.error().reason(), "http.bad_upload_dir");

  Result<std::unique_ptr<Server>> c = Server::Start(Options(), Handler());
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().reason(), "http.no_handler");
}

TEST_F(HttpServerTest, InvalidStatusFromHandlerIs500) {
  auto server = StartServer(Options(), [](Request&) {
    Response response;
    response.status = 42;
    return response;
  });
  ASSERT_NE(server, nullptr);
  Client client = ConnectTo(*server);
  Result<ClientResponse> response = client.Send("GET", "/");
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->status, 500);
  EXPECT_EQ(ErrorOf(response->body)["code"], "internal");
}

}  // namespace
}  // namespace hoshi::http
