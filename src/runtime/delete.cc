// `delete` and the teardown every path shares: kill what is left, poststop hooks, cgroup,
// resctrl group, state directory. A crash at any point of create leaves something this removes.
#include <poll.h>
#include <signal.h>

#include <cerrno>

#include "nook/cgroup/resctrl.h"
#include "nook/linux/clone.h"
#include "nook/log/log.h"
#include "nook/runtime/container.h"
#include "nook/runtime/failpoint.h"
#include "nook/runtime/hooks.h"
#include "nook/runtime/status.h"

namespace nook::runtime {
namespace {

// Waits (bounded) for the init to be gone so its cgroup can be removed.
void kill_and_wait(const spec::ContainerState& s) {
  bool walk_cgroup = s.shares_host_pid_ns && s.cgroup.layout != cgroup::Layout::Disabled;
  auto init = open_init(s);
  if (walk_cgroup) (void)signal_container(s, SIGKILL, true);
  if (!init.ok()) return;
  (void)linux::pidfd_send_signal(*init, SIGKILL);
  thaw_after_kill(s);  // a paused container dies only once thawed
  pollfd p{init->get(), POLLIN, 0};
  poll(&p, 1, 10000);
}

}  // namespace

Status destroy(StateDir& dir, const spec::ContainerState& s) {
  kill_and_wait(s);
  failpoint("delete:killed");
  // A half-made container never ran its hooks' counterparts; poststop only after a real init.
  if (s.pid > 0) run_hooks_warn(s.poststop, hook_state(s, "stopped"), "poststop");
  if (s.cgroup.layout != cgroup::Layout::Disabled) {
    auto root = cgroup::open_cgroupfs_root();
    if (root.ok()) {
      auto m = cgroup::load_manager(root->get(), s.cgroup);
      if (m.ok()) {
        auto st = (*m)->destroy();
        // Still busy once ours are dead: another container shares the cgroupsPath. runc warns
        // and deletes this container all the same; the cgroup stays for its other users.
        if (!st.ok() && st.error().err == EBUSY)
          log::warn("remove cgroup: " + st.error().text() + " (it is still in use)");
        else if (!st.ok())
          return std::move(st).error().wrap("remove cgroup");
      }
    }
  }
  failpoint("delete:cgroup");
  if (!s.rdt.group.empty()) {
    auto root = cgroup::open_resctrl_root();
    if (root.ok()) NOOK_TRY(cgroup::remove_rdt_at(root->get(), s.rdt));
  }
  return dir.remove();
}

Status remove(const GlobalOptions& g, const std::string& id, bool force) {
  auto dir = StateDir::open(g.root, id);
  if (!dir.ok()) {
    // runc: deleting what is already gone succeeds with --force.
    if (force && dir.error().message == "container does not exist") return ok_status();
    return std::move(dir).error();
  }
  auto s = dir->load();
  if (!s.ok()) {
    // No or an unreadable state.json: nothing to clean up we could find but the directory.
    if (force) return dir->remove();
    return std::move(s).error();
  }
  auto status = derive_status(*s, *dir);
  if (!force && (status == ContainerStatus::Running || status == ContainerStatus::Paused))
    return make_error("cannot delete container " + id + " that is not stopped: " +
                      std::string(status_name(status)));
  return destroy(*dir, *s);
}

}  // namespace nook::runtime
