// A role's data directory, held with a lock file so two processes never share one.
#pragma once

#include <filesystem>

#include "icn/core/result.hpp"

namespace icn::infra {

class DataDir {
 public:
  // Creates the directory (0700) if needed and takes an exclusive lock on DIR/LOCK, writing our
  // pid into it. Refused while another holder lives: "data dir /x is in use by process 1234
  // (lock /x/LOCK)". The lock goes with the process, so a crash never leaves it stale.
  static Result<DataDir> open(const std::filesystem::path& dir);

  DataDir(DataDir&& other) noexcept;
  DataDir& operator=(DataDir&& other) noexcept;
  ~DataDir();  // releases the lock

  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::filesystem::path& p) const { return path_ / p; }

 private:
  DataDir(std::filesystem::path path, int fd) : path_(std::move(path)), fd_(fd) {}
  std::filesystem::path path_;
  int fd_ = -1;
};

}  // namespace icn::infra
