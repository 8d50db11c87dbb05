// A local anvil node (the pinned foundry 1.5.1 binary) for tests and `icn devnet`.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "icn/core/result.hpp"
#include "icn/infra/subprocess.hpp"

namespace icn::infra {

inline constexpr uint64_t kAnvilDefaultChainId = 31337;
inline constexpr std::string_view kAnvilDefaultMnemonic =
    "test test test test test test test test test test test junk";

// The dev accounts anvil derives from kAnvilDefaultMnemonic (m/44'/60'/0'/0/i), funded with
// 10,000 ETH each. Public knowledge: never use them outside a local chain.
inline constexpr std::array<std::string_view, 10> kAnvilDevPrivateKeys = {
    "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
    "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
    "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
    "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6",
    "0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a",
    "0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba",
    "0x92db14e403b83dfe3df233f83dfa3a0d7096f21ca9b0d6d6b8d88b2b4ec1564e",
    "0x4bbbf85ce3377467afe5d46f804f221813b2bb87f24d81f60f1fcdbf7cbf4356",
    "0xdbda1821b80551c9d65939329250298aa3472ba22feea921c0cf5d620ea67b97",
    "0x2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6",
};
// Their addresses, EIP-55 checksummed, in the same order.
inline constexpr std::array<std::string_view, 10> kAnvilDevAddresses = {
    "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266", "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
    "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC", "0x90F79bf6EB2c4f870365E785982E1f101E93b906",
    "0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65", "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc",
    "0x976EA74026E726554dB657fA54763abd0C3a0aa9", "0x14dC79964da2C08b23698B3D3cc7Ca32193d9955",
    "0x23618e81E3f5cdF7f54C3d65f7FBc0aBf5B21E8f", "0xa0Ee7A142d267C1f36714E4a8F75612F20a79720",
};

struct AnvilOptions {
  // The anvil executable, e.g. <tools/evm/node_modules>/@foundry-rs/anvil-linux-amd64/bin/anvil.
  // Run it directly: killing an npx wrapper leaves anvil running.
  std::filesystem::path binary;
  std::string host = "127.0.0.1";
  std::optional<uint64_t> chain_id;
  std::optional<uint64_t> block_time_seconds;       // interval mining; unset: automine per tx
  bool no_mining = false;                           // mine only on evm_mine / anvil_mine
  std::optional<std::filesystem::path> state_file;  // --state: load at start, dump on stop
  std::optional<unsigned> accounts;
  std::optional<std::string> mnemonic;
  std::optional<uint64_t> balance_ether;
  std::optional<uint64_t> gas_limit;
  std::optional<uint64_t> base_fee;
  std::optional<uint64_t> genesis_timestamp;
  std::optional<std::string> hardfork;
  std::vector<std::string> extra_args;  // passed through as they are
  std::chrono::milliseconds start_timeout{15000};
  // Time anvil gets after SIGTERM (it writes --state then) before it is killed.
  std::chrono::milliseconds stop_grace{10000};
};

// A running anvil listening on a port the OS picked (--port 0, so a leftover node can never
// answer for this one). Stopped (SIGTERM, then SIGKILL) when destroyed.
class Anvil {
 public:
  // Fails with "anvil did not start: <why>: <what anvil printed>" if it exits or prints no
  // "Listening on HOST:PORT" line before options.start_timeout.
  static Result<Anvil> start(AnvilOptions options);

  const std::string& rpc_url() const { return rpc_url_; }  // "http://127.0.0.1:PORT"
  uint16_t port() const { return port_; }
  int pid() const { return process_.pid(); }
  // The last 64 KiB anvil printed (banner, RPC method log), for diagnosing a failed test.
  std::string output_tail() const { return process_.output_tail(Stream::kStdout); }
  bool running() { return process_.running(); }
  // SIGTERM (anvil dumps --state), SIGKILL after options.stop_grace.
  ExitStatus stop();

 private:
  Anvil(Subprocess process, std::string rpc_url, uint16_t port,
        std::chrono::milliseconds stop_grace)
      : process_(std::move(process)),
        rpc_url_(std::move(rpc_url)),
        port_(port),
        stop_grace_(stop_grace) {}
  Subprocess process_;
  std::string rpc_url_;
  uint16_t port_ = 0;
  std::chrono::milliseconds stop_grace_;
};

// The argv Anvil::start runs (exposed for tests and for printing what a devnet runs).
std::vector<std::string> anvil_argv(const AnvilOptions& options);

}  // namespace icn::infra
