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
// A plain fork for short-lived helpers (hooks); returns 0 in the child.
pid_t fork_process();

Result<PidFd> pidfd_open(pid_t pid);
Status pidfd_send_signal(const PidFd& fd, int sig);
// Waits for the process to exit; returns a shell-style status: code, or 128+signal.
Result<int> wait_exit(const PidFd& fd);
// Non-blocking: whether the process behind the pidfd has exited (pidfd readable).
bool has_exited(const PidFd& fd);

// Shell-style exit status from a wait status (code, or 128+signal).
int exit_status_of(int wstatus);

}  // namespace nook::linux
