// `start`: release a created container's init through the exec fifo, then poststart hooks.
// runtime-spec 1.3: a failing startContainer or poststart hook is an error, and the container
// is stopped and destroyed (lifecycle step 12, which runs the poststop hooks).
#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

#include "nook/linux/clone.h"
#include "nook/runtime/container.h"
#include "nook/runtime/failpoint.h"
#include "nook/runtime/hooks.h"
#include "nook/runtime/status.h"

namespace nook::runtime {

Status release_init(const StateDir& dir, const spec::ContainerState& s) {
  auto init = NOOK_TRY(open_init(s));
  // Non-blocking open: succeeds at once and unblocks the init's O_WRONLY open; the byte it
  // then writes, or its death, is what we wait for.
  linux::UniqueFd fifo(openat(dir.fd(), "exec.fifo", O_RDONLY | O_NONBLOCK | O_CLOEXEC));
  if (!fifo) return sys_error("open exec fifo");
  failpoint("start:opened");
  pollfd fds[2] = {{fifo.get(), POLLIN, 0}, {init.get(), POLLIN, 0}};
  for (;;) {
    if (poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return sys_error("wait for container init");
    }
    if (fds[0].revents & POLLIN) {
      // "0": the init is about to execve; anything else is why it could not: the text, a
      // NUL and the errno.
      char buf[1100];
      ssize_t n = read(fifo.get(), buf, sizeof buf - 1);
      if (n == 1 && buf[0] == '0') break;
      if (n > 0) {
        buf[n] = '\0';
        std::string text(buf);
        int err = text.size() < static_cast<size_t>(n) ? atoi(buf + text.size() + 1) : 0;
        // It exits right after saying so; wait for that (bounded) so the caller sees it gone.
        pollfd gone{init.get(), POLLIN, 0};
        poll(&gone, 1, 5000);
        return Error{err, "container init: " + text};
      }
    }
    if (fds[1].revents) return make_error("container init exited before start");
  }
  // The init removed it already unless a user namespace kept it from the directory.
  unlinkat(dir.fd(), "exec.fifo", 0);
  return ok_status();
}

Status after_start(StateDir& dir, const spec::ContainerState& s) {
  auto hooks = run_hooks(s.poststart, hook_state(s, "running"), "poststart");
  if (!hooks) (void)destroy(dir, s);
  return hooks;
}

Status start(const GlobalOptions& g, const std::string& id) {
  auto dir = NOOK_TRY(StateDir::open(g.root, id));
  auto s = NOOK_TRY(dir.load());
  switch (derive_status(s, dir)) {
    case ContainerStatus::Created: break;
    case ContainerStatus::Stopped: return make_error("cannot start a container that has stopped");
    case ContainerStatus::Paused: return make_error("cannot start a container in the paused state");
    default: return make_error("cannot start an already running container");
  }
  auto released = release_init(dir, s);
  failpoint("start:released");
  if (!released) {
    // The init died of it (a startContainer hook, say): the container is destroyed. An init
    // still waiting (the fifo could not be opened) is left to a later start or delete.
    if (!is_init_alive(s)) (void)destroy(dir, s);
    return released;
  }
  return after_start(dir, s);
}

}  // namespace nook::runtime
