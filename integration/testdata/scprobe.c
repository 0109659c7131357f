// scprobe: a small static test program for the seccomp and agent-profile tests, run inside the
// container (copied into the bundle's rootfs; busybox cannot make raw syscalls).
//
//   scprobe call NAME|NR [ARG...]  syscall NAME (a few names known, else a number) with up to
//                                  six integer args; prints "ok RET", "errno NAME", or
//                                  "trap NR" when a SIGSYS handler ran (SCMP_ACT_TRAP)
//   scprobe int80 NR               the same through the i386 ABI (int $0x80, x86-64 only)
//   scprobe denied                 tries every syscall group the agent profile denies; one line
//                                  "GROUP SYSCALL RESULT" each (RESULT: ok or an errno name)
//   scprobe ptrace PID             PTRACE_ATTACH to PID; prints ok or the errno name
//   scprobe threads                SCMP_ACT_KILL_THREAD vs KILL_PROCESS: a second thread calls
//                                  getppid; prints "survived" when the main thread outlives it
//   scprobe loop N                 N getppid calls; prints the nanoseconds per call (the cost
//                                  of the filters on a syscall they let through)
//   scprobe unlock-write PATH      clears MOUNT_ATTR_RDONLY on the mount PATH is the root of,
//                                  then appends a byte to PATH; prints "clear RESULT write
//                                  RESULT" (RESULT: ok or an errno name)
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/mount.h>
#include <linux/sched.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char* errno_name(int e) {
  switch (e) {
    case EPERM: return "EPERM";
    case ENOENT: return "ENOENT";
    case ESRCH: return "ESRCH";
    case EBADF: return "EBADF";
    case EACCES: return "EACCES";
    case EFAULT: return "EFAULT";
    case EBUSY: return "EBUSY";
    case EEXIST: return "EEXIST";
    case EINVAL: return "EINVAL";
    case EROFS: return "EROFS";
    case EDOM: return "EDOM";
    case ENOSYS: return "ENOSYS";
    case EOPNOTSUPP: return "EOPNOTSUPP";
    case EAFNOSUPPORT: return "EAFNOSUPPORT";
    case ENODEV: return "ENODEV";
    case ENOEXEC: return "ENOEXEC";
    case ENOKEY: return "ENOKEY";
    case ENOTDIR: return "ENOTDIR";
    case EMFILE: return "EMFILE";
    default: {
      static char buf[16];
      snprintf(buf, sizeof buf, "E%d", e);
      return buf;
    }
  }
}

static struct {
  const char* name;
  long nr;
} kNames[] = {
    {"getppid", SYS_getppid}, {"getpid", SYS_getpid}, {"mkdirat", SYS_mkdirat},
    {"uname", SYS_uname},     {"personality", SYS_personality},
};

static void on_sigsys(int sig, siginfo_t* info, void* ctx) {
  (void)sig, (void)ctx;
  printf("trap %d\n", info->si_syscall);
  fflush(stdout);
  _exit(0);
}

static int call(int argc, char** argv) {
  long nr = -1, a[6] = {0};
  for (size_t i = 0; i < sizeof kNames / sizeof kNames[0]; ++i)
    if (strcmp(argv[0], kNames[i].name) == 0) nr = kNames[i].nr;
  if (nr < 0) nr = strtol(argv[0], NULL, 0);
  for (int i = 1; i < argc && i <= 6; ++i) a[i - 1] = (long)strtoull(argv[i], NULL, 0);
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_sigsys;
  sa.sa_flags = SA_SIGINFO;
  sigaction(SIGSYS, &sa, NULL);
  long r = syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
  if (r < 0) printf("errno %s\n", errno_name(errno));
  else printf("ok %ld\n", r);
  return 0;
}

static int int80(const char* arg) {
#if defined(__x86_64__)
  long r, nr = strtol(arg, NULL, 0);
  __asm__ volatile("int $0x80" : "=a"(r) : "a"(nr) : "memory");
  if (r < 0 && r > -4096) printf("errno %s\n", errno_name((int)-r));
  else printf("ok %ld\n", r);
  return 0;
#else
  (void)arg;
  printf("unsupported\n");
  return 2;
#endif
}

static void report(const char* group, const char* name, long r) {
  if (r < 0) printf("%s %s %s\n", group, name, errno_name(errno));
  else printf("%s %s ok\n", group, name);
  fflush(stdout);
}

// Runs `fn` in a child, so that a call that succeeds (a new user namespace, a traced process)
// cannot change the probe itself; the child's exit status carries errno (0: the call worked).
static long in_child(long (*fn)(void)) {
  pid_t pid = fork();
  if (pid == 0) _exit(fn() < 0 ? errno : 0);
  int status = 0;
  waitpid(pid, &status, 0);
  if (!WIFEXITED(status)) {
    errno = EINTR;
    return -1;
  }
  errno = WEXITSTATUS(status);
  return errno ? -1 : 0;
}

static long try_unshare_user(void) { return unshare(CLONE_NEWUSER); }
static long try_clone_user(void) {
  long r = syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, 0, 0, 0, 0);
  if (r == 0) _exit(0);
  if (r > 0) waitpid((pid_t)r, NULL, 0);
  return r < 0 ? -1 : 0;
}
static long try_traceme(void) { return ptrace(PTRACE_TRACEME, 0, 0, 0); }
static long try_no_aslr(void) { return personality(ADDR_NO_RANDOMIZE); }
static long try_read_implies_exec(void) { return personality(READ_IMPLIES_EXEC); }

// Arguments are chosen so that, without the filter, the kernel answers something other than
// EPERM/ENOSYS wherever it can (ok, ENOENT, EBADF, EFAULT, EINVAL), which the tests compare.
static int denied(void) {
  char buf[16];
  struct iovec local = {buf, sizeof buf}, remote = {buf, sizeof buf};
  report("ptrace", "ptrace", in_child(try_traceme));
  report("ptrace", "process_vm_readv",
         syscall(SYS_process_vm_readv, getpid(), &local, 1, &remote, 1, 0));
  report("ptrace", "process_vm_writev",
         syscall(SYS_process_vm_writev, getpid(), &local, 1, &remote, 1, 0));
  report("ptrace", "kcmp", syscall(SYS_kcmp, getpid(), getpid(), 0 /* KCMP_FILE */, 0, 0));
  report("ptrace", "pidfd_getfd", syscall(SYS_pidfd_getfd, -1, 0, 0));
  report("bpf", "bpf", syscall(SYS_bpf, 0 /* BPF_MAP_CREATE */, NULL, 0));
  report("perf", "perf_event_open", syscall(SYS_perf_event_open, NULL, 0, -1, -1, 0));
  report("keys", "keyctl", syscall(SYS_keyctl, 0 /* GET_KEYRING_ID */, -3 /* SESSION */, 0));
  report("keys", "add_key", syscall(SYS_add_key, NULL, NULL, NULL, 0, 0));
  report("keys", "request_key", syscall(SYS_request_key, NULL, NULL, NULL, 0));
  report("userfaultfd", "userfaultfd", syscall(SYS_userfaultfd, 1 /* UFFD_USER_MODE_ONLY */));
  report("io_uring", "io_uring_setup", syscall(SYS_io_uring_setup, 0, NULL));
  report("io_uring", "io_uring_enter", syscall(SYS_io_uring_enter, -1, 0, 0, 0, NULL, 0));
  report("io_uring", "io_uring_register", syscall(SYS_io_uring_register, -1, 0, NULL, 0));
  report("kernel", "init_module", syscall(SYS_init_module, NULL, 0, ""));
  report("kernel", "finit_module", syscall(SYS_finit_module, -1, "", 0));
  report("kernel", "delete_module", syscall(SYS_delete_module, "nook-none", 0));
  report("kernel", "kexec_load", syscall(SYS_kexec_load, 0, 0, NULL, 0));
  report("kernel", "kexec_file_load", syscall(SYS_kexec_file_load, -1, -1, 0, "", 0));
  report("kernel", "reboot", syscall(SYS_reboot, 0, 0, 0, NULL));
  report("mount", "mount", syscall(SYS_mount, "none", "/nook-none", "tmpfs", 0, NULL));
  report("mount", "umount2", syscall(SYS_umount2, "/nook-none", 0));
  report("mount", "fsopen", syscall(SYS_fsopen, "tmpfs", 0));
  report("mount", "fsmount", syscall(SYS_fsmount, -1, 0, 0));
  report("mount", "move_mount", syscall(SYS_move_mount, -1, "", -1, "", 0));
  report("mount", "open_tree", syscall(SYS_open_tree, -1, "/nook-none", 0));
  report("mount", "mount_setattr", syscall(SYS_mount_setattr, -1, "", 0, NULL, 0));
  report("mount", "pivot_root", syscall(SYS_pivot_root, "/nook-none", "/nook-none"));
  report("namespaces", "unshare", in_child(try_unshare_user));
  report("namespaces", "setns", syscall(SYS_setns, -1, CLONE_NEWUSER));
  report("namespaces", "clone", in_child(try_clone_user));
  report("namespaces", "clone3", syscall(SYS_clone3, NULL, 0));
  report("personality", "ADDR_NO_RANDOMIZE", in_child(try_no_aslr));
  report("personality", "READ_IMPLIES_EXEC", in_child(try_read_implies_exec));
  return 0;
}

static int attach(const char* arg) {
  pid_t pid = (pid_t)strtol(arg, NULL, 10);
  long r = ptrace(PTRACE_ATTACH, pid, 0, 0);
  if (r < 0) printf("%s\n", errno_name(errno));
  else printf("ok\n");
  return 0;
}

static void* thread_getppid(void* arg) {
  (void)arg;
  syscall(SYS_getppid);
  return NULL;
}

static int threads(void) {
  pthread_t t;
  pthread_create(&t, NULL, thread_getppid, NULL);
  sleep(1);  // the killed thread never returns to be joined
  printf("survived\n");
  fflush(stdout);
  _exit(0);
}

static int loop(const char* arg) {
  long n = strtol(arg, NULL, 10);
  struct timespec a, b;
  clock_gettime(CLOCK_MONOTONIC, &a);
  for (long i = 0; i < n; ++i) syscall(SYS_getppid);
  clock_gettime(CLOCK_MONOTONIC, &b);
  double ns = (b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec);
  printf("%.1f\n", ns / (double)n);
  return 0;
}

static int unlock_write(const char* path) {
  int fd = open(path, O_PATH | O_CLOEXEC);
  if (fd < 0) {
    printf("open %s\n", errno_name(errno));
    return 1;
  }
  struct mount_attr attr = {.attr_clr = MOUNT_ATTR_RDONLY};
  long rc = syscall(SYS_mount_setattr, fd, "", AT_EMPTY_PATH, &attr, sizeof attr);
  printf("clear %s ", rc == 0 ? "ok" : errno_name(errno));
  char self[64];
  snprintf(self, sizeof self, "/proc/self/fd/%d", fd);
  int w = open(self, O_WRONLY | O_APPEND | O_CLOEXEC);
  if (w < 0 || write(w, "x", 1) != 1) {
    printf("write %s\n", errno_name(errno));
    return 0;
  }
  printf("write ok\n");
  return 0;
}

int main(int argc, char** argv) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  if (argc >= 3 && strcmp(argv[1], "call") == 0) return call(argc - 2, argv + 2);
  if (argc == 3 && strcmp(argv[1], "int80") == 0) return int80(argv[2]);
  if (argc == 2 && strcmp(argv[1], "denied") == 0) return denied();
  if (argc == 3 && strcmp(argv[1], "ptrace") == 0) return attach(argv[2]);
  if (argc == 2 && strcmp(argv[1], "threads") == 0) return threads();
  if (argc == 3 && strcmp(argv[1], "loop") == 0) return loop(argv[2]);
  if (argc == 3 && strcmp(argv[1], "unlock-write") == 0) return unlock_write(argv[2]);
  fprintf(stderr,
          "usage: scprobe call NAME|NR [ARG...] | int80 NR | denied | ptrace PID | threads"
          " | loop N | unlock-write PATH\n");
  return 2;
}
