// JSON-RPC client over infra's HttpConnection (libcurl) and the validation every response goes
// through.
#include "icn/eth/json_rpc.hpp"

#include <algorithm>
#include <charconv>
#include <map>
#include <thread>

#include "icn/infra/http_client.hpp"

namespace icn::eth {
namespace {

// Deeper nesting than any real response; a hostile "[[[[…" would otherwise cost recursion later
// (dump, comparisons) even though parsing itself is iterative.
constexpr size_t kMaxDepth = 128;

std::string dump(const json& j) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string type_name(const json& j) {
  return j.type_name();
}

Error invalid(std::string_view method, std::string why) {
  return fail("rpc " + std::string(method) + ": invalid JSON-RPC response: " + why);
}

Result<json> parse_body(std::string_view body, std::string_view method) {
  if (infra::json_nesting_exceeds(body, kMaxDepth)) {
    return invalid(method, "nesting deeper than " + std::to_string(kMaxDepth));
  }
  json parsed = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) return invalid(method, "not JSON: " + infra::body_snippet(body));
  return parsed;
}

// The id of a response member as an unsigned integer; nullopt for null; error for anything else.
Result<std::optional<uint64_t>> read_id(const json& msg, std::string_view method) {
  auto it = msg.find("id");
  if (it == msg.end()) return invalid(method, "missing id");
  if (it->is_null()) return std::optional<uint64_t>();
  if (!it->is_number_unsigned())
    return invalid(method, "id " + infra::body_snippet(dump(*it)) + " is not ours");
  return std::optional<uint64_t>(it->get<uint64_t>());
}

Status check_envelope(const json& msg, std::string_view method) {
  if (!msg.is_object()) return invalid(method, "expected a JSON object, got " + type_name(msg));
  auto version = msg.find("jsonrpc");
  if (version == msg.end()) return invalid(method, "missing \"jsonrpc\"");
  if (!version->is_string() || version->get_ref<const std::string&>() != "2.0") {
    return invalid(method,
                   "jsonrpc version " + infra::body_snippet(dump(*version)) + " is not \"2.0\"");
  }
  return {};
}

// The result or the node's error of an envelope already checked and matched.
// Moves the result out of `msg`: copying an eth_getLogs answer of thousands of logs cost a third
// of the time spent parsing it (bench/indexer_bench.cpp).
Result<json> read_outcome(json& msg, std::string_view method) {
  auto result = msg.find("result");
  auto error = msg.find("error");
  bool has_result = result != msg.end(), has_error = error != msg.end();
  if (has_result && has_error) return invalid(method, "both result and error");
  if (has_result) return std::move(*result);
  if (!has_error) return invalid(method, "neither result nor error");
  if (!error->is_object()) return invalid(method, "error is a " + type_name(*error));
  auto code = error->find("code");
  auto message = error->find("message");
  if (code == error->end() || !code->is_number_integer()) {
    return invalid(method, "error code missing or not an integer");
  }
  if (code->is_number_unsigned() &&
      code->get<uint64_t>() > uint64_t(std::numeric_limits<int64_t>::max())) {
    return invalid(method, "error code out of range");
  }
  if (message == error->end() || !message->is_string()) {
    return invalid(method, "error message missing or not a string");
  }
  RpcError e;
  e.method = std::string(method);
  e.code = code->get<int64_t>();
  e.message = message->get<std::string>();
  if (auto data = error->find("data"); data != error->end()) e.data = *data;
  return e.to_error();
}

bool is_method_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// Parses "rpc METHOD: error CODE: MESSAGE[ (data: JSON)]" starting at text[0].
std::optional<RpcError> parse_rpc_error_text(std::string_view text) {
  constexpr std::string_view kRpc = "rpc ", kError = ": error ";
  if (text.substr(0, kRpc.size()) != kRpc) return std::nullopt;
  size_t i = kRpc.size();
  size_t method_start = i;
  while (i < text.size() && is_method_char(text[i])) ++i;
  if (i == method_start || text.substr(i, kError.size()) != kError) return std::nullopt;
  RpcError out;
  out.method = std::string(text.substr(method_start, i - method_start));
  i += kError.size();
  auto [end, ec] = std::from_chars(text.data() + i, text.data() + text.size(), out.code);
  if (ec != std::errc()) return std::nullopt;
  i = size_t(end - text.data());
  if (text.substr(i, 2) != ": ") return std::nullopt;
  std::string_view rest = text.substr(i + 2);
  constexpr std::string_view kData = " (data: ";
  if (!rest.empty() && rest.back() == ')') {
    for (size_t at = rest.find(kData); at != std::string_view::npos;
         at = rest.find(kData, at + 1)) {
      std::string_view candidate = rest.substr(at + kData.size());
      candidate.remove_suffix(1);
      json data = json::parse(candidate, nullptr, false);
      if (!data.is_discarded()) {
        out.message = std::string(rest.substr(0, at));
        out.data = std::move(data);
        return out;
      }
    }
  }
  out.message = std::string(rest);
  return out;
}

}  // namespace

std::optional<Bytes> RpcError::revert_data() const {
  if (!data) return std::nullopt;
  const json* hex = &*data;
  if (hex->is_object()) {
    auto inner = hex->find("data");
    if (inner == hex->end()) return std::nullopt;
    hex = &*inner;
  }
  if (!hex->is_string()) return std::nullopt;
  auto bytes = parse_hex(hex->get_ref<const std::string&>());
  if (!bytes) return std::nullopt;
  return std::move(bytes).value();
}

std::string RpcError::to_text() const {
  std::string out = "rpc " + method + ": error " + std::to_string(code) + ": " + message;
  if (data) out += " (data: " + dump(*data) + ")";
  return out;
}

std::optional<RpcError> find_rpc_error(const Error& error) {
  std::string_view text = error.message;
  for (size_t at = text.find("rpc "); at != std::string_view::npos;
       at = text.find("rpc ", at + 1)) {
    if (at != 0 && (at < 2 || text.substr(at - 2, 2) != ": "))
      continue;  // must start a context segment
    if (auto e = parse_rpc_error_text(text.substr(at))) return e;
  }
  return std::nullopt;
}

Result<json> parse_response(std::string_view body, uint64_t id, std::string_view method) {
  ICN_TRY(json msg, parse_body(body, method));
  if (msg.is_array()) return invalid(method, "got a batch (array) for a single call");
  ICN_CHECK(check_envelope(msg, method));
  ICN_TRY(std::optional<uint64_t> got, read_id(msg, method));
  if (!got) {
    // A null id is only legitimate for an error the node could not attribute (e.g. it failed to
    // parse our request); report that error as the call's.
    if (!msg.contains("error")) return invalid(method, "null id on a result");
    return read_outcome(msg, method);
  }
  if (*got != id) {
    return invalid(
        method, "id " + std::to_string(*got) + " does not match request id " + std::to_string(id));
  }
  return read_outcome(msg, method);
}

Result<std::vector<Result<json>>> parse_batch_response(std::string_view body,
                                                       const std::vector<uint64_t>& ids,
                                                       const std::vector<RpcCall>& calls) {
  constexpr std::string_view kBatch = "batch";
  ICN_TRY(json msg, parse_body(body, kBatch));
  if (msg.is_object()) {
    // The node refused the batch as a whole ("batch too large", parse error).
    ICN_CHECK(check_envelope(msg, kBatch));
    if (!msg.contains("error")) return invalid(kBatch, "expected an array, got a single result");
    ICN_TRY(json unexpected, read_outcome(msg, kBatch));
    return invalid(kBatch, "unexpected result " + infra::body_snippet(dump(unexpected)));
  }
  if (!msg.is_array()) return invalid(kBatch, "expected an array, got " + type_name(msg));
  std::map<uint64_t, size_t> index_of;
  for (size_t i = 0; i < ids.size(); ++i) index_of[ids[i]] = i;
  // Every entry starts as "no response" and is replaced when its id turns up.
  std::vector<Result<json>> out;
  out.reserve(ids.size());
  for (size_t i = 0; i < ids.size(); ++i) {
    out.emplace_back(
        invalid(calls[i].method, "no response for id " + std::to_string(ids[i]) + " in the batch"));
  }
  std::vector<bool> answered(ids.size(), false);
  for (json& member : msg) {
    ICN_CHECK(check_envelope(member, kBatch));
    ICN_TRY(std::optional<uint64_t> got, read_id(member, kBatch));
    if (!got) return invalid(kBatch, "member with null id: " + infra::body_snippet(dump(member)));
    auto it = index_of.find(*got);
    if (it == index_of.end()) return invalid(kBatch, "unknown id " + std::to_string(*got));
    if (answered[it->second]) return invalid(kBatch, "duplicate id " + std::to_string(*got));
    answered[it->second] = true;
    out[it->second] = read_outcome(member, calls[it->second].method);
  }
  return out;
}

// ---- Client ----------------------------------------------------------------------------------

namespace {

bool retryable_http(long status) {
  return status == 429 || status == 502 || status == 503 || status == 504;
}

}  // namespace

RpcClient::RpcClient(std::string url, RpcClientOptions options)
    : url_(std::move(url)),
      options_(std::move(options)),
      http_(std::make_unique<infra::HttpConnection>(
          infra::HttpConnectionOptions{options_.connect_timeout, options_.request_timeout,
                                       options_.max_response_bytes, options_.extra_headers})) {}

RpcClient::~RpcClient() = default;

uint64_t RpcClient::requests_sent() const {
  std::lock_guard lock(mu_);
  return requests_sent_;
}

uint64_t RpcClient::next_id() {
  return next_id_++;
}

Result<std::string> RpcClient::post(std::string_view what, const std::string& body) {
  using Outcome = infra::HttpExchange::Outcome;
  auto backoff = options_.retry_backoff;
  unsigned attempts = 0;
  while (true) {
    ++attempts;
    infra::HttpExchange x = http_->perform(url_, &body);
    ++requests_sent_;
    std::string why;
    bool retry = false;
    switch (x.outcome) {
      case Outcome::kAnswered:
        if (x.status >= 200 && x.status < 300) return std::move(x.body);
        why = "HTTP " + std::to_string(x.status) + " from " + url_;
        if (!x.body.empty()) why += " (body: " + infra::body_snippet(x.body) + ")";
        retry = retryable_http(x.status);
        break;
      case Outcome::kTooLarge:
        why = "response larger than " + std::to_string(options_.max_response_bytes) +
              " bytes from " + url_;
        break;
      case Outcome::kRefused:
        why = "connection refused (" + url_ + ")";
        retry = true;
        break;
      case Outcome::kConnectFailed:
        why = "cannot connect (" + url_ + "): " + x.detail;
        retry = true;
        break;
      case Outcome::kTimedOut:
        why = "timed out (" + url_ + "): " + x.detail;
        retry = true;
        break;
      case Outcome::kTransportError:
        why = "transport error (" + url_ + "): " + x.detail;
        retry = true;
        break;
      case Outcome::kOtherError:
        why = "transport error (" + url_ + "): " + x.detail;
        break;
    }
    if (!retry || attempts > options_.max_retries) {
      if (attempts > 1) why += " after " + std::to_string(attempts) + " attempts";
      return fail(std::string(what) + ": " + why);
    }
    std::this_thread::sleep_for(backoff);
    backoff = std::min(backoff * 2, options_.retry_backoff_max);
  }
}

Result<RpcClient::RawAnswer> RpcClient::call_raw(std::string_view method, json params) {
  const std::string what = "rpc " + std::string(method);
  if (!params.is_array() && !params.is_object()) {
    return fail(what + ": params must be an array or an object");
  }
  std::lock_guard lock(mu_);
  RawAnswer out;
  out.id = next_id();
  json request = {
      {"jsonrpc", "2.0"}, {"id", out.id}, {"method", method}, {"params", std::move(params)}};
  ICN_TRY(out.body, post(what, dump(request)));
  return out;
}

Result<json> RpcClient::call(std::string_view method, json params) {
  ICN_TRY(RawAnswer answer, call_raw(method, std::move(params)));
  return parse_response(answer.body, answer.id, method);
}

Result<std::vector<Result<json>>> RpcClient::batch(const std::vector<RpcCall>& calls) {
  if (calls.empty()) return std::vector<Result<json>>{};
  std::lock_guard lock(mu_);
  json request = json::array();
  std::vector<uint64_t> ids;
  ids.reserve(calls.size());
  for (const RpcCall& call : calls) {
    if (!call.params.is_array() && !call.params.is_object()) {
      return fail("rpc " + call.method + ": params must be an array or an object");
    }
    ids.push_back(next_id());
    request.push_back(
        {{"jsonrpc", "2.0"}, {"id", ids.back()}, {"method", call.method}, {"params", call.params}});
  }
  ICN_TRY(std::string body,
          post("rpc batch of " + std::to_string(calls.size()) + " calls", dump(request)));
  return parse_batch_response(body, ids, calls);
}

}  // namespace icn::eth
