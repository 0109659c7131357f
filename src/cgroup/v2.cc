// The v2 (unified) manager: one cgroup directory under the cgroupfs root, joined either by
// clone3(CLONE_INTO_CGROUP) through open_for_clone or by cgroup.procs, frozen through
// cgroup.freeze. Placement only; resource limits live elsewhere. Parent-side only.
#include <fcntl.h>

#include <string_view>

#include "nook/cgroup/backends.h"
#include "nook/cgroup/cgroupfs.h"

namespace nook::cgroup {

namespace {

// Whether cgroup.events reports "frozen 1". The kernel sets it once every task has stopped,
// after cgroup.freeze was set to 1.
bool events_say_frozen(std::string_view events) {
  size_t at = 0;
  while (at < events.size()) {
    size_t end = events.find('\n', at);
    if (end == std::string_view::npos) end = events.size();
    std::string_view line = events.substr(at, end - at);
    if (line.starts_with("frozen ")) return line.substr(7) == "1";
    at = end + 1;
  }
  return false;
}

class V2Manager final : public Manager {
 public:
  V2Manager(linux::UniqueFd root, Placement placement)
      : root_(std::move(root)),
        placement_(std::move(placement)),
        rel_(hierarchy_rel("", placement_.path)) {}

  Layout layout() const override { return Layout::V2; }

  Status create() override { return mkdir_p_at(root_.get(), rel_); }

  Status add_pid(pid_t pid) override {
    return write_file_at(root_.get(), rel_ + "/cgroup.procs", std::to_string(pid));
  }

  linux::UniqueFd open_for_clone() override {
    return linux::UniqueFd(
        ::openat(root_.get(), rel_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW));
  }

  // Sub-cgroups (made by the container itself, with cgroupns and delegation) go first.
  Status destroy() override { return remove_cgroup_at(root_.get(), rel_); }

  bool is_frozen() override {
    // cgroup.freeze is the request; cgroup.events says whether it has taken effect (runc
    // reports "pausing" until then). A tree without cgroup.events trusts the request.
    auto freeze = read_file_at(root_.get(), rel_ + "/cgroup.freeze");
    if (!freeze.ok() || !freeze->starts_with("1")) return false;
    auto events = read_file_at(root_.get(), rel_ + "/cgroup.events");
    return !events.ok() || events_say_frozen(*events);
  }

  Result<std::vector<pid_t>> pids() override {
    return read_pids_at(root_.get(), rel_ + "/cgroup.procs");
  }

  const Placement& placement() const override { return placement_; }

 private:
  linux::UniqueFd root_;
  Placement placement_;
  std::string rel_;  // the cgroup dir relative to the root
};

}  // namespace

std::unique_ptr<Manager> make_v2_manager(linux::UniqueFd root, Placement placement) {
  return std::make_unique<V2Manager>(std::move(root), std::move(placement));
}

}  // namespace nook::cgroup
