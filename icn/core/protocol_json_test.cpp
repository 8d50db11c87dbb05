// Wire format: canonical encodings, round trips, content hashes and every rejection of the strict
// decoders (unknown, duplicate and missing fields, wrong types, non-canonical numbers and hex,
// limits).
#include "icn/core/protocol_json.hpp"

#include <gtest/gtest.h>

#include <cctype>
#include <functional>

#include "icn/core/keccak.hpp"
#include "icn/core/test_support.hpp"

namespace icn::protocol {
namespace {

using test_support::kDomain;
using test_support::key;

using nlohmann::json;

SignedChallenge sample_challenge() {
  Challenge c{
      7, 5, U256("115792089237316195423570985008687907853269984665640564039457584007913129639935"),
      keccak256(std::string_view("nonce")), 1700000000};
  return sign(kDomain, c, key(1));
}

using test_support::sample_daemon_batch;
using test_support::sample_hypernode_batch;

std::string error_of(const auto& result) {
  EXPECT_FALSE(result.ok());
  return result.ok() ? "" : result.error().message;
}

TEST(ProtocolJson, ChallengeCanonicalShapeAndRoundTrip) {
  SignedChallenge m = sample_challenge();
  std::string text = encode(m);
  // Keys in ascending order, no whitespace, ids as decimal strings, times as integers.
  EXPECT_TRUE(text.starts_with(
      R"({"daemonTime":1700000000,"era":7,"hyperNodeId":"115792089237316195423570985008687907853269984665640564039457584007913129639935","nonce":"0x)"))
      << text;
  EXPECT_NE(text.find(R"("scalerNodeId":"5","signature":"0x)"), std::string::npos);
  auto back = decode_signed_challenge(text);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(*back, m);
  EXPECT_EQ(encode(*back), text);
  EXPECT_TRUE(verify(kDomain, *back, key(1).address()));
  // Key order and whitespace are free on input.
  json reordered = json::parse(text);
  auto pretty = decode_signed_challenge(reordered.dump(2));
  ASSERT_TRUE(pretty);
  EXPECT_EQ(*pretty, m);
}

TEST(ProtocolJson, ResponseAndEraResultRoundTrip) {
  SignedChallengeResponse r =
      sign(kDomain, ChallengeResponse{keccak256(std::string_view("c")), 9}, key(2));
  auto r2 = decode_signed_challenge_response(encode(r));
  ASSERT_TRUE(r2) << r2.error().message;
  EXPECT_EQ(*r2, r);
  SignedEraResult e =
      sign(kDomain, EraResult{12, keccak256(std::string_view("r")), Hash{}}, key(3));
  auto e2 = decode_signed_era_result(encode(e));
  ASSERT_TRUE(e2) << e2.error().message;
  EXPECT_EQ(*e2, e);
}

TEST(ProtocolJson, BatchesRoundTripAndContentHash) {
  DaemonBatch d = sample_daemon_batch();
  std::string text = encode(d);
  auto d2 = decode_daemon_batch(text);
  ASSERT_TRUE(d2) << d2.error().message;
  EXPECT_EQ(*d2, d);
  EXPECT_EQ(batch_hash(d), keccak256(std::string_view(text)));
  EXPECT_TRUE(verify_batch(kDomain, *d2, key(1).address()));

  HyperNodeBatch hb = sample_hypernode_batch();
  auto any = decode_batch(encode(hb));
  ASSERT_TRUE(any) << any.error().message;
  ASSERT_TRUE(std::holds_alternative<HyperNodeBatch>(*any));
  EXPECT_EQ(std::get<HyperNodeBatch>(*any), hb);
  EXPECT_EQ(batch_hash(*any), batch_hash(hb));
  auto any_daemon = decode_batch(text);
  ASSERT_TRUE(any_daemon);
  EXPECT_TRUE(std::holds_alternative<DaemonBatch>(*any_daemon));
  EXPECT_NE(batch_hash(d), batch_hash(hb));
}

// Each case: a mutation of a valid encoding and the error it must produce (a substring).
struct Rejection {
  const char* name;
  std::function<void(json&)> mutate;
  const char* error;
};

TEST(ProtocolJson, DaemonBatchRejections) {
  json valid = json::parse(encode(sample_daemon_batch()));
  const std::vector<Rejection> cases = {
      {"unknown field", [](json& j) { j["extra"] = 1; }, R"(daemon batch: unknown field "extra")"},
      {"missing field", [](json& j) { j.erase("era"); }, R"(daemon batch: missing field "era")"},
      {"era as string", [](json& j) { j["era"] = "7"; },
       "daemon batch.era: expected an unsigned integer below 2^64, got string"},
      {"negative era", [](json& j) { j["era"] = -1; },
       "daemon batch.era: expected an unsigned integer below 2^64, got a negative number"},
      {"float era", [](json& j) { j["era"] = 7.0; }, "got a non-integer or out-of-range number"},
      {"id as number", [](json& j) { j["scalerNodeId"] = 5; },
       "daemon batch.scalerNodeId: expected a decimal string, got number"},
      {"id leading zero", [](json& j) { j["scalerNodeId"] = "05"; },
       "daemon batch.scalerNodeId: non-canonical decimal: leading zero"},
      {"id hex", [](json& j) { j["scalerNodeId"] = "0x5"; }, "expected a decimal string of digits"},
      {"id too large",
       [](json& j) {
         j["scalerNodeId"] =
             "115792089237316195423570985008687907853269984665640564039457584007913129639936";
       },
       "daemon batch.scalerNodeId: "},
      {"wrong kind", [](json& j) { j["originatorKind"] = 2; },
       "daemon batch.originatorKind: expected 1 (scalerNode), got 2"},
      {"empty version", [](json& j) { j["version"] = ""; },
       "daemon batch.version: must be 1 to 64 bytes"},
      {"control char in version", [](json& j) { j["version"] = "a\nb"; },
       "must be printable ASCII"},
      {"uppercase hex",
       [](json& j) {
         std::string s = j["entries"][1]["nonce"];
         for (size_t i = 2; i < s.size(); ++i) s[i] = char(std::toupper(s[i]));
         j["entries"][1]["nonce"] = s;
       },
       "daemon batch.entries[1].nonce: non-canonical hex: uppercase digit"},
      {"short nonce", [](json& j) { j["entries"][0]["nonce"] = "0x1234"; },
       "daemon batch.entries[0].nonce: expected \"0x\" and 64 hex digits"},
      {"no 0x",
       [](json& j) {
         std::string s = j["entries"][0]["nonce"];
         j["entries"][0]["nonce"] = "00" + s.substr(2);
       },
       "daemon batch.entries[0].nonce: expected \"0x\""},
      {"bad digit",
       [](json& j) {
         std::string s = j["entries"][0]["nonce"];
         s[5] = 'g';
         j["entries"][0]["nonce"] = s;
       },
       "daemon batch.entries[0].nonce: invalid hex digit at position 5"},
      {"rtt above uint32", [](json& j) { j["entries"][0]["rttMs"] = 4294967296ULL; },
       "daemon batch.entries[0].rttMs: 4294967296 does not fit in uint32"},
      {"signature v 0",
       [](json& j) {
         std::string s = j["signature"];
         j["signature"] = s.substr(0, 130) + (s.substr(130) == "1b" ? "00" : "01");
       },
       "daemon batch.signature: non-canonical signature: v must be 27 or 28"},
      {"signature high s",
       [](json& j) {
         // s = n − 1 (above n/2).
         std::string s = j["signature"];
         j["signature"] = s.substr(0, 66) +
                          "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364140" +
                          s.substr(130);
       },
       "daemon batch.signature: "},
      {"unknown entry field", [](json& j) { j["entries"][0]["x"] = true; },
       R"(daemon batch.entries[0]: unknown field "x")"},
      {"entry not object", [](json& j) { j["entries"][0] = 1; },
       "daemon batch.entries[0]: expected an object, got number"},
      {"entries out of order", [](json& j) { std::swap(j["entries"][0], j["entries"][1]); },
       "daemon batch.entries[1]: hyperNodeId 2 not above the previous entry's"},
      {"duplicate entry", [](json& j) { j["entries"][1] = j["entries"][0]; },
       "daemon batch.entries[1]: hyperNodeId 2 not above the previous entry's"},
      {"entries not array", [](json& j) { j["entries"] = json::object(); },
       "daemon batch.entries: expected an array, got object"},
  };
  for (const Rejection& c : cases) {
    json j = valid;
    c.mutate(j);
    auto r = decode_daemon_batch(j.dump());
    EXPECT_NE(error_of(r).find(c.error), std::string::npos)
        << c.name << ": got \"" << error_of(r) << "\"";
  }
}

TEST(ProtocolJson, HyperNodeBatchRejections) {
  json valid = json::parse(encode(sample_hypernode_batch()));
  const std::vector<Rejection> cases = {
      {"unsorted", [](json& j) { std::swap(j["challengeHashes"][0], j["challengeHashes"][1]); },
       "hypernode batch.challengeHashes[1]: not above the previous hash"},
      {"duplicate", [](json& j) { j["challengeHashes"][1] = j["challengeHashes"][0]; },
       "hypernode batch.challengeHashes[1]: not above the previous hash"},
      {"hash not string", [](json& j) { j["challengeHashes"][0] = 1; },
       "hypernode batch.challengeHashes[0]: expected a 0x hex string, got number"},
      {"daemon fields", [](json& j) { j["entries"] = json::array(); },
       R"(hypernode batch: unknown field "entries")"},
  };
  for (const Rejection& c : cases) {
    json j = valid;
    c.mutate(j);
    auto r = decode_hypernode_batch(j.dump());
    EXPECT_NE(error_of(r).find(c.error), std::string::npos)
        << c.name << ": got \"" << error_of(r) << "\"";
  }
}

TEST(ProtocolJson, Limits) {
  DaemonBatch d = sample_daemon_batch();
  WireLimits tight;
  tight.max_daemon_entries = 1;
  EXPECT_EQ(error_of(decode_daemon_batch(encode(d), tight)),
            "daemon batch.entries: 2 elements, more than the limit of 1");
  HyperNodeBatch hb = sample_hypernode_batch();
  tight.max_hypernode_entries = 1;
  EXPECT_EQ(error_of(decode_hypernode_batch(encode(hb), tight)),
            "hypernode batch.challengeHashes: 2 elements, more than the limit of 1");
  tight = {};
  tight.max_version_bytes = 3;
  EXPECT_NE(error_of(decode_daemon_batch(encode(d), tight)).find("must be 1 to 3 bytes"),
            std::string::npos);
  tight = {};
  tight.max_text_bytes = 10;
  EXPECT_NE(error_of(decode_daemon_batch(encode(d), tight)).find("more than the limit of 10"),
            std::string::npos);
}

TEST(ProtocolJson, StrictJson) {
  EXPECT_EQ(error_of(parse_strict_json(R"({"a":1,"a":2})")), R"(json: duplicate key "a")");
  EXPECT_EQ(error_of(parse_strict_json(R"({"x":{"a":1,"b":{"a":1},"a":2}})")),
            R"(json: duplicate key "a")");
  EXPECT_TRUE(parse_strict_json(R"({"a":{"a":1},"b":[{"a":1},{"a":2}]})"));
  EXPECT_EQ(error_of(parse_strict_json(std::string(17, '[') + std::string(17, ']'))),
            "json: nested deeper than 16 levels");
  EXPECT_TRUE(parse_strict_json(R"(["[[[[[[[[[[[[[[[[[[[["])"));  // brackets inside a string
  EXPECT_NE(error_of(parse_strict_json("{")).find("json: "), std::string::npos);
  EXPECT_NE(error_of(decode_signed_challenge("[]")).find("challenge: expected an object"),
            std::string::npos);
  // A duplicate key inside a real document is caught before any field is read.
  std::string text = encode(sample_challenge());
  text.insert(1, R"("era":8,)");
  EXPECT_EQ(error_of(decode_signed_challenge(text)), R"(json: duplicate key "era")");
  EXPECT_NE(error_of(decode_batch(R"({"originatorKind":3})")).find("expected 1 (scalerNode) or 2"),
            std::string::npos);
}

// The batches' direct writer and nlohmann's dump of to_json are the same bytes (the content
// address is keccak256 of them): ids above 2^64, empty lists, a version needing escapes, and a
// version that is not printable ASCII (left to nlohmann).
TEST(ProtocolJson, DirectBatchEncodingIsTheDomsDump) {
  DaemonBatch d = sample_daemon_batch();
  HyperNodeBatch h = sample_hypernode_batch();
  EXPECT_EQ(encode(d), to_json(d).dump());
  EXPECT_EQ(encode(h), to_json(h).dump());
  const U256 big("115792089237316195423570985008687907853269984665640564039457584007913129639935");
  d.scaler_node_id = big;
  d.entries[1].hyper_node_id = U256("18446744073709551616");  // 2^64
  d.entries[0].hyper_node_id = U256("18446744073709551615");  // 2^64 − 1
  d.entries[0].daemon_time = std::numeric_limits<uint64_t>::max();
  d.entries[0].rtt_ms = 0;
  d.version = R"(a"b\c/ ~)";
  h.hyper_node_id = big;
  h.version = d.version;
  EXPECT_EQ(encode(d), to_json(d).dump());
  EXPECT_EQ(encode(h), to_json(h).dump());
  d.entries.clear();
  h.challenge_hashes.clear();
  d.version = h.version = "tab\there\n";
  d.version[3] = h.version[3] = '\t';
  EXPECT_EQ(encode(d), to_json(d).dump());
  EXPECT_EQ(encode(h), to_json(h).dump());
  EXPECT_EQ(encode(h).find('\t'), std::string::npos);  // escaped, as nlohmann does
}

}  // namespace
}  // namespace icn::protocol
