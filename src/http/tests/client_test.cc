// SPDX-License-Identifier: Apache-2.0
#include "hoshi/http/client.h"

#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <utility>

#include <gtest/gtest.h>

#include "hoshi/core/error_code.h"
#include "hoshi/core/json.h"
#include "hoshi/http/server.h"

#include "test_util.h"

namespace hoshi::http {
namespace {

using testing::ParseBody;
using namespace std::chrono_literals;

Response EchoPort(Request& request) {
  Json body = Json::object();
  body["remote_port"] = request.remote_port;
  body["body"] = request.body;
  Response response;
  response.body = DumpJson(body, -1);
  return response;
}

std::unique_ptr<Server> StartQuietServer(ServerOptions options, Handler handler) {
  options.port = 0;
  options.access_log = [](const AccessLogEntry&) {};
  Result<std::unique_ptr<Server>> server = Server::Start(std::move(options), std::move(handler));
  EXPECT_TRUE(server.ok());
  return server.ok() ? std::move(server).value() : nullptr;
}

TEST(HttpClientTest, ConnectFailsWithUnavailable) {
  std::uint16_t port = 0;
  {
    auto server = StartQuietServer(ServerOptions{}, EchoPort);
    ASSERT_NE(server, nullptr);
    port = server->port();
  }  // stopped: nothing listens on `port` any more
  Result<Client> client = Client::Connect("127.0.0.1", port);
  ASSERT_FALSE(client.ok());
  EXPECT_EQ(client.error().code(), ErrorCode::kUnavailable);
  EXPECT_EQ(client.error().reason(), "http.client_connect");
  EXPECT_NE(client.error().message(Lang::kEn).find(std::to_string(port)), std::string::npos);
}

TEST(HttpClientTest, ReconnectsAfterServerClosedIdleConnection) {
  ServerOptions options;
  options.idle_timeout = 150ms;
  auto server = StartQuietServer(std::move(options), EchoPort);
  ASSERT_NE(server, nullptr);
  Result<Client> client = Client::Connect("127.0.0.1", server->port());
  ASSERT_TRUE(client.ok());
  Result<ClientResponse> first = client->Send("POST", "/", {}, "one");
  ASSERT_TRUE(first.ok());
  std::this_thread::sleep_for(1s);  // the server closes the idle connection meanwhile
  Result<ClientResponse> second = client->Send("POST", "/", {}, "two");
  ASSERT_TRUE(second.ok()) << second.error().ToString(Lang::kEn);
  EXPECT_EQ(second->status, 200);
  EXPECT_EQ(ParseBody(second->body)["body"], "two");
  EXPECT_NE(ParseBody(first->body)["remote_port"], ParseBody(second->body)["remote_port"]);
}

TEST(HttpClientTest, ReconnectsAfterConnectionClose) {
  auto server = StartQuietServer(ServerOptions{}, EchoPort);
  ASSERT_NE(server, nullptr);
  Result<Client> client = Client::Connect("127.0.0.1", server->port());
  ASSERT_TRUE(client.ok());
  EXPECT_TRUE(client->connected());
  Result<ClientResponse> first = client->Send("GET", "/", {{"Connection", "close"}});
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->status, 200);
  EXPECT_FALSE(client->connected());
  Result<ClientResponse> second = client->Send("GET", "/");
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->status, 200);
  EXPECT_TRUE(client->connected());
  client->Close();
  EXPECT_FALSE(client->connected());
}

TEST(HttpClientTest, SendFileReportsMissingFile) {
  auto server = StartQuietServer(ServerOptions{}, EchoPort);
  ASSERT_NE(server, nullptr);
  Result<Client> client = Client::Connect("127.0.0.1", server->port());
  ASSERT_TRUE(client.ok());
  Result<ClientResponse> response = client->SendFile("PUT", "/", "/nonexistent/hoshi-http-file");
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().code(), ErrorCode::kIoError);
  EXPECT_EQ(response.error().reason(), "http.client_file");
}

TEST(HttpClientTest, ResponseOverLimitIsTooLarge) {
  auto server = StartQuietServer(ServerOptions{}, [](Request&) {
    Response response;
    response.body = std::string(5000, 'x');
    return response;
  });
  ASSERT_NE(server, nullptr);
  ClientOptions options;
  options.max_response_bytes = 1000;
  Result<Client> client = Client::Connect("127.0.0.1", server->port(), options);
  ASSERT_TRUE(client.ok());
  Result<ClientResponse> response = client->Send("GET", "/");
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().code(), ErrorCode::kTooLarge);
}

TEST(HttpClientTest, TimeoutGivesUnavailable) {
  auto server = StartQuietServer(ServerOptions{}, [](Request& request) {
    std::this_thread::sleep_for(1s);
    return EchoPort(request);
  });
  ASSERT_NE(server, nullptr);
  ClientOptions options;
  options.timeout = 200ms;
  Result<Client> client = Client::Connect("127.0.0.1", server->port(), options);
  ASSERT_TRUE(client.ok());
  Result<ClientResponse> response = client->Send("GET", "/");
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().code(), ErrorCode::kUnavailable);
  EXPECT_EQ(response.error().reason(), "http.client_timeout");
  EXPECT_FALSE(client->connected());
}

TEST(HttpClientTest, MovedClientKeepsConnection) {
  auto server = StartQuietServer(ServerOptions{}, EchoPort);
  ASSERT_NE(server, nullptr);
  Result<Client> connected = Client::Connect("127.0.0.1", server->port());
  ASSERT_TRUE(connected.ok());
  Client client = std::move(connected).value();
  Result<ClientResponse> first = client.Send("GET", "/");
  Client moved = std::move(client);
  Result<ClientResponse> second = moved.Send("GET", "/");
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(ParseBody(first->body)["remote_port"], ParseBody(second->body)["remote_port"]);
}

}  // namespace
}  // namespace hoshi::http
