// An HTTP/1.1 JSON server for role processes (cpp-httplib underneath): a route table, limits on
// hostile clients, JSON errors for every failure, prompt shutdown.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "icn/core/result.hpp"

namespace httplib {
struct Request;
}

namespace icn::infra {

using json = nlohmann::json;

// A request as a handler sees it; valid only during the handler call.
class HttpRequest {
 public:
  std::string_view method() const;  // "GET", "POST", … (HEAD is served by GET routes)
  std::string_view path() const;    // without the query string
  std::string_view body() const { return body_; }
  // For a prefix route "/objects/*": what follows the prefix ("abc" for "/objects/abc").
  std::string_view path_tail() const { return tail_; }
  std::optional<std::string> header(const std::string& name) const;  // case-insensitive
  std::optional<std::string> query(const std::string& name) const;
  std::string_view remote_addr() const;

  // Test doubles: a request that is not backed by a connection (handlers can be unit-tested).
  static HttpRequest for_test(std::string method, std::string path, std::string body = {},
                              std::string remote_addr = {});
  ~HttpRequest();
  HttpRequest(HttpRequest&&) noexcept;

 private:
  friend class HttpServer;
  HttpRequest(const httplib::Request* raw, std::string_view path, std::string_view body,
              std::string_view tail);
  const httplib::Request* raw_ = nullptr;
  std::unique_ptr<httplib::Request> owned_;  // for_test only
  std::string_view path_, body_, tail_;
};

// Writes one piece of a streamed body; false once the client is gone or the server is stopping,
// and the stream should then return.
using HttpStreamWrite = std::function<bool(std::string_view data)>;

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  // When set, the body is streamed instead (server-sent events): after the headers, with chunked
  // transfer encoding, `stream` runs on the connection's worker thread, writing until it returns;
  // the connection closes after it. It occupies a worker for as long as it runs, so whoever serves
  // streams bounds how many run at once (below worker_threads) and ends them before stop().
  std::function<void(const HttpStreamWrite& write)> stream;

  static HttpResponse json_body(const json& value, int status = 200);
  static HttpResponse text(std::string body, std::string content_type = "text/plain",
                           int status = 200);
};

// {"error": {"code": CODE, "message": MESSAGE}} with `status`. Codes are stable snake_case reasons
// a client can branch on ("body_too_large", "bad_json", "not_found", …); messages are for people.
HttpResponse error_response(int status, std::string_view code, std::string_view message);
// 400 with code "bad_request" and the Error's message.
HttpResponse bad_request(const Error& error, std::string_view code = "bad_request");

// The body as JSON: a 400-worthy Error ("malformed JSON: …", "JSON nested deeper than 64") when it
// is not. Use bad_request(error, "bad_json") to answer it.
Result<json> parse_json_body(const HttpRequest& request, size_t max_depth = 64);

using HttpHandler = std::function<HttpResponse(const HttpRequest&)>;

// What happened to one request: for a request log and for per-route metrics.
struct HttpRequestRecord {
  std::string method;
  std::string path;
  std::string route;  // the matched route pattern ("/objects/*"), "" when none matched
  int status = 0;
  std::chrono::nanoseconds duration{0};  // from the first byte of the request to the response
  std::string remote_addr;
};

struct HttpServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 0;  // 0: the OS picks one; HttpServer::port() tells which
  size_t max_body_bytes = 1 << 20;
  // The longest a client may stay silent while sending a request, and the longest the whole
  // request (line, headers, body) may take: a slow client cannot hold a worker for longer.
  std::chrono::milliseconds read_timeout{5000};
  std::chrono::milliseconds request_timeout{15000};
  std::chrono::milliseconds write_timeout{5000};
  std::chrono::milliseconds keep_alive_timeout{5000};  // idle time between requests
  size_t keep_alive_max_requests = 100;
  // Requests served at once. A connection holds a worker only while it has a request to read or
  // answer: one that is idle (kept alive between requests, or not yet sending) is parked in an
  // epoll set until it becomes readable, and the worker that sees it first serves it, so idle
  // keep-alive clients never starve the pool. At most max_idle_connections are parked; beyond
  // that a connection is closed after its response (and a new one waits on its worker as
  // before). New connections wait for a worker in a queue of at most max_queued_connections;
  // beyond that a connection gets 503 "overloaded" and is closed. A parked connection whose next
  // request arrives while every worker is busy is already admitted: it waits for the next free
  // worker.
  unsigned worker_threads = 8;
  size_t max_queued_connections = 64;
  size_t max_idle_connections = 512;
  // Called after every response (on the worker thread; keep them quick and non-throwing).
  std::function<void(const HttpRequestRecord&)> request_log;
  std::function<void(const HttpRequestRecord&)> route_observer;
};

// Routes are registered before start(); handlers run on worker threads concurrently. A handler
// that throws answers 500 {"error":{"code":"internal",…}} and the exception is logged.
class HttpServer {
 public:
  explicit HttpServer(HttpServerOptions options = {});
  ~HttpServer();  // stop()
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // `path` is exact ("/v1/status") or a prefix ending in "/*" ("/v1/objects/*", matching
  // "/v1/objects/x" but not "/v1/objects/"). Registering the same method and path twice, or
  // registering after start(), is a programming error (std::logic_error).
  void route(std::string method, std::string path, HttpHandler handler);
  void get(std::string path, HttpHandler handler) { route("GET", std::move(path), handler); }
  void post(std::string path, HttpHandler handler) { route("POST", std::move(path), handler); }

  // Binds and starts serving on background threads: "http: cannot listen on 127.0.0.1:80:
  // Permission denied".
  Status start();
  // Stops accepting, wakes idle and half-read connections, lets handlers already running
  // finish, and joins every thread. Idempotent; also done by the destructor.
  void stop();

  bool running() const;
  uint16_t port() const;    // the bound port once started
  std::string url() const;  // "http://HOST:PORT"

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace icn::infra
