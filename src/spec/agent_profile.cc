// The agent profile as one rewrite of config.json (see agent_profile.h): each step below
// rewrites one part of the document and keeps what the bundle set where that is stricter.
// The input has passed parse_config() (or is nook's own default spec), so shapes are valid.
#include "nook/spec/agent_profile.h"

#include <algorithm>
#include <set>

#include "nook/json/decode.h"
#include "nook/seccomp/agent.h"

namespace nook::spec {
namespace {

using json::Value;
using json::Writer;

// /proc and /sys files that show host-wide state or allow host-wide actions: runc's list plus
// containerd's additions and the ones a user namespace does not hide.
constexpr std::string_view kMaskedPaths[] = {
    "/proc/acpi",
    "/proc/asound",
    "/proc/interrupts",
    "/proc/kcore",
    "/proc/keys",
    "/proc/latency_stats",
    "/proc/sched_debug",
    "/proc/scsi",
    "/proc/timer_list",
    "/proc/timer_stats",
    "/sys/devices/virtual/powercap",
    "/sys/firmware",
    "/sys/kernel/debug",
};

constexpr std::string_view kReadonlyPaths[] = {"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
                                               "/proc/sysrq-trigger"};

// Every namespace but time (which changes nothing an agent could abuse) is the container's own.
constexpr std::string_view kNamespaces[] = {"pid",   "network", "ipc",   "uts",
                                            "mount", "user",    "cgroup"};

constexpr std::string_view kCapabilitySets[] = {"bounding", "effective", "permitted", "inheritable",
                                                "ambient"};

bool contains(const auto& list, std::string_view s) {
  return std::find(std::begin(list), std::end(list), s) != std::end(list);
}

// A string array: the bundle's entries, then `extra` ones it lacks.
void write_union(Writer& w, Value have, const auto& extra) {
  std::set<std::string_view> seen;
  w.begin_array();
  for (size_t i = 0; have.is_array() && i < have.size(); ++i) {
    seen.insert(have.at(i).string());
    w.value(have.at(i));
  }
  for (std::string_view s : extra)
    if (!seen.count(s)) w.string(s);
  w.end_array();
}

// process.capabilities: each set the bundle gives, intersected with the agent's; without a
// capabilities object (runc then keeps every capability) the agent's bounding, effective and
// permitted sets.
void write_capabilities(Writer& w, Value caps) {
  const auto& allowed = agent_capabilities();
  w.key("capabilities");
  if (!caps.is_object()) {
    w.begin_object();
    for (std::string_view set : {"bounding", "effective", "permitted"}) {
      w.key(set).begin_array();
      for (auto c : allowed) w.string(c);
      w.end_array();
    }
    w.end_object();
    return;
  }
  json::rewrite_object(w, caps, {}, [&](std::string_view key, Value v) {
    if (!contains(kCapabilitySets, key)) return false;
    w.key(key).begin_array();
    for (size_t i = 0; v.is_array() && i < v.size(); ++i)
      if (contains(allowed, v.at(i).string())) w.value(v.at(i));
    w.end_array();
    return true;
  });
}

void write_process(Writer& w, Value process) {
  json::rewrite_object(w, process, {"capabilities", "noNewPrivileges"},
                       [&](std::string_view key, Value v) {
                         if (key == "capabilities") {
                           write_capabilities(w, v);
                           return true;
                         }
                         if (key == "noNewPrivileges") {
                           w.member("noNewPrivileges", true);
                           return true;
                         }
                         return false;
                       });
}

// root.readonly: the image is never written; /tmp (below) is where an agent writes.
void write_root(Writer& w, Value root) {
  json::rewrite_object(w, root, {"readonly"}, [&](std::string_view key, Value) {
    if (key != "readonly") return false;
    w.member("readonly", true);
    return true;
  });
}

// mounts: the bundle's, plus a tmpfs on /tmp unless it mounts something there itself.
void write_mounts(Writer& w, Value mounts) {
  bool has_tmp = false;
  w.begin_array();
  for (size_t i = 0; mounts.is_array() && i < mounts.size(); ++i) {
    std::string_view dest = mounts.at(i).get("destination").string();
    has_tmp |= dest == "/tmp" || dest == "/tmp/";
    w.value(mounts.at(i));
  }
  if (!has_tmp) {
    std::string size = "size=" + std::string(kAgentTmpSize);
    w.begin_object().member("destination", "/tmp").member("type", "tmpfs");
    w.member("source", "tmpfs").key("options").begin_array();
    for (std::string_view o : {std::string_view("nosuid"), std::string_view("nodev"),
                               std::string_view("mode=1777"), std::string_view(size)})
      w.string(o);
    w.end_array().end_object();
  }
  w.end_array();
}

enum class UserNs { Absent, New, Joined };

UserNs user_namespace_of(Value linux) {
  Value nss = linux.get("namespaces");
  for (size_t i = 0; nss.is_array() && i < nss.size(); ++i) {
    if (nss.at(i).get("type").string() != "user") continue;
    return nss.at(i).get("path").string().empty() ? UserNs::New : UserNs::Joined;
  }
  return UserNs::Absent;
}

void write_namespaces(Writer& w, Value nss) {
  std::set<std::string_view> have;
  w.begin_array();
  for (size_t i = 0; nss.is_array() && i < nss.size(); ++i) {
    have.insert(nss.at(i).get("type").string());
    w.value(nss.at(i));
  }
  for (std::string_view type : kNamespaces)
    if (!have.count(type)) w.begin_object().member("type", type).end_object();
  w.end_array();
}

// The bundle's own mappings are kept unless one makes a host root of the container's root.
Status check_mappings(Value linux) {
  for (std::string_view key : {"uidMappings", "gidMappings"}) {
    Value maps = linux.get(key);
    for (size_t i = 0; maps.is_array() && i < maps.size(); ++i)
      if (json::to_uint64(maps.at(i).get("hostID")) == 0u)
        return json::field_error(json::index_path("linux." + std::string(key), i),
                                 "maps host id 0, which the agent profile (" +
                                     std::string(kProfileAnnotation) + ") does not allow");
  }
  return ok_status();
}

void write_our_mappings(Writer& w, std::string_view key) {
  w.key(key).begin_array().begin_object().member("containerID", int64_t{0});
  w.member("hostID", int64_t{kAgentHostIdBase}).member("size", int64_t{kAgentIdCount});
  w.end_object().end_array();
}

// A limit in a linux.resources section: the bundle's if it sets a lower one, else the agent's.
void write_limit(Writer& w, std::string_view section, Value v, int64_t agent_limit) {
  w.key(section);
  json::rewrite_object(w, v, {"limit"}, [&](std::string_view key, Value limit) {
    if (key != "limit") return false;
    auto have = json::to_int64(limit);
    w.member("limit", have && *have > 0 ? std::min(*have, agent_limit) : agent_limit);
    return true;
  });
}

void write_resources(Writer& w, Value resources) {
  json::rewrite_object(w, resources, {"memory", "pids"}, [&](std::string_view key, Value v) {
    if (key == "memory")
      write_limit(w, key, v, kAgentMemoryLimit);
    else if (key == "pids")
      write_limit(w, key, v, kAgentPidsLimit);
    else
      return false;
    return true;
  });
}

// The profile's new user namespace owns every namespace created with it, but one joined by
// path belongs to another user namespace, which the container's root has no rights in. A pod
// must bring its user namespace along (Kubernetes: hostUsers: false), which the profile keeps.
Status check_joins_without_user_namespace(Value linux) {
  if (user_namespace_of(linux) != UserNs::Absent) return ok_status();
  Value nss = linux.get("namespaces");
  for (size_t i = 0; nss.is_array() && i < nss.size(); ++i) {
    std::string_view path = nss.at(i).get("path").string();
    if (!path.empty())
      return json::field_error(json::index_path("linux.namespaces", i) + ".path",
                               "`" + std::string(path) +
                                   "` is joined, but the agent profile's new user namespace "
                                   "could not join it: join the owning user namespace too");
  }
  return ok_status();
}

// A joined user namespace brings its own mappings; a new one without any gets the agent's.
bool needs_our_mappings(Value linux) {
  UserNs user = user_namespace_of(linux);
  return user == UserNs::Absent ||
         (user == UserNs::New && json::is_absent(linux.get("uidMappings")) &&
          json::is_absent(linux.get("gidMappings")));
}

void write_linux(Writer& w, Value linux, AgentSeccomp seccomp, Value agent_seccomp) {
  bool our_maps = needs_our_mappings(linux);
  std::initializer_list<std::string_view> add = {"namespaces",  "uidMappings",   "gidMappings",
                                                 "maskedPaths", "readonlyPaths", "resources",
                                                 "seccomp"};
  json::rewrite_object(w, linux, add, [&](std::string_view key, Value v) {
    if (key == "namespaces") {
      w.key(key);
      write_namespaces(w, v);
    } else if (key == "uidMappings" || key == "gidMappings") {
      if (!our_maps) return false;  // copied, or left absent
      write_our_mappings(w, key);
    } else if (key == "maskedPaths") {
      w.key(key);
      write_union(w, v, kMaskedPaths);
    } else if (key == "readonlyPaths") {
      w.key(key);
      write_union(w, v, kReadonlyPaths);
    } else if (key == "resources") {
      w.key(key);
      write_resources(w, v);
    } else if (key == "seccomp") {
      // Stack: the bundle's filter stays (or stays absent); the runtime adds agent.json.
      if (seccomp == AgentSeccomp::Stack) return false;
      w.key(key).value(agent_seccomp);
    } else {
      return false;
    }
    return true;
  });
}

}  // namespace

const std::vector<std::string_view>& agent_capabilities() {
  // Signals to the container's other users, and ports below 1024 in its own network
  // namespace. Everything else (CAP_CHOWN, CAP_DAC_OVERRIDE, CAP_SETUID, ...) is dropped.
  static const std::vector<std::string_view> caps = {"CAP_KILL", "CAP_NET_BIND_SERVICE"};
  return caps;
}

Result<std::string> apply_agent_profile(std::string_view config_json, AgentSeccomp seccomp) {
  auto doc = NOOK_TRY(json::Document::parse(config_json));
  auto agent_seccomp = NOOK_TRY(json::Document::parse(seccomp::agent_profile_json()));
  Value root = doc.root();
  // Everything that can fail is checked before the first byte is written.
  NOOK_TRY(check_joins_without_user_namespace(root.get("linux")));
  if (!needs_our_mappings(root.get("linux"))) NOOK_TRY(check_mappings(root.get("linux")));
  Writer w;
  json::rewrite_object(w, root, {"root", "mounts", "process", "linux"},
                       [&](std::string_view key, Value v) {
                         if (key == "root")
                           write_root(w.key(key), v);
                         else if (key == "mounts")
                           write_mounts(w.key(key), v);
                         else if (key == "process")
                           write_process(w.key(key), v);
                         else if (key == "linux")
                           write_linux(w.key(key), v, seccomp, agent_seccomp.root());
                         else
                           return false;
                         return true;
                       });
  return w.str();
}

Result<std::string> apply_agent_profile_to_process(std::string_view process_json) {
  auto doc = NOOK_TRY(json::Document::parse(process_json));
  Writer w;
  write_process(w, doc.root());
  return w.str();
}

}  // namespace nook::spec
