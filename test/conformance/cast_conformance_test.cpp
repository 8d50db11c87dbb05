// `icn util` against cast (Foundry 1.5.1), an independent implementation, on generated inputs:
// keccak, abi-encode, calldata, abi-decode, wallet address, EIP-191 signing and EIP-1559 mktx.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>

#include "icn/core/u256.hpp"
#include "test/support/command.hpp"
#include "test/support/random_inputs.hpp"

namespace icn::test {
namespace {

constexpr int kCases = 300;

std::string cast_out(const std::vector<std::string>& args) {
  std::vector<std::string> argv{cast_path()};
  argv.insert(argv.end(), args.begin(), args.end());
  CommandResult r = run_command(argv);
  EXPECT_EQ(r.exit_code, 0) << "cast " << args[0] << ": " << r.describe();
  return trimmed(r.out);
}

std::string icn_command(const std::vector<std::string>& args) {
  std::vector<std::string> argv{icn_path()};
  argv.insert(argv.end(), args.begin(), args.end());
  CommandResult r = run_command(argv);
  EXPECT_EQ(r.exit_code, 0) << "icn " << args[0] << " " << args[1] << ": " << r.describe();
  return trimmed(r.out);
}

std::string icn_out(std::vector<std::string> args) {
  args.insert(args.begin(), "util");
  return icn_command(args);
}

// A key in a file, as `--private-key-file` takes it; removed with the test's temp dir.
class KeyFiles {
 public:
  KeyFiles() {
    dir_ = std::filesystem::temp_directory_path() /
           ("icn-conformance-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  ~KeyFiles() { std::filesystem::remove_all(dir_); }
  std::string write(const std::string& key) {
    auto path = dir_ / ("key" + std::to_string(count_++));
    std::ofstream(path) << key << "\n";
    return path.string();
  }

 private:
  std::filesystem::path dir_;
  int count_ = 0;
};

// cast decorates large numbers with a scientific-notation hint ("1234… [1.234e21]"); icn prints
// the value only. Everything else must match character for character.
std::string without_cast_hints(const std::string& s) {
  static const std::regex hint(R"( \[-?[0-9](\.[0-9]+)?e-?[0-9]+\])");
  return std::regex_replace(s, hint, "");
}

TEST(CastConformance, Keccak) {
  Rng rng(1);
  for (int i = 0; i < kCases; ++i) {
    std::string input = rng.hex_bytes(rng.below(i % 10 == 0 ? 5000 : 200));
    ASSERT_EQ(icn_out({"keccak", input}), cast_out({"keccak", input})) << "input " << input;
  }
}

struct GeneratedCall {
  std::string signature;  // f(t1,t2,…)
  std::string types;      // (t1,t2,…)
  std::vector<std::string> args;
};

GeneratedCall random_call(Rng& rng) {
  GeneratedCall call;
  size_t n = 1 + rng.below(4);
  call.types = "(";
  for (size_t i = 0; i < n; ++i) {
    std::string type = random_abi_type(rng);
    if (i) call.types += ",";
    call.types += type;
    call.args.push_back(random_abi_value(rng, type));
  }
  call.types += ")";
  call.signature = "f" + call.types;
  return call;
}

TEST(CastConformance, AbiEncodeCalldataAndDecode) {
  Rng rng(2);
  for (int i = 0; i < kCases; ++i) {
    GeneratedCall call = random_call(rng);
    std::vector<std::string> args{"abi-encode", call.signature};
    args.insert(args.end(), call.args.begin(), call.args.end());
    std::string encoded = cast_out(args);
    ASSERT_EQ(icn_out(args), encoded) << call.signature;

    args[0] = "calldata";
    ASSERT_EQ(icn_out(args), cast_out(args)) << call.signature;

    ASSERT_EQ(icn_out({"abi-decode", call.types, encoded}),
              without_cast_hints(cast_out({"abi-decode", "f()" + call.types, encoded})))
        << call.signature;
  }
}

TEST(CastConformance, WalletAddressAndSignMessage) {
  Rng rng(3);
  KeyFiles keys;
  for (int i = 0; i < kCases; ++i) {
    std::string key = random_private_key(rng);
    std::string file = keys.write(key);
    std::string address = cast_out({"wallet", "address", "--private-key", key});
    ASSERT_EQ(icn_out({"address", "--private-key-file", file}), address);

    std::string message = rng.hex_bytes(rng.below(100));
    std::string signature = cast_out({"wallet", "sign", "--private-key", key, message});
    ASSERT_EQ(icn_out({"sign-message", "--private-key-file", file, message}), signature);
    ASSERT_EQ(icn_out({"recover", message, signature}), address);
  }
}

TEST(CastConformance, Eip1559Transactions) {
  Rng rng(4);
  KeyFiles keys;
  for (int i = 0; i < kCases; ++i) {
    std::string key = random_private_key(rng);
    std::string chain_id = std::to_string(1 + rng.below(i % 3 == 0 ? 1000000000 : 40000));
    std::string nonce = std::to_string(rng.below(i % 5 == 0 ? 1000000 : 10));
    std::string gas = std::to_string(21000 + rng.below(3000000));
    U256 tip_value = *parse_u256(random_uint_decimal(rng, 40));
    std::string tip = to_decimal(tip_value);
    // cast refuses a tip above the max fee, as the protocol does.
    std::string max_fee = to_decimal(tip_value + *parse_u256(random_uint_decimal(rng, 48)));
    std::string value = random_uint_decimal(rng, i % 7 == 0 ? 256 : 80);
    std::string to = random_address(rng);
    std::string data = rng.hex_bytes(rng.below(i % 4 == 0 ? 0 : 300));
    std::vector<std::string> cast_args{"mktx",   "--private-key", key,     "--chain",
                                       chain_id, "--nonce",       nonce,   "--gas-limit",
                                       gas,      "--gas-price",   max_fee, "--priority-gas-price",
                                       tip,      "--value",       value,   to};
    if (data.size() > 2) cast_args.push_back(data);
    std::string expected = cast_out(cast_args);
    std::string got = icn_out({"sign-tx", "--private-key-file", keys.write(key), "--chain-id",
                               chain_id, "--nonce", nonce, "--to", to, "--value", value, "--data",
                               data, "--gas", gas, "--max-fee", max_fee, "--priority-fee", tip});
    ASSERT_EQ(got, expected) << "case " << i;
  }
}

// Keystores both ways: one written by `icn keys new` opens in cast, one written by cast opens in
// icn.
TEST(CastConformance, KeystoresInteroperate) {
  KeyFiles files;
  std::string password_file = files.write("correct horse");
  auto dir = std::filesystem::path(password_file).parent_path();

  std::string icn_keystore = (dir / "icn.json").string();
  std::string address = icn_command(
      {"keys", "new", "--out", icn_keystore, "--password-file", password_file, "--light"});
  ASSERT_EQ(
      cast_out({"wallet", "address", "--keystore", icn_keystore, "--password", "correct horse"}),
      address);

  cast_out({"wallet", "new", dir.string(), "cast-key", "--unsafe-password", "correct horse"});
  std::string cast_keystore = (dir / "cast-key").string();
  std::string expected =
      cast_out({"wallet", "address", "--keystore", cast_keystore, "--password", "correct horse"});
  ASSERT_EQ(
      icn_out({"address", "--private-key-file", cast_keystore, "--password-file", password_file}),
      expected);
}

}  // namespace
}  // namespace icn::test
