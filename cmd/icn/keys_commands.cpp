// `icn keys new`: creates an operator key as a Web3 Secret Storage keystore (readable by
// cast/geth).
#include <filesystem>
#include <iostream>

#include "cmd/icn/commands.hpp"
#include "icn/infra/files.hpp"
#include "icn/infra/key_file.hpp"

namespace icn::cmd {
namespace {

struct KeysOptions {
  std::string out;
  std::string password_file;
  bool light = false;
};
KeysOptions g_keys;

Result<std::string> keys_new() {
  if (std::filesystem::exists(g_keys.out)) {
    return fail(g_keys.out + " already exists; refusing to overwrite a key");
  }
  ICN_TRY(std::string password, read_password(g_keys.password_file));
  if (password.empty()) return fail("the password file is empty");
  ICN_TRY(PrivateKey key, infra::generate_private_key());
  auto scrypt = g_keys.light ? keystore::ScryptParams::light() : keystore::ScryptParams::standard();
  ICN_TRY(std::string json, infra::encrypt_keystore(key, password, scrypt));
  ICN_CHECK(infra::write_file_atomic(g_keys.out, json + "\n"));
  return key.address().checksummed();
}

}  // namespace

void add_keys_commands(CLI::App& app) {
  CLI::App* keys = app.add_subcommand("keys", "Operator keys (Web3 Secret Storage keystores)");
  keys->require_subcommand(1);
  auto* create = keys->add_subcommand("new", "Create a key; prints its address");
  create->add_option("--out", g_keys.out, "keystore file to write (mode 600)")->required();
  create->add_option("--password-file", g_keys.password_file, "file holding the password")
      ->required();
  create->add_flag("--light", g_keys.light, "cheap scrypt (n=4096) for devnets and tests");
  create->callback([] { emit(keys_new()); });
}

}  // namespace icn::cmd
