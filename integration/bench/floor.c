// floor: the least a container runtime can do, as the benchmark's baseline. clone() into new
// mount, pid, ipc, uts and network namespaces, chroot into ROOTFS, mount /proc, exec CMD
// (default /bin/true), wait for it and exit with its status. No config parsing, no cgroups,
// no pivot_root, no devices, no capabilities or seccomp: a runtime can only be slower.
//
//   floor ROOTFS [CMD [ARG...]]
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

static char *const kDefaultArgv[] = {"/bin/true", NULL};
static char child_stack[64 * 1024] __attribute__((aligned(16)));

struct Plan {
  const char *rootfs;
  char *const *argv;
};

static int child(void *arg) {
  const struct Plan *plan = arg;
  // Keep our /proc mount out of the host's mount namespace.
  if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0) return 120;
  if (chroot(plan->rootfs) < 0 || chdir("/") < 0) return 121;
  if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0) return 122;
  execv(plan->argv[0], plan->argv);
  return 127;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: floor ROOTFS [CMD [ARG...]]\n");
    return 2;
  }
  struct Plan plan = {argv[1], argc > 2 ? &argv[2] : kDefaultArgv};
  int flags = CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWNET | SIGCHLD;
  pid_t pid = clone(child, child_stack + sizeof child_stack, flags, &plan);
  if (pid < 0) {
    fprintf(stderr, "floor: clone: %s\n", strerror(errno));
    return 1;
  }
  int status;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) return 1;
  if (WIFEXITED(status)) {
    int code = WEXITSTATUS(status);
    if (code >= 120 && code <= 122) fprintf(stderr, "floor: container setup failed (%d)\n", code);
    return code;
  }
  return 128 + WTERMSIG(status);
}
