// What every subcommand shares: reporting (a result on stdout, or "error: <reason>" on stderr and
// exit code 1) and loading the operator's key.
#include <cstdlib>
#include <iostream>

#include "cmd/icn/commands.hpp"
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

}  // namespace icn::cmd
