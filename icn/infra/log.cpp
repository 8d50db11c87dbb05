// spdlog setup for role processes and the in-memory capture for tests.
#include "icn/infra/log.hpp"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/ringbuffer_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

namespace icn::infra {
namespace {

Result<spdlog::level::level_enum> parse_level(std::string_view text) {
  static constexpr std::pair<std::string_view, spdlog::level::level_enum> kLevels[] = {
      {"trace", spdlog::level::trace}, {"debug", spdlog::level::debug},
      {"info", spdlog::level::info},   {"warn", spdlog::level::warn},
      {"error", spdlog::level::err},   {"off", spdlog::level::off}};
  for (auto [name, level] : kLevels)
    if (text == name) return level;
  return fail("log level '" + std::string(text) +
              "' is not one of trace, debug, info, warn, error, off");
}

}  // namespace

Status setup_logging(const LogOptions& options) {
  ICN_TRY(auto level, parse_level(options.level));
  std::vector<spdlog::sink_ptr> sinks;
  if (options.to_stderr) sinks.push_back(std::make_shared<spdlog::sinks::stderr_color_sink_mt>());
  if (!options.file.empty()) {
    try {
      sinks.push_back(std::make_shared<spdlog::sinks::basic_file_sink_mt>(options.file.string()));
    } catch (const spdlog::spdlog_ex& e) {
      return fail("log: cannot open " + options.file.string() + ": " + e.what());
    }
  }
  auto logger = std::make_shared<spdlog::logger>(options.role, sinks.begin(), sinks.end());
  // UTC with milliseconds, so lines from several roles on one host sort together.
  logger->set_formatter(std::make_unique<spdlog::pattern_formatter>(
      "%Y-%m-%dT%H:%M:%S.%eZ %l [%n] %v", spdlog::pattern_time_type::utc));
  logger->set_level(level);
  logger->flush_on(spdlog::level::warn);
  spdlog::set_default_logger(std::move(logger));
  return {};
}

struct LogCapture::State {
  std::shared_ptr<spdlog::logger> previous;
  std::shared_ptr<spdlog::sinks::ringbuffer_sink_mt> sink;
};

LogCapture::LogCapture() : state_(std::make_unique<State>()) {
  state_->previous = spdlog::default_logger();
  state_->sink = std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(10000);
  state_->sink->set_pattern("%l [%n] %v");
  auto logger = std::make_shared<spdlog::logger>(state_->previous->name(), state_->sink);
  logger->set_level(spdlog::level::trace);
  spdlog::set_default_logger(logger);
}

LogCapture::~LogCapture() {
  spdlog::set_default_logger(state_->previous);
}

std::vector<std::string> LogCapture::lines() const {
  std::vector<std::string> out;
  for (auto& line : state_->sink->last_formatted()) {
    out.push_back(line);
    while (!out.back().empty() && (out.back().back() == '\n' || out.back().back() == '\r'))
      out.back().pop_back();
  }
  return out;
}

bool LogCapture::contains(std::string_view text) const {
  for (const auto& line : lines())
    if (line.find(text) != std::string::npos) return true;
  return false;
}

}  // namespace icn::infra
