// clone3 and pidfd syscalls; no libc wrappers exist for most of them in glibc 2.36.
#include "nook/linux/clone.h"

#include <linux/sched.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>

namespace nook::linux {

Result<CloneResult> clone3_pidfd(uint64_t flags, int cgroup_fd) {
  int pidfd = -1;
  clone_args args;
  std::memset(&args, 0, sizeof args);
  args.flags = flags | CLONE_PIDFD;
  args.pidfd = reinterpret_cast<uint64_t>(&pidfd);
  args.exit_signal = SIGCHLD;
  if (cgroup_fd >= 0) {
    args.flags |= CLONE_INTO_CGROUP;
    args.cgroup = static_cast<uint64_t>(cgroup_fd);
  }
  long pid = syscall(SYS_clone3, &args, sizeof args);
  if (pid < 0) return sys_error("clone3");
  CloneResult r;
  r.pid = static_cast<pid_t>(pid);
  if (pid > 0) r.pidfd = PidFd(pidfd);
  return r;
}

Result<PidFd> pidfd_open(pid_t pid) {
  int fd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
  if (fd < 0) return sys_error("pidfd_open " + std::to_string(pid));
  return PidFd(fd);
}

Status pidfd_send_signal(const PidFd& fd, int sig) {
  if (syscall(SYS_pidfd_send_signal, fd.get(), sig, nullptr, 0) < 0)
    return sys_error("send signal " + std::to_string(sig));
  return ok_status();
}

Result<int> wait_exit(const PidFd& fd) {
  siginfo_t info;
  for (;;) {
    std::memset(&info, 0, sizeof info);
    if (waitid(static_cast<idtype_t>(P_PIDFD), fd.get(), &info, WEXITED) == 0) break;
    if (errno != EINTR) return sys_error("wait for container process");
  }
  if (info.si_code == CLD_EXITED) return info.si_status;
  return 128 + info.si_status;
}

}  // namespace nook::linux
