// Tests for Anvil: start on port 0, the dev keys it prints, state dump on stop, clear failures.
#include "icn/infra/anvil.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace icn::infra {
namespace {

using namespace std::chrono_literals;

const char* kAnvilBinary = ICN_EVM_TOOLS "/@foundry-rs/anvil-linux-amd64/bin/anvil";

AnvilOptions default_options() {
  AnvilOptions o;
  o.binary = kAnvilBinary;
  return o;
}

// One HTTP/1.0 JSON-RPC POST over a plain socket (infra does not depend on the eth client).
std::string rpc_post(uint16_t port, const std::string& body) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return "connect failed";
  }
  std::string request =
      "POST / HTTP/1.0\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
      "Content-Length: " +
      std::to_string(body.size()) + "\r\n\r\n" + body;
  [[maybe_unused]] auto sent = ::send(fd, request.data(), request.size(), 0);
  std::string response;
  char buf[4096];
  ssize_t n;
  while ((n = ::recv(fd, buf, sizeof buf, 0)) > 0) response.append(buf, size_t(n));
  ::close(fd);
  auto body_at = response.find("\r\n\r\n");
  return body_at == std::string::npos ? response : response.substr(body_at + 4);
}

std::filesystem::path temp_path(const std::string& name) {
  return std::filesystem::temp_directory_path() /
         ("icn_anvil_test_" + std::to_string(::getpid()) + "_" + name);
}

TEST(Anvil, StartsOnAnOsChosenPortAndAnswersRpc) {
  auto anvil = Anvil::start(default_options());
  ASSERT_TRUE(anvil.ok()) << anvil.error().message;
  EXPECT_GT(anvil->port(), 0);
  EXPECT_EQ(anvil->rpc_url(), "http://127.0.0.1:" + std::to_string(anvil->port()));
  EXPECT_TRUE(anvil->running());
  std::string reply = rpc_post(anvil->port(), R"({"jsonrpc":"2.0","id":1,"method":"eth_chainId"})");
  EXPECT_NE(reply.find(R"("result":"0x7a69")"), std::string::npos) << reply;
  // The constants are what anvil itself derives from the default mnemonic.
  std::string banner = anvil->output_tail();
  for (size_t i = 0; i < kAnvilDevPrivateKeys.size(); ++i) {
    std::string index = "(" + std::to_string(i) + ") ";
    EXPECT_NE(banner.find(index + std::string(kAnvilDevPrivateKeys[i])), std::string::npos) << i;
    EXPECT_NE(banner.find(index + std::string(kAnvilDevAddresses[i])), std::string::npos) << i;
  }
  EXPECT_NE(banner.find(std::string(kAnvilDefaultMnemonic)), std::string::npos);
}

TEST(Anvil, ChainIdOptionAndIndependentPorts) {
  AnvilOptions o = default_options();
  o.chain_id = 4242;
  auto a = Anvil::start(o);
  auto b = Anvil::start(default_options());
  ASSERT_TRUE(a.ok()) << a.error().message;
  ASSERT_TRUE(b.ok()) << b.error().message;
  EXPECT_NE(a->port(), b->port());
  EXPECT_NE(rpc_post(a->port(), R"({"jsonrpc":"2.0","id":1,"method":"eth_chainId"})")
                .find(R"("result":"0x1092")"),
            std::string::npos);
  EXPECT_NE(rpc_post(b->port(), R"({"jsonrpc":"2.0","id":1,"method":"eth_chainId"})")
                .find(R"("result":"0x7a69")"),
            std::string::npos);
}

TEST(Anvil, StopDumpsTheStateFileAndAFreshStartLoadsIt) {
  auto state = temp_path("state.json");
  std::filesystem::remove(state);
  AnvilOptions o = default_options();
  o.state_file = state;
  std::string stopped;
  {
    auto anvil = Anvil::start(o);
    ASSERT_TRUE(anvil.ok()) << anvil.error().message;
    rpc_post(anvil->port(), R"({"jsonrpc":"2.0","id":1,"method":"anvil_mine","params":["0x5"]})");
    ExitStatus st = anvil->stop();
    stopped = st.describe();
    EXPECT_NE(st.signal, SIGKILL) << "anvil needed SIGKILL: " << stopped;
    EXPECT_FALSE(anvil->running());
  }
  ASSERT_TRUE(std::filesystem::exists(state)) << "anvil stopped with " << stopped;
  EXPECT_GT(std::filesystem::file_size(state), 0u);
  auto again = Anvil::start(o);
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_NE(rpc_post(again->port(), R"({"jsonrpc":"2.0","id":1,"method":"eth_blockNumber"})")
                .find(R"("result":"0x5")"),
            std::string::npos);
  again->stop();
  std::filesystem::remove(state);
}

TEST(Anvil, UnknownOptionFailsWithAnvilsOwnMessage) {
  AnvilOptions o = default_options();
  o.extra_args = {"--no-such-flag"};
  auto anvil = Anvil::start(o);
  ASSERT_FALSE(anvil.ok());
  const std::string& msg = anvil.error().message;
  EXPECT_EQ(msg.rfind("anvil did not start: it exited (exit code 2); output: ", 0), 0u) << msg;
  EXPECT_NE(msg.find("--no-such-flag"), std::string::npos) << msg;
}

TEST(Anvil, SilentProgramTimesOutWithItsOutput) {
  auto script = temp_path("silent.sh");
  {
    std::ofstream out(script);
    out << "#!/bin/sh\necho booting\nexec sleep 1000\n";
  }
  std::filesystem::permissions(script, std::filesystem::perms::owner_all);
  AnvilOptions o;
  o.binary = script;
  o.start_timeout = 300ms;
  auto t0 = SteadyClock::now();
  auto anvil = Anvil::start(o);
  EXPECT_LT(SteadyClock::now() - t0, 10s);
  ASSERT_FALSE(anvil.ok());
  EXPECT_EQ(anvil.error().message,
            "anvil did not start: no \"Listening on\" line within 300 ms; output: booting");
  std::filesystem::remove(script);
}

TEST(Anvil, MissingBinaryIsNamed) {
  AnvilOptions o;
  o.binary = "/nonexistent/anvil";
  auto anvil = Anvil::start(o);
  ASSERT_FALSE(anvil.ok());
  EXPECT_EQ(anvil.error().message,
            "anvil did not start: cannot start /nonexistent/anvil: No such file or directory");
}

TEST(Anvil, ArgvCarriesTheOptions) {
  AnvilOptions o;
  o.binary = "/x/anvil";
  o.chain_id = 7;
  o.block_time_seconds = 1;
  o.accounts = 3;
  o.mnemonic = "a b c";
  o.no_mining = true;
  EXPECT_EQ(anvil_argv(o),
            (std::vector<std::string>{"/x/anvil", "--port", "0", "--host", "127.0.0.1",
                                      "--chain-id", "7", "--block-time", "1", "--no-mining",
                                      "--accounts", "3", "--mnemonic", "a b c"}));
}

}  // namespace
}  // namespace icn::infra
