// A scripted HTTP server for JSON-RPC client tests: each request body goes to a handler that
// returns whatever status and body the test wants (hostile answers included).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace icn::test {

struct FakeReply {
  int status = 200;
  std::string body;
  std::chrono::milliseconds delay{0};  // answer late (to trip client timeouts)
};

// What the server saw of one request.
struct SeenRequest {
  std::string body;
  int remote_port = 0;  // distinct ports mean distinct connections
};

class FakeRpcServer {
 public:
  using Handler = std::function<FakeReply(const std::string& body, size_t index)>;

  // Listens on 127.0.0.1 on a port the OS picks; requests queue in the backlog until the accept
  // thread runs, so the server is usable as soon as the constructor returns.
  explicit FakeRpcServer(Handler handler);
  ~FakeRpcServer();

  std::string url() const;
  size_t request_count() const;
  std::vector<SeenRequest> requests() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// A handler answering every single call with {"result": params[0]} under the request's id.
FakeReply echo_first_param(const std::string& body, size_t index);

// A reply with `result` for the id of the JSON-RPC request in `body`.
FakeReply result_for(const std::string& body, const std::string& result_json);

// A local TCP port that refuses connections for as long as the object lives (bound, not listening).
class RefusingPort {
 public:
  RefusingPort();
  ~RefusingPort();
  int port() const { return port_; }

 private:
  int fd_ = -1;
  int port_ = 0;
};

}  // namespace icn::test
