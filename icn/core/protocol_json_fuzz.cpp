// libFuzzer target for the protocol's JSON decoders: no input may crash them, and whatever they
// accept must re-encode canonically and decode again to the same value (and the same batch hash).
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "icn/core/batch_json_reader.hpp"
#include "icn/core/protocol_json.hpp"

namespace {

// Small limits so the fuzzer reaches the limit checks.
const icn::protocol::WireLimits kLimits{1 << 16, 8, 64, 16};

template <typename T, typename Decode>
void round_trip(const T& value, Decode decode) {
  std::string canonical = icn::protocol::encode(value);
  auto again = decode(canonical, kLimits);
  if (!again || !(*again == value) || icn::protocol::encode(*again) != canonical) std::abort();
}

// Valid documents of every kind, so that inputs read as edits of them reach the accepting paths
// even without a corpus (the replay build has none).
const std::vector<std::string>& seeds() {
  using namespace icn::protocol;
  static const std::vector<std::string> kSeeds = [] {
    icn::FixedBytes<32> secret{};
    secret[31] = 7;
    auto key = *icn::PrivateKey::from_bytes(secret);
    icn::Hash domain = domain_separator(31337, icn::Address{});
    DaemonBatch d{5, "icn/0.1.0", 9, {}, {}};
    for (uint64_t hn : {1, 2}) {
      DaemonEntry e{hn, icn::Hash{}, 100, 20, 101, {}, {}};
      e.nonce[31] = uint8_t(hn);
      e.daemon_signature = icn::sign_hash(key, signing_digest(domain, challenge_of(e, 9, 5)));
      e.hyper_node_signature = e.daemon_signature;
      d.entries.push_back(e);
    }
    (void)sign_batch(domain, d, key);
    HyperNodeBatch h{2, "icn/0.1.0", 9, {icn::Hash{}, d.signature.r}, {}};
    (void)sign_batch(domain, h, key);
    return std::vector<std::string>{
        encode(d), encode(h), encode(sign(domain, Challenge{9, 5, 1, icn::Hash{}, 100}, key)),
        encode(sign(domain, ChallengeResponse{icn::Hash{}, 100}, key)),
        encode(sign(domain, EraResult{9, icn::Hash{}, icn::Hash{}}, key))};
  }();
  return kSeeds;
}

void decode_all(std::string_view text);

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  decode_all(std::string_view(reinterpret_cast<const char*>(data), size));
  // The input again as edits of a valid document: byte 0 picks it, then (offset, byte) pairs.
  if (size >= 1) {
    std::string doc = seeds()[data[0] % seeds().size()];
    for (size_t i = 1; i + 1 < size && i < 17; i += 2) {
      size_t at = data[i] * doc.size() / 256;
      if (data[i + 1] == 0) {
        doc.erase(at, 1);
      } else {
        doc[at] = char(data[i + 1]);
      }
    }
    decode_all(doc);
  }
  return 0;
}

namespace {

void decode_all(std::string_view text) {
  using namespace icn::protocol;

  if (auto m = decode_signed_challenge(text, kLimits)) {
    round_trip(*m, decode_signed_challenge);
  }
  if (auto m = decode_signed_challenge_response(text, kLimits)) {
    round_trip(*m, decode_signed_challenge_response);
  }
  if (auto m = decode_signed_era_result(text, kLimits)) {
    round_trip(*m, decode_signed_era_result);
  }
  if (auto b = decode_daemon_batch(text, kLimits)) {
    round_trip(*b, decode_daemon_batch);
    if (!header_of(*b)) std::abort();  // the decoder only accepts canonical order
  }
  if (auto b = decode_hypernode_batch(text, kLimits)) {
    round_trip(*b, decode_hypernode_batch);
    if (!header_of(*b)) std::abort();
  }
  if (auto b = decode_batch(text, kLimits)) {
    auto again = decode_batch(std::visit([](const auto& x) { return encode(x); }, *b), kLimits);
    if (!again || batch_hash(*again) != batch_hash(*b)) std::abort();
  }
  // The direct batch reader accepts nothing the DOM decoder refuses, and reads the same value.
  if (auto direct = read_batch_json(text, kLimits)) {
    auto dom = parse_strict_json(text, kLimits);
    if (!dom) std::abort();
    if (const auto* d = std::get_if<DaemonBatch>(&*direct)) {
      auto b = daemon_batch_from_json(*dom, kLimits);
      if (!b || !(*b == *d)) std::abort();
    } else {
      auto b = hypernode_batch_from_json(*dom, kLimits);
      if (!b || !(*b == std::get<HyperNodeBatch>(*direct))) std::abort();
    }
  }
}

}  // namespace
