// The cgroup manager interface: one implementation per layout (v1, v2, hybrid), detected at
// run time from the mounted hierarchy, plus "disabled" (--cgroup-manager=disabled) and a
// systemd driver that errors clearly where no systemd is reachable. All file I/O goes through a
// root dirfd (normally /sys/fs/cgroup) so tests run on a fake tree without root.
// Runs in the parent only; never post-clone.
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "nook/base/result.h"
#include "nook/linux/fd.h"

namespace nook::cgroup {

enum class Layout { V1, V2, Hybrid, Disabled };

enum class Driver { Cgroupfs, Systemd, Disabled };

// Where a container's cgroup lives: resolved once at create and saved in state.json so that
// later commands (delete, pause, …) find the same directories without the config.
struct Placement {
  Layout layout = Layout::Disabled;
  std::string path;  // the cgroup path relative to each hierarchy root, e.g. "/nook/ID"
  // v1/hybrid: hierarchy dirs (relative to the cgroupfs root) holding the cgroup, e.g.
  // "memory", "cpu,cpuacct"; v2: empty (the unified root is the cgroupfs root itself)
  std::vector<std::string> hierarchies;
};

class Manager {
 public:
  virtual ~Manager() = default;
  virtual Layout layout() const = 0;
  // Creates the cgroup directories (mkdir -p in every hierarchy). Idempotent.
  virtual Status create() = 0;
  // Moves `pid` into the cgroup (cgroup.procs in every hierarchy).
  virtual Status add_pid(pid_t pid) = 0;
  // v2 only: an O_DIRECTORY fd of the cgroup for clone3(CLONE_INTO_CGROUP); invalid otherwise.
  virtual linux::UniqueFd open_for_clone() = 0;
  // Removes the cgroup dirs (kills nothing; caller has killed the processes). Missing is fine.
  virtual Status destroy() = 0;
  // Whether the cgroup is frozen (freezer v1 FROZEN, v2 cgroup.freeze 1).
  virtual bool is_frozen() = 0;
  // pids currently in the cgroup (cgroup.procs of the first hierarchy / unified).
  virtual Result<std::vector<pid_t>> pids() = 0;
  // Saved form for state.json.
  virtual const Placement& placement() const = 0;
};

// Detects the layout from the cgroupfs root dirfd (statfs magic of root and of "unified").
Result<Layout> detect_layout(int cgroupfs_root_fd);

// Resolves linux.cgroupsPath (absolute, relative, or "slice:prefix:name" with systemd) into a
// cgroup path; empty `spec_path` gives the default "/nook/<id>" (relative paths are taken
// under the caller's own cgroup as runc does).
Result<std::string> resolve_path(const std::string& spec_path, const std::string& id,
                                 Driver driver);

// Makes a manager for a new container. `root_fd` is the cgroupfs root dir (/sys/fs/cgroup).
Result<std::unique_ptr<Manager>> make_manager(int root_fd, Driver driver,
                                              const std::string& cgroup_path);
// Reopens the manager of an existing container from its saved placement.
Result<std::unique_ptr<Manager>> load_manager(int root_fd, const Placement& placement);

// Opens /sys/fs/cgroup as an O_PATH|O_DIRECTORY fd.
Result<linux::UniqueFd> open_cgroupfs_root();

}  // namespace nook::cgroup
