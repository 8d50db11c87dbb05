// A single-pass reader of batch JSON: a json_cursor over the text, members matched by name into
// the batch being built, every value validated as it is read.
#include "icn/core/batch_json_reader.hpp"

#include <cstdint>
#include <limits>

#include "icn/core/json_cursor.hpp"

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

class Reader {
 public:
  Reader(std::string_view text, const WireLimits& limits)
      : in_(text, "batch json"), limits_(limits) {}

  Result<AnyBatch> batch() {
    if (in_.size() > limits_.max_text_bytes) {
      return fail("json: " + std::to_string(in_.size()) + " bytes, more than the limit of " +
                  std::to_string(limits_.max_text_bytes));
    }
    DaemonBatch d;
    HyperNodeBatch h;
    uint64_t kind = 0;
    uint32_t seen = 0;
    ICN_CHECK(in_.object([&](std::string_view name) -> Status {
      ICN_TRY(uint32_t member, first_time(name, batch_member(name), seen, ""));
      switch (member) {
        case kOriginatorKind: {
          ICN_TRY(kind, in_.u64());
          if (kind != 1 && kind != 2) return in_.error("originatorKind must be 1 or 2");
          break;
        }
        case kScalerNodeId: {
          ICN_TRY(d.scaler_node_id, in_.decimal());
          break;
        }
        case kHyperNodeId: {
          ICN_TRY(h.hyper_node_id, in_.decimal());
          break;
        }
        case kVersion: {
          ICN_TRY(std::string_view v, in_.string());
          if (v.empty() || v.size() > limits_.max_version_bytes)
            return in_.error("version must be 1 to " + std::to_string(limits_.max_version_bytes) +
                             " bytes");
          d.version = h.version = std::string(v);
          break;
        }
        case kEra: {
          ICN_TRY(d.era, in_.u64());
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
      return {};
    }));
    ICN_CHECK(in_.end());
    if (!(seen & kOriginatorKind)) return in_.error("missing field \"originatorKind\"");
    if (kind == 1) {
      if (seen != kDaemonMembers) return in_.error("a daemon batch has exactly its six members");
      return AnyBatch(std::move(d));
    }
    if (seen != kHyperNodeMembers)
      return in_.error("a HyperNode batch has exactly its six members");
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

  // A known member not seen before, marked seen; `kind` is "" or "entry " for the message.
  Result<uint32_t> first_time(std::string_view name, uint32_t member, uint32_t& seen,
                              const char* kind) {
    if (member == 0)
      return in_.error("unknown " + std::string(kind) + "field \"" + std::string(name) + "\"");
    if (seen & member) return in_.error("duplicate key \"" + std::string(name) + "\"");
    seen |= member;
    return member;
  }

  Status entries(std::vector<DaemonEntry>& out) {
    out.reserve(std::min(limits_.max_daemon_entries, in_.left() / 400 + 1));
    return in_.array([&]() -> Status {
      if (out.size() == limits_.max_daemon_entries) {
        return in_.error("more than " + std::to_string(limits_.max_daemon_entries) + " entries");
      }
      ICN_TRY(DaemonEntry e, entry());
      if (!out.empty() && !(out.back().hyper_node_id < e.hyper_node_id)) {
        return in_.error("entries are not in strictly ascending hyperNodeId order");
      }
      out.push_back(std::move(e));
      return {};
    });
  }

  Result<DaemonEntry> entry() {
    DaemonEntry e;
    uint32_t seen = 0;
    ICN_CHECK(in_.object([&](std::string_view name) -> Status {
      ICN_TRY(uint32_t member, first_time(name, entry_member(name), seen, "entry "));
      switch (member) {
        case kEntryHyperNodeId: {
          ICN_TRY(e.hyper_node_id, in_.decimal());
          break;
        }
        case kEntryNonce: {
          ICN_TRY(e.nonce, in_.hex<32>());
          break;
        }
        case kEntryDaemonTime: {
          ICN_TRY(e.daemon_time, in_.u64());
          break;
        }
        case kEntryRttMs: {
          ICN_TRY(uint64_t rtt, in_.u64());
          if (rtt > std::numeric_limits<uint32_t>::max())
            return in_.error("rttMs does not fit in uint32");
          e.rtt_ms = uint32_t(rtt);
          break;
        }
        case kEntryHyperNodeTime: {
          ICN_TRY(e.hyper_node_time, in_.u64());
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
      return {};
    }));
    if (seen != kEntryMembers) return in_.error("an entry has exactly its seven members");
    return e;
  }

  Status challenge_hashes(std::vector<Hash>& out) {
    out.reserve(std::min(limits_.max_hypernode_entries, in_.left() / 69 + 1));
    return in_.array([&]() -> Status {
      if (out.size() == limits_.max_hypernode_entries) {
        return in_.error("more than " + std::to_string(limits_.max_hypernode_entries) +
                         " challenge hashes");
      }
      ICN_TRY(Hash hash, in_.hex<32>());
      if (!out.empty() && !(out.back() < hash)) {
        return in_.error("challenge hashes are not in strictly ascending order");
      }
      out.push_back(hash);
      return {};
    });
  }

  Result<Signature> signature() {
    ICN_TRY(FixedBytes<65> raw, in_.hex<65>());
    if (raw[64] != 27 && raw[64] != 28) return in_.error("signature v must be 27 or 28");
    auto sig = Signature::from_rsv65(raw);
    if (!sig) return in_.error(sig.error().message);
    return *sig;
  }

  json_cursor::Cursor in_;
  const WireLimits& limits_;
};

}  // namespace

Result<AnyBatch> read_batch_json(std::string_view text, const WireLimits& limits) {
  return Reader(text, limits).batch();
}

}  // namespace icn::protocol
