// The foreground loop shared by `run` and `exec`: signalfd for forwarding, poll for the pty
// and the pidfd. Parent-side.
#include "nook/runtime/foreground.h"

#include <poll.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <optional>

#include "nook/linux/clone.h"
#include "nook/runtime/console.h"

namespace nook::runtime {
namespace {

// Signals the caller may send us that belong to the container process instead.
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

}  // namespace

Foreground::Foreground() {
  sigemptyset(&mask_);
  for (int s : kForwarded) sigaddset(&mask_, s);
  sigaddset(&mask_, SIGCHLD);
  sigprocmask(SIG_BLOCK, &mask_, &old_);
}

Foreground::~Foreground() { sigprocmask(SIG_SETMASK, &old_, nullptr); }

Result<int> Foreground::supervise(const linux::PidFd& process, int console) {
  linux::UniqueFd sigfd(signalfd(-1, &mask_, SFD_CLOEXEC));
  if (!sigfd) return sys_error("signalfd");
  std::optional<RawTerminal> raw;  // only when we proxy a terminal
  if (console >= 0) {
    raw.emplace();
    copy_window_size(console);
  }
  bool stdin_open = console >= 0;
  for (;;) {
    pollfd fds[4] = {{process.get(), POLLIN, 0}, {sigfd.get(), POLLIN, 0}, {console, POLLIN, 0},
                     {stdin_open ? STDIN_FILENO : -1, POLLIN, 0}};
    if (poll(fds, 4, -1) < 0) {
      if (errno == EINTR) continue;
      return sys_error("poll");
    }
    if (fds[1].revents & POLLIN) {
      signalfd_siginfo si;
      if (read(sigfd.get(), &si, sizeof si) == sizeof si) {
        if (si.ssi_signo == SIGWINCH && console >= 0) copy_window_size(console);
        else if (si.ssi_signo != SIGCHLD)
          (void)linux::pidfd_send_signal(process, static_cast<int>(si.ssi_signo));
      }
    }
    if (fds[2].revents & (POLLIN | POLLHUP)) copy_once(console, STDOUT_FILENO);
    if (fds[3].revents & (POLLIN | POLLHUP)) stdin_open = copy_once(STDIN_FILENO, console);
    if (fds[0].revents & POLLIN) {
      // Drain what the process wrote before it exited.
      if (console >= 0) {
        pollfd c{console, POLLIN, 0};
        while (poll(&c, 1, 0) > 0 && (c.revents & POLLIN) && copy_once(console, STDOUT_FILENO)) {}
      }
      return linux::wait_exit(process);
    }
  }
}

}  // namespace nook::runtime
