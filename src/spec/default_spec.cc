// The default config.json of `nook spec`: runc's template (libcontainer/specconv.Example) and
// its rootless rewrite (specconv.ToRootless), written in the field order of runtime-spec's Go
// structs so that the output is byte-identical to `runc spec`. Pure apart from geteuid().
#include "nook/spec/default_spec.h"

#include <unistd.h>

#include <string_view>
#include <vector>

#include "nook/json/json.h"

namespace nook::spec {
namespace {

// runc writes its own spec version ("1.0.2-dev" in runc 1.1); nook writes the runtime-spec
// version it implements. This is the one intended difference from `runc spec`.
constexpr std::string_view kOciVersion = "1.3.0";

constexpr std::string_view kDefaultCaps[] = {"CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"};

constexpr std::string_view kMaskedPaths[] = {
    "/proc/acpi",          "/proc/asound",     "/proc/kcore",       "/proc/keys",
    "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug",
    "/sys/firmware",       "/proc/scsi",
};

constexpr std::string_view kReadonlyPaths[] = {"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
                                               "/proc/sysrq-trigger"};

struct DefaultMount {
  std::string_view destination, type, source;
  std::vector<std::string_view> options;
};

std::vector<DefaultMount> default_mounts(bool rootless) {
  std::vector<DefaultMount> mounts = {
      {"/proc", "proc", "proc", {}},
      {"/dev", "tmpfs", "tmpfs", {"nosuid", "strictatime", "mode=755", "size=65536k"}},
      {"/dev/pts",
       "devpts",
       "devpts",
       {"nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"}},
      {"/dev/shm", "tmpfs", "shm", {"nosuid", "noexec", "nodev", "mode=1777", "size=65536k"}},
      {"/dev/mqueue", "mqueue", "mqueue", {"nosuid", "noexec", "nodev"}},
      {"/sys", "sysfs", "sysfs", {"nosuid", "noexec", "nodev", "ro"}},
      {"/sys/fs/cgroup", "cgroup", "cgroup", {"nosuid", "noexec", "nodev", "relatime", "ro"}},
  };
  if (!rootless) return mounts;
  // ToRootless: sysfs cannot be mounted without a netns of our own, so bind the host's; and
  // uid=/gid= options name ids that are not mapped.
  for (auto& m : mounts) {
    if (m.destination == "/sys") {
      m = {"/sys", "none", "/sys", {"rbind", "nosuid", "noexec", "nodev", "ro"}};
      continue;
    }
    std::erase_if(m.options, [](std::string_view o) {
      return o.starts_with("gid=") || o.starts_with("uid=");
    });
  }
  return mounts;
}

void write_strings(json::Writer& w, std::string_view key, auto const& values) {
  w.key(key).begin_array();
  for (std::string_view v : values) w.string(v);
  w.end_array();
}

void write_process(json::Writer& w) {
  w.key("process").begin_object();
  w.member("terminal", true);
  w.key("user").begin_object().member("uid", int64_t{0}).member("gid", int64_t{0}).end_object();
  write_strings(w, "args", std::vector<std::string_view>{"sh"});
  write_strings(
      w, "env",
      std::vector<std::string_view>{
          "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm"});
  w.member("cwd", "/");
  // Go omits the empty inheritable set.
  w.key("capabilities").begin_object();
  for (auto set : {"bounding", "effective", "permitted", "ambient"})
    write_strings(w, set, kDefaultCaps);
  w.end_object();
  w.key("rlimits").begin_array();
  w.begin_object()
      .member("type", "RLIMIT_NOFILE")
      .member("hard", int64_t{1024})
      .member("soft", int64_t{1024})
      .end_object();
  w.end_array();
  w.member("noNewPrivileges", true);
  w.end_object();
}

void write_mounts(json::Writer& w, bool rootless) {
  w.key("mounts").begin_array();
  for (const auto& m : default_mounts(rootless)) {
    w.begin_object().member("destination", m.destination).member("type", m.type);
    w.member("source", m.source);
    if (!m.options.empty()) write_strings(w, "options", m.options);
    w.end_object();
  }
  w.end_array();
}

void write_id_mapping(json::Writer& w, std::string_view key, uint32_t host_id) {
  w.key(key).begin_array().begin_object();
  w.member("containerID", int64_t{0}).member("hostID", int64_t{host_id});
  w.member("size", int64_t{1});
  w.end_object().end_array();
}

void write_linux(json::Writer& w, bool rootless, uint32_t host_uid, uint32_t host_gid) {
  w.key("linux").begin_object();
  if (rootless) {
    write_id_mapping(w, "uidMappings", host_uid);
    write_id_mapping(w, "gidMappings", host_gid);
  } else {
    // Deny all devices; runc adds its default allow-list at create time.
    w.key("resources").begin_object().key("devices").begin_array();
    w.begin_object().member("allow", false).member("access", "rwm").end_object();
    w.end_array().end_object();
  }
  // ToRootless drops the network namespace (no privilege to set one up) and adds user last.
  std::vector<std::string_view> namespaces = {"pid", "network", "ipc", "uts", "mount"};
  if (rootless) {
    std::erase(namespaces, "network");
    namespaces.push_back("user");
  }
  w.key("namespaces").begin_array();
  for (auto ns : namespaces) w.begin_object().member("type", ns).end_object();
  w.end_array();
  write_strings(w, "maskedPaths", kMaskedPaths);
  write_strings(w, "readonlyPaths", kReadonlyPaths);
  w.end_object();
}

}  // namespace

std::string default_spec_json(bool rootless, uint32_t host_uid, uint32_t host_gid) {
  // runc prints with json.MarshalIndent(spec, "", "\t").
  json::Writer w(json::Writer::Style::Indented, "\t");
  w.begin_object();
  w.member("ociVersion", kOciVersion);
  write_process(w);
  w.key("root").begin_object().member("path", "rootfs").member("readonly", true).end_object();
  w.member("hostname", "runc");
  write_mounts(w, rootless);
  write_linux(w, rootless, host_uid, host_gid);
  w.end_object();
  return w.str();
}

std::string default_spec_json(bool rootless) {
  return default_spec_json(rootless, static_cast<uint32_t>(geteuid()),
                           static_cast<uint32_t>(getegid()));
}

}  // namespace nook::spec
