// JSON-RPC 2.0 over HTTP (libcurl): one kept-alive connection, timeouts, retries on transport
// errors, and strict validation of every response.
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

#include "icn/core/bytes.hpp"
#include "icn/core/result.hpp"

namespace icn::infra {
class HttpConnection;
}

namespace icn::eth {

using json = nlohmann::json;

// An error object a node returned ({"code", "message", "data"}). It travels inside an Error's
// message text ("rpc eth_call: error 3: execution reverted (data: "0x08c3…")") so it survives
// any number of Error::context layers; find_rpc_error gets it back.
struct RpcError {
  std::string method;
  int64_t code = 0;
  std::string message;
  std::optional<json> data;

  // The bytes a revert carried: `data` as a hex string (anvil, geth), or `data.data` (some
  // providers nest it). nullopt when there is none or it is not hex.
  std::optional<Bytes> revert_data() const;
  // "rpc METHOD: error CODE: MESSAGE" plus " (data: JSON)" when data is present.
  std::string to_text() const;
  Error to_error() const { return Error{to_text()}; }
};

// The RpcError inside an Error produced by to_error(), even under added context; nullopt for
// any other error (transport, HTTP status, invalid response, or not from RPC at all).
std::optional<RpcError> find_rpc_error(const Error& error);

// ---- Response validation (shared by the client and the fuzz target) --------------------------

// Validates one HTTP body as the response to request `id` of `method`: a JSON object with
// "jsonrpc":"2.0", our id, and exactly one of "result" (any JSON, null included) and a well-formed
// "error". Returns the result, the node's error (RpcError::to_error), or
// "rpc METHOD: invalid JSON-RPC response: <why>".
Result<json> parse_response(std::string_view body, uint64_t id, std::string_view method);

// One call of a batch.
struct RpcCall {
  std::string method;
  json params = json::array();
};

// Validates a batch response body: an array whose members are matched to `ids` by id, in any
// order. A missing, duplicated or unknown id is an error for that entry (missing) or for the whole
// batch (duplicate, unknown). A single error object instead of an array (a node refusing the
// whole batch) is the batch's error.
Result<std::vector<Result<json>>> parse_batch_response(std::string_view body,
                                                       const std::vector<uint64_t>& ids,
                                                       const std::vector<RpcCall>& calls);

// ---- Client ----------------------------------------------------------------------------------

struct RpcClientOptions {
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds request_timeout{30000};  // whole request, connection included
  // Retries after a transport failure (cannot connect, reset, timeout, HTTP 429/502/503/504).
  // Never after a JSON-RPC error or an invalid response: the node answered.
  unsigned max_retries = 3;
  std::chrono::milliseconds retry_backoff{100};       // doubled after each attempt …
  std::chrono::milliseconds retry_backoff_max{2000};  // … up to this
  size_t max_response_bytes = 64 << 20;
  std::vector<std::string> extra_headers;  // e.g. "Authorization: Bearer …"
};

// Thread-safe: calls from several threads are serialized on the one connection (a mutex), which
// keeps keep-alive simple; use one client per thread for parallel requests.
class RpcClient {
 public:
  explicit RpcClient(std::string url, RpcClientOptions options = {});
  ~RpcClient();
  RpcClient(const RpcClient&) = delete;
  RpcClient& operator=(const RpcClient&) = delete;

  // The result of METHOD(params), or an error naming the method: "rpc eth_call: HTTP 502 from
  // URL", "rpc eth_call: connection refused (URL)", "rpc eth_call: error -32000: …",
  // "rpc eth_call: invalid JSON-RPC response: …".
  Result<json> call(std::string_view method, json params = json::array());

  // METHOD(params) without decoding the answer: the HTTP body and the request id, for a caller
  // with a faster reader for one method's results (eth_getLogs). parse_response(body, id,
  // method) is what call() would have returned.
  struct RawAnswer {
    std::string body;
    uint64_t id = 0;
  };
  Result<RawAnswer> call_raw(std::string_view method, json params = json::array());

  // Sends the calls as one JSON-RPC batch; each entry is that call's result or error.
  Result<std::vector<Result<json>>> batch(const std::vector<RpcCall>& calls);

  const std::string& url() const { return url_; }
  // Requests sent over the wire (each retry counts), for tests and metrics.
  uint64_t requests_sent() const;

 private:
  // Posts a body, retrying transport failures; returns the HTTP 2xx body.
  Result<std::string> post(std::string_view what, const std::string& body);
  uint64_t next_id();

  std::string url_;
  RpcClientOptions options_;
  std::unique_ptr<infra::HttpConnection> http_;
  mutable std::mutex mu_;
  uint64_t next_id_ = 1;
  uint64_t requests_sent_ = 0;
};

}  // namespace icn::eth
