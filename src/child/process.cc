// The process attributes of the container init, applied last: hooks run from the init,
// terminal, rlimits, scheduling and affinity, user, capabilities, fds. Runs post-clone: no
// allocation; failures die().
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstring>

#include "nook/base/digits.h"
#include "nook/child/steps.h"
#include "nook/linux/clone.h"
#include "nook/linux/sched.h"
#include "nook/linux/seccomp_load.h"

namespace nook::child {
namespace {

// A hook failed: "KIND hook `PATH` failed: WHY" (the runtime's wording for its own hooks),
// with `number` after WHY when it is not negative.
[[noreturn]] void hook_failed(const ChildPlan& p, const HookStep& h, const char* kind, int err,
                              const char* why, long number = -1, const char* unit = "") {
  char tail[96] = "` failed: ";
  char* o = tail + strlen(tail);
  size_t wlen = strnlen(why, 48);
  memcpy(o, why, wlen);
  o += wlen;
  if (number >= 0) o = append_unsigned(o, static_cast<unsigned long>(number));
  strncpy(o, unit, 8);
  tail[sizeof tail - 1] = '\0';
  die(p, err, kind, " hook `", h.path, tail);
}

// Runs one hook with the state JSON on its stdin and waits, killing it (and what it forked:
// its own process group) at its timeout.
void run_hook(const ChildPlan& p, const HookStep& h, const char* kind, const char* state_json) {
  int in[2], exec_err[2];
  if (pipe2(in, O_CLOEXEC) < 0 || pipe2(exec_err, O_CLOEXEC) < 0)
    die(p, errno, kind, " hook: pipe");
  auto r = linux::clone3_pidfd(0, -1);
  if (!r.ok()) die(p, r.error().err, kind, " hook: fork");
  if (r->pid == 0) {
    setpgid(0, 0);
    dup2(in[0], STDIN_FILENO);
    execve(h.path, h.argv, h.envp);
    // Tell the waiting init why; a successful execve closes this pipe instead.
    int e = errno;
    (void)!write(exec_err[1], &e, sizeof e);
    _exit(127);
  }
  close(in[0]);
  close(exec_err[1]);
  int e = 0;
  ssize_t got = read(exec_err[0], &e, sizeof e);
  close(exec_err[0]);
  siginfo_t info{};
  if (got == sizeof e) {
    waitid(static_cast<idtype_t>(P_PIDFD), r->pidfd.get(), &info, WEXITED);
    hook_failed(p, h, kind, e, "exec");
  }
  // A hook that ignores stdin must not kill us with SIGPIPE.
  struct sigaction ign {}, old {};
  ign.sa_handler = SIG_IGN;
  sigaction(SIGPIPE, &ign, &old);
  (void)!write(in[1], state_json, strlen(state_json));
  close(in[1]);
  sigaction(SIGPIPE, &old, nullptr);
  pollfd pfd{r->pidfd.get(), POLLIN, 0};
  if (poll(&pfd, 1, h.timeout_s > 0 ? h.timeout_s * 1000 : -1) == 0) {
    ::kill(-r->pid, SIGKILL);
    waitid(static_cast<idtype_t>(P_PIDFD), r->pidfd.get(), &info, WEXITED);
    hook_failed(p, h, kind, 0, "ran past its timeout of ", h.timeout_s, "s");
  }
  waitid(static_cast<idtype_t>(P_PIDFD), r->pidfd.get(), &info, WEXITED);
  if (info.si_code == CLD_EXITED && info.si_status == 0) return;
  if (info.si_code == CLD_EXITED) hook_failed(p, h, kind, 0, "exit status ", info.si_status);
  hook_failed(p, h, kind, 0, "killed by signal ", info.si_status);
}

bool is_setgroups_denied() {
  char buf[16] = {0};
  int fd = open("/proc/self/setgroups", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  return n >= 4 && memcmp(buf, "deny", 4) == 0;
}

// False with errno set: stat's, or EACCES for a directory or a file without execute bits.
bool is_executable(const char* path) {
  struct stat st;
  if (stat(path, &st) < 0) return false;
  if (S_ISREG(st.st_mode) && (st.st_mode & 0111)) return true;
  errno = EACCES;
  return false;
}

}  // namespace

void load_filters(const ChildPlan& p) {
  for (size_t i = 0; i < p.nseccomp; ++i) {
    const SeccompStep& f = p.seccomp[i];
    int rc = linux::load_seccomp(f.prog, f.len, f.flags);
    if (rc < 0) die(p, -rc, "load seccomp filter");
    if (f.flags & SECCOMP_FILTER_FLAG_NEW_LISTENER) {
      send_sync(p, SyncType::Seccomp, rc);
      close(rc);
    }
  }
}

void run_hooks(const ChildPlan& p, const HookStep* hooks, size_t n, const char* kind,
               const char* state_json) {
  for (size_t i = 0; i < n; ++i) run_hook(p, hooks[i], kind, state_json);
}

void setup_terminal(const ChildPlan& p) {
  int master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (master < 0) die(p, errno, "open `/dev/ptmx`");
  int unlock = 0;
  if (ioctl(master, TIOCSPTLCK, &unlock) < 0) die(p, errno, "unlock pty");
  int slave = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY);
  if (slave < 0) die(p, errno, "open pty peer");
  if (p.console_rows || p.console_cols) {
    winsize ws{};
    ws.ws_row = p.console_rows;
    ws.ws_col = p.console_cols;
    ioctl(master, TIOCSWINSZ, &ws);
  }
  // The init's /dev/console is its pty too, as in runc (an exec'd process leaves it alone).
  if (!p.is_exec) {
    int root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
    int console = root < 0 ? -errno : linux::make_path_in_root(root, "/dev/console", 0755, true);
    if (console < 0) die(p, -console, "create `/dev/console`");
    close(root);
    int rc = linux::bind_mount_onto_fd(slave, "", console, false, {}, 0);
    if (rc < 0) die(p, -rc, "bind the pty on `/dev/console`");
    close(console);
  }
  send_sync(p, SyncType::Console, master);
  close(master);
  if (ioctl(slave, TIOCSCTTY, 0) < 0) die(p, errno, "set controlling terminal");
  for (int fd = 0; fd < 3; ++fd)
    if (dup2(slave, fd) < 0) die(p, errno, "dup2 pty");
  if (slave > 2) close(slave);
}

void find_executable(const ChildPlan& p, char* out) {
  const char* name = p.argv[0];
  if (strchr(name, '/')) {
    if (strlen(name) >= PATH_MAX) die(p, ENAMETOOLONG, "exec `", name, "`");
    strcpy(out, name);
    if (!is_executable(out)) die(p, errno, "exec: `", name, "`");
    return;
  }
  size_t nlen = strlen(name);
  for (const char* d = p.path_env; *d;) {
    size_t dlen = strcspn(d, ":");
    if (dlen + 1 + nlen < PATH_MAX) {
      if (dlen == 0) { out[0] = '.'; dlen = 1; } else memcpy(out, d, dlen);
      out[dlen] = '/';
      memcpy(out + dlen + 1, name, nlen + 1);
      if (is_executable(out)) return;
    }
    d += strcspn(d, ":");
    if (*d == ':') ++d;
  }
  die(p, 0, "exec: \"", name, "\": executable file not found in $PATH");
}

void apply_limits(const ChildPlan& p) {
  for (size_t i = 0; i < p.nrlimits; ++i) {
    const RlimitStep& r = p.rlimits[i];
    rlimit64 lim{r.soft, r.hard};
    if (prlimit64(0, static_cast<__rlimit_resource>(r.resource), &lim, nullptr) < 0)
      die(p, errno, "setrlimit `", r.name, "`");
  }
  if (p.oom_score_adj) {
    int fd = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);
    size_t len = strlen(p.oom_score_adj);
    if (fd < 0 || write(fd, p.oom_score_adj, len) != static_cast<ssize_t>(len))
      die(p, errno, "set oom_score_adj to ", p.oom_score_adj);
    close(fd);
  }
  if (p.personality >= 0 && personality(static_cast<unsigned long>(p.personality)) < 0)
    die(p, errno, "set personality");
}

void apply_scheduling(const ChildPlan& p) {
  if (p.has_memory_policy) {
    int rc = linux::set_memory_policy(p.memory_policy, p.memory_nodes);
    if (rc < 0)
      die(p, -rc, "linux.memoryPolicy: set_mempolicy",
          rc == -EINVAL ? " (are its nodes online and allowed by the cpuset?)" : "");
  }
  if (p.has_scheduler) {
    int rc = linux::set_scheduler(p.scheduler);
    // With CONFIG_RT_GROUP_SCHED a cgroup v1 cpu cgroup grants no real-time time by default.
    bool realtime = p.scheduler.policy == SCHED_FIFO || p.scheduler.policy == SCHED_RR;
    if (rc < 0)
      die(p, -rc, "process.scheduler: set policy `", p.scheduler_policy,
          realtime && rc == -EPERM ? "` (does linux.resources.cpu.realtimeRuntime grant the "
                                     "cgroup real-time time?)"
                                   : "`");
  }
  if (p.has_io_priority) {
    int rc = linux::set_io_priority(p.io_priority);
    if (rc < 0) die(p, -rc, "process.ioPriority: ioprio_set");
  }
}

void join_cgroup(const ChildPlan& p) {
  for (size_t i = 0; i < p.ncgroup_tasks; ++i) {
    if (write(p.cgroup_tasks[i], "0", 1) != 1) die(p, errno, "join the container's cgroup");
    close(p.cgroup_tasks[i]);
  }
}

void set_affinity(const ChildPlan& p) {
  int rc = linux::set_affinity(0, p.affinity);
  if (rc < 0)
    die(p, -rc, p.affinity_is_final ? "process.execCPUAffinity.final: " : "", "set CPU affinity");
}

void drop_privileges(const ChildPlan& p) {
  if (p.has_caps) {
    for (int c = 0; c <= p.last_cap; ++c)
      if (!(p.cap_bounding & (1ULL << c)) && prctl(PR_CAPBSET_DROP, c, 0, 0, 0) < 0 &&
          errno != EINVAL)
        die(p, errno, "drop capability from the bounding set");
  }
  // Without no_new_privs loading a filter needs CAP_SYS_ADMIN: load it while we have it.
  if (!p.no_new_privs) load_filters(p);
  // Keep the permitted set across the uid change; capset below decides what stays.
  prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0);
  if (p.set_groups && setgroups(p.ngroups, p.groups) < 0) {
    // A joined user namespace may have setgroups denied: then the groups we were cloned with
    // stay, as in runc, unless the config asked for some.
    if (errno != EPERM || p.ngroups > 0 || !is_setgroups_denied())
      die(p, errno, "setgroups", is_setgroups_denied() ? " (denied in this user namespace)" : "");
  }
  if (setresgid(p.gid, p.gid, p.gid) < 0) die(p, errno, "setgid");
  if (setresuid(p.uid, p.uid, p.uid) < 0) die(p, errno, "setuid");
  prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0);
  umask(static_cast<mode_t>(p.umask >= 0 ? p.umask : 022));
  // Resolved inside the new root and never through /proc magic links (CVE-2024-21626).
  int cwd = linux::open_in_root(AT_FDCWD, p.cwd, O_PATH | O_DIRECTORY);
  if (cwd < 0 || fchdir(cwd) < 0) die(p, cwd < 0 ? -cwd : errno, "chdir to cwd `", p.cwd, "`");
  close(cwd);
  if (p.has_caps) {
    __user_cap_header_struct hdr{_LINUX_CAPABILITY_VERSION_3, 0};
    __user_cap_data_struct data[2];
    for (int i = 0; i < 2; ++i) {
      data[i].effective = static_cast<uint32_t>(p.cap_effective >> (32 * i));
      data[i].permitted = static_cast<uint32_t>(p.cap_permitted >> (32 * i));
      data[i].inheritable = static_cast<uint32_t>(p.cap_inheritable >> (32 * i));
    }
    if (syscall(SYS_capset, &hdr, data) < 0) die(p, errno, "capset");
    // The kernel only raises an ambient cap that is also permitted and inheritable; like
    // runc, the others are skipped rather than failing the container.
    for (int c = 0; c <= p.last_cap; ++c)
      if (p.cap_ambient & p.cap_permitted & p.cap_inheritable & (1ULL << c))
        prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, c, 0, 0);
  }
  if (p.no_new_privs && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) die(p, errno, "set no_new_privs");
}

void prepare_fds(const ChildPlan& p) {
  for (int fd = 3; fd < 3 + p.preserved_fds; ++fd) fcntl(fd, F_SETFD, 0);
  // Everything else nook holds (sync socket, state dir, pidfds) must not reach the workload.
  syscall(SYS_close_range, 3 + p.preserved_fds, ~0U, CLOSE_RANGE_CLOEXEC);
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
}

}  // namespace nook::child
