// run_command on top of infra::Subprocess: stderr drained in the background, stdout read to EOF.
#include "test/support/command.hpp"

#include "icn/infra/subprocess.hpp"

namespace icn::test {

std::string CommandResult::describe() const {
  return "exit " + std::to_string(exit_code) + "\nstdout: " + out + "\nstderr: " + err;
}

CommandResult run_command(const std::vector<std::string>& argv, std::chrono::milliseconds timeout) {
  CommandResult result;
  infra::Deadline deadline = infra::deadline_in(timeout);
  infra::SubprocessOptions options;
  options.argv = argv;
  auto child = infra::Subprocess::spawn(options);
  if (!child) {
    result.err = child.error().message;
    return result;
  }
  child->drain_in_background(infra::Stream::kStderr);
  while (true) {
    auto line = child->read_line(infra::Stream::kStdout, deadline);
    if (!line || line->kind != infra::LineRead::Kind::kLine) break;
    result.out += line->line;
    result.out += '\n';
  }
  auto status = child->wait_for_exit(deadline);
  if (!status) status = child->terminate(std::chrono::milliseconds(500));
  if (status->signal == 0) result.exit_code = status->code;
  result.err = child->output_tail(infra::Stream::kStderr);
  return result;
}

std::string trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return s;
}

std::string evm_tools_dir() {
  return ICN_EVM_TOOLS;
}
std::string cast_path() {
  return evm_tools_dir() + "/@foundry-rs/cast-linux-amd64/bin/cast";
}
std::string anvil_path() {
  return evm_tools_dir() + "/@foundry-rs/anvil-linux-amd64/bin/anvil";
}
std::string icn_path() {
  return ICN_CLI;
}
std::string node_path() {
  return "node";
}

}  // namespace icn::test
