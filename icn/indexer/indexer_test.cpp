// The indexer's decoding helpers without a chain: strings made storable exactly as a dump_json
// round trip makes them (what decode_event did before it skipped the round trip for speed).
#include "icn/indexer/indexer.hpp"

#include <gtest/gtest.h>

#include "icn/indexer/event_json.hpp"

namespace icn::indexer {
namespace {

using nlohmann::json;

TEST(ReplaceInvalidUtf8, SameBytesAsADumpAndParseRoundTrip) {
  json args = {{"name", std::string("a\xff"
                                    "b")},
               {"ok", "plain"},
               {"utf8", "Z\xC3\xBCrich"},
               {"nul", std::string("x\0y", 3)},
               {"params", {{"endpoint", std::string("\xC3\x28")}, {"n", 7}}},
               {"list", json::array({std::string("\xE2\x82"), 1, "fine"})}};
  json expected = json::parse(dump_json(args));
  json got = args;
  replace_invalid_utf8(got);
  EXPECT_EQ(got, expected);
  EXPECT_EQ(dump_json(got), dump_json(expected));
  EXPECT_EQ(got["name"],
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(got["utf8"], "Z\xC3\xBCrich");              // valid UTF-8 is kept
  EXPECT_EQ(got["nul"].get<std::string>().size(), 3u);  // NUL is valid: the store replaces it
}

}  // namespace
}  // namespace icn::indexer
