// Tests for HttpServer: routing, JSON errors, limits against hostile clients, hooks, prompt stop.
#include "icn/infra/http_server.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>

#include "icn/infra/log.hpp"

namespace icn::infra {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// A raw TCP client for sending what a well-behaved client never would.
class RawClient {
 public:
  explicit RawClient(uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  }
  ~RawClient() { ::close(fd_); }
  bool connected() const { return connected_; }
  bool send(std::string_view data) {
    return ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL) == ssize_t(data.size());
  }
  // Everything the server sends until it closes the connection or `limit` passes.
  std::string read_until_close(std::chrono::milliseconds limit = 5000ms) {
    std::string out;
    auto deadline = Clock::now() + limit;
    while (true) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
      if (left.count() <= 0) {
        timed_out_ = true;
        return out;
      }
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, int(left.count())) <= 0) continue;
      char buf[4096];
      ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) return out;
      out.append(buf, size_t(n));
    }
  }
  bool timed_out() const { return timed_out_; }

 private:
  int fd_ = -1;
  bool connected_ = false;
  bool timed_out_ = false;
};

std::string body_of(const std::string& raw_response) {
  auto at = raw_response.find("\r\n\r\n");
  return at == std::string::npos ? "" : raw_response.substr(at + 4);
}

HttpServerOptions quick_options() {
  HttpServerOptions o;
  o.read_timeout = 2000ms;
  o.request_timeout = 3000ms;
  o.keep_alive_timeout = 30000ms;  // long on purpose: stop() must not wait for it
  o.max_body_bytes = 1024;
  return o;
}

void add_routes(HttpServer& server) {
  server.get("/v1/status", [](const HttpRequest&) {
    return HttpResponse::json_body({{"ok", true}});
  });
  server.post("/v1/echo", [](const HttpRequest& req) {
    auto body = parse_json_body(req);
    if (!body) return bad_request(body.error(), "bad_json");
    return HttpResponse::json_body({{"got", *body}, {"path", req.path()}});
  });
  server.get("/v1/objects/*", [](const HttpRequest& req) {
    return HttpResponse::json_body(
        {{"tail", req.path_tail()}, {"q", req.query("q").value_or("-")}});
  });
  server.get("/v1/throw",
             [](const HttpRequest&) -> HttpResponse { throw std::runtime_error("boom"); });
}

TEST(HttpServer, ServesRoutesOnAnOsPickedPort) {
  HttpServer server(quick_options());
  add_routes(server);
  ASSERT_TRUE(server.start().ok());
  ASSERT_NE(server.port(), 0);
  EXPECT_EQ(server.url(), "http://127.0.0.1:" + std::to_string(server.port()));
  httplib::Client client("127.0.0.1", server.port());
  auto status = client.Get("/v1/status");
  ASSERT_TRUE(status);
  EXPECT_EQ(status->status, 200);
  EXPECT_EQ(status->body, R"({"ok":true})");
  EXPECT_EQ(status->get_header_value("Content-Type"), "application/json");

  auto echo = client.Post("/v1/echo", R"({"a":[1,2]})", "application/json");
  ASSERT_TRUE(echo);
  EXPECT_EQ(echo->status, 200);
  EXPECT_EQ(echo->body, R"({"got":{"a":[1,2]},"path":"/v1/echo"})");

  auto object = client.Get("/v1/objects/abc%20d?q=7");
  ASSERT_TRUE(object);
  EXPECT_EQ(object->body, R"({"q":"7","tail":"abc d"})");
  auto head = client.Head("/v1/status");
  ASSERT_TRUE(head);
  EXPECT_EQ(head->status, 200);
}

TEST(HttpServer, UnknownPathsAndMethodsAreJsonErrors) {
  HttpServer server(quick_options());
  add_routes(server);
  ASSERT_TRUE(server.start().ok());
  httplib::Client client("127.0.0.1", server.port());
  auto missing = client.Get("/nope");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
  EXPECT_EQ(missing->body, R"({"error":{"code":"not_found","message":"no route for GET /nope"}})");
  auto prefix_only = client.Get("/v1/objects/");  // a prefix route needs a non-empty tail
  ASSERT_TRUE(prefix_only);
  EXPECT_EQ(prefix_only->status, 404);

  auto wrong = client.Post("/v1/status", "{}", "application/json");
  ASSERT_TRUE(wrong);
  EXPECT_EQ(wrong->status, 405);
  EXPECT_EQ(wrong->get_header_value("Allow"), "GET");
  EXPECT_EQ(
      wrong->body,
      R"J({"error":{"code":"method_not_allowed","message":"POST /v1/status is not allowed (allowed: GET)"}})J");

  // The connection closed after the refused POST; the client reconnects and goes on.
  auto again = client.Get("/v1/status");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 200);
}

TEST(HttpServer, MalformedJsonIs400WithTheParserReason) {
  HttpServer server(quick_options());
  add_routes(server);
  ASSERT_TRUE(server.start().ok());
  httplib::Client client("127.0.0.1", server.port());
  auto r = client.Post("/v1/echo", "{\"a\":", "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  auto body = json::parse(r->body);
  EXPECT_EQ(body["error"]["code"], "bad_json");
  EXPECT_EQ(body["error"]["message"].get<std::string>().rfind("malformed JSON: parse error", 0), 0u)
      << r->body;

  auto deep = client.Post("/v1/echo", std::string(100, '['), "application/json");
  ASSERT_TRUE(deep);
  EXPECT_EQ(deep->body, R"({"error":{"code":"bad_json","message":"JSON nested deeper than 64"}})");
}

TEST(HttpServer, ThrowingHandlerIs500AndTheServerCarriesOn) {
  HttpServer server(quick_options());
  add_routes(server);
  ASSERT_TRUE(server.start().ok());
  httplib::Client client("127.0.0.1", server.port());
  LogCapture capture;
  auto r = client.Get("/v1/throw");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 500);
  EXPECT_EQ(r->body, R"({"error":{"code":"internal","message":"internal error"}})");
  EXPECT_TRUE(capture.contains("http: handler for GET /v1/throw threw: boom"));
  auto ok = client.Get("/v1/status");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200);
}

TEST(HttpServer, OversizedBodiesAre413) {
  HttpServer server(quick_options());
  add_routes(server);
  ASSERT_TRUE(server.start().ok());
  const std::string expected =
      R"({"error":{"code":"body_too_large","message":"request body larger than 1024 bytes"}})";
  {
    httplib::Client client("127.0.0.1", server.port());
    auto r = client.Post("/v1/echo", std::string(5000, ' '), "application/json");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 413);
    EXPECT_EQ(r->body, expected);
  }
  {
    // A claimed length far beyond the limit is refused without waiting for the bytes.
    RawClient raw(server.port());
    ASSERT_TRUE(
        raw.send("POST /v1/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999\r\n\r\n"));
    std::string reply = raw.read_until_close();
    EXPECT_FALSE(raw.timed_out());
    EXPECT_EQ(reply.rfind("HTTP/1.1 413", 0), 0u) << reply;
  }
  {
    // Chunked bodies have no length up front; they are cut off at the limit all the same.
    RawClient raw(server.port());
    std::string chunk = std::string(600, 'x');
    char size[16];
    std::snprintf(size, sizeof size, "%zx", chunk.size());
    std::string request = "POST /v1/echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
    for (int i = 0; i < 3; ++i) request += std::string(size) + "\r\n" + chunk + "\r\n";
    ASSERT_TRUE(raw.send(request));
    std::string reply = raw.read_until_close();
    EXPECT_FALSE(raw.timed_out());
    EXPECT_EQ(reply.rfind("HTTP/1.1 413", 0), 0u) << reply;
    EXPECT_EQ(body_of(reply), expected);
  }
}

TEST(HttpServer, MalformedRequestsAre400AndClosed) {
  HttpServer server(quick_options());
  add_routes(server);
  ASSERT_TRUE(server.start().ok());
  struct Case {
    std::string request;
    std::string body;
  } cases[] = {
      {"GARBAGE\r\n\r\n", R"({"error":{"code":"bad_request","message":"malformed HTTP request"}})"},
      {"POST /v1/echo HTTP/1.1\r\nContent-Length: 12x\r\n\r\n",
       R"({"error":{"code":"bad_request","message":"invalid Content-Length"}})"},
      {"POST /v1/echo HTTP/1.1\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}",
       R"({"error":{"code":"bad_request","message":"invalid Content-Length"}})"},
      {"POST /v1/echo HTTP/1.1\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n{}",
       R"({"error":{"code":"bad_request","message":"both Content-Length and Transfer-Encoding"}})"},
      {"POST /v1/echo HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n",
       R"({"error":{"code":"bad_request","message":"unsupported Transfer-Encoding"}})"},
      {"GET /v1/status HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}",
       R"({"error":{"code":"bad_request","message":"GET requests carry no body"}})"},
      {"GET /" + std::string(10000, 'a') + " HTTP/1.1\r\n\r\n",
       R"({"error":{"code":"uri_too_long","message":"request URI too long"}})"},
  };
  for (const Case& c : cases) {
    RawClient raw(server.port());
    ASSERT_TRUE(raw.send(c.request));
    std::string reply = raw.read_until_close();
    EXPECT_FALSE(raw.timed_out()) << c.request.substr(0, 60);
    EXPECT_EQ(body_of(reply), c.body) << reply.substr(0, 200);
  }
}

TEST(HttpServer, PostWithoutLengthHasAnEmptyBody) {
  HttpServer server(quick_options());
  server.post("/empty", [](const HttpRequest& req) {
    return HttpResponse::json_body({{"size", req.body().size()}});
  });
  ASSERT_TRUE(server.start().ok());
  RawClient raw(server.port());
  ASSERT_TRUE(raw.send("POST /empty HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
  std::string reply = raw.read_until_close();
  EXPECT_FALSE(raw.timed_out());
  EXPECT_EQ(body_of(reply), R"({"size":0})");
}

TEST(HttpServer, SlowClientsAreCutOffByTheRequestDeadline) {
  HttpServerOptions o = quick_options();
  o.read_timeout = 300ms;
  o.request_timeout = 600ms;
  HttpServer server(o);
  add_routes(server);
  ASSERT_TRUE(server.start().ok());
  {
    // Silent after connecting: dropped after read_timeout.
    RawClient raw(server.port());
    auto start = Clock::now();
    std::string reply = raw.read_until_close(5000ms);
    EXPECT_FALSE(raw.timed_out());
    EXPECT_LT(Clock::now() - start, 3000ms);
  }
  {
    // Trickling a byte every 100 ms stays inside read_timeout but not the request deadline.
    RawClient raw(server.port());
    std::string request = "GET /v1/status HTTP/1.1\r\nHost: x\r\nX-Slow: ";
    ASSERT_TRUE(raw.send(request));
    auto start = Clock::now();
    bool cut_off = false;
    while (Clock::now() - start < 5000ms) {
      std::this_thread::sleep_for(100ms);  // the slowness under test, not a wait for an outcome
      if (!raw.send("a")) {
        cut_off = true;
        break;
      }
    }
    std::string reply = raw.read_until_close(1000ms);
    EXPECT_TRUE(cut_off || !raw.timed_out());
    EXPECT_LT(Clock::now() - start, 4000ms);
  }
  // Still serving others.
  httplib::Client client("127.0.0.1", server.port());
  auto ok = client.Get("/v1/status");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200);
}

TEST(HttpServer, StopIsPromptWithIdleKeepAliveConnectionsAndIdempotent) {
  HttpServer server(quick_options());
  add_routes(server);
  ASSERT_TRUE(server.start().ok());
  httplib::Client client("127.0.0.1", server.port());
  client.set_keep_alive(true);
  ASSERT_TRUE(client.Get("/v1/status"));  // the connection now idles in keep-alive
  RawClient half(server.port());
  ASSERT_TRUE(half.send("GET /v1/status HTTP/1.1\r\n"));  // and this one is half-sent
  auto start = Clock::now();
  server.stop();
  EXPECT_LT(Clock::now() - start, 1000ms);
  EXPECT_FALSE(server.running());
  server.stop();
  half.read_until_close(2000ms);
  EXPECT_FALSE(half.timed_out());
  RawClient after(server.port());
  EXPECT_FALSE(after.connected());
}

// Idle keep-alive clients (and connected clients that send nothing yet) do not hold a worker:
// with 2 workers, 12 such connections still leave a new request answered at once, and every
// kept-alive connection is served again when it sends its next request.
TEST(HttpServer, IdleKeepAliveClientsDoNotStarveTheWorkers) {
  HttpServerOptions o = quick_options();
  o.worker_threads = 2;
  o.read_timeout = 30000ms;  // so a worker held by an idle client would be held for the test
  HttpServer server(o);
  add_routes(server);
  ASSERT_TRUE(server.start().ok());
  const std::string request = "GET /v1/status HTTP/1.1\r\nHost: x\r\n\r\n";
  auto read_response = [](int fd) {  // one Content-Length framed response, with a deadline
    std::string out;
    auto deadline = Clock::now() + 3000ms;
    while (Clock::now() < deadline) {
      auto head = out.find("\r\n\r\n");
      if (head != std::string::npos && out.size() >= head + 4 + 11) return out;  // {"ok":true}
      pollfd p{fd, POLLIN, 0};
      if (::poll(&p, 1, 100) <= 0) continue;
      char buf[4096];
      ssize_t n = ::recv(fd, buf, sizeof buf, 0);
      if (n <= 0) return out;
      out.append(buf, size_t(n));
    }
    return out;
  };
  auto connect_to = [&] {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(server.port());
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    return fd;
  };
  std::vector<int> kept, silent;
  for (int i = 0; i < 6; ++i) {
    int fd = connect_to();
    ASSERT_EQ(::send(fd, request.data(), request.size(), MSG_NOSIGNAL), ssize_t(request.size()));
    EXPECT_EQ(body_of(read_response(fd)), R"({"ok":true})") << i;
    kept.push_back(fd);  // now idle in keep-alive
  }
  for (int i = 0; i < 6; ++i) silent.push_back(connect_to());  // connected, nothing sent

  httplib::Client fresh("127.0.0.1", server.port());
  fresh.set_connection_timeout(2, 0);
  fresh.set_read_timeout(2, 0);
  auto start = Clock::now();
  auto r = fresh.Get("/v1/status");
  ASSERT_TRUE(r) << "a new request was not answered: the workers are held by idle clients";
  EXPECT_EQ(r->status, 200);
  EXPECT_LT(Clock::now() - start, 1000ms);

  for (size_t i = 0; i < kept.size(); ++i) {  // the parked connections are served again
    ASSERT_EQ(::send(kept[i], request.data(), request.size(), MSG_NOSIGNAL),
              ssize_t(request.size()));
    EXPECT_EQ(body_of(read_response(kept[i])), R"({"ok":true})") << i;
  }
  for (size_t i = 0; i < silent.size(); ++i) {  // and so are the late starters
    ASSERT_EQ(::send(silent[i], request.data(), request.size(), MSG_NOSIGNAL),
              ssize_t(request.size()));
    EXPECT_EQ(body_of(read_response(silent[i])), R"({"ok":true})") << i;
  }
  start = Clock::now();
  server.stop();  // prompt, with every connection parked
  EXPECT_LT(Clock::now() - start, 1000ms);
  for (int fd : kept) ::close(fd);
  for (int fd : silent) ::close(fd);
}

TEST(HttpServer, IdleConnectionsAreClosedAfterTheKeepAliveTimeout) {
  HttpServerOptions o = quick_options();
  o.keep_alive_timeout = 200ms;
  HttpServer server(o);
  add_routes(server);
  ASSERT_TRUE(server.start().ok());
  RawClient client(server.port());
  ASSERT_TRUE(client.send("GET /v1/status HTTP/1.1\r\nHost: x\r\n\r\n"));
  auto start = Clock::now();
  std::string reply = client.read_until_close(5000ms);  // the response, then the close
  EXPECT_FALSE(client.timed_out());
  EXPECT_EQ(body_of(reply), R"({"ok":true})");
  EXPECT_LT(Clock::now() - start, 2000ms);
}

TEST(HttpServer, BeyondMaxIdleConnectionsAKeptAliveConnectionIsClosed) {
  HttpServerOptions o = quick_options();
  o.max_idle_connections = 0;
  HttpServer server(o);
  add_routes(server);
  ASSERT_TRUE(server.start().ok());
  RawClient client(server.port());  // a fresh connection still waits for its first request
  ASSERT_TRUE(client.send("GET /v1/status HTTP/1.1\r\nHost: x\r\n\r\n"));
  std::string reply = client.read_until_close(5000ms);  // answered, then closed at once
  EXPECT_FALSE(client.timed_out());
  EXPECT_EQ(body_of(reply), R"({"ok":true})");
}

// Reads from fd until `count` complete Content-Length framed responses have arrived (or 5 s).
std::vector<std::string> read_responses(int fd, size_t count) {
  std::vector<std::string> out;
  std::string buffer;
  auto deadline = Clock::now() + 5000ms;
  while (out.size() < count && Clock::now() < deadline) {
    auto head = buffer.find("\r\n\r\n");
    if (head != std::string::npos) {
      auto at = buffer.find("Content-Length: ");
      if (at != std::string::npos && at < head) {
        size_t length = std::stoul(buffer.substr(at + 16));
        if (buffer.size() >= head + 4 + length) {
          out.push_back(buffer.substr(0, head + 4 + length));
          buffer.erase(0, head + 4 + length);
          continue;
        }
      }
    }
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 100) <= 0) continue;
    char buf[4096];
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    buffer.append(buf, size_t(n));
  }
  return out;
}

int connect_loopback(uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  EXPECT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  return fd;
}

// Requests sent together are answered in order from the connection's buffer, and the
// keep_alive_max_requests-th answer closes the connection.
TEST(HttpServer, PipelinedRequestsAreAnsweredInOrderUpToKeepAliveMaxRequests) {
  HttpServerOptions o = quick_options();
  o.keep_alive_max_requests = 3;
  HttpServer server(o);
  add_routes(server);
  ASSERT_TRUE(server.start().ok());
  RawClient raw(server.port());
  std::string requests;
  for (const char* name : {"a", "b", "c", "d"})
    requests += std::string("GET /v1/objects/") + name + " HTTP/1.1\r\nHost: x\r\n\r\n";
  ASSERT_TRUE(raw.send(requests));
  std::string reply = raw.read_until_close();
  EXPECT_FALSE(raw.timed_out());
  auto a = reply.find(R"("tail":"a")"), b = reply.find(R"("tail":"b")"),
       c = reply.find(R"("tail":"c")");
  ASSERT_NE(a, std::string::npos) << reply;
  ASSERT_NE(b, std::string::npos) << reply;
  ASSERT_NE(c, std::string::npos) << reply;
  EXPECT_LT(a, b);
  EXPECT_LT(b, c);
  EXPECT_EQ(reply.find(R"("tail":"d")"), std::string::npos) << "served past the maximum";
}

// Many clients, each with one kept-alive connection and many requests in turn, on fewer
// workers than clients: every request is answered on its own connection (a connection goes
// back to the epoll set and is picked up by whichever worker is free each time).
TEST(HttpServer, KeptAliveConnectionsAreServedRequestAfterRequestByAnyWorker) {
  HttpServerOptions o = quick_options();
  o.worker_threads = 2;
  o.keep_alive_max_requests = 1000;
  HttpServer server(o);
  add_routes(server);
  ASSERT_TRUE(server.start().ok());
  constexpr int kClients = 8, kRequests = 100;
  std::atomic<int> answered{0};
  std::vector<std::thread> clients;
  for (int t = 0; t < kClients; ++t) {
    clients.emplace_back([&, t] {
      int fd = connect_loopback(server.port());
      for (int i = 0; i < kRequests; ++i) {
        std::string tail = std::to_string(t) + "-" + std::to_string(i);
        std::string request = "GET /v1/objects/" + tail + " HTTP/1.1\r\nHost: x\r\n\r\n";
        if (::send(fd, request.data(), request.size(), MSG_NOSIGNAL) != ssize_t(request.size()))
          break;
        auto got = read_responses(fd, 1);
        if (got.size() != 1 || body_of(got[0]) != R"({"q":"-","tail":")" + tail + R"("})") break;
        ++answered;
      }
      ::close(fd);
    });
  }
  for (auto& c : clients) c.join();
  EXPECT_EQ(answered, kClients * kRequests);
}

// "Expect: 100-continue" is answered before the body is sent: the server's collected writes go
// out before it waits for the client.
TEST(HttpServer, ExpectContinueIsAnsweredBeforeTheBodyArrives) {
  HttpServer server(quick_options());
  add_routes(server);
  ASSERT_TRUE(server.start().ok());
  int fd = connect_loopback(server.port());
  std::string head =
      "POST /v1/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 7\r\nExpect: 100-continue\r\n\r\n";
  ASSERT_EQ(::send(fd, head.data(), head.size(), MSG_NOSIGNAL), ssize_t(head.size()));
  std::string got;
  auto deadline = Clock::now() + 2000ms;
  while (got.find("\r\n\r\n") == std::string::npos && Clock::now() < deadline) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 100) <= 0) continue;
    char buf[256];
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    got.append(buf, size_t(n));
  }
  EXPECT_EQ(got.rfind("HTTP/1.1 100 Continue\r\n", 0), 0u) << got;
  ASSERT_EQ(::send(fd, R"({"a":1})", 7, MSG_NOSIGNAL), 7);
  auto answer = read_responses(fd, 1);
  ASSERT_EQ(answer.size(), 1u);
  EXPECT_EQ(body_of(answer[0]), R"({"got":{"a":1},"path":"/v1/echo"})");
  ::close(fd);
}

TEST(HttpServer, StopRightAfterStartAndDestructorStops) {
  for (int i = 0; i < 20; ++i) {
    HttpServer server(quick_options());
    add_routes(server);
    ASSERT_TRUE(server.start().ok());
    server.stop();
  }
  auto start = Clock::now();
  {
    HttpServer server(quick_options());
    ASSERT_TRUE(server.start().ok());
    RawClient idle(server.port());
    ASSERT_TRUE(idle.connected());
  }
  EXPECT_LT(Clock::now() - start, 1000ms);
}

// GET /slow: its handler says it was entered and holds its worker until released.
class SlowRoute {
 public:
  explicit SlowRoute(HttpServer& server) {
    // The handler keeps its own copy of the shared future: it may still be waking from it when
    // a test's SlowRoute goes out of scope (before the server that runs the handler).
    server.get("/slow", [this, released = released_](const HttpRequest&) {
      entered_.set_value();
      released.wait();
      return HttpResponse::json_body({{"done", true}});
    });
  }
  bool entered() { return entered_future_.wait_for(5s) == std::future_status::ready; }
  void release() { release_.set_value(); }

 private:
  std::promise<void> entered_, release_;
  std::future<void> entered_future_ = entered_.get_future();
  std::shared_future<void> released_ = release_.get_future().share();
};

TEST(HttpServer, InFlightHandlerFinishesDuringStop) {
  HttpServer server(quick_options());
  SlowRoute slow_route(server);
  ASSERT_TRUE(server.start().ok());
  RawClient raw(server.port());
  ASSERT_TRUE(raw.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n"));
  ASSERT_TRUE(slow_route.entered());
  std::thread stopper([&] { server.stop(); });
  slow_route.release();
  stopper.join();
  EXPECT_EQ(body_of(raw.read_until_close()), R"({"done":true})");
}

TEST(HttpServer, BeyondTheQueueConnectionsGet503) {
  HttpServerOptions o = quick_options();
  o.worker_threads = 1;
  o.max_queued_connections = 0;
  HttpServer server(o);
  SlowRoute slow_route(server);
  ASSERT_TRUE(server.start().ok());
  RawClient busy(server.port());
  ASSERT_TRUE(busy.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n"));
  ASSERT_TRUE(slow_route.entered());
  RawClient refused(server.port());
  std::string reply = refused.read_until_close();
  EXPECT_EQ(reply.rfind("HTTP/1.1 503", 0), 0u) << reply;
  EXPECT_EQ(body_of(reply), R"({"error":{"code":"overloaded","message":"server overloaded"}})");
  slow_route.release();
}

// A kept-alive connection was admitted: when its next request comes while every worker is busy,
// it waits for the next free worker (no 503), and is answered once one is free. The request that
// keeps the only worker busy comes on a kept-alive connection too: a new connection would race
// the worker's return from the first answer and could itself be refused (there is no queue).
TEST(HttpServer, AKeptAliveRequestWaitsForABusyWorkerInsteadOfA503) {
  HttpServerOptions o = quick_options();
  o.worker_threads = 1;
  o.max_queued_connections = 0;
  HttpServer server(o);
  add_routes(server);
  SlowRoute slow_route(server);
  ASSERT_TRUE(server.start().ok());
  const std::string status = "GET /v1/status HTTP/1.1\r\nHost: x\r\n\r\n";
  const std::string slow = "GET /slow HTTP/1.1\r\nHost: x\r\n\r\n";
  // Admits a connection: a 503 means the only worker had not yet come back from the previous
  // answer (no queue), so try again until answered.
  auto admitted = [&] {
    auto deadline = Clock::now() + 5s;
    while (Clock::now() < deadline) {
      int fd = connect_loopback(server.port());
      if (::send(fd, status.data(), status.size(), MSG_NOSIGNAL) == ssize_t(status.size())) {
        auto got = read_responses(fd, 1);
        if (got.size() == 1 && got[0].rfind("HTTP/1.1 200", 0) == 0) return fd;  // now parked
      }
      ::close(fd);
    }
    return -1;
  };
  int kept = admitted();
  int busy = admitted();
  ASSERT_GE(kept, 0);
  ASSERT_GE(busy, 0);
  ASSERT_EQ(::send(busy, slow.data(), slow.size(), MSG_NOSIGNAL), ssize_t(slow.size()));
  ASSERT_TRUE(slow_route.entered());
  ASSERT_EQ(::send(kept, status.data(), status.size(), MSG_NOSIGNAL), ssize_t(status.size()));
  pollfd p{kept, POLLIN, 0};
  EXPECT_EQ(::poll(&p, 1, 200), 0) << "answered while the only worker was busy";
  slow_route.release();
  auto second = read_responses(kept, 1);
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0].rfind("HTTP/1.1 200", 0), 0u) << second[0];
  EXPECT_EQ(body_of(second[0]), R"({"ok":true})");
  auto done = read_responses(busy, 1);
  ASSERT_EQ(done.size(), 1u);
  EXPECT_EQ(body_of(done[0]), R"({"done":true})");
  ::close(kept);
  ::close(busy);
}

TEST(HttpServer, HooksSeeRoutePatternStatusAndLatency) {
  std::mutex mu;
  std::vector<HttpRequestRecord> logged, observed;
  HttpServerOptions o = quick_options();
  o.request_log = [&](const HttpRequestRecord& r) {
    std::lock_guard lock(mu);
    logged.push_back(r);
  };
  o.route_observer = [&](const HttpRequestRecord& r) {
    std::lock_guard lock(mu);
    observed.push_back(r);
  };
  HttpServer server(o);
  add_routes(server);
  ASSERT_TRUE(server.start().ok());
  httplib::Client client("127.0.0.1", server.port());
  ASSERT_TRUE(client.Get("/v1/objects/x1"));
  ASSERT_TRUE(client.Get("/missing"));
  server.stop();  // joins the workers, so every hook call has happened
  std::lock_guard lock(mu);
  ASSERT_EQ(logged.size(), 2u);
  ASSERT_EQ(observed.size(), 2u);
  EXPECT_EQ(logged[0].method, "GET");
  EXPECT_EQ(logged[0].path, "/v1/objects/x1");
  EXPECT_EQ(logged[0].route, "/v1/objects/*");
  EXPECT_EQ(logged[0].status, 200);
  EXPECT_EQ(logged[0].remote_addr, "127.0.0.1");
  EXPECT_GT(logged[0].duration.count(), 0);
  EXPECT_EQ(logged[1].route, "");
  EXPECT_EQ(logged[1].status, 404);
  EXPECT_EQ(observed[1].path, "/missing");
}

TEST(HttpServer, BindConflictNamesTheAddressAndReason) {
  HttpServer first(quick_options());
  ASSERT_TRUE(first.start().ok());
  HttpServerOptions o = quick_options();
  o.port = first.port();
  HttpServer second(o);
  auto r = second.start();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "http: cannot listen on 127.0.0.1:" + std::to_string(first.port()) +
                                   ": Address already in use");
  second.stop();
}

TEST(HttpServer, RouteMistakesAreLogicErrors) {
  HttpServer server;
  server.get("/a", [](const HttpRequest&) { return HttpResponse{}; });
  EXPECT_THROW(server.get("/a", [](const HttpRequest&) { return HttpResponse{}; }),
               std::logic_error);
  EXPECT_THROW(server.route("BREW", "/b", [](const HttpRequest&) { return HttpResponse{}; }),
               std::logic_error);
  ASSERT_TRUE(server.start().ok());
  EXPECT_THROW(server.get("/c", [](const HttpRequest&) { return HttpResponse{}; }),
               std::logic_error);
}

TEST(HttpServer, StreamedResponsesArriveChunkByChunkAndEndWhenTheServerStops) {
  HttpServer server;
  std::mutex mu;
  std::condition_variable cv;
  bool release = false;
  std::promise<bool> last_write;
  server.get("/stream", [&](const HttpRequest&) {
    HttpResponse r;
    r.content_type = "text/event-stream";
    r.stream = [&](const HttpStreamWrite& write) {
      write("data: one\n\n");
      std::unique_lock lock(mu);
      cv.wait(lock, [&] { return release; });
      lock.unlock();
      last_write.set_value(write("data: two\n\n"));  // the server is stopping by now
    };
    return r;
  });
  ASSERT_TRUE(server.start().ok());
  std::promise<std::string> first_chunk;
  std::thread reader([&] {
    httplib::Client client("127.0.0.1", server.port());
    bool first = true;
    client.Get("/stream", [&](const char* data, size_t n) {
      if (first) first_chunk.set_value(std::string(data, n));
      first = false;
      return true;
    });
  });
  auto chunk = first_chunk.get_future();
  ASSERT_EQ(chunk.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  EXPECT_EQ(chunk.get(), "data: one\n\n");      // before the stream returned: not buffered
  std::thread stopper([&] { server.stop(); });  // waits for the stream's worker
  auto stopped = last_write.get_future();
  while (server.running()) std::this_thread::yield();
  {
    std::lock_guard lock(mu);
    release = true;
  }
  cv.notify_all();
  ASSERT_EQ(stopped.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  EXPECT_FALSE(stopped.get());  // write() refuses once the server stops
  stopper.join();
  reader.join();
}

TEST(HttpRequest, TestDoubleFeedsHandlersDirectly) {
  auto req = HttpRequest::for_test("POST", "/x", R"({"k":1})");
  auto body = parse_json_body(req);
  ASSERT_TRUE(body.ok());
  EXPECT_EQ((*body)["k"], 1);
  EXPECT_EQ(req.method(), "POST");
  EXPECT_FALSE(req.header("X-Missing").has_value());
  EXPECT_EQ(error_response(409, "conflict", "a \"quoted\" thing").body,
            R"({"error":{"code":"conflict","message":"a \"quoted\" thing"}})");
}

}  // namespace
}  // namespace icn::infra
