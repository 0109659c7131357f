// The v2 (unified) manager: one cgroup directory under the cgroupfs root, joined either by
// clone3(CLONE_INTO_CGROUP) through open_entry or by cgroup.procs, frozen through
// cgroup.freeze (waiting on cgroup.events). Placement and freezing only; resource limits live
// elsewhere. Parent-side only.
#include <fcntl.h>

#include <cerrno>
#include <chrono>
#include <string_view>
#include <thread>

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

// How long freeze() waits for cgroup.events to say "frozen 1": runc's 1000 polls 10 ms apart.
constexpr int kFrozenPolls = 1000;
constexpr auto kFrozenPollInterval = std::chrono::milliseconds(10);

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

  Result<Entry> open_entry() override {
    Entry e;
    e.clone_fd = NOOK_TRY(open_dir_at(root_.get(), rel_));
    return e;
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

  Status freeze() override {
    Status frozen = freeze_and_wait();
    // A cgroup left half-frozen is worse than one left running: thaw it back on failure.
    if (!frozen.ok()) (void)write_file_at(root_.get(), rel_ + "/cgroup.freeze", "0");
    return frozen;
  }

  Status thaw() override { return write_file_at(root_.get(), rel_ + "/cgroup.freeze", "0"); }

  Result<std::vector<pid_t>> pids() override { return read_pids_tree_at(root_.get(), rel_); }

  const Placement& placement() const override { return placement_; }

 private:
  // cgroup.freeze is a request; the kernel says in cgroup.events when every task has stopped.
  // Without cgroup.freeze (kernel < 5.2) there is no v2 freezer; a tree without cgroup.events
  // (a fake) trusts the request, as is_frozen does.
  Status freeze_and_wait() {
    NOOK_TRY(write_file_at(root_.get(), rel_ + "/cgroup.freeze", "1"));
    const std::string events_file = rel_ + "/cgroup.events";
    for (int i = 0; i < kFrozenPolls; ++i) {
      auto events = read_file_at(root_.get(), events_file);
      if (!events.ok() && events.error().err == ENOENT) return ok_status();
      if (!events.ok()) return std::move(events).error();
      if (events_say_frozen(*events)) return ok_status();
      std::this_thread::sleep_for(kFrozenPollInterval);
    }
    return make_error("unable to freeze: `" + events_file + "` did not say `frozen 1` within 10s");
  }

  linux::UniqueFd root_;
  Placement placement_;
  std::string rel_;  // the cgroup dir relative to the root
};

}  // namespace

std::unique_ptr<Manager> make_v2_manager(linux::UniqueFd root, Placement placement) {
  return std::make_unique<V2Manager>(std::move(root), std::move(placement));
}

}  // namespace nook::cgroup
