// json_cursor: the canonical subset it takes and the offset-bearing reasons for what it refuses.
#include "icn/core/json_cursor.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <map>

namespace icn::json_cursor {
namespace {

TEST(JsonCursor, ReadsObjectsArraysAndValues) {
  Cursor in(
      R"( {"n": 42, "list": [1, 2,3], "h": "0x0aff", "d": "123456789012345678901234", "e": {}} )",
      "test");
  std::map<std::string, std::string> got;
  std::vector<uint64_t> list;
  auto st = in.object([&](std::string_view name) -> Status {
    if (name == "n") {
      ICN_TRY(uint64_t n, in.u64());
      got["n"] = std::to_string(n);
    } else if (name == "list") {
      return in.array([&]() -> Status {
        ICN_TRY(uint64_t v, in.u64());
        list.push_back(v);
        return {};
      });
    } else if (name == "h") {
      ICN_TRY(auto h, in.hex<2>());
      got["h"] = to_hex(h);
    } else if (name == "d") {
      ICN_TRY(U256 d, in.decimal());
      got["d"] = d.str();
    } else if (name == "e") {
      return in.object([&](std::string_view) -> Status { return in.error("not empty"); });
    }
    return {};
  });
  ASSERT_TRUE(st) << st.error().message;
  ASSERT_TRUE(in.end());
  EXPECT_EQ(got["n"], "42");
  EXPECT_EQ(got["h"], "0x0aff");
  EXPECT_EQ(got["d"], "123456789012345678901234");
  EXPECT_EQ(list, (std::vector<uint64_t>{1, 2, 3}));
}

std::string first_error(std::string_view text, const std::function<Status(Cursor&)>& read) {
  Cursor in(text, "test");
  auto st = read(in);
  if (st) st = in.end();
  return st ? "" : st.error().message;
}

TEST(JsonCursor, RefusesWhatIsNotCanonicalWithTheOffset) {
  auto u64 = [](Cursor& in) -> Status {
    ICN_CHECK(in.u64());
    return {};
  };
  auto hex = [](Cursor& in) -> Status {
    ICN_CHECK(in.hex<2>());
    return {};
  };
  auto dec = [](Cursor& in) -> Status {
    ICN_CHECK(in.decimal());
    return {};
  };
  auto str = [](Cursor& in) -> Status {
    ICN_CHECK(in.string());
    return {};
  };
  EXPECT_EQ(first_error("01", u64), "test: number with a leading zero at offset 2");
  EXPECT_EQ(first_error("1.5", u64),
            "test: expected an integer, got a fraction or exponent at offset 1");
  EXPECT_EQ(first_error("-1", u64), "test: expected an unsigned integer at offset 0");
  EXPECT_EQ(first_error("18446744073709551616", u64),
            "test: integer does not fit in 64 bits at offset 20");
  EXPECT_EQ(first_error("\"0x0AFF\"", hex), "test: invalid or uppercase hex digit at offset 8");
  EXPECT_EQ(first_error("\"0x0a\"", hex),
            "test: expected \"0x\" and 4 lowercase hex digits at offset 6");
  EXPECT_EQ(first_error("\"007\"", dec), "test: non-canonical decimal: leading zero at offset 5");
  EXPECT_EQ(first_error(R"("a\"b")", str), "test: escape sequence in a string at offset 2");
  EXPECT_EQ(first_error("\"abc", str), "test: unterminated string at offset 4");
  EXPECT_EQ(first_error("1 2", u64), "test: unexpected text after the value at offset 2");
  auto arr = [](Cursor& in) -> Status {
    return in.array([&]() -> Status {
      ICN_CHECK(in.u64());
      return {};
    });
  };
  EXPECT_EQ(first_error("[1,]", arr), "test: expected an unsigned integer at offset 3");
  EXPECT_EQ(first_error("[1 2]", arr), "test: expected ']' at offset 3");
  EXPECT_EQ(first_error("[]", arr), "");
}

TEST(JsonCursor, TakesALiteralOnlyWhenItIsNext) {
  Cursor in(" nul null truex", "test");
  EXPECT_FALSE(in.literal("null"));
  EXPECT_EQ(in.offset(), 1u);  // white space skipped, nothing else
  EXPECT_FALSE(in.literal("true"));
  EXPECT_FALSE(in.string());  // "nul" is no string either
  Cursor in2("null true", "test");
  EXPECT_TRUE(in2.literal("null"));
  EXPECT_TRUE(in2.literal("true"));
  EXPECT_TRUE(in2.end());
}

}  // namespace
}  // namespace icn::json_cursor
