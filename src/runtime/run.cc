// `run`: create + start, then (unless --detach) stay as the init's parent: forward signals,
// proxy the terminal, reap, delete (unless --keep) and return the exit status.
#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <optional>

#include "nook/linux/clone.h"
#include "nook/runtime/console.h"
#include "nook/runtime/container.h"
#include "nook/runtime/lifecycle.h"

namespace nook::runtime {
namespace {

// Signals the caller may send us that belong to the container instead.
constexpr int kForwarded[] = {SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2, SIGWINCH};

bool copy_once(int from, int to) {
  char buf[16384];
  ssize_t n = read(from, buf, sizeof buf);
  if (n <= 0) return false;
  for (ssize_t off = 0; off < n;) {
    ssize_t w = write(to, buf + off, static_cast<size_t>(n - off));
    if (w <= 0) return false;
    off += w;
  }
  return true;
}

// Event loop until the init exits; returns its shell-style status.
Result<int> supervise(const linux::PidFd& init, int console, int sigfd) {
  bool stdin_open = console >= 0;
  for (;;) {
    pollfd fds[4] = {{init.get(), POLLIN, 0}, {sigfd, POLLIN, 0}, {console, POLLIN, 0},
                     {stdin_open ? STDIN_FILENO : -1, POLLIN, 0}};
    if (poll(fds, 4, -1) < 0) {
      if (errno == EINTR) continue;
      return sys_error("poll");
    }
    if (fds[1].revents & POLLIN) {
      signalfd_siginfo si;
      if (read(sigfd, &si, sizeof si) == sizeof si) {
        if (si.ssi_signo == SIGWINCH && console >= 0) copy_window_size(console);
        else if (si.ssi_signo != SIGCHLD)
          (void)linux::pidfd_send_signal(init, static_cast<int>(si.ssi_signo));
      }
    }
    if (fds[2].revents & (POLLIN | POLLHUP)) copy_once(console, STDOUT_FILENO);
    if (fds[3].revents & (POLLIN | POLLHUP)) stdin_open = copy_once(STDIN_FILENO, console);
    if (fds[0].revents & POLLIN) {
      // Drain what the container wrote before it exited.
      if (console >= 0) {
        pollfd c{console, POLLIN, 0};
        while (poll(&c, 1, 0) > 0 && (c.revents & POLLIN) && copy_once(console, STDOUT_FILENO)) {}
      }
      return linux::wait_exit(init);
    }
  }
}

}  // namespace

Result<int> run(const GlobalOptions& g, const RunOptions& o) {
  // Block the forwarded signals before the container exists so none is lost.
  sigset_t mask, old;
  sigemptyset(&mask);
  if (!o.detach) {
    for (int s : kForwarded) sigaddset(&mask, s);
    sigaddset(&mask, SIGCHLD);
    sigprocmask(SIG_BLOCK, &mask, &old);
  }
  bool own_tty = !o.detach && o.create.console_socket.empty();
  auto launched = launch(g, o.create, own_tty);
  if (!launched.ok()) return std::move(launched).error();
  Launched& l = *launched;
  auto started = release_init(l.dir, l.state);
  if (!started.ok()) {
    (void)destroy(l.dir, l.state);
    return std::move(started).error();
  }
  after_start(l.state);
  if (o.detach) return 0;

  linux::UniqueFd sigfd(signalfd(-1, &mask, SFD_CLOEXEC));
  if (!sigfd) return sys_error("signalfd");
  int console = l.console.get();
  std::optional<RawTerminal> raw;  // only when we proxy a terminal
  if (console >= 0) {
    raw.emplace();
    copy_window_size(console);
  }
  l.dir.unlock();
  auto status = supervise(l.init, console, sigfd.get());
  if (!o.keep && l.dir.relock().ok()) (void)destroy(l.dir, l.state);
  sigprocmask(SIG_SETMASK, &old, nullptr);
  return status;
}

}  // namespace nook::runtime
