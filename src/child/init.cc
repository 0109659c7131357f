// The container init between clone3 and execve: a straight list of steps reading the
// ChildPlan. Runs post-clone: no allocation, no exceptions, no logging, no library state;
// errors go to the parent as SyncMsg{Error} and the process exits.
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstring>

#include "nook/base/digits.h"
#include "nook/child/steps.h"
#include "nook/linux/socket.h"

extern char** environ;

namespace nook::child {

void die(const ChildPlan& p, int err, const char* a, const char* b, const char* c,
         const char* d, const char* e) {
  SyncMsg m;
  std::memset(&m, 0, sizeof m);
  m.type = SyncType::Error;
  m.err = err;
  size_t used = 0;
  for (const char* part : {a, b, c, d, e}) {
    size_t len = strnlen(part, sizeof m.text);
    if (used + len >= sizeof m.text) len = sizeof m.text - 1 - used;
    std::memcpy(m.text + used, part, len);
    used += len;
  }
  if (p.start_fd >= 0) {
    // After Ready: `start` is reading the exec fifo and reports the error: its text, a NUL,
    // and the errno in decimal.
    char packet[sizeof m.text + 16];
    size_t len = strnlen(m.text, sizeof m.text - 1);
    std::memcpy(packet, m.text, len);
    packet[len] = '\0';
    char* end = append_unsigned(packet + len + 1, static_cast<unsigned>(err));
    (void)!write(p.start_fd, packet, static_cast<size_t>(end - packet));
  } else {
    linux::send_packet(p.sync_fd, &m, sizeof m, -1);
  }
  _exit(1);
}

void send_sync(const ChildPlan& p, SyncType type, int pass_fd) {
  SyncMsg m;
  std::memset(&m, 0, sizeof m);
  m.type = type;
  if (linux::send_packet(p.sync_fd, &m, offsetof(SyncMsg, text), pass_fd) < 0) _exit(1);
}

namespace {

// Waits for one message of `type` from the parent; `buf` receives its payload if given.
void await(const ChildPlan& p, SyncType type, char* buf = nullptr, size_t cap = 0) {
  // The message is the type word followed by an optional payload (the hook state JSON).
  char packet[sizeof(SyncType) + 65536];
  ssize_t n = linux::recv_packet(p.sync_fd, packet, sizeof packet, nullptr);
  if (n < static_cast<ssize_t>(sizeof(SyncType))) _exit(1);  // the parent is gone
  SyncType got;
  std::memcpy(&got, packet, sizeof got);
  if (got != type) die(p, 0, "unexpected message from the runtime");
  if (buf) {
    size_t len = static_cast<size_t>(n) - sizeof got;
    if (len >= cap) len = cap - 1;
    std::memcpy(buf, packet + sizeof got, len);
    buf[len] = '\0';
  }
}

// A fresh session keyring so the container can't read the host's keys (runc does the same).
void join_session_keyring(const ChildPlan& p) {
  if (!p.session_keyring) return;
  constexpr long kJoinSessionKeyring = 1;  // KEYCTL_JOIN_SESSION_KEYRING
  if (syscall(SYS_keyctl, kJoinSessionKeyring, p.session_keyring) < 0 && errno != ENOSYS)
    die(p, errno, "join session keyring `", p.session_keyring, "`");
}

void set_names(const ChildPlan& p) {
  if (p.hostname && sethostname(p.hostname, strlen(p.hostname)) < 0)
    die(p, errno, "sethostname `", p.hostname, "`");
  if (p.domainname && setdomainname(p.domainname, strlen(p.domainname)) < 0)
    die(p, errno, "setdomainname `", p.domainname, "`");
}

// A new network namespace starts with `lo` down; runc and crun bring it up (not a joined one),
// and programs expect 127.0.0.1 to answer. Any socket reaches its namespace's devices.
void bring_loopback_up(const ChildPlan& p) {
  if (!p.new_net_ns) return;
  int sock = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (sock < 0) die(p, errno, "socket to configure `lo`");
  ifreq ifr{};
  strcpy(ifr.ifr_name, "lo");
  if (ioctl(sock, SIOCGIFFLAGS, &ifr) < 0) die(p, errno, "read the flags of `lo`");
  ifr.ifr_flags |= IFF_UP;
  if (ioctl(sock, SIOCSIFFLAGS, &ifr) < 0) die(p, errno, "bring `lo` up");
  close(sock);
}

// Before anything forks: once a process is in the new time namespace its offsets are fixed.
// Dumpable for the write: in a user namespace /proc/self is ours only then, and becoming its
// root cleared the flag. Nothing else runs in the container yet.
void make_time_namespace(const ChildPlan& p) {
  if (!p.time_offsets) return;
  if (unshare(CLONE_NEWTIME) < 0) die(p, errno, "unshare the time namespace");
  prctl(PR_SET_DUMPABLE, 1);
  int fd = open("/proc/self/timens_offsets", O_WRONLY | O_CLOEXEC);
  size_t len = strlen(p.time_offsets);
  if (fd < 0 || write(fd, p.time_offsets, len) != static_cast<ssize_t>(len))
    die(p, errno, "linux.timeOffsets: write `/proc/self/timens_offsets`");
  close(fd);
}

// While it waits for start the init runs nook's code, not the container's: a signal sent to a
// created container (`nook kill ID TERM`) ends it, as it ends runc's init, rather than being
// lost — a pid namespace's init only receives the signals it handles. execve resets them.
void exit_on_signals() {
  struct sigaction sa {};
  sa.sa_handler = [](int sig) { _exit(128 + sig); };
  sigemptyset(&sa.sa_mask);
  // Those that do not end a process by default, and the two nothing can catch.
  constexpr int kLeave[] = {SIGKILL,  SIGSTOP, SIGCHLD, SIGCONT, SIGURG,
                            SIGWINCH, SIGTSTP, SIGTTIN, SIGTTOU};
  for (int sig = 1; sig < NSIG; ++sig) {
    bool leave = false;
    for (int l : kLeave) leave |= sig == l;
    // glibc's own real-time signals refuse a handler; that is fine.
    if (!leave) sigaction(sig, &sa, nullptr);
  }
}

// Blocks until `nook start` opens the fifo for reading; from then on errors go to it. The fifo
// goes at once, so the container is never reported created once it may run: should `start`
// die before it reads our answer, our write to the fifo fails and we exit. (Its directory is
// the host root's: in a user namespace `start` removes it after the answer instead.)
void wait_for_start(ChildPlan& p) {
  int fd = openat(p.state_dir_fd, "exec.fifo", O_WRONLY | O_CLOEXEC);
  if (fd < 0) _exit(1);  // nobody can hear an error now; start sees the init gone
  unlinkat(p.state_dir_fd, "exec.fifo", 0);
  close(p.state_dir_fd);
  p.start_fd = fd;
}

}  // namespace

void run_init(ChildPlan& p) {
  p.start_fd = -1;
  // The flock is on an open file description we share: holding it would block every other
  // command on this container until start.
  close(p.lock_fd);
  // Die with the parent until it has recorded us; cleared just before Ready.
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  umask(0);  // device nodes and mount targets get exactly the modes asked for
  // Dumpable until then: a parent without privileges can only write our uid_map and gid_map
  // while /proc/PID is ours (runc's nsexec does the same).
  await(p, SyncType::Go);
  // After Go, so that a failure reaches the parent as an error it reads, not a dead child.
  join_cgroup(p);

  // Our host uid 0 means nothing in there (files we create would fail with EOVERFLOW).
  if (p.in_user_ns && (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0))
    die(p, errno, "become root in the user namespace (is its uid and gid 0 mapped?)");
  make_time_namespace(p);
  // Not dumpable until execve: other processes in the container can't open our /proc files.
  prctl(PR_SET_DUMPABLE, 0);
  // A session of its own, as runc: no way back to the caller's terminal (TIOCSTI through
  // /dev/tty) or its job-control signals.
  if (setsid() < 0) die(p, errno, "setsid");
  set_names(p);
  bring_loopback_up(p);
  join_session_keyring(p);

  int root_fd = -1;
  if (p.new_mount_ns) {
    root_fd = prepare_rootfs(p);
    mount_all(p, root_fd);
    make_devices(p, root_fd);
  } else {
    root_fd = open(p.rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (root_fd < 0) die(p, errno, "open rootfs `", p.rootfs, "`");
  }

  // prestart/createRuntime run in the parent now; createContainer here, before pivot_root.
  send_sync(p, SyncType::Hooks);
  await(p, SyncType::HooksDone, p.hook_state, p.hook_state_cap);
  // HooksDone also means the parent has moved us into the cgroup.
  if (p.late_unshare_flags && unshare(p.late_unshare_flags) < 0) die(p, errno, "unshare cgroup namespace");
  set_affinity(p);
  run_hooks(p, p.create_container_hooks, p.ncreate_container_hooks, "createContainer",
            p.hook_state);

  enter_root(p, root_fd);
  close(root_fd);
  // Sysctls before the read-only paths: /proc/sys is usually one of them.
  write_sysctls(p);
  if (p.new_mount_ns) finish_rootfs(p);
  if (p.terminal) setup_terminal(p);

  apply_limits(p);
  apply_scheduling(p);
  // As runc: the user and capabilities are in place before `create` returns, so their errors
  // reach the caller; the fifo (mode 0622, dir 0711) stays openable without privileges.
  drop_privileges(p);
  char exe[PATH_MAX];
  find_executable(p, exe);
  // A listener's fd travels over the sync socket, open only until Ready.
  if (p.no_new_privs && p.seccomp_listener) load_filters(p);

  prctl(PR_SET_PDEATHSIG, 0);
  send_sync(p, SyncType::Ready);
  close(p.sync_fd);

  exit_on_signals();
  wait_for_start(p);
  run_hooks(p, p.start_container_hooks, p.nstart_container_hooks, "startContainer",
            p.hook_state + strlen(p.hook_state) + 1);
  prepare_fds(p);
  // Seccomp last, so that nothing of ours runs under it (unless it had to go earlier).
  if (p.no_new_privs && !p.seccomp_listener) load_filters(p);
  if (write(p.start_fd, "0", 1) != 1) _exit(1);
  execve(exe, p.argv, p.envp);
  // After start nobody waits on the sync socket: say it where the container's output goes.
  const char msg[] = "nook: exec failed\n";
  (void)!write(STDERR_FILENO, msg, sizeof msg - 1);
  _exit(127);
}

}  // namespace nook::child
