// File access to a cgroupfs tree through a root dirfd: mkdir -p, reading and writing control
// files, listing v1 hierarchies, and leaf-first removal. Shared by the v1 and v2 managers;
// every path is relative to the root fd, never absolute, so a temp dir can stand in for
// /sys/fs/cgroup. Parent-side only.
#pragma once

#include <sys/types.h>

#include <string>
#include <string_view>
#include <vector>

#include "nook/base/result.h"
#include "nook/linux/fd.h"

namespace nook::cgroup {

// The path of cgroup `path` (absolute, e.g. "/a/b") in `hierarchy` ("memory"; "" for the v2
// root) relative to the cgroupfs root: "memory/a/b", "a/b"; "." for the v2 root cgroup.
std::string hierarchy_rel(std::string_view hierarchy, std::string_view path);

// mkdir -p of `rel` under `root_fd` with mode 0755; existing directories are fine.
Status mkdir_p_at(int root_fd, const std::string& rel);
// The whole content of a file.
Result<std::string> read_file_at(int root_fd, const std::string& rel);
// Writes `data` in one write(2), as cgroupfs wants (O_WRONLY|O_TRUNC, like runc).
Status write_file_at(int root_fd, const std::string& rel, std::string_view data);
// An O_DIRECTORY fd of the cgroup directory `rel`, and an O_WRONLY fd of the control file `rel`
// (both O_CLOEXEC, never through a symlink).
Result<linux::UniqueFd> open_dir_at(int root_fd, const std::string& rel);
Result<linux::UniqueFd> open_write_at(int root_fd, const std::string& rel);
// The pids listed in a cgroup.procs file.
Result<std::vector<pid_t>> read_pids_at(int root_fd, const std::string& rel);
// The pids of cgroup directory `rel` and of its sub-cgroups, depth-first in name order with
// each cgroup's own before its children's (runc's GetAllPids order). A sub-cgroup that goes
// away meanwhile is skipped; a missing `rel` is an ENOENT error.
Result<std::vector<pid_t>> read_pids_tree_at(int root_fd, const std::string& rel);

// The v1 hierarchies: directories (not symlinks such as "cpu" → "cpu,cpuacct") directly under
// the root other than "unified", sorted by name.
Result<std::vector<std::string>> list_hierarchies_at(int root_fd);

// Removes the cgroup directory `rel` and its sub-cgroups, leaf-first. A missing directory is
// fine. EBUSY is retried a few times with a short back-off: a process that was just killed
// still populates the cgroup until it is reaped.
Status remove_cgroup_at(int root_fd, const std::string& rel);

}  // namespace nook::cgroup
