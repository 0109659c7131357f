// Console socket hand-off and the caller-side terminal handling of `run`.
#include "nook/runtime/console.h"

#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include <cstring>

#include "nook/linux/socket.h"

namespace nook::runtime {

Status send_console(const std::string& socket_path, int master_fd) {
  auto sock = NOOK_TRY(linux::connect_unix(socket_path));
  // runc sends the pty's name as the payload; clients (containerd, conmon) ignore it.
  static const char kName[] = "/dev/ptmx";
  if (linux::send_packet(sock.get(), kName, sizeof kName - 1, master_fd) < 0)
    return sys_error("send terminal to console socket `" + socket_path + "`");
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
