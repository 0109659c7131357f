// `pause` and `resume`: freeze and thaw every process of the container through its cgroup
// (v1 freezer or v2 cgroup.freeze). The paused status is never stored: derive_status reads
// the freezer. Also the thaw that lets a paused container die after SIGKILL.
#include "nook/cgroup/manager.h"
#include "nook/runtime/container.h"
#include "nook/runtime/lifecycle.h"
#include "nook/runtime/status.h"

namespace nook::runtime {
namespace {

Result<std::unique_ptr<cgroup::Manager>> container_cgroup(const spec::ContainerState& s) {
  // Without a cgroup the manager needs no cgroupfs (and gives the clear "no cgroup" error).
  if (s.cgroup.layout == cgroup::Layout::Disabled) return cgroup::load_manager(-1, s.cgroup);
  auto root = NOOK_TRY(cgroup::open_cgroupfs_root());
  return cgroup::load_manager(root.get(), s.cgroup);
}

}  // namespace

Status pause(const GlobalOptions& g, const std::string& id) {
  auto dir = NOOK_TRY(StateDir::open(g.root, id));
  auto s = NOOK_TRY(dir.load());
  // runc pauses a created container as well as a running one.
  auto status = derive_status(s, dir);
  if (status != ContainerStatus::Running && status != ContainerStatus::Created)
    return make_error("container not running");
  auto m = NOOK_TRY(container_cgroup(s));
  Status frozen = m->freeze();
  if (!frozen.ok()) return std::move(frozen).error().wrap("pause");
  return ok_status();
}

Status resume(const GlobalOptions& g, const std::string& id) {
  auto dir = NOOK_TRY(StateDir::open(g.root, id));
  auto s = NOOK_TRY(dir.load());
  if (derive_status(s, dir) != ContainerStatus::Paused) return make_error("container not paused");
  auto m = NOOK_TRY(container_cgroup(s));
  Status thawed = m->thaw();
  if (!thawed.ok()) return std::move(thawed).error().wrap("resume");
  return ok_status();
}

void thaw_after_kill(const spec::ContainerState& s) {
  if (s.cgroup.layout == cgroup::Layout::Disabled) return;
  auto m = container_cgroup(s);
  if (m.ok() && (*m)->is_frozen()) (void)(*m)->thaw();
}

}  // namespace nook::runtime
