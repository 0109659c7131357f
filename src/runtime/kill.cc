// `kill`: signal the init through a pidfd (never a reused pid), or with --all every process
// in the container's cgroup.
#include <signal.h>

#include "nook/linux/clone.h"
#include "nook/runtime/container.h"
#include "nook/runtime/lifecycle.h"
#include "nook/runtime/status.h"

namespace nook::runtime {

namespace {

Status signal_cgroup(const spec::ContainerState& s, int sig) {
  auto root = NOOK_TRY(cgroup::open_cgroupfs_root());
  auto m = NOOK_TRY(cgroup::load_manager(root.get(), s.cgroup));
  auto pids = NOOK_TRY(m->pids());
  for (pid_t pid : pids) {
    auto fd = linux::pidfd_open(pid);
    if (fd.ok()) (void)linux::pidfd_send_signal(*fd, sig);  // it may have exited meanwhile
  }
  return ok_status();
}

}  // namespace

Status signal_container(const spec::ContainerState& s, int sig, bool all) {
  Status sent = ok_status();
  if (all && s.cgroup.layout != cgroup::Layout::Disabled) {
    sent = signal_cgroup(s, sig);
  } else {
    auto init = NOOK_TRY(open_init(s));
    sent = linux::pidfd_send_signal(init, sig);
  }
  // A paused container would hold SIGKILL until thawed (v1 freezer): thaw it so it dies, as
  // runc does. Other signals stay pending until `resume` (runc's `kill --all` thaws for any
  // signal; nook keeps a paused container paused).
  if (sent.ok() && sig == SIGKILL) thaw_after_kill(s);
  return sent;
}

Status kill(const GlobalOptions& g, const std::string& id, int signal, bool all) {
  auto dir = NOOK_TRY(StateDir::open(g.root, id));
  auto s = NOOK_TRY(dir.load());
  auto status = derive_status(s, dir);
  if (status == ContainerStatus::Stopped)
    return make_error("container not running");
  return signal_container(s, signal, all);
}

}  // namespace nook::runtime
