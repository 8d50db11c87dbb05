// `icn util …`: hashing, ABI, signing and Merkle tools — stdout is the result only, errors go to
// stderr with exit code 1.
#include <iostream>

#include "cmd/icn/commands.hpp"
#include "icn/core/keccak.hpp"

namespace icn::cmd {
namespace {

int g_exit_code = 0;

// Prints a Result's value or its error; the one place util commands turn results into output.
template <typename T>
void emit(const Result<T>& r) {
  if (r) {
    std::cout << *r << '\n';
  } else {
    std::cerr << "error: " << r.error().message << '\n';
    set_exit_code(1);
  }
}

}  // namespace

int exit_code() {
  return g_exit_code;
}
void set_exit_code(int code) {
  g_exit_code = code;
}

void add_util_commands(CLI::App& app) {
  CLI::App* util = app.add_subcommand("util", "Hashing, ABI, signing and Merkle tools");
  util->require_subcommand(1);

  auto* keccak = util->add_subcommand("keccak", "keccak-256 of 0x-hex bytes");
  static std::string keccak_input;
  keccak->add_option("HEX", keccak_input, "0x-prefixed bytes")->required();
  keccak->callback([] {
    emit([&]() -> Result<std::string> {
      ICN_TRY(Bytes data, parse_hex(keccak_input));
      return to_hex(keccak256(data));
    }());
  });
}

}  // namespace icn::cmd
