// Staying with a container process in the foreground (`run`, `exec` without --detach):
// forward the caller's signals to it, proxy its terminal, and return its exit status.
#pragma once

#include <signal.h>

#include "nook/base/result.h"
#include "nook/linux/fd.h"

namespace nook::runtime {

class Foreground {
 public:
  // Blocks the forwarded signals now, before the process exists, so none is lost.
  Foreground();
  ~Foreground();  // restores the signal mask
  Foreground(const Foreground&) = delete;
  Foreground& operator=(const Foreground&) = delete;

  // Until the process exits: signals go to it, `console` (a pty master, or -1) is proxied to
  // our stdin/stdout with the caller's terminal in raw mode. Reaps it; 128+N when killed.
  Result<int> supervise(const linux::PidFd& process, int console);

 private:
  sigset_t mask_, old_;
};

}  // namespace nook::runtime
