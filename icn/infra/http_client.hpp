// Blocking HTTP over libcurl: a kept-alive connection with timeouts and a response cap
// (HttpConnection, shared with eth's JSON-RPC client), and a JSON client for role-to-role calls.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "icn/core/result.hpp"

namespace icn::infra {

using json = nlohmann::json;

struct HttpConnectionOptions {
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds request_timeout{30000};  // whole request, connection included
  size_t max_response_bytes = 64 << 20;
  // Sent with every request, e.g. "Authorization: Bearer …". Content-Type and Accept are JSON.
  std::vector<std::string> headers;
};

// What one request came to. The caller words the error: JSON-RPC and role calls say it
// differently and retry on different outcomes.
struct HttpExchange {
  enum class Outcome {
    kAnswered,        // an HTTP status and body arrived (any status)
    kRefused,         // connection refused
    kConnectFailed,   // could not connect otherwise (unreachable, connect timeout)
    kTimedOut,        // the request timeout passed
    kTooLarge,        // the body exceeded max_response_bytes
    kTransportError,  // resolve, send, receive, empty reply: worth a retry
    kOtherError,      // anything else libcurl refused (bad URL, unsupported protocol)
  };
  Outcome outcome = Outcome::kOtherError;
  long status = 0;     // kAnswered
  std::string body;    // kAnswered
  std::string detail;  // libcurl's words for a failure
};

// One libcurl easy handle: connections are kept alive between requests to the same host.
// Not thread-safe: one caller at a time.
class HttpConnection {
 public:
  explicit HttpConnection(HttpConnectionOptions options = {});
  ~HttpConnection();
  HttpConnection(const HttpConnection&) = delete;
  HttpConnection& operator=(const HttpConnection&) = delete;

  // GET when `body` is null, POST otherwise. `timeout` overrides options.request_timeout.
  HttpExchange perform(const std::string& url, const std::string* body,
                       std::optional<std::chrono::milliseconds> timeout = std::nullopt);

  uint64_t requests_sent() const { return requests_sent_; }

 private:
  struct Curl;
  std::unique_ptr<Curl> curl_;
  HttpConnectionOptions options_;
  uint64_t requests_sent_ = 0;
};

// A printable excerpt of a body for error messages (control bytes escaped, cut at 120 bytes).
std::string body_snippet(std::string_view body);

// True when JSON text nests arrays/objects deeper than `max_depth` (strings skipped). nlohmann
// parses iteratively, but a deep document costs recursion later (dump, comparison, destruction),
// so bodies from outside are refused before parsing.
bool json_nesting_exceeds(std::string_view body, size_t max_depth);

struct JsonHttpClientOptions {
  std::chrono::milliseconds connect_timeout{2000};
  std::chrono::milliseconds request_timeout{10000};
  size_t max_response_bytes = 16 << 20;
  std::vector<std::string> headers;
};

// JSON over HTTP to another role: GET or POST a path under a base URL ("http://127.0.0.1:8545"),
// expecting a 2xx JSON answer. Errors name the URL and the cause:
//   "connect to http://127.0.0.1:1234 failed: connection refused"
//   "HTTP 400 from http://127.0.0.1:1234/v1/x: <error.message of the JSON error body>"
//   "POST http://127.0.0.1:1234/v1/x: timed out after 100 ms"
//   "invalid JSON from http://127.0.0.1:1234/v1/x: …"
// Thread-safe: calls are serialized over one kept-alive connection.
class JsonHttpClient {
 public:
  using Deadline = std::chrono::steady_clock::time_point;

  explicit JsonHttpClient(std::string base_url, JsonHttpClientOptions options = {});
  ~JsonHttpClient();

  Result<json> get(std::string_view path, std::optional<Deadline> deadline = std::nullopt);
  Result<json> post(std::string_view path, const json& body,
                    std::optional<Deadline> deadline = std::nullopt);

  const std::string& base_url() const { return base_url_; }

 private:
  Result<json> request(std::string_view method, std::string_view path, const std::string* body,
                       std::optional<Deadline> deadline);
  std::string base_url_;
  JsonHttpClientOptions options_;
  std::mutex mu_;
  HttpConnection connection_;
};

}  // namespace icn::infra
