// UniqueFd and PidFd: move-only owners of file descriptors. Safe to use in the child
// (no allocation); every fd nook opens is O_CLOEXEC and owned by one of these.
#pragma once

#include <unistd.h>

#include <utility>

namespace nook::linux {

class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(UniqueFd&& o) noexcept : fd_(o.release()) {}
  UniqueFd& operator=(UniqueFd&& o) noexcept {
    reset(o.release());
    return *this;
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd() { reset(); }

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  explicit operator bool() const { return valid(); }
  int release() { return std::exchange(fd_, -1); }
  void reset(int fd = -1) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
  }

 private:
  int fd_ = -1;
};

// A pidfd: distinct type so a plain fd can't be passed where a process handle is meant.
class PidFd {
 public:
  PidFd() = default;
  explicit PidFd(int fd) : fd_(fd) {}
  int get() const { return fd_.get(); }
  bool valid() const { return fd_.valid(); }
  int release() { return fd_.release(); }

 private:
  UniqueFd fd_;
};

}  // namespace nook::linux
