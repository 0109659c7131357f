// The v1 manager, which also serves the hybrid layout: one cgroup directory per hierarchy
// (memory, cpu, freezer, name=systemd, … and, in hybrid, "unified", where runc places the
// process too). Placement only; resource limits live elsewhere. Parent-side only.
#include <cerrno>
#include <string_view>

#include "nook/cgroup/backends.h"
#include "nook/cgroup/cgroupfs.h"

namespace nook::cgroup {

namespace {

bool has_controller(std::string_view hierarchy, std::string_view controller) {
  while (!hierarchy.empty()) {
    size_t comma = hierarchy.find(',');
    if (hierarchy.substr(0, comma) == controller) return true;
    if (comma == std::string_view::npos) break;
    hierarchy.remove_prefix(comma + 1);
  }
  return false;
}

bool is_blank(std::string_view s) {
  return s.find_first_not_of(" \n") == std::string_view::npos;
}

// A new v1 cpuset cgroup starts with empty cpuset.cpus and cpuset.mems, and attaching a
// process to it fails with ENOSPC; fill every empty level from its parent, top-down, as
// runc's cpuset ensureParent does. A tree without cpuset files (a fake) is left alone.
Status inherit_cpuset_at(int root_fd, const std::string& hierarchy, const std::string& path) {
  std::string parent = hierarchy_rel(hierarchy, "/");
  std::string level = parent;
  size_t start = 1;
  while (start < path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    level = hierarchy_rel(hierarchy, path.substr(0, end));
    start = end + 1;
    for (const char* file : {"cpuset.cpus", "cpuset.mems"}) {
      auto current = read_file_at(root_fd, level + "/" + file);
      if (!current.ok() && current.error().err == ENOENT) return ok_status();
      if (!current.ok()) return std::move(current).error();
      if (!is_blank(*current)) continue;
      std::string value = NOOK_TRY(read_file_at(root_fd, parent + "/" + file));
      NOOK_TRY(write_file_at(root_fd, level + "/" + file, value));
    }
    parent = level;
  }
  return ok_status();
}

class V1Manager final : public Manager {
 public:
  V1Manager(linux::UniqueFd root, Placement placement)
      : root_(std::move(root)), placement_(std::move(placement)) {
    if (placement_.paths.empty()) {
      placement_.paths.assign(placement_.hierarchies.size(), placement_.path);
    }
  }

  Layout layout() const override { return placement_.layout; }

  Status create() override {
    for (size_t i = 0; i < count(); ++i) {
      NOOK_TRY(mkdir_p_at(root_.get(), rel(i)));
      if (has_controller(hierarchy(i), "cpuset")) {
        NOOK_TRY(inherit_cpuset_at(root_.get(), hierarchy(i), path(i)));
      }
    }
    return ok_status();
  }

  Status add_pid(pid_t pid) override {
    // The first write to a v1 cgroup.procs waits for an RCU grace period (the kernel takes
    // cgroup_threadgroup_rwsem for writing); the writes right after it ride on the same one.
    std::string text = std::to_string(pid);
    for (size_t i = 0; i < count(); ++i) {
      NOOK_TRY(write_file_at(root_.get(), rel(i) + "/cgroup.procs", text));
    }
    return ok_status();
  }

  linux::UniqueFd open_for_clone() override { return linux::UniqueFd(); }

  Status destroy() override {
    // Every hierarchy is tried even after a failure, so one busy directory leaves no others.
    Status first = ok_status();
    for (size_t i = 0; i < count(); ++i) {
      Status removed = remove_cgroup_at(root_.get(), rel(i));
      if (!removed.ok() && first.ok()) first = std::move(removed);
    }
    return first;
  }

  bool is_frozen() override {
    for (size_t i = 0; i < count(); ++i) {
      if (!has_controller(hierarchy(i), "freezer")) continue;
      auto state = read_file_at(root_.get(), rel(i) + "/freezer.state");
      return state.ok() && state->starts_with("FROZEN");
    }
    return false;
  }

  Result<std::vector<pid_t>> pids() override {
    if (count() == 0) return std::vector<pid_t>();
    size_t chosen = 0;
    for (size_t i = 0; i < count(); ++i) {
      if (has_controller(hierarchy(i), "pids")) {
        chosen = i;
        break;
      }
    }
    return read_pids_at(root_.get(), rel(chosen) + "/cgroup.procs");
  }

  const Placement& placement() const override { return placement_; }

 private:
  size_t count() const { return placement_.hierarchies.size(); }
  const std::string& hierarchy(size_t i) const { return placement_.hierarchies[i]; }
  const std::string& path(size_t i) const { return placement_.paths[i]; }
  std::string rel(size_t i) const { return hierarchy_rel(hierarchy(i), path(i)); }

  linux::UniqueFd root_;
  Placement placement_;
};

}  // namespace

std::unique_ptr<Manager> make_v1_manager(linux::UniqueFd root, Placement placement) {
  return std::make_unique<V1Manager>(std::move(root), std::move(placement));
}

}  // namespace nook::cgroup
