// clone3 with a pidfd, pidfd helpers and waiting. Safe post-clone (no allocation).
#pragma once

#include <sys/types.h>

#include <cstdint>

#include "nook/base/result.h"
#include "nook/linux/fd.h"

namespace nook::linux {

struct CloneResult {
  pid_t pid = -1;  // 0 in the child
  PidFd pidfd;     // parent only
};

// clone3(flags | CLONE_PIDFD, exit signal SIGCHLD); `cgroup_fd` >= 0 adds CLONE_INTO_CGROUP.
Result<CloneResult> clone3_pidfd(uint64_t flags, int cgroup_fd);

Result<PidFd> pidfd_open(pid_t pid);
Status pidfd_send_signal(const PidFd& fd, int sig);
// Waits for the process to exit; returns a shell-style status: code, or 128+signal.
Result<int> wait_exit(const PidFd& fd);

}  // namespace nook::linux
