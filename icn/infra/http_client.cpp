// libcurl underneath HttpConnection (moved here from eth's JSON-RPC client) and JsonHttpClient.
#include "icn/infra/http_client.hpp"

#include <curl/curl.h>

#include <cerrno>

namespace icn::infra {
namespace {

std::once_flag g_curl_init;

}  // namespace

std::string body_snippet(std::string_view body) {
  constexpr size_t kMax = 120;
  std::string out;
  for (char c : body.substr(0, kMax)) {
    if (c >= 0x20 && c < 0x7f) {
      out += c;
    } else {
      out += "\\x";
      out += "0123456789abcdef"[(uint8_t(c) >> 4) & 0xf];
      out += "0123456789abcdef"[uint8_t(c) & 0xf];
    }
  }
  if (body.size() > kMax) out += "…";
  return out;
}

bool json_nesting_exceeds(std::string_view body, size_t max_depth) {
  size_t depth = 0;
  bool in_string = false, escaped = false;
  for (char c : body) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth) return true;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return false;
}

// ---- HttpConnection --------------------------------------------------------------------------

struct HttpConnection::Curl {
  CURL* handle = nullptr;
  curl_slist* headers = nullptr;
  char errbuf[CURL_ERROR_SIZE] = {};
  std::string response;
  size_t max_response = 0;
  bool too_large = false;

  static size_t on_data(char* data, size_t size, size_t count, void* self) {
    auto* c = static_cast<Curl*>(self);
    size_t n = size * count;
    if (c->response.size() + n > c->max_response) {
      c->too_large = true;
      return 0;  // aborts the transfer
    }
    c->response.append(data, n);
    return n;
  }

  ~Curl() {
    if (handle) curl_easy_cleanup(handle);
    if (headers) curl_slist_free_all(headers);
  }
};

HttpConnection::HttpConnection(HttpConnectionOptions options)
    : curl_(std::make_unique<Curl>()), options_(std::move(options)) {
  std::call_once(g_curl_init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  Curl& c = *curl_;
  c.handle = curl_easy_init();
  c.max_response = options_.max_response_bytes;
  c.headers = curl_slist_append(c.headers, "Content-Type: application/json");
  c.headers = curl_slist_append(c.headers, "Accept: application/json");
  // curl would otherwise wait for "100 Continue" before sending bodies over 1 KiB.
  c.headers = curl_slist_append(c.headers, "Expect:");
  for (const auto& h : options_.headers) c.headers = curl_slist_append(c.headers, h.c_str());
  if (!c.handle) return;  // perform() reports it
  curl_easy_setopt(c.handle, CURLOPT_HTTPHEADER, c.headers);
  curl_easy_setopt(c.handle, CURLOPT_ERRORBUFFER, c.errbuf);
  curl_easy_setopt(c.handle, CURLOPT_WRITEFUNCTION, &Curl::on_data);
  curl_easy_setopt(c.handle, CURLOPT_WRITEDATA, &c);
  curl_easy_setopt(c.handle, CURLOPT_NOSIGNAL, 1L);  // no SIGALRM tricks in a threaded program
  curl_easy_setopt(c.handle, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(c.handle, CURLOPT_TCP_NODELAY, 1L);  // small requests must not wait on Nagle
  curl_easy_setopt(c.handle, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c.handle, CURLOPT_CONNECTTIMEOUT_MS, long(options_.connect_timeout.count()));
}

HttpConnection::~HttpConnection() = default;

HttpExchange HttpConnection::perform(const std::string& url, const std::string* body,
                                     std::optional<std::chrono::milliseconds> timeout) {
  Curl& c = *curl_;
  HttpExchange out;
  if (!c.handle) {
    out.detail = "cannot initialise libcurl";
    return out;
  }
  c.response.clear();
  c.too_large = false;
  c.errbuf[0] = '\0';
  curl_easy_setopt(c.handle, CURLOPT_URL, url.c_str());
  if (body) {
    curl_easy_setopt(c.handle, CURLOPT_POST, 1L);
    curl_easy_setopt(c.handle, CURLOPT_POSTFIELDS, body->data());
    curl_easy_setopt(c.handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body->size()));
  } else {
    curl_easy_setopt(c.handle, CURLOPT_HTTPGET, 1L);
  }
  auto total = timeout.value_or(options_.request_timeout);
  curl_easy_setopt(c.handle, CURLOPT_TIMEOUT_MS, long(std::max<int64_t>(1, total.count())));
  CURLcode rc = curl_easy_perform(c.handle);
  ++requests_sent_;
  if (rc == CURLE_OK) {
    out.outcome = HttpExchange::Outcome::kAnswered;
    curl_easy_getinfo(c.handle, CURLINFO_RESPONSE_CODE, &out.status);
    out.body = std::move(c.response);
    return out;
  }
  if (c.too_large) {
    out.outcome = HttpExchange::Outcome::kTooLarge;
    return out;
  }
  out.detail = c.errbuf[0] ? c.errbuf : curl_easy_strerror(rc);
  switch (rc) {
    case CURLE_COULDNT_CONNECT: {
      long os_errno = 0;
      curl_easy_getinfo(c.handle, CURLINFO_OS_ERRNO, &os_errno);
      out.outcome = os_errno == ECONNREFUSED ? HttpExchange::Outcome::kRefused
                                             : HttpExchange::Outcome::kConnectFailed;
      break;
    }
    case CURLE_OPERATION_TIMEDOUT:
      out.outcome = HttpExchange::Outcome::kTimedOut;
      break;
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_SSL_CONNECT_ERROR:
      out.outcome = HttpExchange::Outcome::kTransportError;
      break;
    default:
      out.outcome = HttpExchange::Outcome::kOtherError;
  }
  return out;
}

// ---- JsonHttpClient --------------------------------------------------------------------------

JsonHttpClient::JsonHttpClient(std::string base_url, JsonHttpClientOptions options)
    : base_url_(std::move(base_url)),
      options_(options),
      connection_(HttpConnectionOptions{options.connect_timeout, options.request_timeout,
                                        options.max_response_bytes, options.headers}) {
  while (!base_url_.empty() && base_url_.back() == '/') base_url_.pop_back();
}

JsonHttpClient::~JsonHttpClient() = default;

Result<json> JsonHttpClient::get(std::string_view path, std::optional<Deadline> deadline) {
  return request("GET", path, nullptr, deadline);
}

Result<json> JsonHttpClient::post(std::string_view path, const json& body,
                                  std::optional<Deadline> deadline) {
  std::string text = body.dump(-1, ' ', false, json::error_handler_t::replace);
  return request("POST", path, &text, deadline);
}

Result<json> JsonHttpClient::request(std::string_view method, std::string_view path,
                                     const std::string* body, std::optional<Deadline> deadline) {
  std::string url = base_url_ + std::string(path);
  std::string what = std::string(method) + " " + url;
  auto timeout = options_.request_timeout;
  if (deadline) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        *deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return fail(what + ": deadline passed before sending");
    timeout = std::min(timeout, left);
  }
  std::lock_guard lock(mu_);
  HttpExchange x = connection_.perform(url, body, timeout);
  using O = HttpExchange::Outcome;
  switch (x.outcome) {
    case O::kAnswered:
      break;
    case O::kRefused:
      return fail("connect to " + base_url_ + " failed: connection refused");
    case O::kConnectFailed:
      return fail("connect to " + base_url_ + " failed: " + x.detail);
    case O::kTimedOut:
      return fail(what + ": timed out after " + std::to_string(timeout.count()) + " ms");
    case O::kTooLarge:
      return fail(what + ": response larger than " + std::to_string(options_.max_response_bytes) +
                  " bytes");
    case O::kTransportError:
    case O::kOtherError:
      return fail(what + ": " + x.detail);
  }
  json parsed = json::parse(x.body, nullptr, /*allow_exceptions=*/false);
  if (x.status < 200 || x.status >= 300) {
    std::string why = "HTTP " + std::to_string(x.status) + " from " + url;
    // Our servers answer {"error":{"code","message"}}; anything else is shown as it came.
    if (!parsed.is_discarded() && parsed.is_object() && parsed.contains("error") &&
        parsed["error"].is_object() && parsed["error"].contains("message") &&
        parsed["error"]["message"].is_string()) {
      return fail(why + ": " + parsed["error"]["message"].get<std::string>());
    }
    if (!x.body.empty()) why += " (body: " + body_snippet(x.body) + ")";
    return fail(why);
  }
  if (parsed.is_discarded()) return fail("invalid JSON from " + url + ": " + body_snippet(x.body));
  return parsed;
}

}  // namespace icn::infra
