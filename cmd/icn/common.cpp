// What every subcommand shares: reporting (a result on stdout, or "error: <reason>" on stderr and
// exit code 1) and loading the operator's key.
#include <cstdlib>
#include <iostream>

#include "cmd/icn/commands.hpp"
#include "icn/core/abi_text.hpp"
#include "icn/eth/rpc_types.hpp"
#include "icn/infra/files.hpp"
#include "icn/infra/key_file.hpp"

namespace icn::cmd {
namespace {

int g_exit_code = 0;

}  // namespace

int exit_code() {
  return g_exit_code;
}
void set_exit_code(int code) {
  g_exit_code = code;
}

void emit(const Result<std::string>& result) {
  if (result) {
    std::cout << *result << '\n';
  } else {
    std::cerr << "error: " << result.error().message << '\n';
    set_exit_code(1);
  }
}

Result<std::string> read_password(const std::string& path) {
  ICN_TRY_CTX(std::string text, infra::read_file(path, 4096), "password file");
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  return text;
}

Result<PrivateKey> load_key(const std::string& key_file, const std::string& password_file) {
  std::optional<std::string> password;
  if (!password_file.empty()) {
    ICN_TRY(password, read_password(password_file));
  } else if (const char* env = std::getenv("ICN_KEYSTORE_PASSWORD")) {
    password = env;
  }
  return infra::load_private_key(key_file, password);
}

Result<eth::TransactionSender> make_sender(eth::RpcClient& rpc, const std::string& key_file,
                                           const std::string& password_file) {
  ICN_TRY(PrivateKey key, load_key(key_file, password_file));
  ICN_TRY_CTX(uint64_t chain, eth::chain_id(rpc), "reading the chain id");
  eth::SenderOptions options;
  options.expected_chain_id = chain;
  return eth::TransactionSender::create(rpc, key, options);
}

Result<std::filesystem::path> build_artifacts_dir() {
  std::error_code ec;
  std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return fail("cannot locate the icn binary (" + ec.message() + "); pass --artifacts DIR");
  std::filesystem::path dir = self.parent_path().parent_path().parent_path() / "artifacts";
  if (!std::filesystem::is_directory(dir, ec)) {
    return fail("no artifacts at " + dir.string() +
                "; pass --artifacts DIR (or set artifacts in the config)");
  }
  return dir;
}

Result<std::vector<abi::Value>> parse_arguments(std::span<const abi::Type> types,
                                                const std::vector<std::string>& args) {
  if (args.size() != types.size()) {
    return fail("expected " + std::to_string(types.size()) + " argument(s), got " +
                std::to_string(args.size()));
  }
  std::vector<abi::Value> values;
  for (size_t i = 0; i < types.size(); ++i) {
    ICN_TRY_CTX(abi::Value v, abi::parse_value(types[i], args[i]),
                "argument " + std::to_string(i + 1) + " (" + types[i].canonical() + ")");
    values.push_back(std::move(v));
  }
  return values;
}

}  // namespace icn::cmd
