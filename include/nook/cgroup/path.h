// Cgroup path arithmetic, all pure: cleaning cgroupsPath the way runc does, systemd slice
// expansion, parsing /proc/self/cgroup and finding the caller's own cgroup in a hierarchy.
// No I/O here; resolve_path (manager.h) is built from these.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "nook/base/result.h"

namespace nook::cgroup {

// One line of /proc/PID/cgroup: "4:memory:/a/b", "9:name=systemd:/", "0::/" (unified).
struct ProcCgroup {
  int hierarchy_id = 0;
  std::vector<std::string> controllers;  // "memory"; "name=systemd"; empty for unified
  std::string path;                      // always absolute
};

// Lexically cleans a path like Go's filepath.Clean; ".." never climbs above the start. An
// absolute path stays absolute ("/a/../../b" → "/b"); a relative one stays relative
// ("../../x" → "x", runc's CleanPath); "" and "." give "".
std::string clean_path(std::string_view path);

// Joins a cgroup path under an absolute base: ("/a", "b/c") → "/a/b/c", ("/", "x") → "/x".
std::string join_path(std::string_view base, std::string_view rel);

// Expands a systemd slice name to its cgroup path: "a-b.slice" → "/a.slice/a-b.slice",
// "-.slice" → "/" (systemd's unit naming; runc's ExpandSlice).
Result<std::string> expand_slice(std::string_view slice);

// Parses the text of /proc/PID/cgroup; malformed lines are an error naming the line.
Result<std::vector<ProcCgroup>> parse_proc_cgroup(std::string_view text);

// The caller's cgroup in the hierarchy mounted at directory `hierarchy` ("memory",
// "cpu,cpuacct", "systemd" for name=systemd, "unified" or "" for the v2 hierarchy): the entry
// sharing a controller with the directory name. Mount points are named after their
// controllers by systemd and every distribution's init, so the name is enough here.
std::optional<std::string> own_cgroup_in(std::string_view hierarchy,
                                         const std::vector<ProcCgroup>& own);

}  // namespace nook::cgroup
