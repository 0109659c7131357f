// Rules on a decoded Config, checked before anything touches the host: the runtime-spec's
// MUSTs and runc's validator (libcontainer/configs/validate), each error naming the field
// path. Pure: no file is read here, so host-dependent checks belong to the runtime.
#include "nook/spec/validate.h"

#include <cctype>
#include <map>
#include <optional>
#include <set>
#include <string>

#include "nook/json/decode.h"
#include "nook/spec/id_map.h"
#include "nook/spec/mount_options.h"
#include "nook/spec/sched.h"

namespace nook::spec {
namespace {

constexpr int kOomScoreAdjMin = -1000;
constexpr int kOomScoreAdjMax = 1000;

std::string at(std::string_view path, size_t i) {
  return std::string(path) + "[" + std::to_string(i) + "]";
}

Error field_error(std::string_view path, std::string_view what) {
  return make_error(std::string(path) + ": " + std::string(what));
}

// "`V` out of range [LO, HIGH]", built piecewise: GCC 12 warns (-Wrestrict, bug 105329) on
// "literal" + to_string().
std::string out_of_range(long value, long low, long high) {
  std::string text = "`";
  text += std::to_string(value);
  text += "` out of range [";
  text += std::to_string(low);
  text += ", ";
  text += std::to_string(high);
  text += "]";
  return text;
}

bool is_absolute(std::string_view path) {
  return !path.empty() && path.front() == '/';
}

// A namespace the container creates, as opposed to absent or joined by path.
bool has_new_namespace(const Linux& l, NamespaceType t) {
  const Namespace* ns = l.find_namespace(t);
  return ns != nullptr && ns->path.empty();
}

Status validate_version(const Config& c) {
  // Any 1.x: the spec promises compatibility within a major version.
  if (c.oci_version.empty()) return field_error("ociVersion", "required");
  if (!c.oci_version.starts_with("1."))
    return field_error("ociVersion", "unsupported version `" + c.oci_version + "` (want 1.x)");
  return ok_status();
}

Status validate_root(const Config& c) {
  if (c.root.path.empty()) return field_error("root.path", "required");
  return ok_status();
}

Status validate_env(const Process& p, std::string_view path) {
  for (size_t i = 0; i < p.env.size(); ++i) {
    const std::string& entry = p.env[i];
    auto eq = entry.find('=');
    if (eq == std::string::npos)
      return field_error(at(std::string(path) + ".env", i), "missing `=` in `" + entry + "`");
    if (eq == 0)
      return field_error(at(std::string(path) + ".env", i), "empty name in `" + entry + "`");
  }
  return ok_status();
}

Status validate_rlimits(const Process& p, std::string_view path) {
  std::set<int> seen;
  for (size_t i = 0; i < p.rlimits.size(); ++i) {
    const Rlimit& r = p.rlimits[i];
    std::string element = at(std::string(path) + ".rlimits", i);
    if (r.soft > r.hard) return field_error(element, "soft limit exceeds hard limit");
    // runtime-spec: duplicated entries of the same type MUST be an error.
    if (!seen.insert(r.resource).second)
      return field_error(element, "duplicate rlimit `" + r.type + "`");
  }
  return ok_status();
}

// The kernel's rules for a uid_map/gid_map (user_namespaces(7)), so that a bad mapping fails
// here with its index instead of as EINVAL from the map write after clone.
Status validate_id_mappings(const std::vector<IdMapping>& maps, std::string_view path) {
  // (uid_t)-1 is never a valid id, and a range may not wrap: first + size must stay below it.
  constexpr uint64_t kIdLimit = 4294967295;
  constexpr size_t kMaxRanges = 340;  // UID_GID_MAP_MAX_EXTENTS
  if (maps.size() > kMaxRanges)
    return field_error(path, "at most " + std::to_string(kMaxRanges) + " ranges");
  auto range = [](uint64_t first, uint64_t size) {
    return std::to_string(first) + "-" + std::to_string(first + size - 1);
  };
  for (size_t i = 0; i < maps.size(); ++i) {
    const IdMapping& m = maps[i];
    std::string element = at(path, i);
    if (m.size == 0) return field_error(element + ".size", "must be greater than 0");
    if (uint64_t{m.container_id} + m.size > kIdLimit)
      return field_error(element, "containerID + size exceeds " + std::to_string(kIdLimit));
    if (uint64_t{m.host_id} + m.size > kIdLimit)
      return field_error(element, "hostID + size exceeds " + std::to_string(kIdLimit));
    for (size_t j = 0; j < i; ++j) {
      const IdMapping& o = maps[j];
      auto overlaps = [](uint64_t a, uint64_t b, uint64_t size_a, uint64_t size_b) {
        return a < b + size_b && b < a + size_a;
      };
      if (overlaps(m.container_id, o.container_id, m.size, o.size))
        return field_error(
            element, "container ids " + range(m.container_id, m.size) + " overlap " + at(path, j));
      if (overlaps(m.host_id, o.host_id, m.size, o.size))
        return field_error(element,
                           "host ids " + range(m.host_id, m.size) + " overlap " + at(path, j));
    }
  }
  return ok_status();
}

Status validate_mounts(const Config& c) {
  bool has_userns = c.linux.has_namespace(NamespaceType::User);
  for (size_t i = 0; i < c.mounts.size(); ++i) {
    const Mount& m = c.mounts[i];
    std::string path = at("mounts", i);
    NOOK_TRY(validate_id_mappings(m.uid_mappings, path + ".uidMappings"));
    NOOK_TRY(validate_id_mappings(m.gid_mappings, path + ".gidMappings"));
    bool has_maps = !m.uid_mappings.empty() || !m.gid_mappings.empty();
    if (!has_maps && !m.idmap) continue;
    // The kernel id-maps only detached mounts, i.e. binds; and runc wants both halves.
    if (!m.is_bind()) return field_error(path, "id-mapped mounts must be bind mounts");
    if (has_maps && (m.uid_mappings.empty() || m.gid_mappings.empty()))
      return field_error(path, "id-mapped mounts need both uidMappings and gidMappings");
    // runtime-spec: `idmap` without mappings takes the container's; without a user namespace
    // there are none, and that MUST be an error.
    if (!has_maps && !has_userns)
      return field_error(path, std::string(m.recursive_idmap ? "`ridmap`" : "`idmap`") +
                                   " without uidMappings and gidMappings needs a user namespace");
  }
  return ok_status();
}

Status validate_hook_list(const std::vector<Hook>& hooks, std::string_view path) {
  for (size_t i = 0; i < hooks.size(); ++i) {
    std::string element = at(path, i);
    if (!is_absolute(hooks[i].path))
      return field_error(element + ".path", "must be an absolute path");
    if (hooks[i].timeout && *hooks[i].timeout <= 0)
      return field_error(element + ".timeout", "must be greater than 0");
  }
  return ok_status();
}

Status validate_hooks(const Hooks& h) {
  NOOK_TRY(validate_hook_list(h.prestart, "hooks.prestart"));
  NOOK_TRY(validate_hook_list(h.create_runtime, "hooks.createRuntime"));
  NOOK_TRY(validate_hook_list(h.create_container, "hooks.createContainer"));
  NOOK_TRY(validate_hook_list(h.start_container, "hooks.startContainer"));
  NOOK_TRY(validate_hook_list(h.poststart, "hooks.poststart"));
  NOOK_TRY(validate_hook_list(h.poststop, "hooks.poststop"));
  return ok_status();
}

Status validate_namespaces(const Linux& l) {
  std::set<NamespaceType> seen;
  for (size_t i = 0; i < l.namespaces.size(); ++i) {
    const Namespace& ns = l.namespaces[i];
    if (!seen.insert(ns.type).second)
      return field_error("linux.namespaces",
                         "duplicate namespace `" + std::string(namespace_type_name(ns.type)) + "`");
    if (!ns.path.empty() && !is_absolute(ns.path))
      return field_error(at("linux.namespaces", i) + ".path", "must be an absolute path");
  }
  return ok_status();
}

}  // namespace

// A process.user id the new user namespace does not map could not be set: say so by field.
Status validate_user_mapped(const User& u, const Linux& l, std::string_view path) {
  std::string base(path);
  auto unmapped = [](uint32_t id, std::string_view maps) {
    // Appended piecewise: GCC 12 warns (-Wrestrict, bug 105329) on "literal" + to_string().
    std::string text = "`";
    text += std::to_string(id);
    text += "` is not mapped by ";
    text += maps;
    return text;
  };
  if (!maps_id(l.uid_mappings, u.uid))
    return field_error(base + ".uid", unmapped(u.uid, "linux.uidMappings"));
  if (!maps_id(l.gid_mappings, u.gid))
    return field_error(base + ".gid", unmapped(u.gid, "linux.gidMappings"));
  for (size_t i = 0; i < u.additional_gids.size(); ++i)
    if (!maps_id(l.gid_mappings, u.additional_gids[i]))
      return field_error(at(base + ".additionalGids", i),
                         unmapped(u.additional_gids[i], "linux.gidMappings"));
  return ok_status();
}

namespace {

Status validate_user_namespace(const Config& c) {
  const Linux& l = c.linux;
  NOOK_TRY(validate_id_mappings(l.uid_mappings, "linux.uidMappings"));
  NOOK_TRY(validate_id_mappings(l.gid_mappings, "linux.gidMappings"));
  bool has_maps = !l.uid_mappings.empty() || !l.gid_mappings.empty();
  if (!l.has_namespace(NamespaceType::User)) {
    if (has_maps)
      return field_error(l.uid_mappings.empty() ? "linux.gidMappings" : "linux.uidMappings",
                         "requires a user namespace");
    if (c.root.idmap)
      return field_error(json::member_path("annotations", kRootfsIdmapAnnotation),
                         "requires a user namespace");
    return ok_status();
  }
  // A joined namespace has its maps already; containerd still sends them, and like runc they
  // are accepted and not written.
  if (!has_new_namespace(l, NamespaceType::User)) return ok_status();
  // A new user namespace without mappings leaves every id unmapped; runc refuses it too.
  if (l.uid_mappings.empty())
    return field_error("linux.uidMappings", "required with a new user namespace");
  if (l.gid_mappings.empty())
    return field_error("linux.gidMappings", "required with a new user namespace");
  // The init becomes root of the new namespace to set it up, as runc's nsexec does.
  if (!maps_id(l.uid_mappings, 0))
    return field_error("linux.uidMappings", "must map container uid 0");
  if (!maps_id(l.gid_mappings, 0))
    return field_error("linux.gidMappings", "must map container gid 0");
  if (c.process) NOOK_TRY(validate_user_mapped(c.process->user, l, "process.user"));
  return ok_status();
}

Status validate_devices(const Linux& l) {
  for (size_t i = 0; i < l.devices.size(); ++i)
    if (!is_absolute(l.devices[i].path))
      return field_error(at("linux.devices", i) + ".path", "must be an absolute path");
  return ok_status();
}

Status validate_names(const Config& c) {
  // Setting them in a uts namespace shared with (or joined from) someone else would rename
  // that other host; runc checks only that the namespace exists, we want a new one.
  if (!c.hostname.empty() && !has_new_namespace(c.linux, NamespaceType::Uts))
    return field_error("hostname", "requires a new uts namespace");
  if (!c.domainname.empty() && !has_new_namespace(c.linux, NamespaceType::Uts))
    return field_error("domainname", "requires a new uts namespace");
  return ok_status();
}

Status validate_path_list(const std::vector<std::string>& paths, std::string_view path,
                          const Linux& l) {
  for (size_t i = 0; i < paths.size(); ++i)
    if (!is_absolute(paths[i])) return field_error(at(path, i), "must be an absolute path");
  // Masking /proc entries in the host's mount namespace would mask them for the host.
  if (!paths.empty() && !l.has_namespace(NamespaceType::Mount))
    return field_error(path, "requires a mount namespace");
  return ok_status();
}

Status validate_linux_misc(const Linux& l) {
  if (auto p = propagation_from_name(l.rootfs_propagation); !p)
    return field_error("linux.rootfsPropagation", p.error().message);
  if (l.personality_domain && *l.personality_domain != "LINUX" &&
      *l.personality_domain != "LINUX32")
    return field_error("linux.personality.domain",
                       "unknown domain `" + *l.personality_domain + "` (want LINUX or LINUX32)");
  return ok_status();
}

Status validate_time_offsets(const Linux& l) {
  if (l.time_offsets.empty()) return ok_status();
  // Offsets are fixed once a process is in the namespace: only a new one takes them.
  if (!has_new_namespace(l, NamespaceType::Time))
    return field_error("linux.timeOffsets", "requires a new time namespace");
  constexpr uint32_t kNanosPerSecond = 1000000000;
  for (const auto& [clock, offset] : l.time_offsets) {
    std::string path = "linux.timeOffsets." + clock;
    if (clock != "monotonic" && clock != "boottime")
      return field_error(path, "unknown clock (want monotonic or boottime)");
    if (offset.nanosecs >= kNanosPerSecond)
      return field_error(path + ".nanosecs", "must be less than 1000000000");
  }
  return ok_status();
}

// runtime-spec's rules: memBwSchema starts with MB:, no schema holds a newline (each is one line
// of the group's schemata file), and closID is one directory name under the resctrl mount.
Status validate_intel_rdt(const Linux& l) {
  if (!l.intel_rdt) return ok_status();
  const IntelRdt& r = *l.intel_rdt;
  const std::string& id = r.clos_id;
  if (id == "." || id == ".." || id.find('/') != std::string::npos || id.find('\0') != id.npos)
    return field_error("linux.intelRdt.closID", "`" + id + "` is not a resctrl group name");
  auto one_line = [](const std::string& s) { return s.find('\n') == std::string::npos; };
  if (!one_line(r.l3_cache_schema))
    return field_error("linux.intelRdt.l3CacheSchema", "must not contain a newline");
  if (!one_line(r.mem_bw_schema))
    return field_error("linux.intelRdt.memBwSchema", "must not contain a newline");
  if (!r.mem_bw_schema.empty() && !r.mem_bw_schema.starts_with("MB:"))
    return field_error("linux.intelRdt.memBwSchema", "must start with `MB:`");
  for (size_t i = 0; i < r.schemata.size(); ++i)
    if (r.schemata[i].empty() || !one_line(r.schemata[i]))
      return field_error(at("linux.intelRdt.schemata", i), "must be one non-empty line");
  return ok_status();
}

// The kernel's rules for a memory policy (mm/mempolicy.c), so they fail here by name.
Status validate_memory_policy(const Linux& l) {
  if (!l.memory_policy) return ok_status();
  const MemoryPolicy& m = *l.memory_policy;
  auto mode = value_of(memory_policy_modes(), m.mode);
  if (!mode) return field_error("linux.memoryPolicy.mode", "unknown mode `" + m.mode + "`");
  int flags = 0;
  for (size_t i = 0; i < m.flags.size(); ++i) {
    auto flag = value_of(memory_policy_flags(), m.flags[i]);
    if (!flag)
      return field_error(at("linux.memoryPolicy.flags", i), "unknown flag `" + m.flags[i] + "`");
    flags |= *flag;
  }
  int exclusive = *value_of(memory_policy_flags(), "MPOL_F_STATIC_NODES") |
                  *value_of(memory_policy_flags(), "MPOL_F_RELATIVE_NODES");
  if ((flags & exclusive) == exclusive)
    return field_error("linux.memoryPolicy.flags",
                       "MPOL_F_STATIC_NODES and MPOL_F_RELATIVE_NODES exclude each other");
  if ((flags & *value_of(memory_policy_flags(), "MPOL_F_NUMA_BALANCING")) &&
      m.mode != "MPOL_BIND" && m.mode != "MPOL_PREFERRED_MANY")
    return field_error("linux.memoryPolicy.flags",
                       "MPOL_F_NUMA_BALANCING goes only with MPOL_BIND or MPOL_PREFERRED_MANY");
  bool takes_nodes = m.mode != "MPOL_DEFAULT" && m.mode != "MPOL_LOCAL";
  if (!takes_nodes && (!m.nodes.empty() || !m.flags.empty()))
    return field_error("linux.memoryPolicy", m.mode + " takes neither nodes nor flags");
  if (!takes_nodes) return ok_status();
  if (m.nodes.empty()) return field_error("linux.memoryPolicy.nodes", "required by " + m.mode);
  if (auto nodes = parse_id_list(m.nodes, "node"); !nodes)
    return field_error("linux.memoryPolicy.nodes", nodes.error().message);
  return ok_status();
}

// What the kernel's dev_valid_name() refuses in an interface name, or nullopt. A new name
// may be a template holding one `%d`, which the kernel turns into the first free number.
std::optional<std::string> interface_name_problem(std::string_view name, bool template_ok) {
  constexpr size_t kMaxName = 15;  // IFNAMSIZ less the NUL
  if (name.empty()) return "empty";
  if (name.size() > kMaxName) return "longer than 15 bytes";
  if (name == "." || name == "..") return "`.` and `..` are not allowed";
  for (char c : name) {
    if (c == '/' || c == ':') return "`/` and `:` are not allowed";
    if (std::isspace(static_cast<unsigned char>(c))) return "whitespace is not allowed";
  }
  size_t percent = name.find('%');
  if (percent == std::string_view::npos) return std::nullopt;
  if (!template_ok) return "`%` is only for templates of the new name";
  if (name.substr(percent, 2) != "%d" || name.find('%', percent + 1) != std::string_view::npos)
    return "a template holds exactly one `%d`";
  return std::nullopt;
}

Status validate_net_devices(const Linux& l) {
  if (l.net_devices.empty()) return ok_status();
  // The devices move into the container's network namespace; without one of its own they
  // would be renamed in place on the host (runc refuses this too).
  if (!l.has_namespace(NamespaceType::Network))
    return field_error("linux.netDevices", "requires a network namespace of the container's own");
  std::set<std::string_view> hosts;
  std::map<std::string_view, std::string_view> names;  // new name → the entry that takes it
  for (const NetDevice& d : l.net_devices) {
    std::string quoted = "`" + d.host_name + "`";
    if (auto why = interface_name_problem(d.host_name, false))
      return field_error("linux.netDevices", quoted + " is not an interface name: " + *why);
    if (!hosts.insert(d.host_name).second)
      return field_error("linux.netDevices", quoted + " is listed twice");
    std::string name_path = "linux.netDevices." + d.host_name + ".name";
    if (auto why = interface_name_problem(d.name, true))
      return field_error(name_path, "`" + d.name + "` is not an interface name: " + *why);
    if (d.is_template()) continue;
    auto [taken, fresh] = names.emplace(d.name, d.host_name);
    if (!fresh)
      return field_error(name_path, "`" + d.name + "` is also the name of linux.netDevices." +
                                        std::string(taken->second));
  }
  return ok_status();
}

bool is_ipc_sysctl(std::string_view key) {
  static constexpr std::string_view kIpcKeys[] = {
      "kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem",
      "kernel.shmall", "kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced",
  };
  for (auto k : kIpcKeys)
    if (key == k) return true;
  return key.starts_with("fs.mqueue.");
}

}  // namespace

Status validate_sysctl(const Linux& l) {
  for (const auto& [raw_key, value] : l.sysctl) {
    // runc accepts "kernel/msgmax" as well as "kernel.msgmax".
    std::string key = raw_key;
    for (char& c : key)
      if (c == '/') c = '.';
    std::string quoted = "`" + raw_key + "`";
    if (is_ipc_sysctl(key)) {
      if (!l.has_namespace(NamespaceType::Ipc))
        return field_error("linux.sysctl", quoted + " requires a new ipc namespace");
      continue;
    }
    if (key.starts_with("net.")) {
      // runc also refuses a joined netns that is the host's; that check reads /proc and is
      // the runtime's to make.
      if (!l.has_namespace(NamespaceType::Network))
        return field_error("linux.sysctl",
                           quoted + " not allowed in host network namespace: it requires a new "
                                    "network namespace");
      continue;
    }
    if (l.has_namespace(NamespaceType::Uts)) {
      if (key == "kernel.domainname") continue;
      if (key == "kernel.hostname")
        return field_error("linux.sysctl", quoted + " conflicts with the `hostname` field");
    }
    return field_error("linux.sysctl", quoted + " is not in a separate kernel namespace");
  }
  return ok_status();
}

// sched_setattr(2)'s rules, and runc's wording where it has one.
Status validate_scheduler(const Scheduler& s, const std::string& path) {
  auto policy = value_of(sched_policies(), s.policy);
  if (!policy) return field_error(path + ".policy", "unknown policy `" + s.policy + "`");
  if (*policy == kSchedIso)
    return field_error(path + ".policy", "SCHED_ISO is not implemented by Linux");
  for (size_t i = 0; i < s.flags.size(); ++i)
    if (!value_of(sched_flags(), s.flags[i]))
      return field_error(at(path + ".flags", i), "unknown flag `" + s.flags[i] + "`");
  bool fair = s.policy == "SCHED_OTHER" || s.policy == "SCHED_BATCH";
  bool realtime = s.policy == "SCHED_FIFO" || s.policy == "SCHED_RR";
  bool deadline = s.policy == "SCHED_DEADLINE";
  constexpr int kNiceMin = -20, kNiceMax = 19;
  if (fair && (s.nice < kNiceMin || s.nice > kNiceMax))
    return field_error(path + ".nice", out_of_range(s.nice, kNiceMin, kNiceMax));
  if (realtime && (s.priority < 1 || s.priority > 99))
    return field_error(path + ".priority", "must be 1 to 99 for " + s.policy);
  if (!realtime && s.priority != 0)
    return field_error(path + ".priority", "can only be specified for SCHED_FIFO or SCHED_RR");
  if (!deadline && (s.runtime || s.deadline || s.period))
    return field_error(path,
                       "runtime, deadline and period can only be specified for "
                       "SCHED_DEADLINE");
  if (!deadline) return ok_status();
  constexpr uint64_t kMinRuntime = 1024;  // the kernel's DL_SCALE, in ns
  if (s.runtime < kMinRuntime) return field_error(path + ".runtime", "must be at least 1024 ns");
  if (s.deadline < s.runtime) return field_error(path + ".deadline", "must be at least runtime");
  if (s.period != 0 && s.period < s.deadline)
    return field_error(path + ".period", "must be 0 (the deadline) or at least deadline");
  return ok_status();
}

Status validate_io_priority(const IoPriority& p, const std::string& path) {
  if (!value_of(io_priority_classes(), p.io_class))
    return field_error(path + ".class", "unknown class `" + p.io_class + "`");
  if (p.priority < 0 || p.priority >= kIoPriorityLevels)
    return field_error(path + ".priority", out_of_range(p.priority, 0, kIoPriorityLevels - 1));
  return ok_status();
}

Status validate_cpu_list(const std::string& list, const std::string& path) {
  if (list.empty()) return ok_status();
  if (auto cpus = parse_id_list(list, "CPU"); !cpus) return field_error(path, cpus.error().message);
  return ok_status();
}

// runc's range: (uid_t)-1 means "leave it as it is" to setresuid(2), so 4294967295 would run
// the process as the runtime's root; runc stops at 2^31-1.
Status validate_user_ids(const User& u, const std::string& path) {
  constexpr uint32_t kMaxId = 2147483647;
  if (u.uid > kMaxId || u.gid > kMaxId)
    return field_error(path, "uids and gids must be in range 0-2147483647");
  for (size_t i = 0; i < u.additional_gids.size(); ++i)
    if (u.additional_gids[i] > kMaxId)
      return field_error(at(path + ".additionalGids", i), "must be in range 0-2147483647");
  return ok_status();
}

Status validate_process(const Process& p, std::string_view path) {
  std::string base(path);
  NOOK_TRY(validate_user_ids(p.user, base + ".user"));
  if (p.args.empty()) return field_error(base + ".args", "must not be empty");
  if (p.cwd.empty()) return field_error(base + ".cwd", "required");
  if (!is_absolute(p.cwd)) return field_error(base + ".cwd", "must be an absolute path");
  if (!p.command_line.empty()) return field_error(base + ".commandLine", "not supported on Linux");
  NOOK_TRY(validate_env(p, path));
  NOOK_TRY(validate_rlimits(p, path));
  if (p.oom_score_adj && (*p.oom_score_adj < kOomScoreAdjMin || *p.oom_score_adj > kOomScoreAdjMax))
    return field_error(base + ".oomScoreAdj",
                       out_of_range(*p.oom_score_adj, kOomScoreAdjMin, kOomScoreAdjMax));
  if (p.scheduler) NOOK_TRY(validate_scheduler(*p.scheduler, base + ".scheduler"));
  if (p.io_priority) NOOK_TRY(validate_io_priority(*p.io_priority, base + ".ioPriority"));
  NOOK_TRY(validate_cpu_list(p.exec_cpu_affinity.initial, base + ".execCPUAffinity.initial"));
  NOOK_TRY(validate_cpu_list(p.exec_cpu_affinity.final, base + ".execCPUAffinity.final"));
  return ok_status();
}

Status validate_config(const Config& c) {
  NOOK_TRY(validate_version(c));
  NOOK_TRY(validate_root(c));
  if (c.process) NOOK_TRY(validate_process(*c.process, "process"));
  NOOK_TRY(validate_mounts(c));
  NOOK_TRY(validate_hooks(c.hooks));
  NOOK_TRY(validate_namespaces(c.linux));
  NOOK_TRY(validate_user_namespace(c));
  NOOK_TRY(validate_devices(c.linux));
  NOOK_TRY(validate_names(c));
  NOOK_TRY(validate_sysctl(c.linux));
  NOOK_TRY(validate_path_list(c.linux.masked_paths, "linux.maskedPaths", c.linux));
  NOOK_TRY(validate_path_list(c.linux.readonly_paths, "linux.readonlyPaths", c.linux));
  NOOK_TRY(validate_linux_misc(c.linux));
  NOOK_TRY(validate_time_offsets(c.linux));
  NOOK_TRY(validate_memory_policy(c.linux));
  NOOK_TRY(validate_intel_rdt(c.linux));
  NOOK_TRY(validate_net_devices(c.linux));
  return ok_status();
}

}  // namespace nook::spec
