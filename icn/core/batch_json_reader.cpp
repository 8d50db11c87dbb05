// A single-pass reader of batch JSON: a cursor over the text, members matched by name into the
// batch being built, every value validated as it is read.
#include "icn/core/batch_json_reader.hpp"

#include <charconv>
#include <cstdint>
#include <limits>

namespace icn::protocol {
namespace {

// Members of a batch object, one bit each: duplicates and missing ones are mask checks.
enum Member : uint32_t {
  kOriginatorKind = 1 << 0,
  kScalerNodeId = 1 << 1,
  kHyperNodeId = 1 << 2,
  kVersion = 1 << 3,
  kEra = 1 << 4,
  kEntries = 1 << 5,
  kChallengeHashes = 1 << 6,
  kSignature = 1 << 7,
};
constexpr uint32_t kDaemonMembers =
    kOriginatorKind | kScalerNodeId | kVersion | kEra | kEntries | kSignature;
constexpr uint32_t kHyperNodeMembers =
    kOriginatorKind | kHyperNodeId | kVersion | kEra | kChallengeHashes | kSignature;

// Members of a daemon entry.
enum EntryMember : uint32_t {
  kEntryHyperNodeId = 1 << 0,
  kEntryNonce = 1 << 1,
  kEntryDaemonTime = 1 << 2,
  kEntryRttMs = 1 << 3,
  kEntryHyperNodeTime = 1 << 4,
  kEntryDaemonSignature = 1 << 5,
  kEntryHyperNodeSignature = 1 << 6,
};
constexpr uint32_t kEntryMembers = (1 << 7) - 1;

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;  // uppercase is not canonical
}

class Reader {
 public:
  Reader(std::string_view text, const WireLimits& limits)
      : begin_(text.data()), p_(text.data()), end_(text.data() + text.size()), limits_(limits) {}

  Result<AnyBatch> batch() {
    if (size_t(end_ - begin_) > limits_.max_text_bytes) {
      return fail("json: " + std::to_string(end_ - begin_) + " bytes, more than the limit of " +
                  std::to_string(limits_.max_text_bytes));
    }
    DaemonBatch d;
    HyperNodeBatch h;
    uint64_t kind = 0;
    uint32_t seen = 0;
    ICN_CHECK(expect('{'));
    if (!peek('}')) {
      do {
        ICN_TRY(std::string_view name, string());
        ICN_CHECK(expect(':'));
        uint32_t member = batch_member(name);
        if (member == 0) return error("unknown field \"" + std::string(name) + "\"");
        if (seen & member) return error("duplicate key \"" + std::string(name) + "\"");
        seen |= member;
        switch (member) {
          case kOriginatorKind: {
            ICN_TRY(kind, u64());
            if (kind != 1 && kind != 2) return error("originatorKind must be 1 or 2");
            break;
          }
          case kScalerNodeId: {
            ICN_TRY(d.scaler_node_id, decimal());
            break;
          }
          case kHyperNodeId: {
            ICN_TRY(h.hyper_node_id, decimal());
            break;
          }
          case kVersion: {
            ICN_TRY(std::string_view v, string());
            if (v.empty() || v.size() > limits_.max_version_bytes)
              return error("version must be 1 to " + std::to_string(limits_.max_version_bytes) +
                           " bytes");
            d.version = h.version = std::string(v);
            break;
          }
          case kEra: {
            ICN_TRY(d.era, u64());
            h.era = d.era;
            break;
          }
          case kEntries: {
            ICN_CHECK(entries(d.entries));
            break;
          }
          case kChallengeHashes: {
            ICN_CHECK(challenge_hashes(h.challenge_hashes));
            break;
          }
          case kSignature: {
            ICN_TRY(d.signature, signature());
            h.signature = d.signature;
            break;
          }
        }
      } while (next_member());
    }
    ICN_CHECK(expect('}'));
    skip_space();
    if (p_ != end_) return error("unexpected text after the batch");
    if (!(seen & kOriginatorKind)) return error("missing field \"originatorKind\"");
    if (kind == 1) {
      if (seen != kDaemonMembers) return error("a daemon batch has exactly its six members");
      return AnyBatch(std::move(d));
    }
    if (seen != kHyperNodeMembers) return error("a HyperNode batch has exactly its six members");
    return AnyBatch(std::move(h));
  }

 private:
  static uint32_t batch_member(std::string_view n) {
    if (n == "entries") return kEntries;
    if (n == "era") return kEra;
    if (n == "originatorKind") return kOriginatorKind;
    if (n == "scalerNodeId") return kScalerNodeId;
    if (n == "hyperNodeId") return kHyperNodeId;
    if (n == "challengeHashes") return kChallengeHashes;
    if (n == "signature") return kSignature;
    if (n == "version") return kVersion;
    return 0;
  }

  static uint32_t entry_member(std::string_view n) {
    if (n == "daemonSignature") return kEntryDaemonSignature;
    if (n == "daemonTime") return kEntryDaemonTime;
    if (n == "hyperNodeId") return kEntryHyperNodeId;
    if (n == "hyperNodeSignature") return kEntryHyperNodeSignature;
    if (n == "hyperNodeTime") return kEntryHyperNodeTime;
    if (n == "nonce") return kEntryNonce;
    if (n == "rttMs") return kEntryRttMs;
    return 0;
  }

  Status entries(std::vector<DaemonEntry>& out) {
    ICN_CHECK(expect('['));
    out.reserve(std::min(limits_.max_daemon_entries, size_t(end_ - p_) / 400 + 1));
    if (peek(']')) return expect(']');
    do {
      if (out.size() == limits_.max_daemon_entries) {
        return error("more than " + std::to_string(limits_.max_daemon_entries) + " entries");
      }
      ICN_TRY(DaemonEntry e, entry());
      if (!out.empty() && !(out.back().hyper_node_id < e.hyper_node_id)) {
        return error("entries are not in strictly ascending hyperNodeId order");
      }
      out.push_back(std::move(e));
    } while (next_element());
    return expect(']');
  }

  Result<DaemonEntry> entry() {
    DaemonEntry e;
    uint32_t seen = 0;
    ICN_CHECK(expect('{'));
    if (!peek('}')) {
      do {
        ICN_TRY(std::string_view name, string());
        ICN_CHECK(expect(':'));
        uint32_t member = entry_member(name);
        if (member == 0) return error("unknown entry field \"" + std::string(name) + "\"");
        if (seen & member) return error("duplicate key \"" + std::string(name) + "\"");
        seen |= member;
        switch (member) {
          case kEntryHyperNodeId: {
            ICN_TRY(e.hyper_node_id, decimal());
            break;
          }
          case kEntryNonce: {
            ICN_TRY(e.nonce, bytes32());
            break;
          }
          case kEntryDaemonTime: {
            ICN_TRY(e.daemon_time, u64());
            break;
          }
          case kEntryRttMs: {
            ICN_TRY(uint64_t rtt, u64());
            if (rtt > std::numeric_limits<uint32_t>::max())
              return error("rttMs does not fit in uint32");
            e.rtt_ms = uint32_t(rtt);
            break;
          }
          case kEntryHyperNodeTime: {
            ICN_TRY(e.hyper_node_time, u64());
            break;
          }
          case kEntryDaemonSignature: {
            ICN_TRY(e.daemon_signature, signature());
            break;
          }
          case kEntryHyperNodeSignature: {
            ICN_TRY(e.hyper_node_signature, signature());
            break;
          }
        }
      } while (next_member());
    }
    ICN_CHECK(expect('}'));
    if (seen != kEntryMembers) return error("an entry has exactly its seven members");
    return e;
  }

  Status challenge_hashes(std::vector<Hash>& out) {
    ICN_CHECK(expect('['));
    out.reserve(std::min(limits_.max_hypernode_entries, size_t(end_ - p_) / 69 + 1));
    if (peek(']')) return expect(']');
    do {
      if (out.size() == limits_.max_hypernode_entries) {
        return error("more than " + std::to_string(limits_.max_hypernode_entries) +
                     " challenge hashes");
      }
      ICN_TRY(Hash hash, bytes32());
      if (!out.empty() && !(out.back() < hash)) {
        return error("challenge hashes are not in strictly ascending order");
      }
      out.push_back(hash);
    } while (next_element());
    return expect(']');
  }

  // ---- values ----

  // A string's raw bytes: printable ASCII without escapes (the only strings a batch holds).
  Result<std::string_view> string() {
    ICN_CHECK(expect('"'));
    const char* start = p_;
    while (p_ != end_ && *p_ != '"') {
      char c = *p_;
      if (c == '\\') return error("escape sequence in a string");
      if (c < 0x20 || c > 0x7e) return error("byte outside printable ASCII in a string");
      ++p_;
    }
    if (p_ == end_) return error("unterminated string");
    std::string_view s(start, size_t(p_ - start));
    ++p_;
    return s;
  }

  // A JSON integer in [0, 2^64): no sign, fraction, exponent or leading zero.
  Result<uint64_t> u64() {
    skip_space();
    const char* start = p_;
    while (p_ != end_ && *p_ >= '0' && *p_ <= '9') ++p_;
    if (p_ == start) return error("expected an unsigned integer");
    if (*start == '0' && p_ - start > 1) return error("number with a leading zero");
    if (p_ != end_ && (*p_ == '.' || *p_ == 'e' || *p_ == 'E'))
      return error("expected an integer, got a fraction or exponent");
    uint64_t n = 0;
    auto [ptr, ec] = std::from_chars(start, p_, n);
    if (ec != std::errc() || ptr != p_) return error("integer does not fit in 64 bits");
    return n;
  }

  // A uint256 as a decimal string: "0" or digits without a leading zero.
  Result<U256> decimal() {
    ICN_TRY(std::string_view s, string());
    if (s.empty() || s.size() > 78) return error("expected a decimal string of 1 to 78 digits");
    for (char c : s) {
      if (c < '0' || c > '9') return error("expected a decimal string of digits");
    }
    if (s.size() > 1 && s[0] == '0') return error("non-canonical decimal: leading zero");
    if (s.size() <= 19) {  // below 10^19 < 2^64: no big-number parsing
      uint64_t n = 0;
      std::from_chars(s.data(), s.data() + s.size(), n);
      return U256(n);
    }
    auto n = parse_u256(s);
    if (!n) return error(n.error().message);
    return *n;
  }

  template <size_t N>
  Result<FixedBytes<N>> hex() {
    ICN_TRY(std::string_view s, string());
    if (s.size() != 2 + 2 * N || s[0] != '0' || s[1] != 'x') {
      return error("expected \"0x\" and " + std::to_string(2 * N) + " lowercase hex digits");
    }
    FixedBytes<N> out;
    for (size_t i = 0; i < N; ++i) {
      int hi = hex_value(s[2 + 2 * i]), lo = hex_value(s[3 + 2 * i]);
      if (hi < 0 || lo < 0) return error("invalid or uppercase hex digit");
      out[i] = uint8_t(hi << 4 | lo);
    }
    return out;
  }

  Result<Hash> bytes32() { return hex<32>(); }

  Result<Signature> signature() {
    ICN_TRY(FixedBytes<65> raw, hex<65>());
    if (raw[64] != 27 && raw[64] != 28) return error("signature v must be 27 or 28");
    auto sig = Signature::from_rsv65(raw);
    if (!sig) return error(sig.error().message);
    return *sig;
  }

  // ---- structure ----

  void skip_space() {
    while (p_ != end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) ++p_;
  }
  bool peek(char c) {
    skip_space();
    return p_ != end_ && *p_ == c;
  }
  Status expect(char c) {
    skip_space();
    if (p_ == end_ || *p_ != c) return error(std::string("expected '") + c + "'");
    ++p_;
    return {};
  }
  // After a member: ',' and another follows (true), or the object ends (false, '}' not taken).
  bool next_member() {
    if (peek(',')) {
      ++p_;
      return true;
    }
    return false;
  }
  bool next_element() { return next_member(); }

  Error error(const std::string& what) const {
    return fail("batch json: " + what + " at offset " + std::to_string(p_ - begin_));
  }

  const char* begin_;
  const char* p_;
  const char* end_;
  const WireLimits& limits_;
};

}  // namespace

Result<AnyBatch> read_batch_json(std::string_view text, const WireLimits& limits) {
  return Reader(text, limits).batch();
}

}  // namespace icn::protocol
