// The EraState codec: round trip, canonical text, and a rejection per malformed field.
#include "icn/satellite/era_state_json.hpp"

#include <gtest/gtest.h>

namespace icn::satellite {
namespace {

protocol::EraState sample() {
  protocol::EraState s;
  s.era = 12;
  protocol::NodeState n;
  n.utilisation = U256(1) << 200;
  n.subsidy = 5;
  n.slashed = 7;
  n.booking_id = 3;
  n.booking_up_eras = 2;
  n.down_history = 0b101;
  s.nodes[101] = n;
  s.nodes[102] = {};
  s.bundle_rewards[9] = 100;
  return s;
}

TEST(EraStateJson, RoundTripsCanonically) {
  auto text = encode_era_state(sample());
  EXPECT_EQ(text.substr(0, 30), R"({"bundles":{"9":"100"},"era":1)");
  auto back = decode_era_state(text);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(*back, sample());
  EXPECT_EQ(encode_era_state(*back), text);

  protocol::EraState genesis;
  auto g = decode_era_state(encode_era_state(genesis));
  ASSERT_TRUE(g);
  EXPECT_FALSE(g->era.has_value());
  EXPECT_EQ(*g, genesis);
}

TEST(EraStateJson, RejectsMalformed) {
  const std::string node =
      R"("bookingId":"0","bookingUpEras":"0","downHistory":0,"slashed":"0","subsidy":"0")";
  struct Case {
    std::string text, reason;
  };
  std::vector<Case> cases = {
      {"[]", "expected an object"},
      {R"({"bundles":{},"era":1})", "missing key \"nodes\""},
      {R"({"bundles":{},"era":1,"nodes":{},"x":1})", "unknown key \"x\""},
      {R"({"bundles":{},"era":-1,"nodes":{}})", "era: expected a non-negative integer"},
      {R"({"bundles":{},"era":1.5,"nodes":{}})", "era: expected a non-negative integer"},
      {R"({"bundles":{"01":"1"},"era":1,"nodes":{}})", "leading zero"},
      {R"({"bundles":{"1":1},"era":1,"nodes":{}})", "bundles.1: expected a decimal string"},
      {R"({"bundles":{},"era":1,"nodes":{"5":{)" + node + R"(}}})", "missing key \"utilisation\""},
      {R"({"bundles":{},"era":1,"nodes":{"5":{)" + node + R"(,"utilisation":"0x1"}}})",
       "nodes.5.utilisation: not a decimal"},
      {R"({"bundles":{},"era":1,"nodes":{"5":{)" + node +
           R"(,"utilisation":"1","utilisation":"2"}}})",
       "duplicate"},
      {R"({"bundles":{},"era":1,"nodes":{"x":{}}})", "nodes.x"},
  };
  for (const auto& c : cases) {
    auto r = decode_era_state(c.text);
    ASSERT_FALSE(r) << c.text;
    EXPECT_NE(r.error().message.find(c.reason), std::string::npos)
        << c.text << " → " << r.error().message;
  }
  std::string history =
      R"({"bundles":{},"era":1,"nodes":{"5":{"bookingId":"0","bookingUpEras":"0",)"
      R"("downHistory":4294967296,"slashed":"0","subsidy":"0","utilisation":"0"}}})";
  EXPECT_FALSE(decode_era_state(history));
}

}  // namespace
}  // namespace icn::satellite
