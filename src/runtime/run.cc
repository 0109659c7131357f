// `run`: create + start, then (unless --detach) stay as the init's parent: forward signals,
// proxy the terminal, reap, delete (unless --keep) and return the exit status.
#include <optional>

#include "nook/runtime/container.h"
#include "nook/runtime/foreground.h"
#include "nook/runtime/lifecycle.h"

namespace nook::runtime {

Result<int> run(const GlobalOptions& g, const RunOptions& o) {
  std::optional<Foreground> fg;
  if (!o.detach) fg.emplace();
  bool own_tty = !o.detach && o.create.console_socket.empty();
  auto launched = launch(g, o.create, own_tty);
  if (!launched.ok()) return std::move(launched).error();
  Launched& l = *launched;
  auto started = release_init(l.dir, l.state);
  if (!started.ok()) {
    (void)destroy(l.dir, l.state);
    return std::move(started).error();
  }
  NOOK_TRY(after_start(l.dir, l.state));
  if (o.detach) return 0;

  // Others may look at (or kill) the container while we wait on it.
  l.dir.unlock();
  auto status = fg->supervise(l.init, l.console.get());
  if (!o.keep && l.dir.relock().ok()) (void)destroy(l.dir, l.state);
  return status;
}

}  // namespace nook::runtime
