// The cgroup manager interface: one implementation per layout (v1, v2, hybrid), detected at
// run time from the mounted hierarchy, plus "disabled" (--cgroup-manager=disabled) and a
// systemd driver that errors clearly where no systemd is reachable. All file I/O goes through a
// root dirfd (normally /sys/fs/cgroup) so tests run on a fake tree without root.
// Runs in the parent only; never post-clone.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "nook/base/result.h"
#include "nook/cgroup/path.h"
#include "nook/linux/fd.h"

namespace nook::cgroup {

enum class Layout { V1, V2, Hybrid, Disabled };

enum class Driver { Cgroupfs, Systemd, Disabled };

// Where a container's cgroup lives: resolved once at create and saved in state.json so that
// later commands (delete, pause, …) find the same directories without the config.
struct Placement {
  Layout layout = Layout::Disabled;
  // the cgroup path relative to each hierarchy root, e.g. "/ID"; when `paths` is filled this
  // is the path in the pids hierarchy (v1) or in "unified" (hybrid), for display only
  std::string path;
  // v1/hybrid: hierarchy dirs (relative to the cgroupfs root) holding the cgroup, e.g.
  // "memory", "cpu,cpuacct"; hybrid also lists "unified" last; v2: empty (the unified root is
  // the cgroupfs root itself)
  std::vector<std::string> hierarchies;
  // v1/hybrid: the cgroup path in each hierarchy, parallel to `hierarchies`. They differ when a
  // relative cgroupsPath is placed under the caller's own cgroup, which differs per hierarchy
  // (runc does the same). Empty means `path` in every hierarchy.
  std::vector<std::string> paths;
};

// The cgroup path in `placement.hierarchies[i]`: `paths[i]`, or `path` when `paths` is empty.
const std::string& path_in_hierarchy(const Placement& placement, size_t i);

// How a process joins the cgroup as it starts, without add_pid's global lock: clone3 with
// CLONE_INTO_CGROUP into `clone_fd` (v2, and the unified hierarchy of hybrid), and for each v1
// hierarchy its `tasks` file, to which the new process writes "0" first thing, while it is
// single-threaded: a thread that moves itself needs no lock on its thread group. Invalid or
// empty where a layout has no such part.
struct Entry {
  linux::UniqueFd clone_fd;
  std::vector<linux::UniqueFd> tasks;
};

class Manager {
 public:
  virtual ~Manager() = default;
  virtual Layout layout() const = 0;
  // Creates the cgroup directories (mkdir -p in every hierarchy). Idempotent.
  virtual Status create() = 0;
  // Moves `pid` into the cgroup (cgroup.procs in every hierarchy). That write takes the
  // kernel's global cgroup_threadgroup_rwsem for writing, and the first in a while waits out an
  // RCU grace period (~5-15 ms): new processes use open_entry instead where they can. A child
  // that unshares CLONE_NEWCGROUP must do so after this, or its cgroupns root is the parent's.
  virtual Status add_pid(pid_t pid) = 0;
  // The way in for a new process that avoids that lock: see Entry.
  virtual Result<Entry> open_entry() = 0;
  // Removes the cgroup dirs (kills nothing; caller has killed the processes). Missing is fine.
  virtual Status destroy() = 0;
  // Whether the cgroup is frozen (freezer v1 FROZEN, v2 cgroup.freeze 1 and cgroup.events
  // "frozen 1").
  virtual bool is_frozen() = 0;
  // Freezes every process of the cgroup and returns once the kernel reports it frozen
  // (bounded; on timeout the cgroup is thawed back and an error returned, as runc does). v1
  // and hybrid use the freezer hierarchy, v2 cgroup.freeze; disabled errors.
  virtual Status freeze() = 0;
  // Lets a frozen cgroup run again (freezer.state THAWED, or cgroup.freeze 0).
  virtual Status thaw() = 0;
  // pids currently in the cgroup and its sub-cgroups, the cgroup's own first, like runc's
  // GetAllPids (cgroup.procs of the pids hierarchy, else the first; v2: the unified one).
  virtual Result<std::vector<pid_t>> pids() = 0;
  // Saved form for state.json.
  virtual const Placement& placement() const = 0;
};

// Detects the layout from the cgroupfs root dirfd (statfs magic of root and of "unified").
Result<Layout> detect_layout(int cgroupfs_root_fd);
// Pure: the layout for a root filesystem magic and the magic of its "unified" child (0 when
// there is none). Errors when the root is neither cgroup2 nor a tmpfs of v1 hierarchies.
Result<Layout> classify_layout(uint64_t root_magic, uint64_t unified_magic);

// Resolves linux.cgroupsPath (absolute, relative, or "slice:prefix:name" with systemd) into a
// cgroup path. As runc does, an empty `spec_path` gives the relative path "<id>", and a
// relative path is taken under the caller's own cgroup in each hierarchy by make_manager; an
// absolute path is used as is in every hierarchy. Paths are cleaned and cannot escape with
// "..". With Driver::Systemd the result is the expanded absolute unit path, e.g.
// "system.slice:nook:ID" → "/system.slice/nook-ID.scope" (empty → "system.slice:nook:<id>").
Result<std::string> resolve_path(const std::string& spec_path, const std::string& id,
                                 Driver driver);

// Makes a manager for a new container. `root_fd` is the cgroupfs root dir (/sys/fs/cgroup);
// `cgroup_path` comes from resolve_path. Detects the layout and reads /proc/self/cgroup for
// relative paths, then calls make_manager_for_layout. The manager keeps its own dup of
// `root_fd`.
Result<std::unique_ptr<Manager>> make_manager(int root_fd, Driver driver,
                                              const std::string& cgroup_path);
// The same with the layout and the caller's own cgroups (parsed /proc/self/cgroup) given, so
// tests can run on a fake tree that has no statfs magic. `own` is unused for absolute paths.
Result<std::unique_ptr<Manager>> make_manager_for_layout(int root_fd, Layout layout,
                                                         const std::string& cgroup_path,
                                                         const std::vector<ProcCgroup>& own);
// Reopens the manager of an existing container from its saved placement.
Result<std::unique_ptr<Manager>> load_manager(int root_fd, const Placement& placement);

// Opens /sys/fs/cgroup as an O_PATH|O_DIRECTORY fd.
Result<linux::UniqueFd> open_cgroupfs_root();

}  // namespace nook::cgroup
