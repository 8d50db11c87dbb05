// Direct strict decoding of an eth_getLogs response body into Logs, without a JSON DOM: the
// indexer reads tens of thousands of logs per second (issue 8), and building nlohmann values for
// each, only to convert them, was most of the client's share of that time.
//
// It accepts a subset of what parse_response + parse_log accept — no escape sequences or non-ASCII
// bytes in strings, no duplicate members, no "error", unknown log members only with string,
// boolean or null values — and yields exactly the logs they yield (the same field decoders).
// get_logs tries it first and falls back to the DOM path when it refuses, so a rejection still
// carries that path's reason and any valid answer the reader does not take is still decoded.
#pragma once

#include <string_view>
#include <vector>

#include "icn/eth/rpc_types.hpp"

namespace icn::eth {

// The body of a JSON-RPC response to request `id`: {"jsonrpc":"2.0","id":id,"result":[log, …]},
// members in any order. Errors name the log, the field and the byte offset: "getLogs reader:
// log 3: field \"blockHash\": at offset 1234: expected 32 bytes, got 31".
Result<std::vector<Log>> read_get_logs_response(std::string_view body, uint64_t id);

}  // namespace icn::eth
