// Status derivation and a pid-reuse-safe handle on the init.
#include "nook/runtime/status.h"

#include "nook/linux/clone.h"
#include "nook/linux/proc.h"

namespace nook::runtime {

std::string_view status_name(ContainerStatus s) {
  switch (s) {
    case ContainerStatus::Created: return "created";
    case ContainerStatus::Running: return "running";
    case ContainerStatus::Paused: return "paused";
    case ContainerStatus::Stopped: return "stopped";
  }
  return "stopped";
}

bool is_init_alive(const spec::ContainerState& s) {
  if (s.pid <= 0) return false;
  auto st = linux::read_proc_stat(s.pid);
  return st.ok() && st->start_time == s.start_time && st->state != 'Z' && st->state != 'X';
}

ContainerStatus derive_status(const spec::ContainerState& s, const StateDir& dir) {
  // The init is recorded as soon as it is cloned, and the create holds the lock we hold until
  // it ends: without one, the create died before the clone.
  if (s.pid == 0) return ContainerStatus::Stopped;
  if (!is_init_alive(s)) return ContainerStatus::Stopped;
  // The freezer before the exec fifo, as runc: a created container can be paused too.
  if (s.cgroup.layout != cgroup::Layout::Disabled) {
    auto root = cgroup::open_cgroupfs_root();
    if (root.ok()) {
      auto m = cgroup::load_manager(root->get(), s.cgroup);
      if (m.ok() && (*m)->is_frozen()) return ContainerStatus::Paused;
    }
  }
  if (dir.has_exec_fifo()) return ContainerStatus::Created;
  return ContainerStatus::Running;
}

Result<linux::PidFd> open_init(const spec::ContainerState& s) {
  if (s.pid <= 0) return make_error("container not running");
  auto fd = linux::pidfd_open(s.pid);
  // Check identity after opening: the pidfd then pins the process we verified.
  if (!fd.ok() || !is_init_alive(s)) return make_error("container not running");
  return fd;
}

}  // namespace nook::runtime
