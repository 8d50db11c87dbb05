// Whole-file I/O with clear errors (path and OS reason) and atomic replacement.
#include "icn/infra/files.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

namespace icn::infra {
namespace {

Error os_error(const std::filesystem::path& path, std::string_view what) {
  return fail(std::string(what) + " " + path.string() + ": " + std::strerror(errno));
}

}  // namespace

Result<std::string> read_file(const std::filesystem::path& path, size_t max_bytes) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return os_error(path, "cannot open");
  std::string out;
  char buf[65536];
  while (true) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      Error e = os_error(path, "cannot read");
      ::close(fd);
      return e;
    }
    if (n == 0) break;
    if (out.size() + size_t(n) > max_bytes) {
      ::close(fd);
      return fail("file " + path.string() + " is larger than " + std::to_string(max_bytes) +
                  " bytes");
    }
    out.append(buf, size_t(n));
  }
  ::close(fd);
  return out;
}

Status write_file_atomic(const std::filesystem::path& path, std::string_view content,
                         std::filesystem::perms perms) {
  std::filesystem::path tmp = path;
  tmp += ".tmp." + std::to_string(::getpid());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return os_error(tmp, "cannot create");
  size_t done = 0;
  while (done < content.size()) {
    ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      Error e = os_error(tmp, "cannot write");
      ::close(fd);
      ::unlink(tmp.c_str());
      return e;
    }
    done += size_t(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    Error e = os_error(tmp, "cannot flush");
    ::unlink(tmp.c_str());
    return e;
  }
  std::error_code ec;
  std::filesystem::permissions(tmp, perms, ec);
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    ::unlink(tmp.c_str());
    return fail("cannot replace " + path.string() + ": " + ec.message());
  }
  return {};
}

}  // namespace icn::infra
