// `update`: new cgroup limits for a created, running or paused container, written with
// cgroup::apply_resources onto the placement saved at create. Reads --resources (a file or
// stdin) and fills in what cgroup v2 needs from the live cgroup; stores nothing, since the
// cgroup holds the limits and `delete` needs none of them.
#include "nook/runtime/update.h"

#include <fcntl.h>
#include <unistd.h>

#include <charconv>

#include "nook/cgroup/cgroupfs.h"
#include "nook/cgroup/manager.h"
#include "nook/cgroup/resctrl.h"
#include "nook/linux/fd.h"
#include "nook/linux/file.h"
#include "nook/log/log.h"
#include "nook/runtime/state_dir.h"
#include "nook/runtime/status.h"

namespace nook::runtime {
namespace {

// The --resources JSON text: "" without the flag, stdin for "-" (containerd's shim pipes it).
Result<std::string> read_resources_input(const std::string& path) {
  if (path.empty()) return std::string();
  std::string text;
  if (path == "-") {
    text = NOOK_TRY(linux::read_all(STDIN_FILENO, "stdin"));
  } else {
    linux::UniqueFd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd) return sys_error("open `" + path + "`");
    text = NOOK_TRY(linux::read_all(fd.get(), path));
  }
  // parse_resources reads "" as "no linux.resources"; here it is a caller's mistake (runc: EOF).
  if (text.find_first_not_of(" \t\r\n") == std::string::npos)
    return make_error("no JSON object in `" + (path == "-" ? std::string("stdin") : path) + "`");
  return text;
}

// cgroup v2 keeps quota and period in one file, cpu.max, whose quota must be written with any
// period: an update of the period alone keeps the quota the cgroup has now (runc keeps the one
// from its saved config), where the plan alone would write "max PERIOD".
Status keep_v2_quota(int root_fd, const cgroup::Placement& p, cgroup::CpuResources& cpu) {
  if (p.layout != cgroup::Layout::V2 || cpu.period == 0 || cpu.quota != 0) return ok_status();
  std::string file = cgroup::hierarchy_rel("", p.path) + "/cpu.max";
  std::string text = NOOK_TRY(cgroup::read_file_at(root_fd, file));
  std::string_view quota = std::string_view(text).substr(0, text.find_first_of(" \n"));
  if (quota == "max") {
    cpu.quota = -1;
    return ok_status();
  }
  auto [end, ec] = std::from_chars(quota.data(), quota.data() + quota.size(), cpu.quota);
  if (quota.empty() || ec != std::errc() || end != quota.data() + quota.size())
    return make_error("unexpected content `" + text + "` in `" + file + "`");
  return ok_status();
}

}  // namespace

Status update(const GlobalOptions& g, const UpdateOptions& o) {
  // 1. The container, then its new limits (bad input fails before the status check, as runc).
  auto dir = NOOK_TRY(StateDir::open(g.root, o.id));
  auto s = NOOK_TRY(dir.load());
  auto input = read_resources_input(o.resources_file);
  if (!input.ok()) return std::move(input).error().wrap("--resources");
  // Errors name the flag (`--cpu-share: ...`) or the JSON field (`linux.resources.cpu...`).
  auto plan = NOOK_TRY(update_resources(*input, o.flags));
  cgroup::Resources& r = plan.resources;
  if (plan.kernel_memory_ignored) log::warn(cgroup::kKernelMemoryIgnored);
  // 2. Only a live container has a cgroup to update; paused ones too (runc allows it).
  if (derive_status(s, dir) == ContainerStatus::Stopped) return make_error("container not running");
  if (s.cgroup.layout == cgroup::Layout::Disabled) {
    return make_error(
        "update: the container has no cgroup (it was created with "
        "--cgroup-manager=disabled)");
  }
  // 3. What cgroup v2 cannot take from the request alone.
  if (s.cgroup.layout == cgroup::Layout::V2 && r.memory.swap > 0 && r.memory.limit <= 0) {
    return make_error(
        "--memory-swap: needs --memory on cgroup v2 (memory.swap.max holds the "
        "swap alone, the difference of the two)");
  }
  auto root = NOOK_TRY(cgroup::open_cgroupfs_root());
  NOOK_TRY(keep_v2_quota(root.get(), s.cgroup, r.cpu));
  // 4. Write, device rules untouched.
  Status applied = cgroup::apply_resources(root.get(), s.cgroup, r);
  if (!applied.ok()) return std::move(applied).error().wrap("update");
  // 5. The resctrl group's schemata.
  for (const auto& [flag, line] : plan.schemata) {
    if (s.rdt.group.empty())
      return make_error(flag + ": the container has no resctrl group (linux.intelRdt)");
    auto resctrl = NOOK_TRY(cgroup::open_resctrl_root());
    NOOK_TRY(cgroup::write_schemata_at(resctrl.get(), s.rdt.group, {line}, flag));
  }
  return ok_status();
}

}  // namespace nook::runtime
