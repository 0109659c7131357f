// measure: the benchmark's stopwatch. Spawns one command and reports its wall time and peak RSS
// from wait4(), so the harness times the runtime and not bash. Also waits for a pid to exit.
//
//   measure [-l LOG] [-T SEC] -- CMD [ARG...]
//                                      prints "WALL_NS MAXRSS_KB STATUS" on stdout; the command's
//                                      stdout and stderr are appended to LOG (default /dev/null);
//                                      after SEC seconds (default 30) it is killed (STATUS 137)
//   measure -w PIDFILE [-t MS]         waits (pidfd + poll) until that process has exited;
//                                      exit status 0 once it has, 1 on timeout or error
//
// MAXRSS is wait4's ru_maxrss: the largest of the command's own peak and that of any child it
// reaped (runc's `runc init`, for instance). STATUS is the exit code, or 128+signal.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static volatile pid_t g_child;

static void on_alarm(int sig) {
  (void)sig;
  if (g_child > 0) kill(g_child, SIGKILL);
}

static uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int usage(void) {
  fprintf(stderr, "usage: measure [-l LOG] [-T SEC] -- CMD [ARG...]\n       measure -w PIDFILE [-t MS]\n");
  return 2;
}

static int wait_for_pid(const char *pidfile, int timeout_ms) {
  FILE *f = fopen(pidfile, "re");
  if (!f) {
    fprintf(stderr, "measure: open `%s`: %s\n", pidfile, strerror(errno));
    return 1;
  }
  long pid = 0;
  int n = fscanf(f, "%ld", &pid);
  fclose(f);
  if (n != 1 || pid <= 0) {
    fprintf(stderr, "measure: no pid in `%s`\n", pidfile);
    return 1;
  }
  int fd = (int)syscall(SYS_pidfd_open, (pid_t)pid, 0);
  if (fd < 0) return errno == ESRCH ? 0 : 1;  // already gone (and reaped)
  // A pidfd polls readable once the process has exited, whoever reaps it.
  struct pollfd p = {.fd = fd, .events = POLLIN};
  int r;
  do r = poll(&p, 1, timeout_ms);
  while (r < 0 && errno == EINTR);
  close(fd);
  return r == 1 ? 0 : 1;
}

int main(int argc, char **argv) {
  const char *log = "/dev/null";
  const char *pidfile = NULL;
  int timeout_ms = 10000;
  unsigned kill_after = 30;
  int opt;
  while ((opt = getopt(argc, argv, "+l:w:t:T:")) != -1) {
    switch (opt) {
      case 'l': log = optarg; break;
      case 'w': pidfile = optarg; break;
      case 't': timeout_ms = atoi(optarg); break;
      case 'T': kill_after = (unsigned)atoi(optarg); break;
      default: return usage();
    }
  }
  if (pidfile) return wait_for_pid(pidfile, timeout_ms);
  if (optind >= argc) return usage();

  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 1, log, O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_adddup2(&fa, 1, 2);

  uint64_t start = now_ns();
  pid_t pid;
  int err = posix_spawnp(&pid, argv[optind], &fa, NULL, &argv[optind], environ);
  if (err) {
    fprintf(stderr, "measure: spawn `%s`: %s\n", argv[optind], strerror(err));
    return 1;
  }
  g_child = pid;
  struct sigaction sa = {.sa_handler = on_alarm};
  sigaction(SIGALRM, &sa, NULL);
  alarm(kill_after);
  int status;
  struct rusage ru;
  while (wait4(pid, &status, 0, &ru) < 0) {
    if (errno != EINTR) {
      fprintf(stderr, "measure: wait4: %s\n", strerror(errno));
      return 1;
    }
  }
  uint64_t wall = now_ns() - start;
  alarm(0);
  int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  printf("%llu %ld %d\n", (unsigned long long)wall, ru.ru_maxrss, code);
  return 0;
}
