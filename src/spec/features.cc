// The runtime-spec features document (features.md): what this build of nook accepts. Built
// from the same tables the parser uses (mount options, namespaces, capabilities), so the two
// cannot disagree. Pure.
#include "nook/spec/features.h"

#include <algorithm>
#include <string_view>
#include <vector>

#include "nook/json/json.h"
#include "nook/seccomp/compile.h"
#include "nook/seccomp/profile.h"
#include "nook/spec/agent_profile.h"
#include "nook/spec/capabilities.h"
#include "nook/spec/config.h"
#include "nook/spec/mount_options.h"
#include "nook/spec/sched.h"

namespace nook::spec {
namespace {

constexpr std::string_view kOciVersionMin = "1.0.0";
constexpr std::string_view kOciVersionMax = "1.3.0";

constexpr NamespaceType kAllNamespaces[] = {
    NamespaceType::Pid, NamespaceType::Network, NamespaceType::Mount,  NamespaceType::Ipc,
    NamespaceType::Uts, NamespaceType::User,    NamespaceType::Cgroup, NamespaceType::Time,
};

void write_enabled(json::Writer& w, std::string_view key, bool enabled) {
  w.key(key).begin_object().member("enabled", enabled).end_object();
}

void write_mount_options(json::Writer& w) {
  w.key("mountOptions").begin_array();
  for (auto name : known_mount_options()) w.string(name);
  w.end_array();
}

// What nook's seccomp support can honour here: every action (SCMP_ACT_NOTIFY with a
// listenerPath), every operator, the architectures this libseccomp knows and the flags this
// kernel accepts.
void write_seccomp(json::Writer& w) {
  using namespace seccomp;
  w.key("seccomp").begin_object().member("enabled", true);
  w.key("actions").begin_array();
  for (auto a : {Action::Allow, Action::Errno, Action::Kill, Action::KillProcess,
                 Action::KillThread, Action::Log, Action::Notify, Action::Trace, Action::Trap})
    w.string(action_name(a));
  w.end_array().key("operators").begin_array();
  for (auto op : {"SCMP_CMP_EQ", "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_LE", "SCMP_CMP_LT",
                  "SCMP_CMP_MASKED_EQ", "SCMP_CMP_NE"})
    w.string(op);
  w.end_array().key("archs").begin_array();
  for (auto a : supported_archs()) w.string(arch_name(a));
  w.end_array().key("knownFlags").begin_array();
  for (auto f : {Flag::Tsync, Flag::Log, Flag::SpecAllow, Flag::WaitKillableRecv})
    w.string(flag_name(f));
  w.end_array().key("supportedFlags").begin_array();
  for (auto f : supported_flags()) w.string(flag_name(f));
  w.end_array().end_object();
}

// Names sorted, as runc lists its maps' keys.
void write_names(json::Writer& w, std::string_view key, std::span<const NamedValue> table) {
  std::vector<std::string_view> names;
  for (const auto& e : table) names.push_back(e.name);
  std::sort(names.begin(), names.end());
  w.key(key).begin_array();
  for (auto name : names) w.string(name);
  w.end_array();
}

void write_linux(json::Writer& w) {
  w.key("linux").begin_object();
  std::vector<std::string_view> namespaces;
  for (auto t : kAllNamespaces) namespaces.push_back(namespace_type_name(t));
  std::sort(namespaces.begin(), namespaces.end());  // runc lists them sorted
  w.key("namespaces").begin_array();
  for (auto ns : namespaces) w.string(ns);
  w.end_array();
  w.key("capabilities").begin_array();
  for (int cap = 0; cap <= last_known_capability(); ++cap) w.string(capability_name(cap));
  w.end_array();
  w.key("cgroup").begin_object();
  w.member("v1", true).member("v2", true).member("systemd", false).member("systemdUser", false);
  w.member("rdma", true);
  w.end_object();
  write_seccomp(w);
  // LSMs are later issues; say so rather than over-promise.
  write_enabled(w, "apparmor", false);
  write_enabled(w, "selinux", false);
  // Through the resctrl filesystem where it is mounted; schemata and enableMonitoring too.
  w.key("intelRdt").begin_object();
  w.member("enabled", true).member("schemata", true).member("monitoring", true);
  w.end_object();
  w.key("memoryPolicy").begin_object();
  write_names(w, "modes", memory_policy_modes());
  write_names(w, "flags", memory_policy_flags());
  w.end_object();
  // Id-mapped bind mounts (mount_setattr MOUNT_ATTR_IDMAP, Linux 5.12).
  w.key("mountExtensions").begin_object();
  write_enabled(w, "idmap", true);
  w.end_object();
  write_enabled(w, "netDevices", true);
  w.end_object();
}

}  // namespace

std::string features_json() {
  // runc prints with a json.Encoder indenting by four spaces, which ends in a newline.
  json::Writer w(json::Writer::Style::Indented, "    ");
  w.begin_object();
  w.member("ociVersionMin", kOciVersionMin).member("ociVersionMax", kOciVersionMax);
  w.key("hooks").begin_array();
  for (auto hook :
       {"prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop"})
    w.string(hook);
  w.end_array();
  write_mount_options(w);
  write_linux(w);
  // io.nook.profiles: the values config.json's io.nook.profile annotation may take.
  w.key("annotations")
      .begin_object()
      .member("io.github.seccomp.libseccomp.version", seccomp::libseccomp_version())
      .member("io.nook.profiles", kAgentProfileName)
      .end_object();
  w.end_object();
  return w.str() + "\n";
}

}  // namespace nook::spec
