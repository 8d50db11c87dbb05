// How subcommands report: a result on stdout, or "error: <reason>" on stderr and exit code 1.
#include <iostream>

#include "cmd/icn/commands.hpp"

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

}  // namespace icn::cmd
