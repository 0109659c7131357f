// The container's terminal on the runtime side: handing the pty master to --console-socket
// (SCM_RIGHTS, as runc), and `run`'s own proxy between the caller's terminal and the pty; and
// the process's pidfd to --pidfd-socket the same way.
#pragma once

#include <string>

#include "nook/base/result.h"
#include "nook/linux/fd.h"

namespace nook::runtime {

Status send_console(const std::string& socket_path, int master_fd);
// runc 1.2's --pidfd-socket: the container's init (`is_exec`: the exec'd process) as a pidfd.
Status send_pidfd(const std::string& socket_path, const linux::PidFd& pidfd, bool is_exec);

// Puts the caller's stdin in raw mode while alive (when it is a terminal) and restores it.
class RawTerminal {
 public:
  RawTerminal();
  ~RawTerminal();
  RawTerminal(const RawTerminal&) = delete;
  RawTerminal& operator=(const RawTerminal&) = delete;

 private:
  bool active_ = false;
  char saved_[64];  // struct termios, kept opaque here
};

// Copies the caller's window size to the pty.
void copy_window_size(int master_fd);

}  // namespace nook::runtime
