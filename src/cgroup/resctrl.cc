// resctrl groups for linux.intelRdt (Documentation/arch/x86/resctrl.rst): a group is a
// directory under the mount with `schemata` and `tasks` files, monitoring groups live under its
// mon_groups/, and rmdir removes a group (its tasks fall back to the parent group).
#include "nook/cgroup/resctrl.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "nook/cgroup/cgroupfs.h"
#include "nook/linux/mountinfo.h"

namespace nook::cgroup {
namespace {

bool is_dir_at(int root_fd, const std::string& rel) {
  struct stat st;
  return fstatat(root_fd, rel.c_str(), &st, 0) == 0 && S_ISDIR(st.st_mode);
}

Status rmdir_at(int root_fd, const std::string& rel) {
  if (rel.empty() || unlinkat(root_fd, rel.c_str(), AT_REMOVEDIR) == 0 || errno == ENOENT)
    return ok_status();
  return sys_error("remove resctrl group `" + rel + "`");
}

// What the kernel said about the last failed write (info/last_cmd_status), or "".
std::string last_command_status(int root_fd) {
  auto text = read_file_at(root_fd, "info/last_cmd_status");
  if (!text.ok()) return "";
  while (!text->empty() && text->back() == '\n') text->pop_back();
  return *text;
}

std::vector<std::string> schema_lines(const spec::IntelRdt& rdt) {
  std::vector<std::string> lines;
  for (const auto* line : {&rdt.l3_cache_schema, &rdt.mem_bw_schema})
    if (!line->empty()) lines.push_back(*line);
  lines.insert(lines.end(), rdt.schemata.begin(), rdt.schemata.end());
  return lines;
}

}  // namespace

Result<linux::UniqueFd> open_resctrl_root() {
  auto mounts = NOOK_TRY(linux::read_mountinfo());
  for (const auto& m : mounts) {
    if (m.fstype != "resctrl") continue;
    linux::UniqueFd fd(::open(m.mount_point.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
    if (!fd) return sys_error("linux.intelRdt: open the resctrl mount `" + m.mount_point + "`");
    return fd;
  }
  return make_error(
      "linux.intelRdt: resctrl is not mounted (it needs Intel RDT or AMD QoS and `mount -t "
      "resctrl resctrl /sys/fs/resctrl`)");
}

Status write_schemata_at(int root_fd, const std::string& group,
                         const std::vector<std::string>& lines, std::string_view field) {
  if (lines.empty()) return ok_status();
  // One write: the kernel takes several lines at once and says which one it refused.
  std::string text;
  for (const auto& line : lines) text += line + "\n";
  auto written = write_file_at(root_fd, group + "/schemata", text);
  if (written.ok()) return ok_status();
  std::string what = std::string(field) + ": write the schemata of resctrl group `" + group + "`";
  if (std::string why = last_command_status(root_fd); !why.empty()) what += " (" + why + ")";
  return Error{written.error().err, what};
}

Result<RdtPlacement> prepare_rdt_at(int root_fd, const spec::IntelRdt& rdt,
                                    const std::string& container_id) {
  RdtPlacement p;
  p.group = rdt.clos_id.empty() ? container_id : rdt.clos_id;
  p.owned = rdt.clos_id.empty();
  std::vector<std::string> lines = schema_lines(rdt);
  bool made = false;
  if (!is_dir_at(root_fd, p.group)) {
    // A closID with nothing to write names a group set up beforehand (runtime-spec).
    if (!rdt.clos_id.empty() && lines.empty())
      return make_error("linux.intelRdt.closID: resctrl group `" + p.group +
                        "` does not exist and no schema is given to make it");
    if (mkdirat(root_fd, p.group.c_str(), 0755) < 0)
      return sys_error("linux.intelRdt: make resctrl group `" + p.group + "`");
    made = true;
  }
  auto undo = [&](Error e) -> Error {
    if (made) (void)rmdir_at(root_fd, p.group);
    return e;
  };
  if (auto st = write_schemata_at(root_fd, p.group, lines, "linux.intelRdt"); !st.ok())
    return undo(std::move(st).error());
  if (rdt.enable_monitoring) {
    p.monitor = p.group + "/mon_groups/" + container_id;
    if (mkdirat(root_fd, p.monitor.c_str(), 0755) < 0 && errno != EEXIST)
      return undo(Error{
          errno, "linux.intelRdt.enableMonitoring: make monitoring group `" + p.monitor + "`"});
  }
  return p;
}

Status add_rdt_task_at(int root_fd, const RdtPlacement& p, pid_t pid) {
  // Into the control group first: a monitoring group takes only its parent's tasks.
  for (const auto* group : {&p.group, &p.monitor}) {
    if (group->empty()) continue;
    auto st = write_file_at(root_fd, *group + "/tasks", std::to_string(pid));
    if (!st.ok()) return std::move(st).error().wrap("linux.intelRdt: join `" + *group + "`");
  }
  return ok_status();
}

Status remove_rdt_at(int root_fd, const RdtPlacement& p) {
  NOOK_TRY(rmdir_at(root_fd, p.monitor));
  if (p.owned) NOOK_TRY(rmdir_at(root_fd, p.group));
  return ok_status();
}

}  // namespace nook::cgroup
