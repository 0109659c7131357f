// Choosing a cgroup manager: layout detection from statfs magics, placement of a resolved
// cgroup path in every hierarchy (under the caller's own cgroup when relative, as runc does),
// rebuilding a manager from a saved Placement, and the disabled manager. Parent-side only.
#include "nook/cgroup/manager.h"

#include <fcntl.h>
#include <linux/magic.h>
#include <sys/vfs.h>

#include <cerrno>
#include <cstdio>

#include "nook/cgroup/backends.h"
#include "nook/cgroup/cgroupfs.h"

namespace nook::cgroup {

namespace {

constexpr const char* kCgroupfsRoot = "/sys/fs/cgroup";
constexpr const char* kProcSelfCgroup = "/proc/self/cgroup";

class DisabledManager final : public Manager {
 public:
  Layout layout() const override { return Layout::Disabled; }
  Status create() override { return ok_status(); }
  Status add_pid(pid_t) override { return ok_status(); }
  Result<Entry> open_entry() override { return Entry{}; }
  Status destroy() override { return ok_status(); }
  bool is_frozen() override { return false; }
  Status freeze() override { return no_cgroup(); }
  Status thaw() override { return no_cgroup(); }
  Result<std::vector<pid_t>> pids() override { return std::vector<pid_t>(); }
  const Placement& placement() const override { return placement_; }

 private:
  // Without a cgroup there is nothing to freeze, and signals alone cannot pause safely.
  static Status no_cgroup() {
    return make_error("the container has no cgroup (--cgroup-manager=disabled)");
  }

  Placement placement_;  // layout Disabled, no path
};

std::string hex(uint64_t value) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%#llx", static_cast<unsigned long long>(value));
  return buf;
}

// A cgroup path as saved or resolved: absolute, already clean, and not the root cgroup.
bool is_container_path(const std::string& path) {
  return !path.empty() && path.front() == '/' && path != "/" && clean_path(path) == path;
}

// One path element naming a hierarchy dir under the root.
bool is_hierarchy_name(const std::string& name) {
  return !name.empty() && name != "." && name != ".." && name.find('/') == std::string::npos;
}

Result<linux::UniqueFd> dup_root(int root_fd) {
  linux::UniqueFd fd(::fcntl(root_fd, F_DUPFD_CLOEXEC, 3));
  if (!fd) return sys_error("duplicate the cgroupfs root fd");
  return fd;
}

// The absolute path of `cgroup_path` in `hierarchy`: itself when absolute, else under the
// caller's own cgroup there ("" is the v2 root).
Result<std::string> place_in(const std::string& hierarchy, const std::string& cgroup_path,
                             const std::vector<ProcCgroup>& own) {
  if (cgroup_path.front() == '/') return cgroup_path;
  auto base = own_cgroup_in(hierarchy, own);
  if (!base) {
    return make_error("place cgroup `" + cgroup_path + "`: no entry for hierarchy `" +
                      (hierarchy.empty() ? std::string("unified") : hierarchy) + "` in " +
                      kProcSelfCgroup);
  }
  return join_path(*base, cgroup_path);
}

Result<Placement> place(int root_fd, Layout layout, const std::string& cgroup_path,
                        const std::vector<ProcCgroup>& own) {
  Placement placement;
  placement.layout = layout;
  if (layout == Layout::V2) {
    placement.path = NOOK_TRY(place_in("", cgroup_path, own));
    return placement;
  }
  placement.hierarchies = NOOK_TRY(list_hierarchies_at(root_fd));
  if (placement.hierarchies.empty()) {
    return make_error("place cgroup: no cgroup v1 hierarchies under the cgroupfs root");
  }
  // Hybrid: runc also joins the unified hierarchy, so the process shows in "0::" as well.
  if (layout == Layout::Hybrid) placement.hierarchies.push_back("unified");
  for (const std::string& hierarchy : placement.hierarchies) {
    placement.paths.push_back(NOOK_TRY(place_in(hierarchy, cgroup_path, own)));
  }
  placement.path = placement.paths.front();
  for (size_t i = 0; i < placement.hierarchies.size(); ++i) {
    if (placement.hierarchies[i] == "pids" || placement.hierarchies[i] == "unified") {
      placement.path = placement.paths[i];
    }
  }
  return placement;
}

Status check_placement(const Placement& placement) {
  auto bad = [](const std::string& what) { return make_error("load cgroup placement: " + what); };
  switch (placement.layout) {
    case Layout::Disabled:
      return ok_status();
    case Layout::V2:
      if (!is_container_path(placement.path)) return bad("bad path `" + placement.path + "`");
      if (!placement.hierarchies.empty()) return bad("v2 with hierarchies");
      return ok_status();
    case Layout::V1:
    case Layout::Hybrid:
      break;
  }
  if (placement.hierarchies.empty()) return bad("no hierarchies");
  if (!placement.paths.empty() && placement.paths.size() != placement.hierarchies.size()) {
    return bad("paths and hierarchies differ in number");
  }
  for (const std::string& name : placement.hierarchies) {
    if (!is_hierarchy_name(name)) return bad("bad hierarchy `" + name + "`");
  }
  if (placement.paths.empty() && !is_container_path(placement.path)) {
    return bad("bad path `" + placement.path + "`");
  }
  for (const std::string& path : placement.paths) {
    if (!is_container_path(path)) return bad("bad path `" + path + "`");
  }
  return ok_status();
}

}  // namespace

const std::string& path_in_hierarchy(const Placement& placement, size_t i) {
  return placement.paths.empty() ? placement.path : placement.paths[i];
}

Result<Layout> classify_layout(uint64_t root_magic, uint64_t unified_magic) {
  if (root_magic == CGROUP2_SUPER_MAGIC) return Layout::V2;
  if (root_magic == TMPFS_MAGIC) {
    return unified_magic == CGROUP2_SUPER_MAGIC ? Layout::Hybrid : Layout::V1;
  }
  return make_error(
      "detect cgroup layout: the cgroupfs root is neither cgroup2 nor a tmpfs of "
      "v1 hierarchies (filesystem magic " +
      hex(root_magic) + ")");
}

Result<Layout> detect_layout(int cgroupfs_root_fd) {
  struct statfs root;
  if (::fstatfs(cgroupfs_root_fd, &root) != 0) return sys_error("statfs the cgroupfs root");
  uint64_t unified_magic = 0;
  linux::UniqueFd unified(
      ::openat(cgroupfs_root_fd, "unified", O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (unified) {
    struct statfs st;
    if (::fstatfs(unified.get(), &st) != 0) return sys_error("statfs `unified`");
    unified_magic = static_cast<uint64_t>(st.f_type);
  } else if (errno != ENOENT && errno != ENOTDIR) {
    return sys_error("open `unified`");
  }
  return classify_layout(static_cast<uint64_t>(root.f_type), unified_magic);
}

Result<std::unique_ptr<Manager>> make_manager(int root_fd, Driver driver,
                                              const std::string& cgroup_path) {
  switch (driver) {
    case Driver::Disabled:
      return make_disabled_manager();
    case Driver::Systemd:
      return make_systemd_manager(kSystemdPrivateSocket);
    case Driver::Cgroupfs:
      break;
  }
  Layout layout = NOOK_TRY(detect_layout(root_fd));
  std::vector<ProcCgroup> own;
  if (!cgroup_path.empty() && cgroup_path.front() != '/') {
    std::string text = NOOK_TRY(read_file_at(AT_FDCWD, kProcSelfCgroup));
    own = NOOK_TRY(parse_proc_cgroup(text));
  }
  return make_manager_for_layout(root_fd, layout, cgroup_path, own);
}

Result<std::unique_ptr<Manager>> make_manager_for_layout(int root_fd, Layout layout,
                                                         const std::string& cgroup_path,
                                                         const std::vector<ProcCgroup>& own) {
  if (layout == Layout::Disabled) return make_disabled_manager();
  if (cgroup_path.empty() || clean_path(cgroup_path) != cgroup_path || cgroup_path == "/") {
    return make_error("make cgroup manager: bad cgroup path `" + cgroup_path + "`");
  }
  Placement placement = NOOK_TRY(place(root_fd, layout, cgroup_path, own));
  return load_manager(root_fd, placement);
}

Result<std::unique_ptr<Manager>> load_manager(int root_fd, const Placement& placement) {
  NOOK_TRY(check_placement(placement));
  if (placement.layout == Layout::Disabled) return make_disabled_manager();
  linux::UniqueFd root = NOOK_TRY(dup_root(root_fd));
  if (placement.layout == Layout::V2) return make_v2_manager(std::move(root), placement);
  return make_v1_manager(std::move(root), placement);
}

std::unique_ptr<Manager> make_disabled_manager() {
  return std::make_unique<DisabledManager>();
}

Result<linux::UniqueFd> open_cgroupfs_root() {
  linux::UniqueFd fd(::open(kCgroupfsRoot, O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!fd) return sys_error(std::string("open `") + kCgroupfsRoot + "`");
  return fd;
}

}  // namespace nook::cgroup
