// `exec --cgroup`: the sub-cgroup of the container's cgroup that an exec'd process joins
// instead of the container's own. Parses runc 1.1's `[<controller>[,<controller>]:]<path>`
// arguments and derives the sub-cgroup's Placement from the container's. Pure; the caller
// moves the process (the sub-cgroup must exist: like runc, nook does not create it).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "nook/base/result.h"
#include "nook/cgroup/manager.h"

namespace nook::cgroup {

struct SubCgroupRequest {
  // A bare path (or runc 1.1's `:path`): the same sub-cgroup in every hierarchy; the only
  // form cgroup v2 has.
  bool all = false;
  std::string all_path;
  // Per controller ("memory", "cpu", "name=systemd"), in argument order; a controller given
  // twice keeps its last path, as in runc.
  std::vector<std::pair<std::string, std::string>> by_controller;
};

// Parses the --cgroup arguments as runc 1.1.5 does: "a:b:c" is invalid, a bare path must be
// the only argument, "cpu,memory:p" names several controllers. Errors start with `--cgroup`.
Result<SubCgroupRequest> parse_sub_cgroup_args(const std::vector<std::string>& args);

// The placement of the requested sub-cgroup: each path joined under the container's path in
// its hierarchy, refused when it leaves it ("../x is not a sub cgroup path") or names a
// controller the container's cgroup has no hierarchy for. Hierarchies the request does not
// name keep the container's path; `path` (for display) follows a bare path only. `container`
// must not be Layout::Disabled.
Result<Placement> sub_cgroup_placement(const Placement& container, const SubCgroupRequest& request);

}  // namespace nook::cgroup
