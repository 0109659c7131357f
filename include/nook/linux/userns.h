// User namespaces from the parent's side: writing a child's id map files, and a process parked
// in a new user namespace so that an id-mapped mount can borrow its mapping. Parent-side.
#pragma once

#include <sys/types.h>

#include <string_view>

#include "nook/base/result.h"
#include "nook/linux/fd.h"

namespace nook::linux {

// Writes `text` to /proc/PID/FILE in a single write(2), as uid_map and gid_map require.
Status write_proc_file(pid_t pid, std::string_view file, std::string_view text);
// Opens /proc/PID/ns/NAME.
Result<UniqueFd> open_ns_of(pid_t pid, std::string_view name);

// A child that does nothing in a new user namespace of its own until this object dies (then it
// is killed and reaped). Its maps are written with write_proc_file; open_ns_of gives the fd.
class UserNsHolder {
 public:
  static Result<UserNsHolder> spawn();
  UserNsHolder(UserNsHolder&& o) noexcept;
  UserNsHolder& operator=(UserNsHolder&&) = delete;
  ~UserNsHolder();
  pid_t pid() const { return pid_; }

 private:
  UserNsHolder(pid_t pid, PidFd fd) : pid_(pid), pidfd_(std::move(fd)) {}
  pid_t pid_;
  PidFd pidfd_;
};

}  // namespace nook::linux
