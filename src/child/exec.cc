// The child of `nook exec` between clone3 and execve: join the running container's namespaces
// through the init's pidfd, then the process setup shared with the init. Runs post-clone: no
// allocation, no exceptions; errors go to the parent as SyncMsg{Error}.
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstring>

#include "nook/child/steps.h"
#include "nook/linux/socket.h"

namespace nook::child {

void run_exec(ChildPlan& p) {
  p.start_fd = -1;
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  // Not dumpable until execve: the container can't open our /proc files (CVE-2024-21626).
  prctl(PR_SET_DUMPABLE, 0);
  SyncType go;
  if (linux::recv_packet(p.sync_fd, &go, sizeof go, nullptr) != sizeof go || go != SyncType::Go)
    _exit(1);
  join_cgroup(p);

  // All of them at once through the pidfd: the user namespace first is implied.
  if (p.setns_flags && setns(p.init_pidfd, p.setns_flags) < 0)
    die(p, errno, "join the container's namespaces");
  close(p.init_pidfd);
  if (setsid() < 0) die(p, errno, "setsid");  // as the init: not the caller's terminal session
  // A container without its own mount namespace was chrooted, not pivoted: do the same.
  if (!(p.setns_flags & CLONE_NEWNS) && (chroot(p.rootfs) < 0 || chdir("/") < 0))
    die(p, errno, "chroot into `", p.rootfs, "`");

  set_affinity(p);  // in the cgroup now: joined above, or placed by the parent before Go
  if (p.terminal) setup_terminal(p);
  apply_limits(p);
  apply_scheduling(p);
  drop_privileges(p);
  char exe[PATH_MAX];
  find_executable(p, exe);
  prepare_fds(p);
  if (p.no_new_privs) load_filters(p);
  prctl(PR_SET_PDEATHSIG, 0);
  execve(exe, p.argv, p.envp);
  die(p, errno, "exec `", exe, "`");
}

}  // namespace nook::child
