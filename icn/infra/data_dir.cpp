// DataDir: flock(2) on DIR/LOCK (per open file, so it also excludes a second open in-process).
#include "icn/infra/data_dir.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace icn::infra {

Result<DataDir> DataDir::open(const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return fail("cannot create data dir " + dir.string() + ": " + ec.message());
  if (!std::filesystem::is_directory(dir, ec)) {
    return fail("data dir " + dir.string() + " is not a directory");
  }
  auto lock = dir / "LOCK";
  int fd = ::open(lock.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return fail("cannot open " + lock.string() + ": " + std::strerror(errno));
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    int err = errno;
    std::string holder;
    char buf[32] = {};
    ssize_t n = ::pread(fd, buf, sizeof buf - 1, 0);
    for (ssize_t i = 0; i < n && buf[i] >= '0' && buf[i] <= '9'; ++i) holder += buf[i];
    ::close(fd);
    if (err == EWOULDBLOCK) {
      return fail("data dir " + dir.string() + " is in use by process " +
                  (holder.empty() ? "(unknown)" : holder) + " (lock " + lock.string() + ")");
    }
    return fail("cannot lock " + lock.string() + ": " + std::strerror(err));
  }
  std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, pid.data(), pid.size(), 0) != ssize_t(pid.size())) {
    int err = errno;
    ::close(fd);
    return fail("cannot write " + lock.string() + ": " + std::strerror(err));
  }
  ::chmod(dir.c_str(), 0700);  // keys and databases live here
  return DataDir(dir, fd);
}

DataDir::DataDir(DataDir&& other) noexcept : path_(std::move(other.path_)), fd_(other.fd_) {
  other.fd_ = -1;
}

DataDir& DataDir::operator=(DataDir&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    path_ = std::move(other.path_);
    fd_ = other.fd_;
    other.fd_ = -1;
  }
  return *this;
}

DataDir::~DataDir() {
  if (fd_ >= 0) ::close(fd_);  // closing the descriptor releases the flock
}

}  // namespace icn::infra
