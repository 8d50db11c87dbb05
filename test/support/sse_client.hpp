// A server-sent-events reader for tests: GETs a stream on its own thread, parses messages
// (id, event, data) and comments, and lets the test wait for a count with a deadline.
// Header-only: unit test binaries use it too.
#pragma once

#include <httplib.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace icn::test {

struct SseMessage {
  std::optional<int64_t> id;
  std::string event;  // "" for the default "message"
  std::string data;
};

class SseClient {
 public:
  // Starts reading `path` from 127.0.0.1:port with `headers` (e.g. Last-Event-ID).
  SseClient(uint16_t port, std::string path, httplib::Headers headers = {})
      : client_("127.0.0.1", port) {
    client_.set_read_timeout(std::chrono::seconds(30));
    thread_ = std::thread([this, path = std::move(path), headers = std::move(headers)] {
      auto res = client_.Get(
          path, headers,
          [this](const httplib::Response& r) {
            std::lock_guard lock(mu_);
            status_ = r.status;
            content_type_ = r.get_header_value("Content-Type");
            cv_.notify_all();
            return true;
          },
          [this](const char* data, size_t n) {
            std::lock_guard lock(mu_);
            buffer_.append(data, n);
            parse_locked();
            cv_.notify_all();
            return !stop_;
          });
      std::lock_guard lock(mu_);
      if (res && !status_) status_ = res->status;
      if (res && res->status != 200) body_ = res->body;
      ended_ = true;
      cv_.notify_all();
    });
  }
  ~SseClient() { stop(); }

  // Ends the stream from the client's side (takes effect on the next chunk: a heartbeat at most).
  void stop() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    if (thread_.joinable()) thread_.join();
  }

  // True once at least `n` messages arrived (false at the deadline).
  bool wait_for_messages(size_t n, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, timeout, [&] { return messages_.size() >= n; });
  }
  bool wait_for_comment(const std::string& text, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, timeout, [&] {
      for (const auto& c : comments_)
        if (c == text) return true;
      return false;
    });
  }
  // True once the server ended the response.
  bool wait_for_end(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, timeout, [&] { return ended_; });
  }
  int status() {
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, std::chrono::seconds(10), [&] { return status_ != 0 || ended_; });
    return status_;
  }
  std::vector<SseMessage> messages() {
    std::lock_guard lock(mu_);
    return messages_;
  }
  std::string content_type() {
    std::lock_guard lock(mu_);
    return content_type_;
  }
  std::string error_body() {
    std::lock_guard lock(mu_);
    return body_;
  }

 private:
  void parse_locked() {
    size_t end;
    while ((end = buffer_.find("\n\n")) != std::string::npos) {
      std::string block = buffer_.substr(0, end);
      buffer_.erase(0, end + 2);
      SseMessage m;
      bool has_field = false;
      size_t at = 0;
      while (at <= block.size()) {
        size_t nl = block.find('\n', at);
        std::string line = block.substr(at, nl == std::string::npos ? std::string::npos : nl - at);
        at = nl == std::string::npos ? block.size() + 1 : nl + 1;
        if (line.empty()) continue;
        if (line[0] == ':') {
          comments_.push_back(line.substr(line.size() > 1 && line[1] == ' ' ? 2 : 1));
          continue;
        }
        size_t colon = line.find(':');
        std::string field = line.substr(0, colon);
        std::string value = colon == std::string::npos ? "" : line.substr(colon + 1);
        if (!value.empty() && value[0] == ' ') value.erase(0, 1);
        if (field == "id") {
          m.id = std::stoll(value);
          has_field = true;
        } else if (field == "event") {
          m.event = value;
          has_field = true;
        } else if (field == "data") {
          m.data += (m.data.empty() ? "" : "\n") + value;
          has_field = true;
        }
      }
      if (has_field && (!m.data.empty() || m.id)) messages_.push_back(std::move(m));
    }
  }

  httplib::Client client_;
  std::thread thread_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::string buffer_;
  std::vector<SseMessage> messages_;
  std::vector<std::string> comments_;
  int status_ = 0;
  std::string content_type_, body_;
  bool ended_ = false;
  bool stop_ = false;
};

}  // namespace icn::test
