// `exec --cgroup` arguments and the sub-cgroup placement they name, after runc 1.1.5's
// getSubCgroupPaths and newSetnsProcess (checked against runc on this machine). Pure.
#include "nook/cgroup/sub_cgroup.h"

#include <algorithm>
#include <array>
#include <optional>
#include <string_view>

#include "nook/base/split.h"
#include "nook/cgroup/path.h"

namespace nook::cgroup {

namespace {

// The kernel's v1 controllers. A hierarchy directory named otherwise is a named hierarchy
// ("systemd" holds name=systemd), which runc keys as "name=<dir>".
constexpr std::array<std::string_view, 15> kV1Controllers = {
    "blkio",  "cpu",  "cpuacct", "cpuset",   "debug",      "devices", "freezer", "hugetlb",
    "memory", "misc", "net_cls", "net_prio", "perf_event", "pids",    "rdma",
};

Error arg_error(std::string_view what) {
  return make_error("--cgroup: " + std::string(what));
}

// Whether `controller` ("memory", "name=systemd") is held by the v1 hierarchy dir `hierarchy`
// ("cpu,cpuacct", "systemd"). "unified" (hybrid's cgroup2) holds none: only a bare path
// reaches it, as in runc.
bool holds(std::string_view hierarchy, std::string_view controller) {
  if (hierarchy == "unified") return false;
  bool named =
      std::find(kV1Controllers.begin(), kV1Controllers.end(), hierarchy) == kV1Controllers.end() &&
      hierarchy.find(',') == std::string_view::npos;
  if (named) return controller.starts_with("name=") && controller.substr(5) == hierarchy;
  auto parts = split(hierarchy, ',');
  return std::find(parts.begin(), parts.end(), controller) != parts.end();
}

// `sub` under `base`, or an error when it leaves it. runc 1.1.5 only checks a string prefix,
// so "../c1x" under "/a/c1" slips through to the sibling "/a/c1x"; nook checks whole elements.
Result<std::string> join_sub(const std::string& base, const std::string& sub) {
  std::string joined = join_path(base, sub);
  if (joined != base && !joined.starts_with(base == "/" ? base : base + "/")) {
    return arg_error("`" + sub + "` is not a sub cgroup path");
  }
  return joined;
}

}  // namespace

Result<SubCgroupRequest> parse_sub_cgroup_args(const std::vector<std::string>& args) {
  SubCgroupRequest request;
  for (const std::string& arg : args) {
    auto fields = split(arg, ':');
    if (fields.size() > 2) return arg_error("invalid argument `" + arg + "`");
    if (fields.size() == 1) {
      if (args.size() != 1) {
        return arg_error("invalid argument `" + arg + "` (missing <controller>: prefix)");
      }
      request.all = true;
      request.all_path = arg;
      continue;
    }
    std::string path(fields[1]);
    for (std::string_view controller : split(fields[0], ',')) {
      // runc 1.1 reads an empty controller (":path") as "every controller".
      if (controller.empty()) {
        request.all = true;
        request.all_path = path;
        continue;
      }
      auto same = [&](const auto& entry) { return entry.first == controller; };
      auto it = std::find_if(request.by_controller.begin(), request.by_controller.end(), same);
      if (it != request.by_controller.end()) {
        it->second = path;
      } else {
        request.by_controller.emplace_back(std::string(controller), path);
      }
    }
  }
  // runc then ignores the per-controller paths silently; refuse the ambiguity instead.
  if (request.all && !request.by_controller.empty()) {
    return arg_error("a path for every controller cannot be combined with per-controller paths");
  }
  return request;
}

Result<Placement> sub_cgroup_placement(const Placement& container,
                                       const SubCgroupRequest& request) {
  Placement sub = container;
  if (container.layout == Layout::V2) {
    if (!request.by_controller.empty()) {
      return arg_error("unknown controller `" + request.by_controller.front().first +
                       "` (cgroup v2 takes a bare path, the same for every controller)");
    }
    if (request.all) sub.path = NOOK_TRY(join_sub(container.path, request.all_path));
    return sub;
  }
  size_t count = container.hierarchies.size();
  sub.paths.clear();
  for (size_t i = 0; i < count; ++i) sub.paths.push_back(path_in_hierarchy(container, i));
  if (request.all) {
    for (size_t i = 0; i < count; ++i)
      sub.paths[i] = NOOK_TRY(join_sub(sub.paths[i], request.all_path));
    sub.path = NOOK_TRY(join_sub(container.path, request.all_path));
    return sub;
  }
  // Which controller set each hierarchy's path, to refuse comounted controllers ("cpu" and
  // "cpuacct" in "cpu,cpuacct") given different paths: runc writes both, in map order.
  std::vector<std::optional<std::string>> set_by(count);
  for (const auto& [controller, path] : request.by_controller) {
    bool found = false;
    for (size_t i = 0; i < count; ++i) {
      if (!holds(container.hierarchies[i], controller)) continue;
      found = true;
      std::string joined = NOOK_TRY(join_sub(path_in_hierarchy(container, i), path));
      if (set_by[i] && sub.paths[i] != joined) {
        return arg_error("controllers `" + *set_by[i] + "` and `" + controller +
                         "` share the hierarchy `" + container.hierarchies[i] +
                         "` but were given different paths");
      }
      sub.paths[i] = joined;
      set_by[i] = controller;
    }
    if (!found) {
      return arg_error("unknown controller `" + controller +
                       "` (no hierarchy of the container's cgroup holds it)");
    }
  }
  return sub;
}

}  // namespace nook::cgroup
