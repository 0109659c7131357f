// Writing a new user namespace's id maps; see id_maps.h. Parent-side.
#include "nook/runtime/id_maps.h"

#include <unistd.h>

#include <optional>
#include <string>

#include "nook/base/passwd.h"
#include "nook/linux/file.h"
#include "nook/linux/userns.h"
#include "nook/runtime/command.h"
#include "nook/spec/id_map.h"

namespace nook::runtime {
namespace {

struct Kind {
  const char* field;     // "linux.uidMappings"
  const char* ids;       // "uids"
  const char* file;      // "/etc/subuid"
  const char* tool;      // "newuidmap"
  const char* map_file;  // "uid_map"
};
constexpr Kind kUid{"linux.uidMappings", "uids", "/etc/subuid", "newuidmap", "uid_map"};
constexpr Kind kGid{"linux.gidMappings", "gids", "/etc/subgid", "newgidmap", "gid_map"};

// The name /etc/passwd gives `uid`; none for users only NSS knows (LDAP, SSSD), which nook,
// linked statically, does not ask.
std::optional<std::string> user_name(uid_t uid) {
  auto passwd = linux::read_file("/etc/passwd");
  if (!passwd.ok()) return std::nullopt;
  auto entry = find_passwd_uid(*passwd, uid);
  if (!entry) return std::nullopt;
  return entry->name;
}

// True when `maps` needs the setuid tool; fails when the tool would refuse a mapping. A user
// without a name here is left to the tool, which looks the name up itself.
Result<bool> needs_tool(const std::vector<spec::IdMapping>& maps, uint32_t own, const Kind& k) {
  if (spec::is_own_id_only(maps, own)) return false;
  uid_t uid = getuid();
  auto known = user_name(uid);
  if (!known) return true;
  const std::string& name = *known;
  auto text = linux::read_file(k.file);
  auto ranges = spec::parse_subids(text.ok() ? *text : "", name, uid);
  int bad = spec::first_unallowed_mapping(maps, own, ranges);
  if (bad >= 0) {
    const auto& m = maps[static_cast<size_t>(bad)];
    return make_error(
        std::string(k.field) + "[" + std::to_string(bad) + "]: host " + k.ids + " " +
        std::to_string(m.host_id) + "-" + std::to_string(uint64_t{m.host_id} + m.size - 1) +
        " are neither your own nor subordinate " + k.ids + " of `" + name + "` in " + k.file);
  }
  return true;
}

Status write_map(pid_t pid, const std::vector<spec::IdMapping>& maps, bool tool, const Kind& k) {
  if (!tool) {
    auto st = linux::write_proc_file(pid, k.map_file, spec::format_id_map(maps));
    if (!st.ok()) return std::move(st).error().wrap(k.field);
    return ok_status();
  }
  std::vector<std::string> args = {std::to_string(pid)};
  for (auto& a : spec::id_map_args(maps)) args.push_back(std::move(a));
  auto out = run_command(k.tool, args);
  if (out.ok()) return ok_status();
  if (out.error().err == ENOENT)
    return make_error(std::string(k.field) + ": mapping more than your own id needs " + k.tool +
                      ", which is not in PATH (install the uidmap package)");
  std::string why = out.error().message;
  while (!why.empty() && why.back() == '\n') why.pop_back();
  return make_error(std::string(k.field) + ": " + k.tool + " failed: " + why);
}

}  // namespace

Result<IdMapWriter> plan_id_maps(const spec::Linux& l) {
  IdMapWriter w;
  if (geteuid() == 0) return w;  // CAP_SETUID and CAP_SETGID: any mapping, setgroups allowed
  w.uid_tool = NOOK_TRY(needs_tool(l.uid_mappings, geteuid(), kUid));
  w.gid_tool = NOOK_TRY(needs_tool(l.gid_mappings, getegid(), kGid));
  // user_namespaces(7): without CAP_SETGID the gid_map can only be written once setgroups is
  // denied (CVE-2014-8989); newgidmap checks /etc/subgid instead and leaves it allowed.
  w.deny_setgroups = !w.gid_tool;
  return w;
}

Status write_id_maps(pid_t pid, const spec::Linux& l, const IdMapWriter& w) {
  NOOK_TRY(write_map(pid, l.uid_mappings, w.uid_tool, kUid));
  if (w.deny_setgroups) NOOK_TRY(linux::write_proc_file(pid, "setgroups", "deny"));
  return write_map(pid, l.gid_mappings, w.gid_tool, kGid);
}

Result<linux::UniqueFd> user_ns_with_maps(const std::vector<spec::IdMapping>& uids,
                                          const std::vector<spec::IdMapping>& gids) {
  auto holder = NOOK_TRY(linux::UserNsHolder::spawn());
  NOOK_TRY(write_map(holder.pid(), uids, false, kUid));
  NOOK_TRY(write_map(holder.pid(), gids, false, kGid));
  return linux::open_ns_of(holder.pid(), "user");
}

}  // namespace nook::runtime
