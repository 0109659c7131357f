// config.json → spec::Config: decoding of every runtime-spec 1.3 field nook models, with type
// errors that name the field path ("process.terminal: expected boolean, got string"), then
// validate_config(). Name lookups (namespace, rlimit, device type) happen here; rules between
// fields live in validate.cc. No syscalls beyond reading the file; unknown fields are ignored.
#include "nook/spec/config.h"

#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <type_traits>
#include <utility>

#include "nook/json/decode.h"
#include "nook/json/json.h"
#include "nook/linux/fd.h"
#include "nook/linux/file.h"
#include "nook/spec/agent_profile.h"
#include "nook/spec/capabilities.h"
#include "nook/spec/mount_options.h"
#include "nook/spec/rlimits.h"
#include "nook/spec/validate.h"

namespace nook::spec {
namespace {

using namespace json;  // the field-path decoders: read(), expect(), field_error(), ...

Result<IdMapping> decode_id_mapping(Value v, std::string_view path) {
  IdMapping m;
  for (auto key : {"containerID", "hostID", "size"}) NOOK_TRY(require(v, key, path));
  NOOK_TRY(read(v, "containerID", path, m.container_id));
  NOOK_TRY(read(v, "hostID", path, m.host_id));
  NOOK_TRY(read(v, "size", path, m.size));
  return m;
}

Result<User> decode_user(Value v, std::string_view path) {
  // uid and gid default to 0 when absent, as in runc (Go's zero values).
  User u;
  NOOK_TRY(read(v, "uid", path, u.uid));
  NOOK_TRY(read(v, "gid", path, u.gid));
  NOOK_TRY(read(v, "umask", path, u.umask));
  NOOK_TRY(read(v, "additionalGids", path, u.additional_gids));
  NOOK_TRY(read(v, "username", path, u.username));
  return u;
}

Status decode_capability_set(Value v, std::string_view key, std::string_view path,
                             std::vector<int>& out, std::vector<std::string>& unknown) {
  std::vector<std::string> names;
  NOOK_TRY(read(v, key, path, names));
  for (const auto& name : names) {
    if (auto cap = capability_from_name(name)) {
      out.push_back(*cap);
    } else if (std::find(unknown.begin(), unknown.end(), name) == unknown.end()) {
      // runtime-spec: runtimes SHOULD NOT fail on capabilities they do not know.
      unknown.push_back(name);
    }
  }
  return ok_status();
}

Result<Capabilities> decode_capabilities(Value v, std::string_view path) {
  Capabilities c;
  NOOK_TRY(decode_capability_set(v, "bounding", path, c.bounding, c.unknown));
  NOOK_TRY(decode_capability_set(v, "effective", path, c.effective, c.unknown));
  NOOK_TRY(decode_capability_set(v, "inheritable", path, c.inheritable, c.unknown));
  NOOK_TRY(decode_capability_set(v, "permitted", path, c.permitted, c.unknown));
  NOOK_TRY(decode_capability_set(v, "ambient", path, c.ambient, c.unknown));
  return c;
}

Result<Rlimit> decode_rlimit(Value v, std::string_view path) {
  Rlimit r;
  for (auto key : {"type", "hard", "soft"}) NOOK_TRY(require(v, key, path));
  NOOK_TRY(read(v, "type", path, r.type));
  auto resource = rlimit_from_name(r.type);
  if (!resource) return field_error(member_path(path, "type"), "unknown rlimit `" + r.type + "`");
  r.resource = *resource;
  NOOK_TRY(read(v, "hard", path, r.hard));
  NOOK_TRY(read(v, "soft", path, r.soft));
  return r;
}

Result<ConsoleSize> decode_console_size(Value v, std::string_view path) {
  ConsoleSize s;
  for (auto key : {"height", "width"}) NOOK_TRY(require(v, key, path));
  NOOK_TRY(read(v, "height", path, s.height));
  NOOK_TRY(read(v, "width", path, s.width));
  return s;
}

Result<Scheduler> decode_scheduler(Value v, std::string_view path) {
  Scheduler s;
  NOOK_TRY(require(v, "policy", path));
  NOOK_TRY(read(v, "policy", path, s.policy));
  NOOK_TRY(read(v, "nice", path, s.nice));
  NOOK_TRY(read(v, "priority", path, s.priority));
  NOOK_TRY(read(v, "flags", path, s.flags));
  NOOK_TRY(read(v, "runtime", path, s.runtime));
  NOOK_TRY(read(v, "deadline", path, s.deadline));
  NOOK_TRY(read(v, "period", path, s.period));
  return s;
}

Result<IoPriority> decode_io_priority(Value v, std::string_view path) {
  IoPriority p;
  for (auto key : {"class", "priority"}) NOOK_TRY(require(v, key, path));
  NOOK_TRY(read(v, "class", path, p.io_class));
  NOOK_TRY(read(v, "priority", path, p.priority));
  return p;
}

Result<ExecCpuAffinity> decode_exec_cpu_affinity(Value v, std::string_view path) {
  ExecCpuAffinity a;
  NOOK_TRY(read(v, "initial", path, a.initial));
  NOOK_TRY(read(v, "final", path, a.final));
  return a;
}

Result<Process> decode_process(Value v, std::string_view path) {
  NOOK_TRY(expect(v, Kind::Object, path));
  Process p;
  NOOK_TRY(read(v, "terminal", path, p.terminal));
  if (Value size = v.get("consoleSize"); !is_absent(size)) {
    std::string size_path = member_path(path, "consoleSize");
    NOOK_TRY(expect(size, Kind::Object, size_path));
    auto console_size = NOOK_TRY(decode_console_size(size, size_path));
    // runtime-spec: consoleSize MUST be ignored unless terminal is true.
    if (p.terminal) p.console_size = console_size;
  }
  if (Value user = v.get("user"); !is_absent(user)) {
    std::string user_path = member_path(path, "user");
    NOOK_TRY(expect(user, Kind::Object, user_path));
    p.user = NOOK_TRY(decode_user(user, user_path));
  }
  NOOK_TRY(read(v, "args", path, p.args));
  NOOK_TRY(read(v, "commandLine", path, p.command_line));
  NOOK_TRY(read(v, "env", path, p.env));
  NOOK_TRY(read(v, "cwd", path, p.cwd));
  if (Value caps = v.get("capabilities"); !is_absent(caps)) {
    std::string caps_path = member_path(path, "capabilities");
    NOOK_TRY(expect(caps, Kind::Object, caps_path));
    p.capabilities = NOOK_TRY(decode_capabilities(caps, caps_path));
  }
  NOOK_TRY(read_objects(v, "rlimits", path, p.rlimits, decode_rlimit));
  NOOK_TRY(read(v, "noNewPrivileges", path, p.no_new_privileges));
  NOOK_TRY(read(v, "apparmorProfile", path, p.apparmor_profile));
  NOOK_TRY(read(v, "oomScoreAdj", path, p.oom_score_adj));
  NOOK_TRY(read(v, "selinuxLabel", path, p.selinux_label));
  NOOK_TRY(read_object(v, "scheduler", path, p.scheduler, decode_scheduler));
  NOOK_TRY(read_object(v, "ioPriority", path, p.io_priority, decode_io_priority));
  NOOK_TRY(read_object(v, "execCPUAffinity", path, p.exec_cpu_affinity, decode_exec_cpu_affinity));
  return p;
}

Result<Root> decode_root(Value v, std::string_view path) {
  Root r;
  NOOK_TRY(read(v, "path", path, r.path));
  NOOK_TRY(read(v, "readonly", path, r.readonly));
  return r;
}

Result<Mount> decode_mount(Value v, std::string_view path) {
  Mount m;
  NOOK_TRY(require(v, "destination", path));
  NOOK_TRY(read(v, "destination", path, m.destination));
  if (m.destination.empty()) return field_error(member_path(path, "destination"), "required");
  // runc 1.1 accepts a relative destination (with a warning) and resolves it against the
  // container's /; normalise it here so later code only sees absolute paths.
  if (m.destination.front() != '/') m.destination.insert(0, "/");
  NOOK_TRY(read(v, "type", path, m.type));
  NOOK_TRY(read(v, "source", path, m.source));
  NOOK_TRY(read(v, "options", path, m.options));
  NOOK_TRY(read_objects(v, "uidMappings", path, m.uid_mappings, decode_id_mapping));
  NOOK_TRY(read_objects(v, "gidMappings", path, m.gid_mappings, decode_id_mapping));
  NOOK_TRY(classify_mount_options(m));
  return m;
}

Result<Hook> decode_hook(Value v, std::string_view path) {
  Hook h;
  NOOK_TRY(require(v, "path", path));
  NOOK_TRY(read(v, "path", path, h.path));
  NOOK_TRY(read(v, "args", path, h.args));
  NOOK_TRY(read(v, "env", path, h.env));
  NOOK_TRY(read(v, "timeout", path, h.timeout));
  return h;
}

Result<Hooks> decode_hooks(Value v, std::string_view path) {
  Hooks h;
  NOOK_TRY(read_objects(v, "prestart", path, h.prestart, decode_hook));
  NOOK_TRY(read_objects(v, "createRuntime", path, h.create_runtime, decode_hook));
  NOOK_TRY(read_objects(v, "createContainer", path, h.create_container, decode_hook));
  NOOK_TRY(read_objects(v, "startContainer", path, h.start_container, decode_hook));
  NOOK_TRY(read_objects(v, "poststart", path, h.poststart, decode_hook));
  NOOK_TRY(read_objects(v, "poststop", path, h.poststop, decode_hook));
  return h;
}

Result<Namespace> decode_namespace(Value v, std::string_view path) {
  NOOK_TRY(require(v, "type", path));
  std::string type;
  NOOK_TRY(read(v, "type", path, type));
  auto t = namespace_type_from_name(type);
  if (!t) return field_error(member_path(path, "type"), "unknown namespace type `" + type + "`");
  Namespace ns{*t, ""};
  NOOK_TRY(read(v, "path", path, ns.path));
  return ns;
}

Result<Device> decode_device(Value v, std::string_view path) {
  Device d;
  for (auto key : {"path", "type"}) NOOK_TRY(require(v, key, path));
  NOOK_TRY(read(v, "path", path, d.path));
  std::string type;
  NOOK_TRY(read(v, "type", path, type));
  if (type != "c" && type != "b" && type != "u" && type != "p")
    return field_error(member_path(path, "type"),
                       "unknown device type `" + type + "` (want c, b, u or p)");
  d.type = type[0];
  // runtime-spec: major and minor are REQUIRED unless the device is a fifo.
  if (d.type != 'p')
    for (auto key : {"major", "minor"}) NOOK_TRY(require(v, key, path));
  NOOK_TRY(read(v, "major", path, d.major));
  NOOK_TRY(read(v, "minor", path, d.minor));
  NOOK_TRY(read(v, "fileMode", path, d.file_mode));
  NOOK_TRY(read(v, "uid", path, d.uid));
  NOOK_TRY(read(v, "gid", path, d.gid));
  return d;
}

Status decode_personality(Value v, std::string_view path, Linux& l) {
  std::string domain;
  NOOK_TRY(read(v, "domain", path, domain));
  if (!is_absent(v.get("domain"))) l.personality_domain = domain;
  NOOK_TRY(read(v, "flags", path, l.personality_flags));
  return ok_status();
}

Result<MemoryPolicy> decode_memory_policy(Value v, std::string_view path) {
  MemoryPolicy m;
  NOOK_TRY(require(v, "mode", path));
  NOOK_TRY(read(v, "mode", path, m.mode));
  NOOK_TRY(read(v, "nodes", path, m.nodes));
  NOOK_TRY(read(v, "flags", path, m.flags));
  return m;
}

// enableCMT and enableMBM (runtime-spec 1.1 and 1.2) asked for what 1.3's enableMonitoring
// does: a monitoring group.
Result<IntelRdt> decode_intel_rdt(Value v, std::string_view path) {
  IntelRdt r;
  NOOK_TRY(read(v, "closID", path, r.clos_id));
  NOOK_TRY(read(v, "l3CacheSchema", path, r.l3_cache_schema));
  NOOK_TRY(read(v, "memBwSchema", path, r.mem_bw_schema));
  NOOK_TRY(read(v, "schemata", path, r.schemata));
  for (auto key : {"enableMonitoring", "enableCMT", "enableMBM"}) {
    bool on = false;
    NOOK_TRY(read(v, key, path, on));
    r.enable_monitoring |= on;
  }
  return r;
}

// An object keyed by clock name; which clocks exist is validate's to say.
Status decode_time_offsets(Value v, std::string_view path, std::map<std::string, TimeOffset>& out) {
  NOOK_TRY(expect(v, Kind::Object, path));
  for (size_t i = 0; i < v.size(); ++i) {
    std::string clock(v.key_at(i));
    std::string element = member_path(path, clock);
    NOOK_TRY(expect(v.at(i), Kind::Object, element));
    TimeOffset& o = out[clock];
    NOOK_TRY(read(v.at(i), "secs", element, o.secs));
    NOOK_TRY(read(v.at(i), "nanosecs", element, o.nanosecs));
  }
  return ok_status();
}

// An object keyed by host interface name; an entry's `name` is optional (Go's omitempty: ""
// reads as absent, as in runc).
Status decode_net_devices(Value v, std::string_view path, std::vector<NetDevice>& out) {
  NOOK_TRY(expect(v, Kind::Object, path));
  for (size_t i = 0; i < v.size(); ++i) {
    NetDevice d{std::string(v.key_at(i)), ""};
    std::string element = member_path(path, d.host_name);
    NOOK_TRY(expect(v.at(i), Kind::Object, element));
    NOOK_TRY(read(v.at(i), "name", element, d.name));
    if (d.name.empty()) d.name = d.host_name;
    out.push_back(std::move(d));
  }
  return ok_status();
}

Result<Linux> decode_linux(Value v, std::string_view path) {
  Linux l;
  NOOK_TRY(read_objects(v, "namespaces", path, l.namespaces, decode_namespace));
  NOOK_TRY(read_objects(v, "uidMappings", path, l.uid_mappings, decode_id_mapping));
  NOOK_TRY(read_objects(v, "gidMappings", path, l.gid_mappings, decode_id_mapping));
  NOOK_TRY(read_objects(v, "devices", path, l.devices, decode_device));
  NOOK_TRY(read(v, "cgroupsPath", path, l.cgroups_path));
  NOOK_TRY(read_raw_object(v, "resources", path, l.resources_json));
  NOOK_TRY(read(v, "sysctl", path, l.sysctl));
  NOOK_TRY(read(v, "maskedPaths", path, l.masked_paths));
  NOOK_TRY(read(v, "readonlyPaths", path, l.readonly_paths));
  NOOK_TRY(read(v, "rootfsPropagation", path, l.rootfs_propagation));
  NOOK_TRY(read(v, "mountLabel", path, l.mount_label));
  NOOK_TRY(read_raw_object(v, "seccomp", path, l.seccomp_json));
  if (Value personality = v.get("personality"); !is_absent(personality)) {
    std::string personality_path = member_path(path, "personality");
    NOOK_TRY(expect(personality, Kind::Object, personality_path));
    NOOK_TRY(decode_personality(personality, personality_path, l));
  }
  if (Value offsets = v.get("timeOffsets"); !is_absent(offsets))
    NOOK_TRY(decode_time_offsets(offsets, member_path(path, "timeOffsets"), l.time_offsets));
  NOOK_TRY(read_object(v, "memoryPolicy", path, l.memory_policy, decode_memory_policy));
  NOOK_TRY(read_object(v, "intelRdt", path, l.intel_rdt, decode_intel_rdt));
  if (Value devices = v.get("netDevices"); !is_absent(devices))
    NOOK_TRY(decode_net_devices(devices, member_path(path, "netDevices"), l.net_devices));
  return l;
}

Status decode_rootfs_idmap(Config& c) {
  auto it = c.annotations.find(std::string(kRootfsIdmapAnnotation));
  if (it == c.annotations.end()) return ok_status();
  if (it->second != "idmap" && it->second != "ridmap")
    return field_error(member_path("annotations", kRootfsIdmapAnnotation),
                       "unknown value `" + it->second + "` (want idmap or ridmap)");
  c.root.idmap = true;
  c.root.recursive_idmap = it->second == "ridmap";
  return ok_status();
}

Result<Config> decode_config(Value v) {
  if (!v.is_object())
    return make_error("config: expected object, got " + std::string(json::kind_name(v.kind())));
  Config c;
  NOOK_TRY(require(v, "ociVersion", ""));
  NOOK_TRY(read(v, "ociVersion", "", c.oci_version));
  NOOK_TRY(require(v, "root", ""));
  NOOK_TRY(read_object(v, "root", "", c.root, decode_root));
  NOOK_TRY(read_objects(v, "mounts", "", c.mounts, decode_mount));
  if (Value process = v.get("process"); !is_absent(process))
    c.process = NOOK_TRY(decode_process(process, "process"));
  NOOK_TRY(read(v, "hostname", "", c.hostname));
  NOOK_TRY(read(v, "domainname", "", c.domainname));
  NOOK_TRY(read_object(v, "hooks", "", c.hooks, decode_hooks));
  NOOK_TRY(read(v, "annotations", "", c.annotations));
  NOOK_TRY(decode_rootfs_idmap(c));
  if (auto p = c.annotations.find(std::string(kProfileAnnotation)); p != c.annotations.end()) {
    if (p->second != kAgentProfileName)
      return field_error(member_path("annotations", kProfileAnnotation),
                         "unknown profile `" + p->second + "` (nook has `" +
                             std::string(kAgentProfileName) + "`)");
    c.agent_profile = true;
  }
  NOOK_TRY(read_object(v, "linux", "", c.linux, decode_linux));
  return c;
}

struct NamespaceInfo {
  NamespaceType type;
  const char* spec_name;
  const char* proc_name;
  int clone_flag;
};

constexpr std::array<NamespaceInfo, 8> kNamespaces = {{
    {NamespaceType::Pid, "pid", "pid", CLONE_NEWPID},
    {NamespaceType::Network, "network", "net", CLONE_NEWNET},
    {NamespaceType::Mount, "mount", "mnt", CLONE_NEWNS},
    {NamespaceType::Ipc, "ipc", "ipc", CLONE_NEWIPC},
    {NamespaceType::Uts, "uts", "uts", CLONE_NEWUTS},
    {NamespaceType::User, "user", "user", CLONE_NEWUSER},
    {NamespaceType::Cgroup, "cgroup", "cgroup", CLONE_NEWCGROUP},
    {NamespaceType::Time, "time", "time", CLONE_NEWTIME},
}};

const NamespaceInfo& namespace_info(NamespaceType t) {
  for (const auto& info : kNamespaces)
    if (info.type == t) return info;
  return kNamespaces[0];  // unreachable: every enumerator is in the table
}

}  // namespace

Result<Config> parse_config(std::string_view json_text) {
  auto doc = NOOK_TRY(json::Document::parse(json_text));
  auto config = NOOK_TRY(decode_config(doc.root()));
  NOOK_TRY(validate_config(config));
  return config;
}

Result<Config> load_config(const std::string& bundle_dir) {
  std::string path = bundle_dir + "/config.json";
  auto text = NOOK_TRY(linux::read_file(path));
  auto config = parse_config(text);
  if (!config) return std::move(config).error().wrap("parse `" + path + "`");
  if (!config->agent_profile) return config;
  // Parsed twice: the bundle as written is validated (errors name its fields), then the
  // hardened result is what runs.
  auto hardened = apply_agent_profile(text, AgentSeccomp::Stack);
  if (!hardened)
    return std::move(hardened).error().wrap("apply the agent profile to `" + path + "`");
  config = parse_config(*hardened);
  if (!config) return std::move(config).error().wrap("apply the agent profile to `" + path + "`");
  return config;
}

Result<Process> parse_process(std::string_view json_text) {
  auto doc = NOOK_TRY(json::Document::parse(json_text));
  auto process = NOOK_TRY(decode_process(doc.root(), "process"));
  NOOK_TRY(validate_process(process, "process"));
  return process;
}

const char* namespace_type_name(NamespaceType t) {
  return namespace_info(t).spec_name;
}

std::optional<NamespaceType> namespace_type_from_name(std::string_view name) {
  for (const auto& info : kNamespaces)
    if (name == info.spec_name) return info.type;
  return std::nullopt;
}

int namespace_clone_flag(NamespaceType t) {
  return namespace_info(t).clone_flag;
}

const char* namespace_proc_name(NamespaceType t) {
  return namespace_info(t).proc_name;
}

bool Mount::is_bind() const {
  return (flags & MS_BIND) != 0;
}

bool NetDevice::is_template() const {
  return name.find('%') != std::string::npos;
}

bool Linux::has_namespace(NamespaceType t) const {
  return find_namespace(t) != nullptr;
}

const Namespace* Linux::find_namespace(NamespaceType t) const {
  for (const auto& ns : namespaces)
    if (ns.type == t) return &ns;
  return nullptr;
}

}  // namespace nook::spec
