// The console's static files through a real HttpServer: content types, SPA fallback, hostile paths
// refused (400/404) without leaving the console directory, and /v1/console-config.
#include "icn/indexer/console_files.hpp"

#include <gtest/gtest.h>
#include <httplib.h>
#include <unistd.h>

#include <fstream>

#include "icn/infra/files.hpp"

namespace icn::indexer {
namespace {
namespace fs = std::filesystem;
using json = nlohmann::json;

class ConsoleFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = fs::temp_directory_path() /
            ("icn_console_test_" + std::to_string(::getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(base_);
    root_ = base_ / "console";
    fs::create_directories(root_ / "assets");
    write(root_ / "index.html", "<!doctype html><title>icn</title>");
    write(root_ / "assets" / "index-abc123.js", "console.log(1)");
    write(root_ / "assets" / "index-abc123.css", "body{}");
    write(base_ / "secret.txt", "top secret");
    fs::create_symlink(base_ / "secret.txt", root_ / "assets" / "leak.txt");
    deployment_.chain_id = 31337;
    deployment_.deploy_block = 7;
    deployment_.contracts = {
        {"ICNT", *Address::parse("0x5fbdb2315678afecb367f032d93f642f64180aa3")}};
  }
  void TearDown() override {
    server_.stop();
    fs::remove_all(base_);
  }
  static void write(const fs::path& p, const std::string& text) { std::ofstream(p) << text; }

  void start(ConsoleOptions options) {
    auto config = console_config(deployment_, options);
    ASSERT_TRUE(config) << config.error().message;
    mount_console(server_, options, *config);
    server_.get("/v1/stats", [](const infra::HttpRequest&) {
      return infra::HttpResponse::json_body({{"ok", true}});
    });
    ASSERT_TRUE(server_.start());
  }
  httplib::Result get(const std::string& path) {
    httplib::Client client("127.0.0.1", server_.port());
    return client.Get(path);
  }
  std::string error_code(const httplib::Result& r) {
    return json::parse(r->body)["error"]["code"].get<std::string>();
  }

  fs::path base_, root_;
  chain::Deployment deployment_;
  infra::HttpServer server_;
};

TEST_F(ConsoleFilesTest, ServesFilesWithTheirContentTypes) {
  start({root_, {}, "http://127.0.0.1:8545", {}});
  auto index = get("/");
  ASSERT_TRUE(index);
  EXPECT_EQ(index->status, 200);
  EXPECT_EQ(index->body, "<!doctype html><title>icn</title>");
  EXPECT_EQ(index->get_header_value("Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(index->get_header_value("Cache-Control"), "no-cache");
  auto js = get("/assets/index-abc123.js");
  ASSERT_TRUE(js);
  EXPECT_EQ(js->status, 200);
  EXPECT_EQ(js->body, "console.log(1)");
  EXPECT_EQ(js->get_header_value("Content-Type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(js->get_header_value("Cache-Control"), "public, max-age=31536000, immutable");
  auto css = get("/assets/index-abc123.css");
  ASSERT_TRUE(css);
  EXPECT_EQ(css->get_header_value("Content-Type"), "text/css; charset=utf-8");
}

TEST_F(ConsoleFilesTest, AppRoutesFallBackToIndexButApiRoutesStayJson) {
  start({root_, {}, "http://127.0.0.1:8545", {}});
  for (std::string path : {"/builder", "/provider/3", "/network"}) {
    auto r = get(path);
    ASSERT_TRUE(r) << path;
    EXPECT_EQ(r->status, 200) << path;
    EXPECT_EQ(r->body, "<!doctype html><title>icn</title>") << path;
  }
  auto stats = get("/v1/stats");  // the API's own route still wins over "/*"
  ASSERT_TRUE(stats);
  EXPECT_EQ(json::parse(stats->body)["ok"], true);
  for (std::string path : {"/v1/nonexistent", "/metrics/x"}) {
    auto r = get(path);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 404) << path;
    EXPECT_EQ(error_code(r), "not_found") << path;
  }
  auto missing = get("/assets/nope-1.js");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
}

TEST_F(ConsoleFilesTest, HostilePathsNeverLeaveTheConsoleDirectory) {
  start({root_, {}, "http://127.0.0.1:8545", {}});
  for (std::string path :
       {"/../secret.txt", "/assets/../../secret.txt", "/%2e%2e/secret.txt",
        "/assets/%2E%2E/%2E%2E/secret.txt", "/.hidden.txt", "/assets//x.js", "/assets/a%00.js",
        "/a%5c..%5csecret.txt", "/assets/..%2f..%2fsecret.txt"}) {
    auto r = get(path);
    ASSERT_TRUE(r) << path;
    EXPECT_TRUE(r->status == 400 || r->status == 404) << path << " gave " << r->status;
    EXPECT_EQ(r->body.find("top secret"), std::string::npos) << path;
  }
  auto symlink = get("/assets/leak.txt");  // a symlink out of the directory is not followed
  ASSERT_TRUE(symlink);
  EXPECT_EQ(symlink->status, 404);
  EXPECT_EQ(symlink->body.find("top secret"), std::string::npos);
}

TEST_F(ConsoleFilesTest, ResolveClassifiesPaths) {
  EXPECT_EQ(resolve_console_path(root_, "/").kind, ConsolePath::Kind::kIndex);
  EXPECT_EQ(resolve_console_path(root_, "/staking").kind, ConsolePath::Kind::kIndex);
  EXPECT_EQ(resolve_console_path(root_, "/assets/index-abc123.js").kind, ConsolePath::Kind::kFile);
  EXPECT_EQ(resolve_console_path(root_, "/../x.js").kind, ConsolePath::Kind::kBadPath);
  EXPECT_EQ(resolve_console_path(root_, "/a/./b.js").kind, ConsolePath::Kind::kBadPath);
  EXPECT_EQ(resolve_console_path(root_, "/a b.js").kind, ConsolePath::Kind::kBadPath);
  EXPECT_EQ(resolve_console_path(root_, "relative.js").kind, ConsolePath::Kind::kBadPath);
  EXPECT_EQ(resolve_console_path(root_, "/" + std::string(600, 'a') + ".js").kind,
            ConsolePath::Kind::kBadPath);
  EXPECT_EQ(resolve_console_path(root_, "/assets").kind, ConsolePath::Kind::kIndex);
  EXPECT_EQ(resolve_console_path(root_, "/missing.js").kind, ConsolePath::Kind::kNotFound);
  EXPECT_EQ(console_content_type("x.svg"), "image/svg+xml");
  EXPECT_EQ(console_content_type("x.bin"), "application/octet-stream");
}

TEST_F(ConsoleFilesTest, ConfigHasAccountsOnlyOnADevnet) {
  ConsoleOptions plain{root_, {}, "http://127.0.0.1:8545", {}};
  auto config = console_config(deployment_, plain);
  ASSERT_TRUE(config);
  EXPECT_EQ((*config)["chain_id"], 31337);
  EXPECT_EQ((*config)["rpc_url"], "http://127.0.0.1:8545");
  EXPECT_EQ((*config)["contracts"]["ICNT"], "0x5FbDB2315678afecb367f032d93F642f64180aa3");
  EXPECT_EQ((*config)["devnet"], false);
  EXPECT_FALSE(config->contains("accounts"));

  fs::path accounts = base_ / "accounts.json";
  write(accounts,
        R"({"accounts":[{"name":"builder","address":"0x5fbdb2315678afecb367f032d93f642f64180aa3",)"
        R"("private_key":"0x)" +
            std::string(64, '1') + R"("}]})");
  ConsoleOptions devnet{root_, accounts, "http://127.0.0.1:8545", {"http://127.0.0.1:1"}};
  start(devnet);
  auto r = get("/v1/console-config");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  json served = json::parse(r->body);
  EXPECT_EQ(served["devnet"], true);
  ASSERT_EQ(served["accounts"].size(), 1u);
  EXPECT_EQ(served["accounts"][0]["name"], "builder");
  EXPECT_EQ(served["accounts"][0]["address"], "0x5FbDB2315678afecb367f032d93F642f64180aa3");
  EXPECT_EQ(served["satellites"], 1);

  // The satellite proxy validates the era before asking anyone, and reports an absent satellite.
  auto bad = get("/v1/console/era-results/x1");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  EXPECT_EQ(error_code(bad), "bad_era");
  auto down = get("/v1/console/era-results/3");
  ASSERT_TRUE(down);
  EXPECT_EQ(down->status, 502);
  EXPECT_EQ(error_code(down), "satellite_unavailable");
}

TEST_F(ConsoleFilesTest, MalformedDevnetAccountsAreRefused) {
  fs::path accounts = base_ / "accounts.json";
  for (std::string text : {"not json", R"({"accounts": 3})",
                           R"({"accounts":[{"name":"b","address":"0x12","private_key":"0x11"}]})",
                           R"({"accounts":[{"name":"b"}]})"}) {
    write(accounts, text);
    ConsoleOptions o{root_, accounts, "http://127.0.0.1:8545", {}};
    EXPECT_FALSE(console_config(deployment_, o)) << text;
  }
  ConsoleOptions missing{root_, base_ / "none.json", "http://127.0.0.1:8545", {}};
  EXPECT_FALSE(console_config(deployment_, missing));
}

}  // namespace
}  // namespace icn::indexer
