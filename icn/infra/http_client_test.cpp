// Tests for JsonHttpClient against HttpServer on 127.0.0.1: answers, error wording, limits.
#include "icn/infra/http_client.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <future>

#include "icn/infra/http_server.hpp"

namespace icn::infra {
namespace {

using namespace std::chrono_literals;

class ClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.get("/v1/status", [](const HttpRequest&) {
      return HttpResponse::json_body({{"ok", true}});
    });
    server_.post("/v1/echo", [](const HttpRequest& req) {
      auto body = parse_json_body(req);
      if (!body) return bad_request(body.error(), "bad_json");
      return HttpResponse::json_body({{"got", *body}});
    });
    server_.get("/v1/refuse", [](const HttpRequest&) {
      return error_response(400, "bad_thing", "the thing is bad");
    });
    server_.get("/v1/plain500",
                [](const HttpRequest&) { return HttpResponse::text("oops", "text/plain", 500); });
    server_.get("/v1/not-json",
                [](const HttpRequest&) { return HttpResponse::text("<html>", "text/html"); });
    server_.get("/v1/big",
                [](const HttpRequest&) { return HttpResponse::json_body(std::string(1000, 'x')); });
    server_.get("/v1/slow", [this](const HttpRequest&) {
      release_.wait();
      return HttpResponse::json_body({{"late", true}});
    });
    ASSERT_TRUE(server_.start().ok());
  }
  void TearDown() override {
    release_promise_.set_value();
    server_.stop();
  }
  HttpServer server_;
  std::promise<void> release_promise_;
  std::shared_future<void> release_ = release_promise_.get_future().share();
};

TEST_F(ClientTest, GetsAndPostsJson) {
  JsonHttpClient client(server_.url() + "/");  // a trailing slash is dropped
  auto status = client.get("/v1/status");
  ASSERT_TRUE(status.ok()) << status.error().message;
  EXPECT_EQ(*status, json({{"ok", true}}));
  auto echo = client.post("/v1/echo", {{"n", 5}});
  ASSERT_TRUE(echo.ok()) << echo.error().message;
  EXPECT_EQ((*echo)["got"]["n"], 5);
}

TEST_F(ClientTest, ErrorsNameTheUrlAndTheServersReason) {
  JsonHttpClient client(server_.url());
  auto refused = client.get("/v1/refuse");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().message,
            "HTTP 400 from " + server_.url() + "/v1/refuse: the thing is bad");
  auto plain = client.get("/v1/plain500");
  ASSERT_FALSE(plain.ok());
  EXPECT_EQ(plain.error().message, "HTTP 500 from " + server_.url() + "/v1/plain500 (body: oops)");
  auto not_json = client.get("/v1/not-json");
  ASSERT_FALSE(not_json.ok());
  EXPECT_EQ(not_json.error().message,
            "invalid JSON from " + server_.url() + "/v1/not-json: <html>");
  auto missing = client.get("/v1/missing");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message,
            "HTTP 404 from " + server_.url() + "/v1/missing: no route for GET /v1/missing");
}

TEST_F(ClientTest, OversizedResponsesAreRefused) {
  JsonHttpClientOptions o;
  o.max_response_bytes = 100;
  JsonHttpClient client(server_.url(), o);
  auto r = client.get("/v1/big");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "GET " + server_.url() + "/v1/big: response larger than 100 bytes");
}

TEST_F(ClientTest, DeadlinesBoundTheCall) {
  JsonHttpClient client(server_.url());
  auto start = std::chrono::steady_clock::now();
  auto r = client.get("/v1/slow", start + 200ms);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message.rfind("GET " + server_.url() + "/v1/slow: timed out after ", 0), 0u)
      << r.error().message;
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
  auto past = client.get("/v1/status", std::chrono::steady_clock::now() - 1ms);
  ASSERT_FALSE(past.ok());
  EXPECT_EQ(past.error().message,
            "GET " + server_.url() + "/v1/status: deadline passed before sending");
}

TEST(JsonHttpClient, ConnectionRefusedIsSaidPlainly) {
  // Bound but not listening: connecting is refused for as long as the socket lives.
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  socklen_t len = sizeof addr;
  ASSERT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  std::string url = "http://127.0.0.1:" + std::to_string(ntohs(addr.sin_port));
  JsonHttpClient client(url);
  auto r = client.post("/v1/echo", json::object());
  ::close(fd);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "connect to " + url + " failed: connection refused");
}

TEST(BodySnippet, EscapesControlBytesAndCuts) {
  EXPECT_EQ(body_snippet("a\nb"), "a\\x0ab");
  EXPECT_EQ(body_snippet(std::string(200, 'x')), std::string(120, 'x') + "…");
}

}  // namespace
}  // namespace icn::infra
