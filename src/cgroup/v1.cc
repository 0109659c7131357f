// The v1 manager, which also serves the hybrid layout: one cgroup directory per hierarchy
// (memory, cpu, freezer, name=systemd, … and, in hybrid, "unified", where runc places the
// process too), and the v1 freezer (freezer.state) for pause and resume. Placement and
// freezing only; resource limits live elsewhere. Parent-side only.
#include <cerrno>
#include <chrono>
#include <string_view>
#include <thread>

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

// The retry schedule of a v1 freeze, after runc's. Even recent kernels can leave a v1 cgroup
// FREEZING while processes keep appearing in it (fork, or cgroup.procs writes of a parallel
// exec); writing FROZEN again is what moves it on, an occasional thaw plus a short sleep
// helps when new processes keep coming, and a longer sleep now and then helps a very slow
// machine. runc's longer sleeps add up to 15 s; ours to under 4 s.
constexpr int kFreezeAttempts = 1000;
constexpr int kThawEvery = 50;
constexpr auto kThawPause = std::chrono::milliseconds(10);
constexpr int kLongPauseEvery = 200;
constexpr auto kFirstLongPause = std::chrono::milliseconds(250);

Status freeze_at(int root_fd, const std::string& state_file) {
  auto long_pause = kFirstLongPause;
  for (int i = 0; i < kFreezeAttempts; ++i) {
    if (i % kThawEvery == kThawEvery - 1) {
      (void)write_file_at(root_fd, state_file, "THAWED");
      std::this_thread::sleep_for(kThawPause);
    }
    NOOK_TRY(write_file_at(root_fd, state_file, "FROZEN"));
    if (i % kLongPauseEvery == kLongPauseEvery - 1) {
      std::this_thread::sleep_for(long_pause);
      long_pause *= 2;
    }
    std::string state = NOOK_TRY(read_file_at(root_fd, state_file));
    while (!state.empty() && (state.back() == '\n' || state.back() == ' ')) state.pop_back();
    if (state == "FROZEN") return ok_status();
    if (state != "FREEZING") {
      return make_error("unexpected freezer state `" + state + "` in `" + state_file + "`");
    }
  }
  return make_error("unable to freeze: `" + state_file + "` stuck in FREEZING");
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
    // Only the first of these writes waits out the grace period; the rest ride on it.
    std::string text = std::to_string(pid);
    for (size_t i = 0; i < count(); ++i) {
      NOOK_TRY(write_file_at(root_.get(), rel(i) + "/cgroup.procs", text));
    }
    return ok_status();
  }

  Result<Entry> open_entry() override {
    Entry e;
    linux::UniqueFd freezer;
    for (size_t i = 0; i < count(); ++i) {
      if (hierarchy(i) == "unified") {
        e.clone_fd = NOOK_TRY(open_dir_at(root_.get(), rel(i)));
        continue;
      }
      auto fd = NOOK_TRY(open_write_at(root_.get(), rel(i) + "/tasks"));
      if (has_controller(hierarchy(i), "freezer")) freezer = std::move(fd);
      else e.tasks.push_back(std::move(fd));
    }
    // The freezer last: joining a frozen cgroup (exec --ignore-paused) stops the process at
    // once, and it must be in every other hierarchy by then (kill --all reads pids).
    if (freezer) e.tasks.push_back(std::move(freezer));
    return e;
  }

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

  Status freeze() override {
    std::string state_file = NOOK_TRY(freezer_state_file());
    Status frozen = freeze_at(root_.get(), state_file);
    // A cgroup left FREEZING is worse than one left running: thaw it back on failure.
    if (!frozen.ok()) (void)write_file_at(root_.get(), state_file, "THAWED");
    return frozen;
  }

  Status thaw() override {
    std::string state_file = NOOK_TRY(freezer_state_file());
    return write_file_at(root_.get(), state_file, "THAWED");
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
    return read_pids_tree_at(root_.get(), rel(chosen));
  }

  const Placement& placement() const override { return placement_; }

 private:
  size_t count() const { return placement_.hierarchies.size(); }
  const std::string& hierarchy(size_t i) const { return placement_.hierarchies[i]; }
  const std::string& path(size_t i) const { return placement_.paths[i]; }
  std::string rel(size_t i) const { return hierarchy_rel(hierarchy(i), path(i)); }
  Result<std::string> freezer_state_file() const {
    for (size_t i = 0; i < count(); ++i) {
      if (has_controller(hierarchy(i), "freezer")) return rel(i) + "/freezer.state";
    }
    return make_error("no `freezer` hierarchy in the container's cgroup");
  }

  linux::UniqueFd root_;
  Placement placement_;
};

}  // namespace

std::unique_ptr<Manager> make_v1_manager(linux::UniqueFd root, Placement placement) {
  return std::make_unique<V1Manager>(std::move(root), std::move(placement));
}

}  // namespace nook::cgroup
