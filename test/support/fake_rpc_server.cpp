// cpp-httplib behind FakeRpcServer; delays wait on a condition so shutdown never hangs.
#include "test/support/fake_rpc_server.hpp"

#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

namespace icn::test {

struct FakeRpcServer::Impl {
  httplib::Server server;
  std::thread thread;
  int port = 0;
  Handler handler;
  mutable std::mutex mu;
  std::condition_variable stopping_cv;
  bool stopping = false;
  std::vector<SeenRequest> seen;
};

FakeRpcServer::FakeRpcServer(Handler handler) : impl_(std::make_unique<Impl>()) {
  impl_->handler = std::move(handler);
  Impl* impl = impl_.get();
  impl->server.Post("/", [impl](const httplib::Request& req, httplib::Response& res) {
    size_t index;
    {
      std::lock_guard lock(impl->mu);
      index = impl->seen.size();
      impl->seen.push_back({req.body, req.remote_port});
    }
    FakeReply reply = impl->handler(req.body, index);
    if (reply.delay.count() > 0) {
      std::unique_lock lock(impl->mu);
      impl->stopping_cv.wait_for(lock, reply.delay, [impl] { return impl->stopping; });
    }
    res.status = reply.status;
    res.set_content(reply.body, "application/json");
  });
  // httplib closes a connection after 5 requests by default; the tests check the client's reuse.
  impl->server.set_keep_alive_max_count(100000);
  // Without it, Nagle's algorithm against the client's delayed ACK costs 40 ms per answer.
  impl->server.set_tcp_nodelay(true);
  impl->port = impl->server.bind_to_any_port("127.0.0.1");
  impl->thread = std::thread([impl] { impl->server.listen_after_bind(); });
}

FakeRpcServer::~FakeRpcServer() {
  {
    std::lock_guard lock(impl_->mu);
    impl_->stopping = true;
  }
  impl_->stopping_cv.notify_all();
  impl_->server.stop();
  if (impl_->thread.joinable()) impl_->thread.join();
}

std::string FakeRpcServer::url() const {
  return "http://127.0.0.1:" + std::to_string(impl_->port);
}

size_t FakeRpcServer::request_count() const {
  std::lock_guard lock(impl_->mu);
  return impl_->seen.size();
}

std::vector<SeenRequest> FakeRpcServer::requests() const {
  std::lock_guard lock(impl_->mu);
  return impl_->seen;
}

FakeReply result_for(const std::string& body, const std::string& result_json) {
  auto request = nlohmann::json::parse(body);
  return {200,
          R"({"jsonrpc":"2.0","id":)" + request["id"].dump() + R"(,"result":)" + result_json + "}"};
}

FakeReply echo_first_param(const std::string& body, size_t) {
  auto request = nlohmann::json::parse(body);
  return result_for(body, request["params"][0].dump());
}

RefusingPort::RefusingPort() {
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
}

RefusingPort::~RefusingPort() {
  if (fd_ >= 0) ::close(fd_);
}

}  // namespace icn::test
