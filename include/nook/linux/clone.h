// clone3 with a pidfd, pidfd helpers and waiting. Safe post-clone (no allocation).
#pragma once

#include <sys/types.h>

#include <cstdint>

#include "nook/base/result.h"
#include "nook/linux/fd.h"

namespace nook::linux {

struct CloneResult {
  pid_t pid = -1;            // 0 in the child
  PidFd pidfd;               // parent only
  bool into_cgroup = false;  // CLONE_INTO_CGROUP took: the child started in `cgroup_fd`
};

// clone3(flags | CLONE_PIDFD, exit signal SIGCHLD); `cgroup_fd` >= 0 adds CLONE_INTO_CGROUP.
// Where a seccomp filter fails clone3 with ENOSYS, clone(2), and the caller places the child.
Result<CloneResult> clone3_pidfd(uint64_t flags, int cgroup_fd);

struct NsJoin {
  int fd;      // an open namespace file
  int nstype;  // CLONE_NEW*
};

// clone3(flags) of a process that starts in the namespaces `joins`, which the caller stays out
// of: a short-lived helper enters them (the user namespace last, so that the others are joined
// with the host's privileges) and clones with CLONE_PARENT, so the new process is the caller's
// child and its new namespaces belong to the joined user namespace. Pid 0 in the new process.
Result<CloneResult> clone3_joined(uint64_t flags, const NsJoin* joins, size_t njoins,
                                  int cgroup_fd);

Result<PidFd> pidfd_open(pid_t pid);
Status pidfd_send_signal(const PidFd& fd, int sig);
// Waits for the process to exit; returns a shell-style status: code, or 128+signal.
Result<int> wait_exit(const PidFd& fd);

}  // namespace nook::linux
