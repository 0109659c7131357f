// The OCI runtime-spec config.json model (runtime-spec 1.2 core; 1.3 fields grow here) and
// its loader. load_config() parses and validates before anything on the host is touched; every
// error names the field path ("process.rlimits[1].type: unknown rlimit `RLIMIT_FOO`").
// Pure data + parsing: no syscalls beyond reading the file.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "nook/base/result.h"

namespace nook::spec {

struct User {
  uint32_t uid = 0;
  uint32_t gid = 0;
  std::optional<uint32_t> umask;
  std::vector<uint32_t> additional_gids;
  std::string username;  // Windows-only in the spec; kept for round-trips
};

// Capability sets as capability numbers (CAP_CHOWN = 0 ...). Unknown names are dropped with
// a warning at parse time (runtime-spec: "runtimes SHOULD NOT fail" on unknown ones);
// `unknown` keeps them so callers can log.
struct Capabilities {
  std::vector<int> bounding, effective, inheritable, permitted, ambient;
  std::vector<std::string> unknown;
};

struct Rlimit {
  int resource = 0;  // RLIMIT_* number
  std::string type;  // as written, e.g. "RLIMIT_NOFILE"
  uint64_t hard = 0, soft = 0;
};

struct ConsoleSize {
  uint32_t height = 0, width = 0;
};

// process.scheduler (sched_setattr(2)); names are checked by validate, not here.
struct Scheduler {
  std::string policy;  // "SCHED_FIFO", ...
  int32_t nice = 0;
  int32_t priority = 0;
  std::vector<std::string> flags;
  uint64_t runtime = 0, deadline = 0, period = 0;  // ns, SCHED_DEADLINE
};

struct IoPriority {
  std::string io_class;  // "IOPRIO_CLASS_BE", ...
  int32_t priority = 0;  // 0 (highest) to 7
};

// process.execCPUAffinity, for `exec` only (the spec: not for the init): CPU lists such as
// "0-3,7", `initial` while the runtime places the process, `final` once it is in its cgroup.
struct ExecCpuAffinity {
  std::string initial, final;
};

struct Process {
  bool terminal = false;
  std::optional<ConsoleSize> console_size;
  User user;
  std::vector<std::string> args;
  std::string command_line;  // Windows-only; rejected if set on Linux
  std::vector<std::string> env;
  std::string cwd;  // absolute, required
  std::optional<Capabilities> capabilities;
  std::vector<Rlimit> rlimits;
  bool no_new_privileges = false;
  std::string apparmor_profile;
  std::optional<int> oom_score_adj;
  std::string selinux_label;
  std::optional<Scheduler> scheduler;
  std::optional<IoPriority> io_priority;
  ExecCpuAffinity exec_cpu_affinity;
};

// runtime-spec has no field to id-map the rootfs (runc has none, crun neither): nook reads this
// annotation, `idmap` (the rootfs mount) or `ridmap` (its submounts too), and maps the rootfs
// with the container's user namespace.
inline constexpr std::string_view kRootfsIdmapAnnotation = "io.nook.rootfs.idmap";

struct Root {
  std::string path;  // as written (relative to the bundle or absolute)
  bool readonly = false;
  bool idmap = false, recursive_idmap = false;  // from kRootfsIdmapAnnotation
};

// A mount with its options already classified (see mount_options.h).
struct IdMapping {
  uint32_t container_id = 0, host_id = 0, size = 0;
  bool operator==(const IdMapping&) const = default;
};

struct Mount {
  std::string destination;  // absolute inside the container (a relative one is made absolute)
  std::string type;         // as written; "" or "bind" for a bind mount (use is_bind())
  std::string source;
  std::vector<std::string> options;  // as written
  std::vector<IdMapping> uid_mappings, gid_mappings;
  // Classified from options by parse (see mount_options.h):
  unsigned long flags = 0;              // MS_* set
  unsigned long clear_flags = 0;        // MS_* explicitly cleared (rw, suid, dev, exec, ...)
  unsigned long propagation = 0;        // MS_SHARED/MS_SLAVE/MS_PRIVATE/MS_UNBINDABLE [|MS_REC]
  uint64_t attr_set = 0, attr_clr = 0;  // MOUNT_ATTR_* for recursive options (rro, ...)
  std::string data;                     // remaining options joined by ',' for the fs
  // Extensions that are neither flags nor fs data:
  bool tmpcopyup = false;        // "tmpcopyup": copy the image's content into the new tmpfs
  bool idmap = false;            // "idmap" or "ridmap": an id-mapped mount
  bool recursive_idmap = false;  // "ridmap": the id mapping applies to submounts too
  bool is_bind() const;          // MS_BIND in flags (options bind/rbind, or type "bind")
};

struct Hook {
  std::string path;
  std::vector<std::string> args;
  std::vector<std::string> env;
  std::optional<int> timeout;  // seconds, > 0
};

struct Hooks {
  std::vector<Hook> prestart, create_runtime, create_container, start_container, poststart,
      poststop;
};

enum class NamespaceType { Pid, Network, Mount, Ipc, Uts, User, Cgroup, Time };

struct Namespace {
  NamespaceType type;
  std::string path;  // empty: create a new one
};

struct Device {
  std::string path;  // absolute in the container
  char type = 'c';   // 'c', 'b', 'u', 'p'
  int64_t major = 0, minor = 0;
  std::optional<uint32_t> file_mode;
  std::optional<uint32_t> uid, gid;
};

// linux.netDevices: a network interface of the host moved into the container's network
// namespace (runtime-spec 1.3 "Network Devices").
struct NetDevice {
  std::string host_name;  // the entry's key: the interface in the runtime's namespace
  std::string name;       // its name inside the container (the host name when not given); a
                          // name with `%d` is a template the kernel completes
  bool is_template() const;  // `name` holds a `%`
};

// linux.memoryPolicy (set_mempolicy(2)): mode and flags by name, nodes as a list ("0-3,7").
struct MemoryPolicy {
  std::string mode;
  std::string nodes;
  std::vector<std::string> flags;
};

// linux.intelRdt: the container's resctrl group (Intel RDT, AMD QoS) and what it allows.
struct IntelRdt {
  std::string clos_id;          // an existing or shared group; "" names it after the container
  std::string l3_cache_schema;  // "L3:0=ff;1=ff", one schemata line
  std::string mem_bw_schema;    // "MB:0=70;1=70"
  std::vector<std::string> schemata;  // runtime-spec 1.3: more schemata lines, written last
  bool enable_monitoring = false;     // a mon_groups/<container id> group of its own
};

// One clock's entry of linux.timeOffsets.
struct TimeOffset {
  int64_t secs = 0;
  uint32_t nanosecs = 0;
};

// linux.resources is parsed by the cgroup issue; here we keep the raw JSON text so the core
// can hand it to the cgroup manager without knowing its shape.
struct Linux {
  std::vector<Namespace> namespaces;
  std::vector<IdMapping> uid_mappings, gid_mappings;
  std::vector<Device> devices;
  std::string cgroups_path;
  std::string resources_json;  // raw `linux.resources` object, "" if absent
  std::map<std::string, std::string> sysctl;
  std::vector<std::string> masked_paths;
  std::vector<std::string> readonly_paths;
  std::string rootfs_propagation;  // "", "shared", "slave", "private", "unbindable", r*
  std::string mount_label;
  std::string seccomp_json;                       // raw `linux.seccomp` object, "" if absent
  std::optional<std::string> personality_domain;  // "LINUX" or "LINUX32"
  std::vector<std::string> personality_flags;
  std::map<std::string, TimeOffset> time_offsets;  // clock ("monotonic", "boottime") → offset
  std::optional<MemoryPolicy> memory_policy;
  std::optional<IntelRdt> intel_rdt;
  std::vector<NetDevice> net_devices;  // in the order config.json lists them

  bool has_namespace(NamespaceType t) const;
  const Namespace* find_namespace(NamespaceType t) const;
};

struct Config {
  std::string oci_version;
  Root root;
  std::vector<Mount> mounts;
  std::optional<Process> process;  // required for create/run
  std::string hostname;
  std::string domainname;
  Hooks hooks;
  std::map<std::string, std::string> annotations;
  Linux linux;
  // annotations["io.nook.profile"] is "agent": load_config() applied the agent profile (see
  // agent_profile.h), and the runtime loads its seccomp filter on top of linux.seccomp.
  bool agent_profile = false;
};

// Parses and validates config.json text. Errors name the field path.
Result<Config> parse_config(std::string_view json_text);
// Reads `<bundle>/config.json` and parses it; error text names the file. A bundle annotated
// io.nook.profile=agent comes back with the agent profile applied.
Result<Config> load_config(const std::string& bundle_dir);
// Parses a `process` object alone (for `exec --process`), same validation as in a config.
Result<Process> parse_process(std::string_view json_text);

// Namespace names as written in the spec: "pid", "network", "mount", ...
const char* namespace_type_name(NamespaceType t);
std::optional<NamespaceType> namespace_type_from_name(std::string_view name);
// CLONE_NEW* flag of a namespace type.
int namespace_clone_flag(NamespaceType t);
// The /proc/PID/ns/ file name: "pid", "net", "mnt", "ipc", "uts", "user", "cgroup", "time".
const char* namespace_proc_name(NamespaceType t);

}  // namespace nook::spec
