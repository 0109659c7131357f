// `start`: release a created container's init through the exec fifo, then poststart hooks.
#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include "nook/linux/clone.h"
#include "nook/runtime/container.h"
#include "nook/runtime/hooks.h"
#include "nook/runtime/status.h"

namespace nook::runtime {

Status release_init(const StateDir& dir, const spec::ContainerState& s) {
  auto init = NOOK_TRY(open_init(s));
  // Non-blocking open: succeeds at once and unblocks the init's O_WRONLY open; the byte it
  // then writes, or its death, is what we wait for.
  linux::UniqueFd fifo(openat(dir.fd(), "exec.fifo", O_RDONLY | O_NONBLOCK | O_CLOEXEC));
  if (!fifo) return sys_error("open exec fifo");
  pollfd fds[2] = {{fifo.get(), POLLIN, 0}, {init.get(), POLLIN, 0}};
  for (;;) {
    if (poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return sys_error("wait for container init");
    }
    if (fds[0].revents & POLLIN) {
      // "0": the init is about to execve; anything else is why it could not.
      char buf[1024];
      ssize_t n = read(fifo.get(), buf, sizeof buf);
      if (n == 1 && buf[0] == '0') break;
      if (n > 0) return make_error("container init: " + std::string(buf, static_cast<size_t>(n)));
    }
    if (fds[1].revents) return make_error("container init exited before start");
  }
  unlinkat(dir.fd(), "exec.fifo", 0);
  return ok_status();
}

void after_start(const spec::ContainerState& s) {
  run_hooks_warn(s.poststart, hook_state(s, "running"), "poststart");
}

Status start(const GlobalOptions& g, const std::string& id) {
  auto dir = NOOK_TRY(StateDir::open(g.root, id));
  auto s = NOOK_TRY(dir.load());
  switch (derive_status(s, dir)) {
    case ContainerStatus::Created: break;
    case ContainerStatus::Stopped: return make_error("cannot start a container that has stopped");
    case ContainerStatus::Creating: return make_error("cannot start a container that is being created");
    case ContainerStatus::Paused: return make_error("cannot start a container in the paused state");
    default: return make_error("cannot start an already running container");
  }
  NOOK_TRY(release_init(dir, s));
  after_start(s);
  return ok_status();
}

}  // namespace nook::runtime
