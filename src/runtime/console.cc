// Console socket hand-off and the caller-side terminal handling of `run`.
#include "nook/runtime/console.h"

#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include <cstring>

#include "nook/linux/socket.h"

namespace nook::runtime {

Status send_console(const std::string& socket_path, int master_fd) {
  // runc sends the pty's name as the payload; clients (containerd, conmon) ignore it.
  auto sent = linux::send_fd_to_socket(socket_path, "/dev/ptmx", master_fd);
  if (!sent.ok()) return std::move(sent).error().wrap("send terminal to console socket");
  return ok_status();
}

Status send_pidfd(const std::string& socket_path, const linux::PidFd& pidfd, bool is_exec) {
  // runc's payload names the init kind that sent it.
  auto sent = linux::send_fd_to_socket(socket_path, is_exec ? "setns" : "standard", pidfd.get());
  if (!sent.ok()) return std::move(sent).error().wrap("--pidfd-socket");
  return ok_status();
}

static_assert(sizeof(termios) <= 64);

RawTerminal::RawTerminal() {
  termios t;
  if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &t) < 0) return;
  std::memcpy(saved_, &t, sizeof t);
  cfmakeraw(&t);
  if (tcsetattr(STDIN_FILENO, TCSANOW, &t) == 0) active_ = true;
}

RawTerminal::~RawTerminal() {
  if (!active_) return;
  termios t;
  std::memcpy(&t, saved_, sizeof t);
  tcsetattr(STDIN_FILENO, TCSANOW, &t);
}

void copy_window_size(int master_fd) {
  winsize ws;
  if (ioctl(STDIN_FILENO, TIOCGWINSZ, &ws) == 0) ioctl(master_fd, TIOCSWINSZ, &ws);
}

}  // namespace nook::runtime
