// clone3 and pidfd syscalls; no libc wrappers exist for most of them in glibc 2.36.
#include "nook/linux/clone.h"

#include <fcntl.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
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
  // Under a seccomp filter that fails clone3 with ENOSYS (containerd's, agent.json), as the
  // init's startContainer hooks may run: clone(2), which takes CLONE_PIDFD but no cgroup. The
  // pidfd goes to the third argument (parent_tid) on every architecture but s390.
  bool into_cgroup = cgroup_fd >= 0;
  if (pid < 0 && errno == ENOSYS) {
    pid = syscall(SYS_clone, (flags | CLONE_PIDFD | SIGCHLD), 0, &pidfd, 0, 0);
    into_cgroup = false;
  }
  if (pid < 0) return sys_error("clone3");
  CloneResult r;
  r.pid = static_cast<pid_t>(pid);
  r.into_cgroup = into_cgroup;
  if (pid > 0) r.pidfd = PidFd(pidfd);
  return r;
}

Result<CloneResult> clone3_joined(uint64_t flags, const NsJoin* joins, size_t njoins,
                                  int cgroup_fd) {
  int p[2];
  if (pipe2(p, O_CLOEXEC) < 0) return sys_error("pipe");
  UniqueFd rd(p[0]), wr(p[1]);
  auto helper = NOOK_TRY(clone3_pidfd(0, -1));
  if (helper.pid == 0) {
    rd.reset();
    // The user namespace last: joining the others needs the host's privileges, which joining
    // it gives up. Each result is -errno, or the new pid.
    int32_t result = 0;
    for (int pass = 0; pass < 2 && result == 0; ++pass)
      for (size_t i = 0; i < njoins && result == 0; ++i)
        if ((joins[i].nstype == CLONE_NEWUSER) == (pass == 1) &&
            setns(joins[i].fd, joins[i].nstype) < 0)
          result = -errno;
    if (result == 0) {
      clone_args args;
      std::memset(&args, 0, sizeof args);
      args.flags = flags | CLONE_PARENT;  // exit_signal must be 0: it is the helper's, SIGCHLD
      if (cgroup_fd >= 0) {
        args.flags |= CLONE_INTO_CGROUP;
        args.cgroup = static_cast<uint64_t>(cgroup_fd);
      }
      long pid = syscall(SYS_clone3, &args, sizeof args);
      if (pid == 0) {  // the new process continues as the caller's child
        CloneResult child;
        child.pid = 0;
        return child;
      }
      result = pid < 0 ? -errno : static_cast<int32_t>(pid);
    }
    (void)!write(wr.get(), &result, sizeof result);
    _exit(0);
  }
  wr.reset();
  int32_t result = -EPIPE;
  ssize_t n;
  do n = read(rd.get(), &result, sizeof result);
  while (n < 0 && errno == EINTR);
  (void)wait_exit(helper.pidfd);
  if (n != sizeof result) result = -EPIPE;
  if (result < 0) return Error{-result, "clone3 into the joined namespaces"};
  // Our child (CLONE_PARENT) that nobody else can reap, so the pid cannot be reused meanwhile.
  CloneResult r;
  r.pid = result;
  r.pidfd = NOOK_TRY(pidfd_open(result));
  r.into_cgroup = cgroup_fd >= 0;
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
