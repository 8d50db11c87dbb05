// Tests for Config: typed getters, ranges, unknown keys by full path, relative paths.
#include "icn/infra/config.hpp"

#include <gtest/gtest.h>

namespace icn::infra {
namespace {

using namespace std::chrono_literals;

Config parse(std::string_view text) {
  auto c = Config::parse(text, "daemon.toml", "/etc/icn");
  EXPECT_TRUE(c.ok()) << c.error().message;
  return std::move(c).value();
}

TEST(Config, ReadsTypedValuesWithDefaults) {
  Config c = parse(R"(
listen = "127.0.0.1:7000"
rpc_url = "http://127.0.0.1:8545/"
data_dir = "state"
key_file = "/abs/key.json"
[challenge]
timeout_ms = 1500
interval = "30s"
enabled = true
operator = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"
)");
  EXPECT_EQ(c.string("listen", "").value(), "127.0.0.1:7000");
  EXPECT_EQ(c.url("rpc_url", "").value(), "http://127.0.0.1:8545/");
  EXPECT_EQ(c.path("data_dir", "x").value(), "/etc/icn/state");
  EXPECT_EQ(c.path("key_file", "x").value(), "/abs/key.json");
  EXPECT_EQ(c.integer("challenge.timeout_ms", 5000, 100, 60000).value(), 1500);
  EXPECT_EQ(c.duration("challenge.interval", 1s, 1s, 1h).value(), 30s);
  EXPECT_TRUE(c.boolean("challenge.enabled", false).value());
  auto op = c.address("challenge.operator");
  ASSERT_TRUE(op.ok()) << op.error().message;
  ASSERT_TRUE(op->has_value());
  EXPECT_EQ(c.integer("challenge.retries", 3, 0, 10).value(), 3);     // absent: default
  EXPECT_EQ(c.path("log_file", "logs/x.log").value(), "logs/x.log");  // defaults stay as given
  EXPECT_FALSE(c.address("missing").value().has_value());
  EXPECT_TRUE(c.check_unknown_keys().ok()) << c.check_unknown_keys().error().message;
}

TEST(Config, BadValuesNameFileKeyAndRule) {
  Config c = parse(R"(
port = "80"
[challenge]
timeout_ms = -5
interval = "5 minutes"
operator = "0xF39Fd6e51aad88F6F4ce6aB8827279cffFb92266"
url = "ftp://x"
flag = 1
)");
  EXPECT_EQ(c.integer("challenge.timeout_ms", 5000, 100, 60000).error().message,
            "daemon.toml: [challenge] timeout_ms = -5: must be between 100 and 60000");
  EXPECT_EQ(c.integer("port", 1, 1, 65535).error().message,
            "daemon.toml: port = \"80\": expected an integer");
  EXPECT_EQ(c.duration("challenge.interval", 1s, 1s, 1h).error().message,
            "daemon.toml: [challenge] interval = \"5 minutes\": expected a duration like "
            "\"250ms\", \"30s\", \"5m\" or \"2h\"");
  auto op = c.address("challenge.operator");
  ASSERT_FALSE(op.ok());
  EXPECT_EQ(
      op.error().message.rfind(
          "daemon.toml: [challenge] operator = \"0xF39Fd6e51aad88F6F4ce6aB8827279cffFb92266\": ",
          0),
      0u)
      << op.error().message;
  EXPECT_EQ(c.url("challenge.url", "").error().message,
            "daemon.toml: [challenge] url = \"ftp://x\": expected an http:// or https:// URL");
  EXPECT_EQ(c.boolean("challenge.flag", false).error().message,
            "daemon.toml: [challenge] flag = 1: expected true or false");
}

TEST(Config, ListenAddressesAreHostAndPort) {
  Config c = parse(R"(
a = "127.0.0.1:7400"
b = "[::1]:0"
c = "7400"
d = "host:"
e = "host:65536"
f = "host:12x"
g = ":80"
)");
  auto a = c.listen("a", "");
  ASSERT_TRUE(a.ok()) << a.error().message;
  EXPECT_EQ(a->host, "127.0.0.1");
  EXPECT_EQ(a->port, 7400);
  auto b = c.listen("b", "");
  ASSERT_TRUE(b.ok()) << b.error().message;
  EXPECT_EQ(b->host, "[::1]");
  EXPECT_EQ(b->port, 0);
  EXPECT_EQ(c.listen("missing", "0.0.0.0:9").value().port, 9);
  for (const char* bad : {"c", "d", "e", "f", "g"}) {
    auto r = c.listen(bad, "");
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_NE(r.error().message.find("expected HOST:PORT"), std::string::npos) << r.error().message;
  }
  EXPECT_EQ(c.listen("c", "").error().message,
            "daemon.toml: c = \"7400\": expected HOST:PORT (\"127.0.0.1:7400\")");
}

TEST(Config, UnknownKeysAreReportedByFullPathInFileOrder) {
  Config c = parse("[challenge]\ntimeout_ms = 200\ntimeot_ms = 5\n[a.b]\nc = 1\n");
  ASSERT_TRUE(c.integer("challenge.timeout_ms", 1, 0, 1000).ok());
  auto s = c.check_unknown_keys();
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().message, "daemon.toml:3: unknown key [challenge] timeot_ms");
  ASSERT_TRUE(c.integer("challenge.timeot_ms", 1, 0, 1000).ok());
  EXPECT_EQ(c.check_unknown_keys().error().message, "daemon.toml:5: unknown key [a.b] c");
}

TEST(Config, ParseErrorsHaveLineAndColumn) {
  auto c = Config::parse("a = 1\nb = = 2\n", "daemon.toml", ".");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().message.rfind("daemon.toml:2:", 0), 0u) << c.error().message;
  EXPECT_NE(c.error().message.find(": parse error: "), std::string::npos);
  auto dup = Config::parse("a = 1\na = 2\n", "daemon.toml", ".");
  ASSERT_FALSE(dup.ok());
  auto missing = Config::load("/nonexistent/daemon.toml");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message, "cannot read config /nonexistent/daemon.toml");
}

TEST(Config, DisplayKey) {
  EXPECT_EQ(display_key("a"), "a");
  EXPECT_EQ(display_key("a.b.c"), "[a.b] c");
}

}  // namespace
}  // namespace icn::infra
