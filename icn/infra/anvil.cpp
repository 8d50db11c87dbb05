// Starting anvil on an OS-chosen port and learning the port from its "Listening on" line.
#include "icn/infra/anvil.hpp"

#include <charconv>
#include <csignal>
#include <fstream>
#include <thread>

namespace icn::infra {
namespace {

constexpr std::string_view kListening = "Listening on ";

// "Listening on 127.0.0.1:34567" → 34567; nullopt for any other line.
std::optional<uint16_t> parse_listening_port(std::string_view line) {
  auto at = line.find(kListening);
  if (at == std::string_view::npos) return std::nullopt;
  std::string_view endpoint = line.substr(at + kListening.size());
  while (!endpoint.empty() && (endpoint.back() == '\r' || endpoint.back() == ' ')) {
    endpoint.remove_suffix(1);
  }
  auto colon = endpoint.rfind(':');
  if (colon == std::string_view::npos) return std::nullopt;
  std::string_view digits = endpoint.substr(colon + 1);
  unsigned port = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
  if (ec != std::errc() || end != digits.data() + digits.size() || port == 0 || port > 65535) {
    return std::nullopt;
  }
  return uint16_t(port);
}

std::string trimmed_output(const std::string& text) {
  constexpr size_t kMax = 4000;  // enough for anvil's error, short enough for a log line
  std::string out = text.size() > kMax ? "…" + text.substr(text.size() - kMax) : text;
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out.empty() ? "(no output)" : out;
}

}  // namespace

std::vector<std::string> anvil_argv(const AnvilOptions& o) {
  std::vector<std::string> argv = {o.binary.string(), "--port", "0", "--host", o.host};
  auto add = [&](std::string flag, const std::string& value) {
    argv.push_back(std::move(flag));
    argv.push_back(value);
  };
  if (o.chain_id) add("--chain-id", std::to_string(*o.chain_id));
  if (o.block_time_seconds) add("--block-time", std::to_string(*o.block_time_seconds));
  if (o.no_mining) argv.push_back("--no-mining");
  if (o.state_file) add("--state", o.state_file->string());
  if (o.accounts) add("--accounts", std::to_string(*o.accounts));
  if (o.mnemonic) add("--mnemonic", *o.mnemonic);
  if (o.balance_ether) add("--balance", std::to_string(*o.balance_ether));
  if (o.gas_limit) add("--gas-limit", std::to_string(*o.gas_limit));
  if (o.base_fee) add("--base-fee", std::to_string(*o.base_fee));
  if (o.genesis_timestamp) add("--timestamp", std::to_string(*o.genesis_timestamp));
  if (o.hardfork) add("--hardfork", *o.hardfork);
  argv.insert(argv.end(), o.extra_args.begin(), o.extra_args.end());
  return argv;
}

namespace {

// Whether process `pid` catches SIGTERM: bit SIGTERM − 1 of the SigCgt mask in /proc/PID/status.
Result<bool> catches_sigterm(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  if (!in) return fail("cannot read /proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("SigCgt:", 0) != 0) continue;
    std::string_view hex(line);
    hex.remove_prefix(7);
    while (!hex.empty() && (hex.front() == ' ' || hex.front() == '\t')) hex.remove_prefix(1);
    uint64_t mask = 0;
    auto [end, ec] = std::from_chars(hex.data(), hex.data() + hex.size(), mask, 16);
    if (ec != std::errc()) return fail("unreadable SigCgt line: " + line);
    return ((mask >> (SIGTERM - 1)) & 1) != 0;
  }
  return fail("no SigCgt line in /proc/" + std::to_string(pid) + "/status");
}

Status wait_for_sigterm_handler(int pid, Deadline deadline) {
  while (true) {
    ICN_TRY(bool caught, catches_sigterm(pid));
    if (caught) return {};
    if (std::chrono::steady_clock::now() >= deadline) {
      return fail("its SIGTERM handler was not installed before the start timeout");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));  // polls a condition, deadline above
  }
}

}  // namespace

Result<Anvil> Anvil::start(AnvilOptions options) {
  if (options.binary.empty()) return fail("anvil did not start: no anvil binary given");
  SubprocessOptions sp;
  sp.argv = anvil_argv(options);
  sp.stdout_to = OutputTarget::pipe();
  sp.stderr_to = OutputTarget::into_stdout();  // errors and banner in one transcript
  sp.env = {{"NO_COLOR", "1"}};
  sp.destructor_grace = options.stop_grace;
  ICN_TRY_CTX(Subprocess process, Subprocess::spawn(std::move(sp)), "anvil did not start");

  const Deadline deadline = deadline_in(options.start_timeout);
  while (true) {
    ICN_TRY_CTX(LineRead read, process.read_line(Stream::kStdout, deadline), "anvil did not start");
    if (read.kind == LineRead::Kind::kLine) {
      if (auto port = parse_listening_port(read.line)) {
        // Anvil logs every RPC call from now on: keep the pipe drained so it never blocks.
        process.drain_in_background(Stream::kStdout);
        // With a state file, stop() relies on anvil's SIGTERM handler to dump the state; anvil
        // installs it only after printing "Listening on", so wait until the kernel shows it caught.
        if (options.state_file) {
          Status ready = wait_for_sigterm_handler(process.pid(), deadline);
          if (!ready.ok()) return fail("anvil did not start: " + ready.error().message);
        }
        std::string url = "http://" + options.host + ":" + std::to_string(*port);
        return Anvil(std::move(process), std::move(url), *port, options.stop_grace);
      }
      continue;
    }
    std::string why;
    if (read.kind == LineRead::Kind::kEof) {
      auto status = process.wait_for_exit(deadline_in(std::chrono::seconds(5)));
      why = status ? "it exited (" + status->describe() + ")" : "it closed its output";
    } else {
      why = "no \"Listening on\" line within " + std::to_string(options.start_timeout.count()) +
            " ms";
      process.terminate(std::chrono::milliseconds(500));
    }
    return fail("anvil did not start: " + why +
                "; output: " + trimmed_output(process.output_tail(Stream::kStdout)));
  }
}

ExitStatus Anvil::stop() {
  return process_.terminate(stop_grace_);
}

}  // namespace icn::infra
