// The direct batch reader against protocol_json's DOM decoder: the same value for valid text in any
// layout, and no text the DOM decoder refuses is taken (hostile mutations, every truncation, every
// byte replaced).
#include "icn/core/batch_json_reader.hpp"

#include <gtest/gtest.h>

#include "icn/core/keccak.hpp"
#include "icn/core/test_support.hpp"

namespace icn::protocol {
namespace {

using test_support::kDomain;
using test_support::key;

using nlohmann::json;

DaemonBatch daemon_batch() {
  return test_support::sample_daemon_batch({2, 3, 40});
}

HyperNodeBatch hypernode_batch() {
  return test_support::sample_hypernode_batch({"a", "b", "c"});
}

// protocol_json's DOM path on its own (decode_batch tries the direct reader first).
Result<AnyBatch> dom_decode(std::string_view text, const WireLimits& limits = {}) {
  ICN_TRY(json value, parse_strict_json(text, limits));
  if (value.is_object() && value.contains("originatorKind") && value["originatorKind"] == json(2)) {
    ICN_TRY(HyperNodeBatch b, hypernode_batch_from_json(value, limits));
    return AnyBatch(std::move(b));
  }
  ICN_TRY(DaemonBatch b, daemon_batch_from_json(value, limits));
  return AnyBatch(std::move(b));
}

// The property every input must have: whatever the direct reader takes, the DOM decoder takes too,
// as the same value. Returns whether the direct reader took it.
bool check_agrees(std::string_view text, const WireLimits& limits = {}) {
  auto direct = read_batch_json(text, limits);
  if (!direct) return false;
  auto dom = dom_decode(text, limits);
  EXPECT_TRUE(dom.ok()) << "direct reader took what the DOM refuses (" << dom.error().message
                        << "): " << text.substr(0, 300);
  if (dom) {
    EXPECT_TRUE(*dom == *direct) << "different values for " << text.substr(0, 300);
  }
  return true;
}

TEST(BatchJsonReader, ReadsCanonicalBatchesAsTheDomDoes) {
  DaemonBatch d = daemon_batch();
  HyperNodeBatch h = hypernode_batch();
  for (const std::string& text : {encode(d), encode(h)}) {
    EXPECT_TRUE(check_agrees(text)) << text;
  }
  auto direct = read_batch_json(encode(d));
  ASSERT_TRUE(direct);
  EXPECT_TRUE(std::get<DaemonBatch>(*direct) == d);
  EXPECT_EQ(batch_hash(*direct), batch_hash(d));
  EXPECT_TRUE(std::get<HyperNodeBatch>(*read_batch_json(encode(h))) == h);
}

TEST(BatchJsonReader, AnyLayoutAndEdgeValuesGiveTheSameValue) {
  DaemonBatch d = daemon_batch();
  HyperNodeBatch h = hypernode_batch();
  const U256 max256(
      "115792089237316195423570985008687907853269984665640564039457584007913129639935");
  d.scaler_node_id = max256;
  d.entries[0].hyper_node_id = 0;
  d.entries[1].hyper_node_id = U256("18446744073709551615");  // 2^64 − 1
  d.entries[2].hyper_node_id = U256("18446744073709551616");  // 2^64
  d.entries[0].daemon_time = std::numeric_limits<uint64_t>::max();
  d.entries[0].rtt_ms = std::numeric_limits<uint32_t>::max();
  d.entries[1].rtt_ms = 0;
  d.era = 0;
  d.version = "a/b ~";
  h.hyper_node_id = max256;
  for (const std::string& text : {encode(d), encode(h)}) {
    json j = json::parse(text);
    ASSERT_TRUE(check_agrees(text));
    ASSERT_TRUE(check_agrees(j.dump(2))) << "indented";
    ASSERT_TRUE(check_agrees(" \t\r\n" + j.dump(1, '\t') + "\n\n")) << "tabs and newlines";
    // Members in descending order (nlohmann dumps ascending): build the text by hand.
    std::string reversed = "{";
    for (auto it = j.items().begin(); it != j.items().end(); ++it) {
      std::string member = json(it.key()).dump() + ":" + it.value().dump();
      reversed = reversed == "{" ? "{" + member : "{" + member + "," + reversed.substr(1);
    }
    reversed += "}";
    ASSERT_TRUE(check_agrees(reversed)) << reversed;
  }
  DaemonBatch empty = d;
  empty.entries.clear();
  EXPECT_TRUE(check_agrees(encode(empty)));
  EXPECT_TRUE(check_agrees(R"({"entries": [ ],)" + encode(empty).substr(14)));
}

TEST(BatchJsonReader, LeavesEscapesToTheDomDecoderWhichStillTakesThem) {
  DaemonBatch d = daemon_batch();
  d.version = R"(a"b\c)";
  std::string text = encode(d);
  EXPECT_FALSE(read_batch_json(text));
  auto decoded = decode_daemon_batch(text);  // through the DOM
  ASSERT_TRUE(decoded) << decoded.error().message;
  EXPECT_EQ(decoded->version, d.version);
  // A needless escape of a plain digit is valid JSON too.
  std::string escaped = encode(daemon_batch());
  size_t era = escaped.find("\"scalerNodeId\":\"5\"");
  ASSERT_NE(era, std::string::npos);
  escaped.replace(era, 18, R"("scalerNodeId":"\u0035")");
  EXPECT_FALSE(read_batch_json(escaped));
  EXPECT_TRUE(decode_batch(escaped));
}

// Hostile documents, each refused by both decoders (and decode_batch reports the DOM's reason).
TEST(BatchJsonReader, RefusesWhatTheDomRefuses) {
  const std::string d = encode(daemon_batch());
  const std::string h = encode(hypernode_batch());
  auto replaced = [](std::string s, std::string_view from, std::string_view to) {
    size_t at = s.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    return s.replace(at, from.size(), to);
  };
  const std::string nonce = json::parse(d)["entries"][0]["nonce"];
  const std::string sig = json::parse(d)["signature"];
  std::string upper = nonce;
  for (size_t i = 2; i < upper.size(); ++i) upper[i] = char(std::toupper(upper[i]));
  const std::vector<std::pair<const char*, std::string>> hostile = {
      {"empty", ""},
      {"not an object", "[]"},
      {"empty object", "{}"},
      {"unknown field", replaced(d, "{\"entries\"", "{\"extra\":1,\"entries\"")},
      {"duplicate field", replaced(d, "{\"entries\"", "{\"era\":7,\"entries\"")},
      {"missing field", replaced(d, "\"era\":7,", "")},
      {"wrong kind", replaced(d, "\"originatorKind\":1", "\"originatorKind\":3")},
      {"kind 2 with daemon members", replaced(d, "\"originatorKind\":1", "\"originatorKind\":2")},
      {"kind as float", replaced(d, "\"originatorKind\":1", "\"originatorKind\":1.0")},
      {"era as string", replaced(d, "\"era\":7", "\"era\":\"7\"")},
      {"negative era", replaced(d, "\"era\":7", "\"era\":-7")},
      {"negative zero era", replaced(d, "\"era\":7", "\"era\":-0")},
      {"float era", replaced(d, "\"era\":7", "\"era\":7.0")},
      {"exponent era", replaced(d, "\"era\":7", "\"era\":7e0")},
      {"leading zero era", replaced(d, "\"era\":7", "\"era\":07")},
      {"era above 2^64", replaced(d, "\"era\":7", "\"era\":18446744073709551616")},
      {"id as number", replaced(d, "\"scalerNodeId\":\"5\"", "\"scalerNodeId\":5")},
      {"id leading zero", replaced(d, "\"scalerNodeId\":\"5\"", "\"scalerNodeId\":\"05\"")},
      {"id empty", replaced(d, "\"scalerNodeId\":\"5\"", "\"scalerNodeId\":\"\"")},
      {"id above 2^256",
       replaced(d, "\"scalerNodeId\":\"5\"",
                "\"scalerNodeId\":\"115792089237316195423570985008687907853269984665640564039457"
                "584007913129639936\"")},
      {"uppercase hex", replaced(d, nonce, upper)},
      {"short hex", replaced(d, nonce, "0x1234")},
      {"bad hex digit", replaced(d, nonce, "0xg" + nonce.substr(3))},
      {"signature v 0", replaced(d, sig, sig.substr(0, 130) + "00")},
      {"signature high s",
       replaced(d, sig,
                sig.substr(0, 66) +
                    "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364140" +
                    sig.substr(130))},
      {"rtt above uint32", replaced(d, "\"rttMs\":20", "\"rttMs\":4294967296")},
      {"unknown entry field", replaced(d, "[{", "[{\"x\":true,")},
      {"duplicate entry field", replaced(d, "[{", "[{\"rttMs\":1,")},
      {"entry not object", replaced(d, "\"entries\":[", "\"entries\":[1,")},
      {"entries not array", replaced(d, "\"entries\":[", "\"entries\":{\"a\":[")},
      {"empty version", replaced(d, "\"version\":\"icn/0.1.0\"", "\"version\":\"\"")},
      {"control char in version", replaced(d, "icn/0.1.0", "icn/\t0.1.0")},
      {"non-ASCII version", replaced(d, "icn/0.1.0", "icn/\xc3\xa9")},
      {"trailing comma", replaced(d, "],\"era\"", ",],\"era\"")},
      {"trailing comma in object", replaced(d, "}],", ",}],")},
      {"text after the object", d + "x"},
      {"second object", d + "{}"},
      {"truncated", d.substr(0, d.size() - 1)},
      {"unsorted hashes",
       [&] {
         json j = json::parse(h);
         std::swap(j["challengeHashes"][0], j["challengeHashes"][1]);
         return j.dump();
       }()},
      {"duplicate hash",
       [&] {
         json j = json::parse(h);
         j["challengeHashes"][1] = j["challengeHashes"][0];
         return j.dump();
       }()},
      {"hash not string", replaced(h, "\"challengeHashes\":[", "\"challengeHashes\":[1,")},
      {"hypernode with entries",
       replaced(h, "{\"challengeHashes\"", "{\"entries\":[],\"challengeHashes\"")},
      {"unsorted entries",
       [&] {
         json j = json::parse(d);
         std::swap(j["entries"][0], j["entries"][1]);
         return j.dump();
       }()},
      {"duplicate entry",
       [&] {
         json j = json::parse(d);
         j["entries"][1] = j["entries"][0];
         return j.dump();
       }()},
      {"nested too deep", std::string(40, '[') + std::string(40, ']')},
  };
  for (const auto& [name, text] : hostile) {
    auto direct = read_batch_json(text);
    auto dom = dom_decode(text);
    EXPECT_FALSE(direct) << name << " taken by the direct reader";
    EXPECT_FALSE(dom) << name << " taken by the DOM decoder";
    auto any = decode_batch(text);
    ASSERT_FALSE(any) << name;
    // The reason is the DOM decoder's, not the direct reader's.
    EXPECT_EQ(any.error().message.rfind("batch json:", 0), std::string::npos) << name;
  }
  WireLimits tight;
  tight.max_daemon_entries = 2;
  tight.max_hypernode_entries = 2;
  EXPECT_FALSE(read_batch_json(d, tight));
  EXPECT_FALSE(read_batch_json(h, tight));
  tight = {};
  tight.max_version_bytes = 3;
  EXPECT_FALSE(read_batch_json(d, tight));
  tight = {};
  tight.max_text_bytes = d.size() - 1;
  EXPECT_FALSE(read_batch_json(d, tight));
}

// Mechanical mutations of valid text: every prefix, and every byte replaced by a handful of bytes
// that matter to JSON. Whatever the direct reader takes, the DOM takes as the same value.
TEST(BatchJsonReader, EveryTruncationAndByteReplacementAgreesWithTheDom) {
  for (const std::string& text : {encode(daemon_batch()), encode(hypernode_batch())}) {
    for (size_t n = 0; n < text.size(); ++n) {
      EXPECT_FALSE(check_agrees(text.substr(0, n))) << "prefix of " << n << " bytes taken";
    }
    size_t taken = 0;
    for (size_t i = 0; i < text.size(); ++i) {
      for (char c : {' ', '"', ',', ':', '{', '}', '[', ']', '0', '9', 'a', 'A', '-', '.', 'e',
                     '\\', '\0', '\x7f'}) {
        if (text[i] == c) continue;
        std::string mutated = text;
        mutated[i] = c;
        taken += check_agrees(mutated) ? 1 : 0;
      }
    }
    // Some replacements stay valid (a digit of a time, a nonce's hex digit, a space after ':'...).
    EXPECT_GT(taken, 0u);
  }
}

}  // namespace
}  // namespace icn::protocol
