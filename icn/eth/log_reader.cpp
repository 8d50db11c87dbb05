// A single-pass reader of eth_getLogs responses: a json_cursor over the text, members matched by
// name, every value decoded by rpc_types' own field decoders as it is read.
#include "icn/eth/log_reader.hpp"

#include <cstdint>
#include <string>

#include "icn/core/json_cursor.hpp"

namespace icn::eth {
namespace {

// Members of a log, one bit each: duplicates and missing ones are mask checks.
enum LogMember : uint32_t {
  kAddress = 1 << 0,
  kTopics = 1 << 1,
  kData = 1 << 2,
  kBlockNumber = 1 << 3,
  kBlockHash = 1 << 4,
  kTransactionHash = 1 << 5,
  kTransactionIndex = 1 << 6,
  kLogIndex = 1 << 7,
  kRemoved = 1 << 8,
  kUnknown = 1u << 31,  // not a bit of the mask: each unknown member is skipped
};
constexpr uint32_t kRequired = kAddress | kTopics | kData | kBlockNumber | kBlockHash |
                               kTransactionHash | kTransactionIndex | kLogIndex;

struct Named {
  std::string_view name;
  LogMember member;
};
constexpr Named kLogMembers[] = {
    {"address", kAddress},
    {"topics", kTopics},
    {"data", kData},
    {"blockNumber", kBlockNumber},
    {"blockHash", kBlockHash},
    {"transactionHash", kTransactionHash},
    {"transactionIndex", kTransactionIndex},
    {"logIndex", kLogIndex},
    {"removed", kRemoved},
};

class Reader {
 public:
  Reader(std::string_view text, uint64_t id) : in_(text, ""), id_(id) {}

  Result<std::vector<Log>> response() {
    constexpr uint32_t kVersion = 1, kId = 2, kResult = 4;
    uint32_t seen = 0;
    std::vector<Log> logs;
    ICN_CHECK(in_.object([&](std::string_view name) -> Status {
      uint32_t member = name == "jsonrpc"  ? kVersion
                        : name == "id"     ? kId
                        : name == "result" ? kResult
                                           : 0;
      // "error" and anything else: the DOM path says what it is.
      if (member == 0) return in_.error("unexpected member \"" + std::string(name) + "\"");
      if (seen & member) return in_.error("duplicate member \"" + std::string(name) + "\"");
      seen |= member;
      if (member == kVersion) {
        ICN_TRY(std::string_view v, in_.string());
        if (v != "2.0") return in_.error("jsonrpc version is not \"2.0\"");
        return {};
      }
      if (member == kId) {
        // The unsigned integer we sent, as JSON writes it (nlohmann reads a sign, fraction or
        // exponent as another type, which the DOM path rejects).
        ICN_TRY(uint64_t id, in_.u64());
        if (id != id_) return in_.error("id " + std::to_string(id) + " is not ours");
        return {};
      }
      return log_array(logs);
    }));
    ICN_CHECK(in_.end());
    if (seen != (kVersion | kId | kResult)) {
      return in_.error("missing \"jsonrpc\", \"id\" or \"result\"");
    }
    return logs;
  }

 private:
  Status log_array(std::vector<Log>& out) {
    return in_.array([&]() -> Status {
      Log l;
      auto read = log(l);
      if (!read) return std::move(read).error().context("log " + std::to_string(out.size()));
      out.push_back(std::move(l));
      return {};
    });
  }

  Status log(Log& l) {
    uint32_t seen = 0;
    ICN_CHECK(in_.object([&](std::string_view name) -> Status {
      LogMember member = kUnknown;
      for (const Named& n : kLogMembers) {
        if (n.name == name) member = n.member;
      }
      if (member == kUnknown) return skip_scalar();
      if (seen & member) return in_.error("duplicate member \"" + std::string(name) + "\"");
      seen |= member;
      auto read = field(member, l);
      if (!read) return std::move(read).error().context("field \"" + std::string(name) + "\"");
      return {};
    }));
    if ((seen & kRequired) != kRequired) {
      for (const Named& n : kLogMembers) {
        if ((kRequired & n.member) && !(seen & n.member)) {
          return in_.error("missing field \"" + std::string(n.name) + "\"");
        }
      }
    }
    return {};
  }

  Status field(LogMember member, Log& l) {
    if (member == kTopics) return topics(l.topics);
    if (member == kRemoved) {
      // Absent and null both mean not removed (parse_log's optional member).
      if (in_.literal("null") || in_.literal("false")) return {};
      if (in_.literal("true")) {
        l.removed = true;
        return {};
      }
      return in_.error("expected a boolean");
    }
    ICN_TRY(std::string_view text, string());
    Status decoded = decode(member, text, l);
    if (!decoded) return std::move(decoded).error().context(at());
    return {};
  }

  static Status decode(LogMember member, std::string_view text, Log& l) {
    switch (member) {
      case kAddress: {
        ICN_TRY(l.address, Address::parse(text));
        return {};
      }
      case kData: {
        ICN_TRY(l.data, parse_hex(text));
        return {};
      }
      case kBlockNumber: {
        ICN_TRY(l.block_number, parse_quantity_u64_text(text));
        return {};
      }
      case kBlockHash: {
        ICN_TRY(l.block_hash, parse_fixed_hex<32>(text));
        return {};
      }
      case kTransactionHash: {
        ICN_TRY(l.tx_hash, parse_fixed_hex<32>(text));
        return {};
      }
      case kTransactionIndex: {
        ICN_TRY(l.tx_index, parse_quantity_u64_text(text));
        return {};
      }
      case kLogIndex: {
        ICN_TRY(l.log_index, parse_quantity_u64_text(text));
        return {};
      }
      default:
        return fail("internal: no decoder");
    }
  }

  Status topics(std::vector<Hash>& out) {
    return in_.array([&]() -> Status {
      if (out.size() == 4) return in_.error("more than 4 topics");
      ICN_TRY(std::string_view text, string());
      auto topic = parse_fixed_hex<32>(text);
      if (!topic) return std::move(topic).error().context(at());
      out.push_back(*topic);
      return {};
    });
  }

  // The value of a member we do not read: a string, boolean or null (anything else: the DOM).
  Status skip_scalar() {
    if (in_.literal("null") || in_.literal("true") || in_.literal("false")) return {};
    if (in_.peek('"')) {
      ICN_CHECK(in_.string());
      return {};
    }
    return in_.error("unexpected value of an unread member");
  }

  // A string; at_ keeps where it starts, for the field decoders' errors.
  Result<std::string_view> string() {
    in_.skip_space();
    at_ = in_.offset();
    return in_.string();
  }
  std::string at() const { return "at offset " + std::to_string(at_); }

  json_cursor::Cursor in_;
  uint64_t id_;
  size_t at_ = 0;
};

}  // namespace

Result<std::vector<Log>> read_get_logs_response(std::string_view body, uint64_t id) {
  auto logs = Reader(body, id).response();
  if (!logs) return std::move(logs).error().context("getLogs reader");
  return logs;
}

}  // namespace icn::eth
