// A single-pass reader of eth_getLogs responses: a cursor over the text, members matched by name,
// every value decoded by rpc_types' own field decoders as it is read.
#include "icn/eth/log_reader.hpp"

#include <cstdint>

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
  Reader(std::string_view text, uint64_t id)
      : begin_(text.data()), p_(text.data()), end_(text.data() + text.size()), id_(id) {}

  Result<std::vector<Log>> response() {
    constexpr uint32_t kVersion = 1, kId = 2, kResult = 4;
    uint32_t seen = 0;
    std::vector<Log> logs;
    ICN_CHECK(expect('{'));
    if (!peek('}')) {
      do {
        ICN_TRY(std::string_view name, string());
        ICN_CHECK(expect(':'));
        uint32_t member = name == "jsonrpc"  ? kVersion
                          : name == "id"     ? kId
                          : name == "result" ? kResult
                                             : 0;
        // "error" and anything else: the DOM path says what it is.
        if (member == 0) return error("unexpected member \"" + std::string(name) + "\"");
        if (seen & member) return error("duplicate member \"" + std::string(name) + "\"");
        seen |= member;
        if (member == kVersion) {
          ICN_TRY(std::string_view v, string());
          if (v != "2.0") return error("jsonrpc version is not \"2.0\"");
        } else if (member == kId) {
          ICN_CHECK(expect_id());
        } else {
          ICN_CHECK(log_array(logs));
        }
      } while (next_member());
    }
    ICN_CHECK(expect('}'));
    skip_space();
    if (p_ != end_) return error("unexpected text after the response");
    if (seen != (kVersion | kId | kResult)) {
      return error("missing \"jsonrpc\", \"id\" or \"result\"");
    }
    return logs;
  }

 private:
  Status log_array(std::vector<Log>& out) {
    ICN_CHECK(expect('['));
    if (peek(']')) return expect(']');
    do {
      Log l;
      auto read = log(l);
      if (!read) {
        return std::move(read).error().context("log " + std::to_string(out.size()));
      }
      out.push_back(std::move(l));
    } while (next_element());
    return expect(']');
  }

  Status log(Log& l) {
    ICN_CHECK(expect('{'));
    uint32_t seen = 0;
    if (!peek('}')) {
      do {
        ICN_TRY(std::string_view name, string());
        ICN_CHECK(expect(':'));
        LogMember member = kUnknown;
        for (const Named& n : kLogMembers) {
          if (n.name == name) member = n.member;
        }
        if (member == kUnknown) {
          ICN_CHECK(skip_scalar());
          continue;
        }
        if (seen & member) return error("duplicate member \"" + std::string(name) + "\"");
        seen |= member;
        auto read = field(member, l);
        if (!read) return std::move(read).error().context("field \"" + std::string(name) + "\"");
      } while (next_member());
    }
    ICN_CHECK(expect('}'));
    if ((seen & kRequired) != kRequired) {
      for (const Named& n : kLogMembers) {
        if ((kRequired & n.member) && !(seen & n.member)) {
          return error("missing field \"" + std::string(n.name) + "\"");
        }
      }
    }
    return {};
  }

  Status field(LogMember member, Log& l) {
    if (member == kTopics) return topics(l.topics);
    if (member == kRemoved) {
      // Absent and null both mean not removed (parse_log's optional member).
      if (literal("null")) return {};
      if (literal("true")) {
        l.removed = true;
        return {};
      }
      if (literal("false")) return {};
      return error("expected a boolean");
    }
    size_t at = offset();
    ICN_TRY(std::string_view text, string());
    Status decoded = decode(member, text, l);
    if (!decoded) return std::move(decoded).error().context("at byte " + std::to_string(at));
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
    ICN_CHECK(expect('['));
    if (peek(']')) return expect(']');
    do {
      if (out.size() == 4) return error("more than 4 topics");
      size_t at = offset();
      ICN_TRY(std::string_view text, string());
      auto topic = parse_fixed_hex<32>(text);
      if (!topic) return std::move(topic).error().context("at byte " + std::to_string(at));
      out.push_back(*topic);
    } while (next_element());
    return expect(']');
  }

  // "id": the unsigned integer we sent, as JSON writes it (no sign, fraction, exponent or
  // leading zero: nlohmann reads those as another type, which the DOM path rejects).
  Status expect_id() {
    skip_space();
    const char* start = p_;
    uint64_t v = 0;
    while (p_ < end_ && *p_ >= '0' && *p_ <= '9') {
      if (v > (UINT64_MAX - uint64_t(*p_ - '0')) / 10) return error("id out of range");
      v = v * 10 + uint64_t(*p_ - '0');
      ++p_;
    }
    if (p_ == start) return error("id is not an unsigned integer");
    if (p_ - start > 1 && *start == '0') return error("id has a leading zero");
    if (p_ < end_ && (*p_ == '.' || *p_ == 'e' || *p_ == 'E')) {
      return error("id is not an unsigned integer");
    }
    if (v != id_) return error("id " + std::to_string(v) + " is not ours");
    return {};
  }

  // The value of a member we do not read: a string, boolean or null (anything else: the DOM).
  Status skip_scalar() {
    skip_space();
    if (literal("null") || literal("true") || literal("false")) return {};
    if (p_ < end_ && *p_ == '"') {
      ICN_TRY(std::string_view ignored, string());
      (void)ignored;
      return {};
    }
    return error("unexpected value of an unread member");
  }

  // A string without escapes or non-ASCII bytes (the DOM path takes the rest).
  Result<std::string_view> string() {
    skip_space();
    if (p_ == end_ || *p_ != '"') return error("expected a string");
    const char* start = ++p_;
    while (p_ < end_ && *p_ != '"') {
      uint8_t c = uint8_t(*p_);
      if (c == '\\') return error("escape sequence in a string");
      if (c < 0x20) return error("control character in a string");
      if (c >= 0x80) return error("non-ASCII byte in a string");
      ++p_;
    }
    if (p_ == end_) return error("unterminated string");
    return std::string_view(start, size_t(p_++ - start));
  }

  bool literal(std::string_view word) {
    skip_space();
    if (size_t(end_ - p_) < word.size() || std::string_view(p_, word.size()) != word) return false;
    p_ += word.size();
    return true;
  }

  // After a member: true on ',', false when the object closes next.
  bool next_member() { return next_element(); }
  bool next_element() {
    skip_space();
    if (p_ < end_ && *p_ == ',') {
      ++p_;
      return true;
    }
    return false;
  }

  bool peek(char c) {
    skip_space();
    return p_ < end_ && *p_ == c;
  }

  Status expect(char c) {
    skip_space();
    if (p_ == end_ || *p_ != c) return error(std::string("expected '") + c + "'");
    ++p_;
    return {};
  }

  void skip_space() {
    while (p_ < end_ && (*p_ == ' ' || *p_ == '\t' || *p_ == '\n' || *p_ == '\r')) ++p_;
  }

  size_t offset() const { return size_t(p_ - begin_); }

  Error error(std::string why) const {
    return Error{why + " (at byte " + std::to_string(offset()) + ")"};
  }

  const char* begin_;
  const char* p_;
  const char* end_;
  uint64_t id_;
};

}  // namespace

Result<std::vector<Log>> read_get_logs_response(std::string_view body, uint64_t id) {
  auto logs = Reader(body, id).response();
  if (!logs) return std::move(logs).error().context("getLogs reader");
  return logs;
}

}  // namespace icn::eth
