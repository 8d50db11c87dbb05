// HttpServer over cpp-httplib 0.11: httplib parses requests and writes responses; we own the
// connection loop (deadlines, connection tracking for prompt stop, load shedding, idle
// connections parked off the workers) and routing. httplib 0.11's own pool holds a thread per
// kept-alive connection for its whole keep-alive time, so N idle clients starve N workers.
#include "icn/infra/http_server.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <httplib.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <spdlog/spdlog.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>
#include <unordered_map>

#include "icn/infra/http_client.hpp"

namespace icn::infra {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// Waits until fd has one of `events` (or an error/hangup, so the caller's read/write reports
// it), at most `timeout`. False on timeout.
bool poll_fd(int fd, short events, milliseconds timeout) {
  auto deadline = Clock::now() + timeout;
  while (true) {
    auto left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now());
    if (left.count() < 0) left = milliseconds(0);
    pollfd p{fd, events, 0};
    int rc = ::poll(&p, 1, int(std::min<int64_t>(left.count(), INT32_MAX)));
    if (rc > 0) return true;
    if (rc == 0) return false;
    if (errno != EINTR) return true;  // let read/write report the error
  }
}

std::string ip_of(const sockaddr_storage& addr) {
  char buf[INET6_ADDRSTRLEN] = {};
  if (addr.ss_family == AF_INET) {
    inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in&>(addr).sin_addr, buf, sizeof buf);
  } else if (addr.ss_family == AF_INET6) {
    inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6&>(addr).sin6_addr, buf, sizeof buf);
  }
  return buf;
}

int port_of(const sockaddr_storage& addr) {
  if (addr.ss_family == AF_INET) return ntohs(reinterpret_cast<const sockaddr_in&>(addr).sin_port);
  if (addr.ss_family == AF_INET6)
    return ntohs(reinterpret_cast<const sockaddr_in6&>(addr).sin6_port);
  return -1;
}

// One accepted connection as httplib's Stream: buffered reads bounded by both a per-read timeout
// and a whole-request deadline (so a client trickling bytes cannot hold a worker), and writes
// bounded by the write timeout. It lives as long as the connection (parked with it between
// requests), so the peer's address is looked up once, not per request.
//
// Writes are collected and sent by flush(): httplib writes a response's headers and body
// separately, and two sends mean two segments and two wake-ups of the client per response.
// Whatever is pending is flushed before waiting for the peer (so "100 Continue" is not held).
class ConnStream final : public httplib::Stream {
 public:
  ConnStream(int fd, milliseconds read_timeout, milliseconds write_timeout)
      : fd_(fd), read_timeout_(read_timeout), write_timeout_(write_timeout) {}

  void begin_request(Clock::time_point deadline) { deadline_ = deadline; }
  bool has_buffered() const { return off_ < len_; }

  bool is_readable() const override { return has_buffered() || poll_fd(fd_, POLLIN, wait()); }
  bool is_writable() const override { return poll_fd(fd_, POLLOUT, write_timeout_); }

  ssize_t read(char* ptr, size_t size) override {
    if (off_ < len_) return take(ptr, size);
    if (!flush()) return -1;
    // recv first: the request is usually there already (that is why we were woken), and a poll
    // before every recv would be a wasted syscall per request. The deadline still holds for a
    // client whose bytes trickle in just fast enough to be there each time.
    while (true) {
      if (Clock::now() >= deadline_) return -1;
      ssize_t n = ::recv(fd_, buf_, sizeof buf_, MSG_DONTWAIT);
      if (n > 0) {
        off_ = 0;
        len_ = size_t(n);
        return take(ptr, size);
      }
      if (n == 0) return 0;
      if (errno == EINTR) continue;
      if (errno != EAGAIN && errno != EWOULDBLOCK) return -1;
      auto timeout = wait();
      if (timeout.count() <= 0 || !poll_fd(fd_, POLLIN, timeout)) return -1;
    }
  }

  ssize_t write(const char* ptr, size_t size) override {
    out_.append(ptr, size);
    if (out_.size() >= kFlushBytes && !flush()) return -1;
    return ssize_t(size);
  }

  // Sends what write() collected; false once the peer is gone or too slow to take it.
  bool flush() {
    size_t sent = 0;
    while (sent < out_.size()) {
      ssize_t n = ::send(fd_, out_.data() + sent, out_.size() - sent, MSG_NOSIGNAL | MSG_DONTWAIT);
      if (n > 0) {
        sent += size_t(n);
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) &&
          poll_fd(fd_, POLLOUT, write_timeout_))
        continue;
      out_.clear();
      return false;
    }
    out_.clear();
    return true;
  }

  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    if (remote_port_ < 0) lookup(::getpeername, remote_ip_, remote_port_);
    ip = remote_ip_;
    port = remote_port_;
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    if (local_port_ < 0) lookup(::getsockname, local_ip_, local_port_);
    ip = local_ip_;
    port = local_port_;
  }
  socket_t socket() const override { return fd_; }

 private:
  static constexpr size_t kFlushBytes = 64 * 1024;

  void lookup(int (*query)(int, sockaddr*, socklen_t*), std::string& ip, int& port) const {
    sockaddr_storage addr{};
    socklen_t len = sizeof addr;
    port = 0;
    if (query(fd_, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
      ip = ip_of(addr);
      port = port_of(addr);
    }
  }
  milliseconds wait() const {
    auto left = std::chrono::duration_cast<milliseconds>(deadline_ - Clock::now());
    return std::min(left, read_timeout_);
  }
  ssize_t take(char* ptr, size_t size) {
    size_t n = std::min(size, len_ - off_);
    std::memcpy(ptr, buf_ + off_, n);
    off_ += n;
    return ssize_t(n);
  }

  int fd_;
  milliseconds read_timeout_, write_timeout_;
  Clock::time_point deadline_ = Clock::time_point::max();
  char buf_[4096];
  size_t off_ = 0, len_ = 0;
  std::string out_;
  mutable std::string remote_ip_, local_ip_;
  mutable int remote_port_ = -1, local_port_ = -1;
};

// A connection between requests: parked in the idle table (its ConnStream keeps the peer's
// address and the buffers), or held by the worker serving it. Exactly one of them owns it.
struct Connection {
  Connection(int fd, milliseconds read_timeout, milliseconds write_timeout)
      : fd(fd), stream(fd, read_timeout, write_timeout) {}
  int fd;
  bool in_epoll = false;  // registered with the epoll set (then re-armed, not added)
  size_t served = 0;      // requests answered on it
  ConnStream stream;
};

struct Route {
  std::string pattern;
  bool prefix = false;
  std::map<std::string, HttpHandler> by_method;
};

// Per-connection state the httplib callbacks reach through a thread_local: a connection is
// served start to finish on one worker thread.
struct ConnContext {
  const Route* route = nullptr;
  const HttpHandler* handler = nullptr;
  std::string method, path, tail;
  Clock::time_point start;
  bool close_after = false;
  int status = 0;
  ConnStream* stream = nullptr;  // so a streamed body can flush each chunk
};
thread_local ConnContext* t_conn = nullptr;
thread_local bool t_shed = false;  // the pool is full: refuse this connection

bool expects_body(std::string_view method) {
  return method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE";
}

std::string default_code(int status) {
  switch (status) {
    case 400:
      return "bad_request";
    case 404:
      return "not_found";
    case 405:
      return "method_not_allowed";
    case 408:
      return "request_timeout";
    case 413:
      return "body_too_large";
    case 414:
      return "uri_too_long";
    case 500:
      return "internal";
    case 503:
      return "overloaded";
    default:
      return "http_" + std::to_string(status);
  }
}

std::string default_message(int status) {
  switch (status) {
    case 400:
      return "malformed HTTP request";
    case 413:
      return "request body too large";
    case 414:
      return "request URI too long";
    case 404:
      return "not found";
    case 405:
      return "method not allowed";
    default:
      return "HTTP " + std::to_string(status);
  }
}

// epoll_data of the pool's own eventfds; a connection's key is (generation << 32) | fd.
constexpr uint64_t kTaskKey = ~uint64_t(0);
constexpr uint64_t kStopKey = ~uint64_t(0) - 1;

// The worker threads. Each waits in epoll_wait(maxevents = 1) on the server's one epoll set,
// which holds every idle connection (EPOLLONESHOT) and an eventfd for new connections; the
// thread that learns a connection is readable serves it itself. An earlier design had one poller
// thread hand readable connections to the pool through a queue: every keep-alive request then
// cost two extra wake-ups and about 13 syscalls on the server's core (now about 4: epoll_wait,
// recv, send, epoll_ctl).
//
// New connections (from httplib's accept loop) wait in a bounded queue: a connection arriving
// when every worker is busy and the queue is full is served inline on the accept thread as a
// quick 503 (t_shed) so it is still closed.
class WorkerPool final : public httplib::TaskQueue {
 public:
  // epoll_fd holds task_fd (edge-triggered: each new connection's signal wakes one worker, not
  // all of them) and stop_fd (level-triggered); on_ready(key) is called on the worker that
  // received a parked connection's event.
  WorkerPool(unsigned threads, size_t max_queue, int epoll_fd, int task_fd, int stop_fd,
             std::function<void(uint64_t key)> on_ready)
      : max_queue_(max_queue),
        threads_(std::max(1u, threads)),
        epoll_fd_(epoll_fd),
        task_fd_(task_fd),
        stop_fd_(stop_fd),
        on_ready_(std::move(on_ready)) {
    for (size_t i = 0; i < threads_; ++i) workers_.emplace_back([this] { run(); });
  }

  void enqueue(std::function<void()> fn) override {
    {
      std::lock_guard lock(mu_);
      if (!shutdown_ && queue_.size() + busy_ < max_queue_ + threads_) {
        queue_.push_back(std::move(fn));
        signal(task_fd_);
        return;
      }
    }
    t_shed = true;
    fn();
    t_shed = false;
  }
  void shutdown() override {
    {
      std::lock_guard lock(mu_);
      shutdown_ = true;
    }
    signal(stop_fd_);
    for (auto& t : workers_) t.join();
    workers_.clear();
  }

 private:
  static void signal(int fd) {
    uint64_t one = 1;
    (void)!::write(fd, &one, sizeof one);
  }
  void run() {
    while (true) {
      epoll_event ev{};
      int n = ::epoll_wait(epoll_fd_, &ev, 1, -1);
      if (n < 0 && errno != EINTR) {
        spdlog::error("http: epoll_wait failed: {}", std::strerror(errno));
        std::this_thread::sleep_for(milliseconds(10));  // not a busy loop on a persistent error
      }
      if (n <= 0) continue;
      if (ev.data.u64 == kStopKey) {
        // New connections already accepted are still served (they see the server stopping and
        // close). The stop eventfd stays readable, and signalling it again makes sure the
        // next waiting worker is woken too.
        while (run_one_task()) {
        }
        signal(stop_fd_);
        return;
      }
      if (ev.data.u64 == kTaskKey) {
        uint64_t count;
        (void)!::read(task_fd_, &count, sizeof count);  // keeps the counter from filling up
        run_one_task();
        continue;
      }
      ++busy_;
      on_ready_(ev.data.u64);
      --busy_;
    }
  }
  bool run_one_task() {
    std::function<void()> fn;
    {
      std::lock_guard lock(mu_);
      if (queue_.empty()) return false;
      fn = std::move(queue_.front());
      queue_.pop_front();
      ++busy_;
      // One wake-up per signal: pass the rest on to another worker before serving this one.
      if (!queue_.empty()) signal(task_fd_);
    }
    fn();
    --busy_;
    return true;
  }

  size_t max_queue_;
  size_t threads_;
  int epoll_fd_, task_fd_, stop_fd_;
  std::function<void(uint64_t)> on_ready_;
  std::mutex mu_;
  std::deque<std::function<void()>> queue_;
  bool shutdown_ = false;
  std::atomic<size_t> busy_{0};  // workers serving a connection
  std::vector<std::thread> workers_;
};

}  // namespace

// ---- HttpRequest -----------------------------------------------------------------------------

HttpRequest::HttpRequest(const httplib::Request* raw, std::string_view path, std::string_view body,
                         std::string_view tail)
    : raw_(raw), path_(path), body_(body), tail_(tail) {}
HttpRequest::~HttpRequest() = default;
HttpRequest::HttpRequest(HttpRequest&&) noexcept = default;

HttpRequest HttpRequest::for_test(std::string method, std::string path, std::string body,
                                  std::string remote_addr) {
  auto owned = std::make_unique<httplib::Request>();
  owned->remote_addr = std::move(remote_addr);
  owned->method = std::move(method);
  owned->path = std::move(path);
  owned->body = std::move(body);
  HttpRequest r(owned.get(), owned->path, owned->body, {});
  r.owned_ = std::move(owned);
  return r;
}

std::string_view HttpRequest::method() const {
  return raw_->method;
}
std::string_view HttpRequest::path() const {
  return path_;
}
std::string_view HttpRequest::remote_addr() const {
  return raw_->remote_addr;
}
std::optional<std::string> HttpRequest::header(const std::string& name) const {
  if (!raw_->has_header(name)) return std::nullopt;
  return raw_->get_header_value(name);
}
std::optional<std::string> HttpRequest::query(const std::string& name) const {
  if (!raw_->has_param(name)) return std::nullopt;
  return raw_->get_param_value(name);
}

// ---- Responses -------------------------------------------------------------------------------

HttpResponse HttpResponse::json_body(const json& value, int status) {
  HttpResponse r;
  r.status = status;
  r.body = value.dump(-1, ' ', false, json::error_handler_t::replace);
  return r;
}

HttpResponse HttpResponse::text(std::string body, std::string content_type, int status) {
  HttpResponse r;
  r.status = status;
  r.content_type = std::move(content_type);
  r.body = std::move(body);
  return r;
}

HttpResponse error_response(int status, std::string_view code, std::string_view message) {
  return HttpResponse::json_body({{"error", {{"code", code}, {"message", message}}}}, status);
}

HttpResponse bad_request(const Error& error, std::string_view code) {
  return error_response(400, code, error.message);
}

Result<json> parse_json_body(const HttpRequest& request, size_t max_depth) {
  std::string_view body = request.body();
  if (json_nesting_exceeds(body, max_depth)) {
    return fail("JSON nested deeper than " + std::to_string(max_depth));
  }
  try {
    return json::parse(body);
  } catch (const json::exception& e) {
    std::string what = e.what();
    // "[json.exception.parse_error.101] parse error at line 1, column 2: …" → from "parse error".
    if (auto at = what.find("] "); at != std::string::npos) what.erase(0, at + 2);
    return fail("malformed JSON: " + what);
  }
}

// ---- HttpServer ------------------------------------------------------------------------------

class ServerCore;

struct HttpServer::Impl {
  HttpServerOptions options;
  std::map<std::string, Route> exact;
  std::vector<Route> prefixes;  // sorted longest first
  std::unique_ptr<ServerCore> core;
  std::thread listen_thread;
  std::atomic<bool> started{false};
  std::atomic<bool> stopping{false};
  int port = 0;

  std::mutex mu;  // guards the fields below
  std::condition_variable cv;
  bool listening = false;  // the accept loop has begun (or given up)
  bool stopped = false;
  std::set<int> connections;
  // Idle connections (kept alive between requests, or not yet sending), each registered with
  // epoll_fd in one-shot mode under the key (generation << 32) | fd. The worker whose
  // epoll_wait reports one takes it out of here and serves it; the sweeper closes those past
  // their deadline. A key that is no longer here is a stale event (the connection was closed,
  // and perhaps its fd reused) and is ignored.
  struct Parked {
    std::unique_ptr<Connection> conn;
    uint64_t key;
    Clock::time_point deadline;
  };
  std::unordered_map<int, Parked> idle;  // by fd
  uint32_t generation = 0;
  int epoll_fd = -1;
  int task_fd = -1, stop_fd = -1;    // the worker pool's eventfds, in the epoll set
  std::condition_variable sweep_cv;  // wakes the sweeper at stop()
  std::thread sweep_thread;

  const Route* match(const std::string& path, std::string& tail) const;
  void pre_route(const httplib::Request& req, httplib::Response& res,
                 httplib::Server::HandlerResponse& out);
  void dispatch(const httplib::Request& req, httplib::Response& res,
                const httplib::ContentReader* reader);
  void on_error(const httplib::Request& req, httplib::Response& res);
  void on_logged(const httplib::Request& req, const httplib::Response& res);
  bool add_connection(int fd);
  void remove_connection(int fd);
  void close_connection(int fd);
  void serve(ServerCore& core, int fd);
  void serve_requests(ServerCore& core, std::unique_ptr<Connection> conn, bool readable);
  bool park(std::unique_ptr<Connection>& conn);
  void resume(ServerCore& core, uint64_t key);
  void sweep_idle();
  ~Impl();
};

// httplib::Server with our connection loop in place of its own (process_and_close_socket is a
// private virtual; overriding it is how httplib's SSLServer plugs in too).
class ServerCore final : public httplib::Server {
 public:
  explicit ServerCore(HttpServer::Impl& impl) : impl_(impl) {}

  // Closes the listening socket, which ends the accept loop (or keeps it from starting).
  void close_listener() {
    socket_t s = svr_sock_.exchange(INVALID_SOCKET);
    if (s != INVALID_SOCKET) {
      ::shutdown(s, SHUT_RDWR);
      ::close(s);
    }
  }
  // httplib listens with a backlog of 5: a burst of connections (every daemon of an era at
  // once) overflows it and the kernel drops the handshake, which the client only retries after
  // a 1 s SYN timeout. Linux lets listen() be called again to widen it.
  void widen_backlog() {
    socket_t s = svr_sock_.load();
    if (s != INVALID_SOCKET) ::listen(s, SOMAXCONN);
  }
  bool handle(httplib::Stream& strm, bool close_connection, bool& connection_closed) {
    return process_request(strm, close_connection, connection_closed, nullptr);
  }

 private:
  bool process_and_close_socket(socket_t sock) override {
    impl_.serve(*this, sock);
    return true;
  }
  HttpServer::Impl& impl_;
};

static void send_overloaded(int fd) {
  std::string body = R"({"error":{"code":"overloaded","message":"server overloaded"}})";
  std::string reply =
      "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n"
      "Connection: close\r\nContent-Length: " +
      std::to_string(body.size()) + "\r\n\r\n" + body;
  (void)!::send(fd, reply.data(), reply.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
}

void HttpServer::Impl::serve(ServerCore& core, int fd) {
  ::fcntl(fd, F_SETFD, FD_CLOEXEC);  // never leak a client socket into a child process
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  if (t_shed || !add_connection(fd)) {
    if (t_shed) send_overloaded(fd);
    ::shutdown(fd, SHUT_RDWR);
    ::close(fd);
    return;
  }
  // A client usually sends its first request right after connecting: serve it without a round
  // trip through the epoll set when it is already here.
  serve_requests(core,
                 std::make_unique<Connection>(fd, options.read_timeout, options.write_timeout),
                 poll_fd(fd, POLLIN, milliseconds(0)));
}

// Serves requests while the connection has one to read; parks it when it goes idle.
// `readable`: a request (or EOF) is known to be waiting, so it is read before any parking.
void HttpServer::Impl::serve_requests(ServerCore& core, std::unique_ptr<Connection> conn,
                                      bool readable) {
  ConnStream& strm = conn->stream;
  ConnContext ctx;
  t_conn = &ctx;
  for (; conn->served < options.keep_alive_max_requests; ++conn->served) {
    // Nothing buffered: wait for the next request in the epoll set instead of holding a worker
    // while the client thinks (or idles in keep-alive). No poll first: the client has only just
    // received our answer, so its next request is rarely here yet, and epoll reports at once if
    // it is.
    if (!readable && !strm.has_buffered()) {
      if (park(conn)) {
        t_conn = nullptr;
        return;
      }
      // No room to park: a fresh connection waits here for its first request as before; an
      // idle kept-alive one is closed (a client must expect that of any idle connection).
      auto wait = conn->served > 0 ? milliseconds(0) : options.read_timeout;
      if (!poll_fd(conn->fd, POLLIN, wait)) break;
    }
    readable = false;
    if (stopping) break;
    ctx = ConnContext{};
    ctx.stream = &strm;
    ctx.start = Clock::now();
    strm.begin_request(ctx.start + options.request_timeout);
    bool last = conn->served + 1 == options.keep_alive_max_requests;
    bool connection_closed = false;
    bool ok = core.handle(strm, last, connection_closed);
    if (!strm.flush()) break;
    // After a malformed or refused request the rest of the stream cannot be trusted.
    if (!ok || connection_closed || ctx.close_after || ctx.status == 400 || ctx.status == 413 ||
        ctx.status == 414 || stopping)
      break;
  }
  t_conn = nullptr;
  close_connection(conn->fd);
}

void HttpServer::Impl::close_connection(int fd) {
  remove_connection(fd);
  ::shutdown(fd, SHUT_RDWR);
  ::close(fd);  // which also takes it out of the epoll set
}

// Hands an idle connection to the epoll set; false (and conn kept) when stopping or full.
bool HttpServer::Impl::park(std::unique_ptr<Connection>& conn) {
  std::lock_guard lock(mu);
  if (stopping || idle.size() >= options.max_idle_connections) return false;
  // Under the lock, so the sweeper cannot close (and the kernel reuse) the fd between our
  // registering it and recording it; a worker woken meanwhile waits on the lock to find it.
  uint64_t key = uint64_t(++generation) << 32 | uint32_t(conn->fd);
  epoll_event ev{EPOLLIN | EPOLLONESHOT, {.u64 = key}};
  if (::epoll_ctl(epoll_fd, conn->in_epoll ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, conn->fd, &ev) != 0) {
    spdlog::warn("http: cannot watch connection {}: {}", conn->fd, std::strerror(errno));
    return false;
  }
  conn->in_epoll = true;
  auto idle_for = conn->served == 0 ? options.read_timeout : options.keep_alive_timeout;
  int fd = conn->fd;
  idle.emplace(fd, Parked{std::move(conn), key, Clock::now() + idle_for});
  return true;
}

// A parked connection is readable (a request, or EOF): serve it on this worker.
void HttpServer::Impl::resume(ServerCore& core, uint64_t key) {
  std::unique_ptr<Connection> conn;
  {
    std::lock_guard lock(mu);
    auto it = idle.find(int(uint32_t(key)));
    if (it == idle.end() || it->second.key != key) return;  // stale: closed since
    conn = std::move(it->second.conn);
    idle.erase(it);
  }
  serve_requests(core, std::move(conn), true);
}

// The sweeper: closes connections idle past their deadline, and every idle one at stop(). It
// looks every tenth of the shortest idle timeout (so a deadline is kept within 10 %) rather
// than being told of each new deadline, which would cost a wake-up per request.
void HttpServer::Impl::sweep_idle() {
  auto period = std::clamp(std::min(options.read_timeout, options.keep_alive_timeout) / 10,
                           milliseconds(10), milliseconds(500));
  std::unique_lock lock(mu);
  while (true) {
    sweep_cv.wait_for(lock, period, [&] { return bool(stopping); });
    auto now = Clock::now();
    for (auto it = idle.begin(); it != idle.end();) {
      if (stopping || it->second.deadline <= now) {
        int fd = it->first;
        connections.erase(fd);  // before close(fd), as remove_connection does
        ::shutdown(fd, SHUT_RDWR);
        ::close(fd);
        it = idle.erase(it);
      } else {
        ++it;
      }
    }
    if (stopping) return;
  }
}

HttpServer::Impl::~Impl() {
  for (int fd : {epoll_fd, task_fd, stop_fd})
    if (fd >= 0) ::close(fd);
}

bool HttpServer::Impl::add_connection(int fd) {
  std::lock_guard lock(mu);
  if (stopping) return false;
  connections.insert(fd);
  return true;
}

void HttpServer::Impl::remove_connection(int fd) {
  std::lock_guard lock(mu);
  connections.erase(fd);  // before close(fd), so stop() never touches a reused descriptor
}

const Route* HttpServer::Impl::match(const std::string& path, std::string& tail) const {
  if (auto it = exact.find(path); it != exact.end()) return &it->second;
  for (const Route& r : prefixes) {
    if (path.size() > r.pattern.size() && path.compare(0, r.pattern.size(), r.pattern) == 0) {
      tail = path.substr(r.pattern.size());
      return &r;
    }
  }
  return nullptr;
}

void HttpServer::Impl::pre_route(const httplib::Request& req, httplib::Response& res,
                                 httplib::Server::HandlerResponse& out) {
  ConnContext& ctx = *t_conn;
  ctx.method = req.method;
  ctx.path = req.path;
  auto refuse = [&](int status, std::string_view code, std::string message) {
    HttpResponse r = error_response(status, code, message);
    res.status = r.status;
    res.set_content(r.body, r.content_type);
    // The body (if any) was not read, so the connection cannot carry another request.
    ctx.close_after = true;
    res.set_header("Connection", "close");
    out = httplib::Server::HandlerResponse::Handled;
  };
  bool has_length = req.has_header("Content-Length");
  bool chunked = req.has_header("Transfer-Encoding");
  if (has_length) {
    std::string length = req.get_header_value("Content-Length");
    if (length.empty() || length.size() > 19 ||
        !std::all_of(length.begin(), length.end(), [](char c) { return c >= '0' && c <= '9'; }) ||
        req.get_header_value_count("Content-Length") != 1) {
      return refuse(400, "bad_request", "invalid Content-Length");
    }
  }
  if (chunked) {
    if (has_length) return refuse(400, "bad_request", "both Content-Length and Transfer-Encoding");
    if (req.get_header_value("Transfer-Encoding") != "chunked" ||
        req.get_header_value_count("Transfer-Encoding") != 1) {
      return refuse(400, "bad_request", "unsupported Transfer-Encoding");
    }
  }
  if (has_length && std::stoull(req.get_header_value("Content-Length")) > options.max_body_bytes) {
    // Refused before reading: httplib would otherwise read and discard every claimed byte.
    return refuse(413, "body_too_large",
                  "request body larger than " + std::to_string(options.max_body_bytes) + " bytes");
  }
  bool has_body = chunked || (has_length && req.get_header_value("Content-Length") != "0");
  if (has_body && !expects_body(req.method)) {
    return refuse(400, "bad_request", req.method + " requests carry no body");
  }
  std::string tail;
  const Route* route = match(req.path, tail);
  if (!route) return refuse(404, "not_found", "no route for " + req.method + " " + req.path);
  std::string method = req.method == "HEAD" ? "GET" : req.method;
  auto handler = route->by_method.find(method);
  if (handler == route->by_method.end()) {
    std::string allow;
    for (const auto& [m, h] : route->by_method) allow += (allow.empty() ? "" : ", ") + m;
    refuse(405, "method_not_allowed",
           req.method + " " + req.path + " is not allowed (allowed: " + allow + ")");
    res.set_header("Allow", allow);
    return;
  }
  ctx.route = route;
  ctx.handler = &handler->second;
  ctx.tail = std::move(tail);
  auto& mutable_req = const_cast<httplib::Request&>(req);  // process_request's own local
  // RFC 9112: a request with neither header has no body; httplib would read until EOF.
  if (expects_body(req.method) && !has_length && !chunked) {
    mutable_req.set_header("Content-Length", "0");
  }
  // Routing is ours; httplib only needs to reach the one handler registered per method.
  mutable_req.path = "/";
  out = httplib::Server::HandlerResponse::Unhandled;
}

void HttpServer::Impl::dispatch(const httplib::Request& req, httplib::Response& res,
                                const httplib::ContentReader* reader) {
  ConnContext& ctx = *t_conn;
  std::string body;
  if (reader) {
    bool too_large = false;
    size_t max = options.max_body_bytes;
    bool ok = (*reader)([&](const char* data, size_t n) {
      if (body.size() + n > max) {
        too_large = true;
        return false;
      }
      body.append(data, n);
      return true;
    });
    if (!ok) {
      HttpResponse r =
          too_large || res.status == 413
              ? error_response(413, "body_too_large",
                               "request body larger than " + std::to_string(max) + " bytes")
              : error_response(400, "bad_request", "could not read the request body");
      ctx.close_after = true;
      res.status = r.status;
      res.set_content(r.body, r.content_type);
      res.set_header("Connection", "close");
      return;
    }
  }
  HttpRequest view(&req, ctx.path, reader ? std::string_view(body) : std::string_view(req.body),
                   ctx.tail);
  HttpResponse out;
  try {
    out = (*ctx.handler)(view);
  } catch (const std::exception& e) {
    spdlog::error("http: handler for {} {} threw: {}", ctx.method, ctx.path, e.what());
    out = error_response(500, "internal", "internal error");
  } catch (...) {
    spdlog::error("http: handler for {} {} threw a non-exception", ctx.method, ctx.path);
    out = error_response(500, "internal", "internal error");
  }
  res.status = out.status;
  for (auto& [k, v] : out.headers) res.set_header(k, v);
  if (out.stream) {
    ctx.close_after = true;
    auto stream =
        std::make_shared<std::function<void(const HttpStreamWrite&)>>(std::move(out.stream));
    res.set_chunked_content_provider(
        out.content_type, [this, stream](size_t, httplib::DataSink& sink) {
          // The connection's writes are collected until flushed: each chunk goes out as it
          // is written, and the headers before the stream's first wait.
          ConnStream* strm = t_conn ? t_conn->stream : nullptr;
          HttpStreamWrite write = [this, &sink, strm](std::string_view data) {
            if (stopping) return false;
            return sink.write(data.data(), data.size()) && (!strm || strm->flush());
          };
          if (strm && !strm->flush()) return false;
          try {
            (*stream)(write);
          } catch (const std::exception& e) {
            spdlog::error("http: stream for {} threw: {}", t_conn ? t_conn->path : "", e.what());
          }
          sink.done();
          return true;
        });
    return;
  }
  res.set_content(std::move(out.body), out.content_type);
}

void HttpServer::Impl::on_error(const httplib::Request& req, httplib::Response& res) {
  HttpResponse r =
      error_response(res.status, default_code(res.status), default_message(res.status));
  res.set_content(r.body, r.content_type);
}

void HttpServer::Impl::on_logged(const httplib::Request& req, const httplib::Response& res) {
  if (!t_conn) return;
  ConnContext& ctx = *t_conn;
  ctx.status = res.status;
  if (!options.request_log && !options.route_observer) return;
  HttpRequestRecord record;
  record.method = ctx.method.empty() ? req.method : ctx.method;
  record.path = ctx.path.empty() ? req.path : ctx.path;
  record.route = ctx.route ? ctx.route->pattern + (ctx.route->prefix ? "*" : "") : "";
  record.status = res.status;
  record.duration = Clock::now() - ctx.start;
  record.remote_addr = req.remote_addr;
  try {
    if (options.request_log) options.request_log(record);
    if (options.route_observer) options.route_observer(record);
  } catch (...) {
    // An observer must not take a connection down; they are documented as non-throwing.
  }
}

HttpServer::HttpServer(HttpServerOptions options) : impl_(std::make_unique<Impl>()) {
  impl_->options = std::move(options);
}

HttpServer::~HttpServer() {
  stop();
}

void HttpServer::route(std::string method, std::string path, HttpHandler handler) {
  static const std::set<std::string> kMethods = {"GET",   "POST",   "PUT",
                                                 "PATCH", "DELETE", "OPTIONS"};
  if (impl_->started) throw std::logic_error("http: route " + path + " added after start()");
  if (!kMethods.count(method)) throw std::logic_error("http: unsupported method " + method);
  if (path.empty() || path[0] != '/') throw std::logic_error("http: bad route path " + path);
  bool prefix = path.size() >= 2 && path.ends_with("/*");
  Route* route = nullptr;
  if (prefix) {
    path.pop_back();
    for (Route& r : impl_->prefixes)
      if (r.pattern == path) route = &r;
    if (!route) {
      impl_->prefixes.push_back(Route{path, true, {}});
      route = &impl_->prefixes.back();
    }
  } else {
    route = &impl_->exact[path];
    route->pattern = path;
  }
  if (!route->by_method.emplace(method, std::move(handler)).second) {
    throw std::logic_error("http: route " + method + " " + path + " registered twice");
  }
  if (prefix) {
    std::stable_sort(
        impl_->prefixes.begin(), impl_->prefixes.end(),
        [](const Route& a, const Route& b) { return a.pattern.size() > b.pattern.size(); });
  }
}

Status HttpServer::start() {
  Impl& impl = *impl_;
  if (impl.started.exchange(true)) return fail("http: server already started");
  impl.core = std::make_unique<ServerCore>(impl);
  ServerCore& core = *impl.core;
  const HttpServerOptions& o = impl.options;
  core.set_payload_max_length(o.max_body_bytes);
  core.set_read_timeout(o.read_timeout);
  core.set_write_timeout(o.write_timeout);
  // SO_REUSEADDR only: httplib's default adds SO_REUSEPORT, which would let a second daemon
  // silently share our port.
  core.set_socket_options([](socket_t sock) {
    int one = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    ::fcntl(sock, F_SETFD, FD_CLOEXEC);
  });
  core.set_pre_routing_handler([&impl](const httplib::Request& req, httplib::Response& res) {
    auto out = httplib::Server::HandlerResponse::Handled;
    impl.pre_route(req, res, out);
    return out;
  });
  auto plain = [&impl](const httplib::Request& req, httplib::Response& res) {
    impl.dispatch(req, res, nullptr);
  };
  auto with_body = [&impl](const httplib::Request& req, httplib::Response& res,
                           const httplib::ContentReader& reader) {
    impl.dispatch(req, res, &reader);
  };
  core.Get("/", plain);
  core.Options("/", plain);
  core.Post("/", with_body);
  core.Put("/", with_body);
  core.Patch("/", with_body);
  core.Delete("/", with_body);
  core.set_error_handler(httplib::Server::HandlerWithResponse(
      [&impl](const httplib::Request& req, httplib::Response& res) {
        if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
        impl.on_error(req, res);
        return httplib::Server::HandlerResponse::Handled;
      }));
  core.set_exception_handler(
      [](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
        std::string what = "unknown";
        try {
          std::rethrow_exception(ep);
        } catch (const std::exception& e) {
          what = e.what();
        } catch (...) {
        }
        spdlog::error("http: {} {} failed: {}", req.method, req.path, what);
        HttpResponse r = error_response(500, "internal", "internal error");
        res.status = 500;
        res.set_content(r.body, r.content_type);
      });
  core.set_logger([&impl](const httplib::Request& req, const httplib::Response& res) {
    impl.on_logged(req, res);
  });
  core.new_task_queue = [&impl, &core] {
    auto* pool = new WorkerPool(impl.options.worker_threads, impl.options.max_queued_connections,
                                impl.epoll_fd, impl.task_fd, impl.stop_fd,
                                [&impl, &core](uint64_t key) { impl.resume(core, key); });
    {
      std::lock_guard lock(impl.mu);
      impl.listening = true;
    }
    impl.cv.notify_all();
    return pool;
  };

  errno = 0;
  int port = o.port == 0 ? core.bind_to_any_port(o.host)
                         : (core.bind_to_port(o.host, o.port) ? int(o.port) : -1);
  if (port < 0) {
    int err = errno;
    impl.core.reset();
    impl.stopped = true;
    return fail("http: cannot listen on " + o.host + ":" + std::to_string(o.port) + ": " +
                (err ? std::strerror(err) : "bind failed"));
  }
  impl.port = port;
  core.widen_backlog();
  impl.epoll_fd = ::epoll_create1(EPOLL_CLOEXEC);
  impl.task_fd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  impl.stop_fd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  epoll_event task_event{EPOLLIN | EPOLLET, {.u64 = kTaskKey}};
  epoll_event stop_event{EPOLLIN, {.u64 = kStopKey}};
  if (impl.epoll_fd < 0 || impl.task_fd < 0 || impl.stop_fd < 0 ||
      ::epoll_ctl(impl.epoll_fd, EPOLL_CTL_ADD, impl.task_fd, &task_event) != 0 ||
      ::epoll_ctl(impl.epoll_fd, EPOLL_CTL_ADD, impl.stop_fd, &stop_event) != 0) {
    int err = errno;
    impl.core.reset();
    impl.stopped = true;
    return fail(std::string("http: cannot set up epoll: ") + std::strerror(err));
  }
  impl.listen_thread = std::thread([&core] { core.listen_after_bind(); });
  // Serve only once the accept loop runs, so a stop() right after start() is never lost.
  std::unique_lock lock(impl.mu);
  if (!impl.cv.wait_for(lock, std::chrono::seconds(10), [&] { return impl.listening; })) {
    lock.unlock();
    stop();
    return fail("http: accept loop on " + url() + " did not start");
  }
  impl.sweep_thread = std::thread([&impl] { impl.sweep_idle(); });
  return {};
}

void HttpServer::stop() {
  Impl& impl = *impl_;
  {
    std::lock_guard lock(impl.mu);
    if (impl.stopped || !impl.core) {
      impl.stopped = true;
      return;
    }
    impl.stopped = true;
    impl.stopping = true;
    // Half-close reads: idle and half-read connections see EOF at once, while a handler still
    // running can write its answer.
    for (int fd : impl.connections) ::shutdown(fd, SHUT_RD);
  }
  impl.sweep_cv.notify_all();
  // The sweeper closes the parked connections; the workers end when the accept loop shuts its
  // pool down.
  if (impl.sweep_thread.joinable()) impl.sweep_thread.join();
  impl.core->close_listener();
  if (impl.listen_thread.joinable()) impl.listen_thread.join();
}

bool HttpServer::running() const {
  std::lock_guard lock(impl_->mu);
  return impl_->core && !impl_->stopped;
}

uint16_t HttpServer::port() const {
  return uint16_t(impl_->port);
}

std::string HttpServer::url() const {
  std::string host = impl_->options.host;
  if (host.find(':') != std::string::npos) host = "[" + host + "]";
  return "http://" + host + ":" + std::to_string(impl_->port);
}

}  // namespace icn::infra
