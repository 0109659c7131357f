// Tests of src/spec: config.json decoding and validation (user namespace mappings by the
// kernel's rules among it), the mount option, capability and rlimit tables, id validation,
// `nook spec` output against runc's, and the features document.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "nook/json/json.h"
#include "nook/spec/capabilities.h"
#include "nook/spec/config.h"
#include "nook/spec/default_spec.h"
#include "nook/spec/features.h"
#include "nook/spec/id.h"
#include "nook/spec/mount_options.h"
#include "nook/spec/rlimits.h"
#include "nook/spec/sched.h"

namespace nook::spec {
namespace {

std::string read_fixture(const std::string& name) {
  std::ifstream in(std::string(NOOK_SOURCE_DIR) + "/tests/fixtures/spec/" + name);
  EXPECT_TRUE(in.good()) << name;
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

Config parse_ok(std::string_view text) {
  auto c = parse_config(text);
  EXPECT_TRUE(c.ok()) << (c.ok() ? "" : c.error().text());
  return c.ok() ? std::move(c).value() : Config{};
}

// A minimal valid config with members spliced in. Overrides go first because Value::get()
// returns the first of duplicated keys, so `process` = R"("args": [])" replaces the default.
std::string config_with(std::string_view top, std::string_view process = "",
                        std::string_view linux_members = "") {
  std::string s = "{";
  if (!top.empty()) s += std::string(top) + ",";
  s += R"("ociVersion": "1.2.0", "root": {"path": "rootfs"}, "process": {)";
  if (!process.empty()) s += std::string(process) + ",";
  s += R"("args": ["sh"], "cwd": "/"}, "linux": {)";
  if (!linux_members.empty()) s += std::string(linux_members) + ",";
  s += R"("namespaces": [{"type": "pid"}, {"type": "mount"}, {"type": "uts"}, {"type": "ipc"},
                         {"type": "network"}]}})";
  return s;
}

::testing::AssertionResult fails_with(const std::string& text, std::string_view expected) {
  auto c = parse_config(text);
  if (c.ok()) return ::testing::AssertionFailure() << "parsed, wanted error: " << expected;
  if (c.error().message.find(expected) == std::string::npos)
    return ::testing::AssertionFailure()
           << "error `" << c.error().message << "` lacks `" << expected << "`";
  return ::testing::AssertionSuccess();
}

TEST(SpecConfig, MinimalConfigIsValid) {
  parse_ok(config_with(""));
}

TEST(SpecConfig, ParsesRuncDefaultSpec) {
  Config c = parse_ok(read_fixture("runc-spec.json"));
  EXPECT_EQ(c.oci_version, "1.0.2-dev");
  ASSERT_TRUE(c.process.has_value());
  const Process& p = *c.process;
  EXPECT_TRUE(p.terminal);
  EXPECT_EQ(p.args, std::vector<std::string>{"sh"});
  EXPECT_EQ(p.cwd, "/");
  EXPECT_EQ(p.env.size(), 2u);
  ASSERT_TRUE(p.capabilities.has_value());
  EXPECT_EQ(p.capabilities->bounding, (std::vector<int>{29, 5, 10}));
  EXPECT_TRUE(p.capabilities->inheritable.empty());
  EXPECT_TRUE(p.capabilities->unknown.empty());
  ASSERT_EQ(p.rlimits.size(), 1u);
  EXPECT_EQ(p.rlimits[0].resource, RLIMIT_NOFILE);
  EXPECT_EQ(p.rlimits[0].hard, 1024u);
  EXPECT_TRUE(p.no_new_privileges);
  EXPECT_EQ(c.root.path, "rootfs");
  EXPECT_TRUE(c.root.readonly);
  EXPECT_EQ(c.hostname, "runc");
  ASSERT_EQ(c.mounts.size(), 7u);
  EXPECT_EQ(c.mounts[1].destination, "/dev");
  EXPECT_EQ(c.mounts[1].flags, static_cast<unsigned long>(MS_NOSUID | MS_STRICTATIME));
  EXPECT_EQ(c.mounts[1].data, "mode=755,size=65536k");
  EXPECT_EQ(c.mounts[5].flags,
            static_cast<unsigned long>(MS_NOSUID | MS_NOEXEC | MS_NODEV | MS_RDONLY));
  EXPECT_FALSE(c.mounts[5].is_bind());
  EXPECT_EQ(c.linux.namespaces.size(), 5u);
  EXPECT_TRUE(c.linux.has_namespace(NamespaceType::Network));
  EXPECT_FALSE(c.linux.has_namespace(NamespaceType::User));
  EXPECT_EQ(c.linux.resources_json, R"({"devices":[{"allow":false,"access":"rwm"}]})");
  EXPECT_EQ(c.linux.masked_paths.size(), 10u);
  EXPECT_EQ(c.linux.readonly_paths.size(), 5u);
  EXPECT_TRUE(c.linux.seccomp_json.empty());
}

TEST(SpecConfig, ParsesRuncRootlessSpec) {
  Config c = parse_ok(read_fixture("runc-spec-rootless.json"));
  const Namespace* user = c.linux.find_namespace(NamespaceType::User);
  ASSERT_NE(user, nullptr);
  EXPECT_TRUE(user->path.empty());
  ASSERT_EQ(c.linux.uid_mappings.size(), 1u);
  EXPECT_EQ(c.linux.uid_mappings[0].size, 1u);
  const Mount& sys = c.mounts[5];
  EXPECT_EQ(sys.destination, "/sys");
  EXPECT_TRUE(sys.is_bind());
  EXPECT_NE(sys.flags & MS_REC, 0u);
  EXPECT_TRUE(c.linux.resources_json.empty());
}

TEST(SpecConfig, ParsesEveryModelledField) {
  Config c = parse_ok(read_fixture("config-full.json"));
  const Process& p = *c.process;
  ASSERT_TRUE(p.console_size.has_value());
  EXPECT_EQ(p.console_size->height, 25u);
  EXPECT_EQ(p.console_size->width, 80u);
  EXPECT_EQ(p.user.uid, 1000u);
  EXPECT_EQ(p.user.gid, 1001u);
  EXPECT_EQ(p.user.umask, 18u);
  EXPECT_EQ(p.user.additional_gids, (std::vector<uint32_t>{5, 6}));
  EXPECT_EQ(p.user.username, "agent");
  EXPECT_EQ(p.args.size(), 3u);
  EXPECT_EQ(p.cwd, "/work");
  EXPECT_EQ(p.capabilities->bounding, (std::vector<int>{0, 5}));
  EXPECT_EQ(p.capabilities->permitted, (std::vector<int>{5, 40}));
  EXPECT_EQ(p.capabilities->ambient, (std::vector<int>{10}));
  EXPECT_EQ(p.capabilities->unknown, (std::vector<std::string>{"CAP_NOT_A_THING"}));
  ASSERT_EQ(p.rlimits.size(), 2u);
  EXPECT_EQ(p.rlimits[1].resource, RLIMIT_CORE);
  EXPECT_EQ(p.rlimits[1].hard, UINT64_MAX);
  EXPECT_EQ(p.apparmor_profile, "nook-default");
  EXPECT_EQ(p.oom_score_adj, -500);
  EXPECT_EQ(p.selinux_label, "system_u:system_r:container_t:s0");
  ASSERT_TRUE(p.scheduler.has_value());
  EXPECT_EQ(p.scheduler->policy, "SCHED_DEADLINE");
  EXPECT_EQ(p.scheduler->flags, std::vector<std::string>{"SCHED_FLAG_RESET_ON_FORK"});
  EXPECT_EQ(p.scheduler->runtime, 10000000u);
  EXPECT_EQ(p.scheduler->deadline, 30000000u);
  EXPECT_EQ(p.scheduler->period, 40000000u);
  ASSERT_TRUE(p.io_priority.has_value());
  EXPECT_EQ(p.io_priority->io_class, "IOPRIO_CLASS_IDLE");
  EXPECT_EQ(p.io_priority->priority, 7);
  EXPECT_EQ(p.exec_cpu_affinity.initial, "0");
  EXPECT_EQ(p.exec_cpu_affinity.final, "0-3,7");
  EXPECT_EQ(c.domainname, "example.org");

  ASSERT_EQ(c.mounts.size(), 4u);
  const Mount& data = c.mounts[1];
  EXPECT_TRUE(data.type.empty());
  EXPECT_TRUE(data.is_bind());
  EXPECT_EQ(data.flags, static_cast<unsigned long>(MS_BIND | MS_REC | MS_RDONLY));
  EXPECT_EQ(data.propagation, static_cast<unsigned long>(MS_PRIVATE | MS_REC));
  EXPECT_EQ(data.attr_set, static_cast<uint64_t>(MOUNT_ATTR_NOSUID));
  const Mount& tmp = c.mounts[2];
  EXPECT_EQ(tmp.destination, "/tmp");  // relative destinations are taken from /
  EXPECT_TRUE(tmp.tmpcopyup);
  EXPECT_EQ(tmp.data, "mode=1777,size=64m");
  const Mount& mapped = c.mounts[3];
  EXPECT_TRUE(mapped.is_bind());  // type "bind" alone makes a bind mount
  EXPECT_TRUE(mapped.idmap);
  EXPECT_TRUE(mapped.recursive_idmap);
  ASSERT_EQ(mapped.uid_mappings.size(), 1u);
  EXPECT_EQ(mapped.uid_mappings[0].host_id, 100000u);

  EXPECT_EQ(c.hooks.prestart.size(), 1u);
  ASSERT_EQ(c.hooks.create_runtime.size(), 1u);
  EXPECT_EQ(c.hooks.create_runtime[0].args, (std::vector<std::string>{"net-setup", "up"}));
  EXPECT_EQ(c.hooks.create_runtime[0].env, (std::vector<std::string>{"A=1"}));
  EXPECT_EQ(c.hooks.create_runtime[0].timeout, 5);
  EXPECT_EQ(c.hooks.create_container.size(), 1u);
  EXPECT_EQ(c.hooks.start_container.size(), 1u);
  EXPECT_EQ(c.hooks.poststart.size(), 2u);
  EXPECT_EQ(c.hooks.poststop[0].timeout, 30);
  EXPECT_EQ(c.annotations.at("org.example.key"), "value");

  const Linux& l = c.linux;
  EXPECT_EQ(l.namespaces.size(), 8u);
  EXPECT_EQ(l.find_namespace(NamespaceType::Network)->path, "/var/run/netns/agent");
  EXPECT_EQ(l.gid_mappings[0].host_id, 200000u);
  ASSERT_EQ(l.devices.size(), 2u);
  EXPECT_EQ(l.devices[0].type, 'c');
  EXPECT_EQ(l.devices[0].major, 10);
  EXPECT_EQ(l.devices[0].minor, 229);
  EXPECT_EQ(l.devices[0].file_mode, 438u);
  EXPECT_EQ(l.devices[0].uid, 0u);
  EXPECT_EQ(l.devices[1].type, 'p');
  EXPECT_FALSE(l.devices[1].file_mode.has_value());
  EXPECT_EQ(l.cgroups_path, "/nook/agent");
  EXPECT_EQ(l.resources_json,
            R"({"memory":{"limit":536870912},"pids":{"limit":64},"cpu":{"shares":1.5e3}})");
  EXPECT_EQ(l.sysctl.size(), 4u);
  EXPECT_EQ(l.sysctl.at("net.ipv4.ip_forward"), "1");
  EXPECT_EQ(l.rootfs_propagation, "rslave");
  EXPECT_EQ(l.mount_label, "system_u:object_r:container_file_t:s0");
  EXPECT_EQ(
      l.seccomp_json,
      R"({"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["read"],"action":"SCMP_ACT_ALLOW"}]})");
  EXPECT_EQ(l.personality_domain, "LINUX32");
  ASSERT_EQ(l.time_offsets.size(), 2u);
  EXPECT_EQ(l.time_offsets.at("monotonic").secs, 100);
  EXPECT_EQ(l.time_offsets.at("boottime").secs, -5);
  EXPECT_EQ(l.time_offsets.at("boottime").nanosecs, 7u);
  ASSERT_TRUE(l.memory_policy.has_value());
  EXPECT_EQ(l.memory_policy->mode, "MPOL_INTERLEAVE");
  EXPECT_EQ(l.memory_policy->nodes, "0-1");
  EXPECT_EQ(l.memory_policy->flags, std::vector<std::string>{"MPOL_F_STATIC_NODES"});
  ASSERT_TRUE(l.intel_rdt.has_value());
  EXPECT_EQ(l.intel_rdt->clos_id, "agents");
  EXPECT_EQ(l.intel_rdt->l3_cache_schema, "L3:0=ff");
  EXPECT_EQ(l.intel_rdt->mem_bw_schema, "MB:0=70");
  EXPECT_EQ(l.intel_rdt->schemata, std::vector<std::string>{"L2:0=f"});
  EXPECT_TRUE(l.intel_rdt->enable_monitoring);
}

TEST(SpecConfig, IntelRdtEnableCmtOrMbmOfEarlierSpecsAskForMonitoring) {
  for (auto key : {"enableCMT", "enableMBM"}) {
    Config c =
        parse_ok(config_with("", "", std::string(R"("intelRdt": {")") + key + R"(": true})"));
    EXPECT_TRUE(c.linux.intel_rdt->enable_monitoring) << key;
  }
  EXPECT_FALSE(
      parse_ok(config_with("", "", R"("intelRdt": {})")).linux.intel_rdt->enable_monitoring);
}

// runtime-spec 1.3's scheduling and placement fields: each invalid form fails by field name.
TEST(SpecValidate, SchedulingFieldsNameTheField) {
  auto time_ns = R"("namespaces": [{"type": "time"}, {"type": "mount"}])";
  const std::vector<std::pair<std::string, std::string_view>> cases = {
      {config_with("", R"("scheduler": {"nice": 1})"), "process.scheduler.policy: required"},
      {config_with("", R"("scheduler": {"policy": "SCHED_FOO"})"),
       "process.scheduler.policy: unknown policy `SCHED_FOO`"},
      {config_with("", R"("scheduler": {"policy": "SCHED_ISO"})"),
       "process.scheduler.policy: SCHED_ISO is not implemented by Linux"},
      {config_with("", R"("scheduler": {"policy": "SCHED_OTHER", "nice": 20})"),
       "process.scheduler.nice: `20` out of range [-20, 19]"},
      {config_with("", R"("scheduler": {"policy": "SCHED_BATCH", "nice": -21})"),
       "process.scheduler.nice: `-21` out of range [-20, 19]"},
      {config_with("", R"("scheduler": {"policy": "SCHED_FIFO"})"),
       "process.scheduler.priority: must be 1 to 99 for SCHED_FIFO"},
      {config_with("", R"("scheduler": {"policy": "SCHED_RR", "priority": 100})"),
       "process.scheduler.priority: must be 1 to 99 for SCHED_RR"},
      {config_with("", R"("scheduler": {"policy": "SCHED_OTHER", "priority": 5})"),
       "process.scheduler.priority: can only be specified for SCHED_FIFO or SCHED_RR"},
      {config_with("", R"("scheduler": {"policy": "SCHED_OTHER", "runtime": 5})"),
       "process.scheduler: runtime, deadline and period can only be specified for SCHED_DEADLINE"},
      {config_with("",
                   R"("scheduler": {"policy": "SCHED_DEADLINE", "runtime": 100, "deadline": 200})"),
       "process.scheduler.runtime: must be at least 1024 ns"},
      {config_with(
           "", R"("scheduler": {"policy": "SCHED_DEADLINE", "runtime": 2000, "deadline": 1500})"),
       "process.scheduler.deadline: must be at least runtime"},
      {config_with("", R"("scheduler": {"policy": "SCHED_DEADLINE", "runtime": 2000,
                                         "deadline": 3000, "period": 2500})"),
       "process.scheduler.period: must be 0 (the deadline) or at least deadline"},
      {config_with("", R"("scheduler": {"policy": "SCHED_OTHER", "flags": ["SCHED_FLAG_X"]})"),
       "process.scheduler.flags[0]: unknown flag `SCHED_FLAG_X`"},
      {config_with("", R"("scheduler": {"policy": "SCHED_OTHER", "nice": "5"})"),
       "process.scheduler.nice: expected number, got string"},
      {config_with("", R"("ioPriority": {"priority": 1})"), "process.ioPriority.class: required"},
      {config_with("", R"("ioPriority": {"class": "IOPRIO_CLASS_BE"})"),
       "process.ioPriority.priority: required"},
      {config_with("", R"("ioPriority": {"class": "IOPRIO_CLASS_NONE", "priority": 1})"),
       "process.ioPriority.class: unknown class `IOPRIO_CLASS_NONE`"},
      {config_with("", R"("ioPriority": {"class": "IOPRIO_CLASS_BE", "priority": 8})"),
       "process.ioPriority.priority: `8` out of range [0, 7]"},
      {config_with("", R"("execCPUAffinity": {"initial": "0-"})"),
       "process.execCPUAffinity.initial: `` is not a CPU number"},
      {config_with("", R"("execCPUAffinity": {"final": "3-1"})"),
       "process.execCPUAffinity.final: range `3-1` ends before it starts"},
      {config_with("", R"("execCPUAffinity": {"final": "1024"})"),
       "process.execCPUAffinity.final: CPU 1024 is beyond the last one (1023)"},
      {config_with("", "", R"("memoryPolicy": {"nodes": "0"})"),
       "linux.memoryPolicy.mode: required"},
      {config_with("", "", R"("memoryPolicy": {"mode": "MPOL_FOO"})"),
       "linux.memoryPolicy.mode: unknown mode `MPOL_FOO`"},
      {config_with("", "", R"("memoryPolicy": {"mode": "MPOL_BIND"})"),
       "linux.memoryPolicy.nodes: required by MPOL_BIND"},
      {config_with("", "", R"("memoryPolicy": {"mode": "MPOL_BIND", "nodes": "0,x"})"),
       "linux.memoryPolicy.nodes: `x` is not a node number"},
      {config_with("", "", R"("memoryPolicy": {"mode": "MPOL_DEFAULT", "nodes": "0"})"),
       "linux.memoryPolicy: MPOL_DEFAULT takes neither nodes nor flags"},
      {config_with("", "",
                   R"("memoryPolicy": {"mode": "MPOL_LOCAL", "flags": ["MPOL_F_STATIC_NODES"]})"),
       "linux.memoryPolicy: MPOL_LOCAL takes neither nodes nor flags"},
      {config_with("", "",
                   R"("memoryPolicy": {"mode": "MPOL_BIND", "nodes": "0", "flags": ["X"]})"),
       "linux.memoryPolicy.flags[0]: unknown flag `X`"},
      {config_with("", "", R"("memoryPolicy": {"mode": "MPOL_BIND", "nodes": "0",
                      "flags": ["MPOL_F_STATIC_NODES", "MPOL_F_RELATIVE_NODES"]})"),
       "linux.memoryPolicy.flags: MPOL_F_STATIC_NODES and MPOL_F_RELATIVE_NODES exclude each "
       "other"},
      {config_with("", "", R"("memoryPolicy": {"mode": "MPOL_PREFERRED", "nodes": "0",
                      "flags": ["MPOL_F_NUMA_BALANCING"]})"),
       "linux.memoryPolicy.flags: MPOL_F_NUMA_BALANCING goes only with MPOL_BIND or "
       "MPOL_PREFERRED_MANY"},
      {config_with("", "", R"("timeOffsets": {"monotonic": {"secs": 1}})"),
       "linux.timeOffsets: requires a new time namespace"},
      {config_with("", "", std::string(R"("timeOffsets": {"realtime": {"secs": 1}}, )") + time_ns),
       "linux.timeOffsets.realtime: unknown clock (want monotonic or boottime)"},
      {config_with(
           "", "",
           std::string(R"("timeOffsets": {"boottime": {"nanosecs": 1000000000}}, )") + time_ns),
       "linux.timeOffsets.boottime.nanosecs: must be less than 1000000000"},
      {config_with("", "", std::string(R"("timeOffsets": {"boottime": 5}, )") + time_ns),
       "linux.timeOffsets.boottime: expected object, got number"},
  };
  for (const auto& [json, expected] : cases) EXPECT_TRUE(fails_with(json, expected)) << json;
}

TEST(SpecValidate, SchedulingFieldsInTheirValidFormsAreAccepted) {
  parse_ok(config_with("", R"("scheduler": {"policy": "SCHED_OTHER", "nice": -20})"));
  parse_ok(config_with("", R"("scheduler": {"policy": "SCHED_IDLE", "nice": 40})"));
  parse_ok(config_with("", R"("scheduler": {"policy": "SCHED_RR", "priority": 99,
                                            "flags": ["SCHED_FLAG_RESET_ON_FORK"]})"));
  parse_ok(config_with("", R"("scheduler": {"policy": "SCHED_DEADLINE", "runtime": 1024,
                                            "deadline": 1024})"));
  parse_ok(config_with("", R"("ioPriority": {"class": "IOPRIO_CLASS_RT", "priority": 0})"));
  parse_ok(config_with("", R"("execCPUAffinity": {"initial": "", "final": "1,0-0"})"));
  parse_ok(config_with("", "", R"("memoryPolicy": {"mode": "MPOL_LOCAL"})"));
  parse_ok(config_with("", "", R"("memoryPolicy": {"mode": "MPOL_PREFERRED_MANY", "nodes": "0-1",
                                                   "flags": ["MPOL_F_NUMA_BALANCING"]})"));
  Config c = parse_ok(config_with("", "", R"("timeOffsets": {"boottime": {"secs": -10}},
                                             "namespaces": [{"type": "time"}])"));
  EXPECT_EQ(c.linux.time_offsets.at("boottime").secs, -10);
}

TEST(SpecSched, IdListsAreTheKernelsListFormat) {
  auto mask = parse_id_list("0-2,7,1023", "CPU");
  ASSERT_TRUE(mask.ok()) << mask.error().text();
  for (unsigned bit : {0u, 1u, 2u, 7u, 1023u}) EXPECT_TRUE(mask->test(bit)) << bit;
  for (unsigned bit : {3u, 6u, 8u, 64u, 1022u}) EXPECT_FALSE(mask->test(bit)) << bit;
  EXPECT_EQ(mask->words[0], 0x87u);
  EXPECT_FALSE(parse_id_list("5", "CPU")->empty());
  for (auto bad : {"", ",", "1,", "a", "-1", "1-", "2-1", "1 ", "0x1", "99999999999"})
    EXPECT_FALSE(parse_id_list(bad, "CPU").ok()) << bad;
}

TEST(SpecSched, NameTablesHaveTheKernelsValues) {
  EXPECT_EQ(value_of(sched_policies(), "SCHED_DEADLINE"), 6);  // SCHED_DEADLINE
  EXPECT_EQ(value_of(sched_policies(), "SCHED_IDLE"), SCHED_IDLE);
  EXPECT_EQ(value_of(sched_policies(), "SCHED_FIFO"), SCHED_FIFO);
  EXPECT_EQ(value_of(sched_flags(), "SCHED_FLAG_UTIL_CLAMP_MAX"), 0x40);
  EXPECT_EQ(value_of(io_priority_classes(), "IOPRIO_CLASS_IDLE"), 3);
  EXPECT_EQ(value_of(memory_policy_modes(), "MPOL_PREFERRED_MANY"), 5);
  EXPECT_EQ(value_of(memory_policy_flags(), "MPOL_F_STATIC_NODES"), 1 << 15);
  EXPECT_EQ(value_of(memory_policy_modes(), "MPOL_NOPE"), std::nullopt);
}

TEST(SpecConfig, ConsoleSizeIsIgnoredWithoutTerminal) {
  Config c = parse_ok(config_with("", R"("consoleSize": {"height": 1, "width": 2})"));
  EXPECT_FALSE(c.process->console_size.has_value());
}

TEST(SpecConfig, NullMembersReadAsAbsent) {
  Config c = parse_ok(config_with(R"("hooks": null, "mounts": null)", R"("terminal": null)"));
  EXPECT_FALSE(c.process->terminal);
  EXPECT_TRUE(c.mounts.empty());
}

TEST(SpecConfig, AnyOneDotVersionIsAccepted) {
  parse_ok(config_with(R"("ociVersion": "1.0.0")"));
  parse_ok(config_with(R"("ociVersion": "1.3.0-rc.1")"));
}

TEST(SpecValidate, EachErrorNamesTheField) {
  struct Case {
    std::string json;
    std::string_view expected;
  };
  const std::vector<Case> cases = {
      {"{", "invalid JSON: "},
      {"[]", "config: expected object, got array"},
      {R"({"root": {"path": "r"}})", "ociVersion: required"},
      {config_with(R"("ociVersion": "2.0.0")"), "ociVersion: unsupported version `2.0.0`"},
      {config_with(R"("ociVersion": 1)"), "ociVersion: expected string, got number"},
      {R"({"ociVersion": "1.2.0"})", "root: required"},
      {config_with(R"("root": {"readonly": true})"), "root.path: required"},
      {config_with("", R"("args": [])"), "process.args: must not be empty"},
      {config_with("", R"("args": ["sh", 3])"), "process.args[1]: expected string, got number"},
      {config_with("", R"("terminal": "yes")"), "process.terminal: expected boolean, got string"},
      {config_with("", R"("cwd": "")"), "process.cwd: required"},
      {config_with("", R"("cwd": "work")"), "process.cwd: must be an absolute path"},
      {config_with("", R"("commandLine": "sh -c x")"),
       "process.commandLine: not supported on Linux"},
      {config_with("", R"("env": ["PATH"])"), "process.env[0]: missing `=`"},
      {config_with("", R"("env": ["=x"])"), "process.env[0]: empty name"},
      {config_with("", R"("user": {"uid": -1})"), "process.user.uid: expected uint32, got `-1`"},
      {config_with("", R"("user": {"uid": 4294967296})"), "process.user.uid: expected uint32"},
      {config_with("", R"("user": {"additionalGids": [1, "x"]})"),
       "process.user.additionalGids[1]: expected number, got string"},
      {config_with("", R"("rlimits": [{"type": "RLIMIT_FOO", "hard": 1, "soft": 1}])"),
       "process.rlimits[0].type: unknown rlimit `RLIMIT_FOO`"},
      {config_with("", R"("rlimits": [{"type": "RLIMIT_NOFILE", "hard": 1, "soft": 2}])"),
       "process.rlimits[0]: soft limit exceeds hard limit"},
      {config_with("", R"("rlimits": [{"type": "RLIMIT_NOFILE", "soft": 2}])"),
       "process.rlimits[0].hard: required"},
      {config_with("", R"("rlimits": [{"type": "RLIMIT_CPU", "hard": 1, "soft": 1},
                                      {"type": "RLIMIT_CPU", "hard": 1, "soft": 1}])"),
       "process.rlimits[1]: duplicate rlimit `RLIMIT_CPU`"},
      {config_with("", R"("oomScoreAdj": 1001)"), "process.oomScoreAdj: `1001` out of range"},
      {config_with("", R"("oomScoreAdj": -1001)"), "process.oomScoreAdj: `-1001` out of range"},
      {config_with("", R"("consoleSize": {"height": 1})", ""),
       "process.consoleSize.width: required"},
      {config_with("", R"("capabilities": {"bounding": "CAP_KILL"})"),
       "process.capabilities.bounding: expected array, got string"},
      {config_with("", R"("scheduler": "SCHED_OTHER")"),
       "process.scheduler: expected object, got string"},
      {config_with(R"("mounts": [{"destination": "/a"}, {"type": "tmpfs"}])"),
       "mounts[1].destination: required"},
      {config_with(R"("mounts": [{"destination": "/a", "options": "ro"}])"),
       "mounts[0].options: expected array, got string"},
      {config_with(R"("mounts": [{"destination": "/a", "type": "tmpfs",
                                  "uidMappings": [{"containerID": 0, "hostID": 1, "size": 1}],
                                  "gidMappings": [{"containerID": 0, "hostID": 1, "size": 1}]}])"),
       "mounts[0]: id-mapped mounts must be bind mounts"},
      {config_with(R"("mounts": [{"destination": "/a", "type": "bind",
                                  "uidMappings": [{"containerID": 0, "hostID": 1, "size": 1}]}])"),
       "mounts[0]: id-mapped mounts need both"},
      {config_with(R"("mounts": [{"destination": "/a", "type": "bind",
                                  "uidMappings": [{"containerID": 0, "hostID": 1, "size": 0}]}])"),
       "mounts[0].uidMappings[0].size: must be greater than 0"},
      {config_with(R"("hooks": {"poststop": [{"path": "rel/hook"}]})"),
       "hooks.poststop[0].path: must be an absolute path"},
      {config_with(R"("hooks": {"createRuntime": [{"path": "/h", "timeout": 0}]})"),
       "hooks.createRuntime[0].timeout: must be greater than 0"},
      {config_with(R"("hooks": {"prestart": [{"args": []}]})"), "hooks.prestart[0].path: required"},
      {config_with("", "", R"("namespaces": [{"type": "pid"}, {"type": "foo"}])"),
       "linux.namespaces[1].type: unknown namespace type `foo`"},
      {config_with("", "", R"("namespaces": [{"type": "pid"}, {"type": "pid"}])"),
       "linux.namespaces: duplicate namespace `pid`"},
      {config_with("", "", R"("namespaces": [{"type": "network", "path": "netns/x"}])"),
       "linux.namespaces[0].path: must be an absolute path"},
      {config_with(R"("hostname": "h")", "", R"("namespaces": [{"type": "mount"}])"),
       "hostname: requires a new uts namespace"},
      {config_with(R"("hostname": "h")", "",
                   R"("namespaces": [{"type": "uts", "path": "/proc/1/ns/uts"}])"),
       "hostname: requires a new uts namespace"},
      {config_with(R"("domainname": "d")", "", R"("namespaces": [{"type": "mount"}])"),
       "domainname: requires a new uts namespace"},
      {config_with("", "",
                   R"("namespaces": [{"type": "mount"}], "sysctl": {"net.ipv4.ip_forward": "1"})"),
       "linux.sysctl: `net.ipv4.ip_forward` not allowed in host network namespace"},
      {config_with("", "",
                   R"("namespaces": [{"type": "mount"}], "sysctl": {"kernel.shmmax": "1"})"),
       "linux.sysctl: `kernel.shmmax` requires a new ipc namespace"},
      {config_with("", "",
                   R"("namespaces": [{"type": "mount"}], "sysctl": {"fs.mqueue.msg_max": "1"})"),
       "linux.sysctl: `fs.mqueue.msg_max` requires a new ipc namespace"},
      {config_with("", "", R"("sysctl": {"kernel.hostname": "x"})"),
       "linux.sysctl: `kernel.hostname` conflicts with the `hostname` field"},
      {config_with("", "",
                   R"("namespaces": [{"type": "mount"}], "sysctl": {"kernel.domainname": "x"})"),
       "linux.sysctl: `kernel.domainname` is not in a separate kernel namespace"},
      {config_with("", "", R"("sysctl": {"vm.swappiness": "1"})"),
       "linux.sysctl: `vm.swappiness` is not in a separate kernel namespace"},
      {config_with("", "", R"("sysctl": {"net.core.somaxconn": 1})"),
       "linux.sysctl.net.core.somaxconn: expected string, got number"},
      {config_with("", "", R"("uidMappings": [{"containerID": 0, "hostID": 1000, "size": 1}])"),
       "linux.uidMappings: requires a user namespace"},
      {config_with("", "", R"("namespaces": [{"type": "user"}])"),
       "linux.uidMappings: required with a new user namespace"},
      {config_with("", "", R"("namespaces": [{"type": "user"}],
                              "uidMappings": [{"containerID": 0, "hostID": 1000, "size": 1}])"),
       "linux.gidMappings: required with a new user namespace"},
      {config_with("", "", R"("uidMappings": [{"containerID": 0, "size": 1}])"),
       "linux.uidMappings[0].hostID: required"},
      {config_with("", "",
                   R"("devices": [{"path": "/dev/x", "type": "x", "major": 1, "minor": 1}])"),
       "linux.devices[0].type: unknown device type `x`"},
      {config_with("", "",
                   R"("devices": [{"path": "dev/x", "type": "c", "major": 1, "minor": 1}])"),
       "linux.devices[0].path: must be an absolute path"},
      {config_with("", "", R"("devices": [{"path": "/dev/x", "type": "b", "major": 1}])"),
       "linux.devices[0].minor: required"},
      {config_with("", "", R"("personality": {"domain": "LINUX64"})"),
       "linux.personality.domain: unknown domain `LINUX64`"},
      {config_with("", "", R"("rootfsPropagation": "rprivatex")"),
       "linux.rootfsPropagation: unknown propagation `rprivatex`"},
      {config_with("", "", R"("maskedPaths": ["proc/kcore"])"),
       "linux.maskedPaths[0]: must be an absolute path"},
      {config_with("", "", R"("namespaces": [{"type": "pid"}], "readonlyPaths": ["/proc/sys"])"),
       "linux.readonlyPaths: requires a mount namespace"},
      {config_with("", "", R"("timeOffsets": {"boottime": {"secs": 1}})"),
       "linux.timeOffsets: requires a new time namespace"},
      {config_with("", "", R"("resources": [])"), "linux.resources: expected object, got array"},
      {config_with("", "", R"("intelRdt": {"closID": "a/b"})"),
       "linux.intelRdt.closID: `a/b` is not a resctrl group name"},
      {config_with("", "", R"("intelRdt": {"closID": ".."})"),
       "linux.intelRdt.closID: `..` is not a resctrl group name"},
      {config_with("", "", R"("intelRdt": {"memBwSchema": "L3:0=1"})"),
       "linux.intelRdt.memBwSchema: must start with `MB:`"},
      {config_with("", "", R"("intelRdt": {"memBwSchema": "MB:0=1\nL3:0=1"})"),
       "linux.intelRdt.memBwSchema: must not contain a newline"},
      {config_with("", "", R"("intelRdt": {"l3CacheSchema": "L3:0=1\n"})"),
       "linux.intelRdt.l3CacheSchema: must not contain a newline"},
      {config_with("", "", R"("intelRdt": {"schemata": ["L3:0=1", ""]})"),
       "linux.intelRdt.schemata[1]: must be one non-empty line"},
      {config_with("", "", R"("intelRdt": {"enableMonitoring": "yes"})"),
       "linux.intelRdt.enableMonitoring: expected boolean, got string"},
      {config_with(R"("annotations": {"a": 1})"), "annotations.a: expected string, got number"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.json);
    EXPECT_TRUE(fails_with(c.json, c.expected));
  }
}

TEST(SpecValidate, NamespacedSysctlsAreAccepted) {
  parse_ok(config_with("", "", R"("sysctl": {"net.ipv4.ip_forward": "1", "kernel.msgmax": "1",
                                             "fs.mqueue.queues_max": "1",
                                             "kernel.domainname": "d"})"));
  // A joined network namespace is not the host's as far as the spec can tell.
  parse_ok(config_with("", "", R"("namespaces": [{"type": "network", "path": "/run/netns/a"}],
                                  "sysctl": {"net.core.somaxconn": "1"})"));
}

TEST(SpecNetDevices, EntriesKeepTheirOrderAndDefaultToTheHostName) {
  Config c = parse_ok(config_with(
      "", "", R"("netDevices": {"veth1": {"name": "ctr0"}, "eth7": {}, "eth8": {"name": ""},
                              "eth9": {"name": "net%d"}})"));
  ASSERT_EQ(c.linux.net_devices.size(), 4u);
  EXPECT_EQ(c.linux.net_devices[0].host_name, "veth1");
  EXPECT_EQ(c.linux.net_devices[0].name, "ctr0");
  EXPECT_EQ(c.linux.net_devices[1].name, "eth7");
  EXPECT_EQ(c.linux.net_devices[2].name, "eth8");  // "" is "not given", as in runc
  EXPECT_FALSE(c.linux.net_devices[0].is_template());
  EXPECT_TRUE(c.linux.net_devices[3].is_template());
  // Templates may repeat: the kernel numbers them apart.
  parse_ok(config_with("", "", R"("netDevices": {"a": {"name": "n%d"}, "b": {"name": "n%d"}})"));
  // 15 bytes is the longest name the kernel takes.
  parse_ok(config_with("", "", R"("netDevices": {"a23456789012345": {}})"));
}

TEST(SpecNetDevices, InvalidEntriesNameTheField) {
  struct Case {
    std::string linux_members;
    std::string_view expected;
  };
  const std::vector<Case> cases = {
      {R"("netDevices": [])", "linux.netDevices: expected object, got array"},
      {R"("netDevices": {"eth0": "ctr0"})", "linux.netDevices.eth0: expected object, got string"},
      {R"("netDevices": {"eth0": {"name": 1}})",
       "linux.netDevices.eth0.name: expected string, got number"},
      {R"("netDevices": {"eth0": {}}, "namespaces": [{"type": "mount"}])",
       "linux.netDevices: requires a network namespace of the container's own"},
      {R"("netDevices": {"a234567890123456": {}})",
       "linux.netDevices: `a234567890123456` is not an interface name: longer than 15 bytes"},
      {R"("netDevices": {"": {}})", "linux.netDevices: `` is not an interface name: empty"},
      {R"("netDevices": {"..": {}})", "`..` is not an interface name: `.` and `..` are not"},
      {R"("netDevices": {"eth%d": {}})", "`eth%d` is not an interface name: `%` is only for"},
      {R"("netDevices": {"eth0": {"name": "a/b"}})",
       "linux.netDevices.eth0.name: `a/b` is not an interface name: `/` and `:`"},
      {R"("netDevices": {"eth0": {"name": "a:b"}})", "linux.netDevices.eth0.name: `a:b`"},
      {R"("netDevices": {"eth0": {"name": "a b"}})",
       "linux.netDevices.eth0.name: `a b` is not an interface name: whitespace"},
      {R"("netDevices": {"eth0": {"name": "n%s"}})", "a template holds exactly one `%d`"},
      {R"("netDevices": {"eth0": {"name": "n%d%d"}})", "a template holds exactly one `%d`"},
      {R"("netDevices": {"eth0": {"name": "ctr0"}, "eth1": {"name": "ctr0"}})",
       "linux.netDevices.eth1.name: `ctr0` is also the name of linux.netDevices.eth0"},
      {R"("netDevices": {"eth0": {"name": "eth1"}, "eth1": {}})",
       "linux.netDevices.eth1.name: `eth1` is also the name of linux.netDevices.eth0"},
      {R"("netDevices": {"eth0": {}, "eth0": {}})", "linux.netDevices: `eth0` is listed twice"},
  };
  for (const auto& c : cases) {
    std::string json = config_with("", "", c.linux_members);
    SCOPED_TRACE(json);
    EXPECT_TRUE(fails_with(json, c.expected));
  }
}

// A config with a new user namespace mapping 0-65535 to 100000-; `maps` (linux members, e.g.
// uidMappings) go first and so replace the defaults.
std::string userns_config(std::string_view maps, std::string_view top = "",
                          std::string_view process = "") {
  return config_with(top, process,
                     std::string(maps) +
                         R"(, "uidMappings": [{"containerID": 0, "hostID": 100000, "size": 65536}],
          "gidMappings": [{"containerID": 0, "hostID": 100000, "size": 65536}],
          "namespaces": [{"type": "user"}, {"type": "mount"}])");
}

constexpr std::string_view kNoMaps = R"("sysctl": {})";

TEST(SpecUserNamespace, SeveralDisjointRangesAreAccepted) {
  auto c = parse_config(userns_config(
      R"("uidMappings": [{"containerID": 0, "hostID": 1000, "size": 1},
                         {"containerID": 1, "hostID": 100000, "size": 999},
                         {"containerID": 1000, "hostID": 200000, "size": 64536}])"));
  ASSERT_TRUE(c.ok()) << c.error().text();
  EXPECT_EQ(c->linux.uid_mappings.size(), 3u);
}

TEST(SpecUserNamespace, ImpossibleMappingsNameTheField) {
  struct Case {
    std::string json;
    std::string_view expected;
  };
  const std::vector<Case> cases = {
      {userns_config(R"("uidMappings": [{"containerID": 0, "hostID": 1, "size": 0}])"),
       "linux.uidMappings[0].size: must be greater than 0"},
      {userns_config(R"("gidMappings": [{"containerID": 0, "hostID": 1, "size": 10},
                                         {"containerID": 5, "hostID": 100, "size": 10}])"),
       "linux.gidMappings[1]: container ids 5-14 overlap linux.gidMappings[0]"},
      {userns_config(R"("uidMappings": [{"containerID": 0, "hostID": 1000, "size": 10},
                                         {"containerID": 10, "hostID": 1009, "size": 1}])"),
       "linux.uidMappings[1]: host ids 1009-1009 overlap linux.uidMappings[0]"},
      {userns_config(R"("uidMappings": [{"containerID": 4294967295, "hostID": 1, "size": 1}])"),
       "linux.uidMappings[0]: containerID + size exceeds 4294967295"},
      {userns_config(R"("uidMappings": [{"containerID": 0, "hostID": 4294967294, "size": 2}])"),
       "linux.uidMappings[0]: hostID + size exceeds 4294967295"},
      {userns_config(R"("uidMappings": [{"containerID": 0, "hostID": 1, "size": 4294967296}])"),
       "linux.uidMappings[0].size: expected uint32"},
      {userns_config(R"("uidMappings": [{"containerID": 1, "hostID": 1000, "size": 10}])"),
       "linux.uidMappings: must map container uid 0"},
      {userns_config(R"("gidMappings": [{"containerID": 1, "hostID": 1000, "size": 10}])"),
       "linux.gidMappings: must map container gid 0"},
      {userns_config(kNoMaps, "", R"("user": {"uid": 70000, "gid": 0})"),
       "process.user.uid: `70000` is not mapped by linux.uidMappings"},
      {userns_config(kNoMaps, "", R"("user": {"uid": 0, "gid": 65536})"),
       "process.user.gid: `65536` is not mapped by linux.gidMappings"},
      {userns_config(kNoMaps, "", R"("user": {"additionalGids": [5, 100000]})"),
       "process.user.additionalGids[1]: `100000` is not mapped by linux.gidMappings"},
      {userns_config(kNoMaps, R"("mounts": [{"destination": "/a", "type": "bind", "source": "/s",
          "uidMappings": [{"containerID": 0, "hostID": 1, "size": 2},
                          {"containerID": 1, "hostID": 5, "size": 1}],
          "gidMappings": [{"containerID": 0, "hostID": 1, "size": 1}]}])"),
       "mounts[0].uidMappings[1]: container ids 1-1 overlap mounts[0].uidMappings[0]"},
      {userns_config(kNoMaps, R"("mounts": [{"destination": "/a", "type": "tmpfs",
                                             "options": ["idmap"]}])"),
       "mounts[0]: id-mapped mounts must be bind mounts"},
      {userns_config(kNoMaps, R"("annotations": {"io.nook.rootfs.idmap": "yes"})"),
       "annotations.io.nook.rootfs.idmap: unknown value `yes` (want idmap or ridmap)"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.json);
    EXPECT_TRUE(fails_with(c.json, c.expected));
  }
}

TEST(SpecUserNamespace, TooManyRangesAreRefused) {
  std::string maps = R"("uidMappings": [)";
  for (int i = 0; i < 341; ++i)
    maps += (i ? "," : "") + std::string(R"({"containerID": )") + std::to_string(i) +
            R"(, "hostID": )" + std::to_string(100000 + i) + R"(, "size": 1})";
  maps += "]";
  EXPECT_TRUE(fails_with(userns_config(maps), "linux.uidMappings: at most 340 ranges"));
}

// A config without a user namespace, with `mounts` and annotations spliced in.
std::string host_config(std::string_view top) {
  return config_with(top, "", R"("namespaces": [{"type": "mount"}])");
}

TEST(SpecUserNamespace, IdmapWithoutMappingsNeedsAUserNamespace) {
  EXPECT_TRUE(fails_with(
      host_config(
          R"("mounts": [{"destination": "/a", "source": "/s", "options": ["rbind", "ridmap"]}])"),
      "mounts[0]: `ridmap` without uidMappings and gidMappings needs a user namespace"));
  EXPECT_TRUE(fails_with(host_config(R"("annotations": {"io.nook.rootfs.idmap": "idmap"})"),
                         "annotations.io.nook.rootfs.idmap: requires a user namespace"));
  // With mappings of its own a mount can be id-mapped in the host's user namespace.
  auto c = parse_config(host_config(R"("mounts": [{"destination": "/a", "type": "bind",
      "source": "/s", "uidMappings": [{"containerID": 0, "hostID": 1000, "size": 1}],
      "gidMappings": [{"containerID": 0, "hostID": 1000, "size": 1}]}])"));
  EXPECT_TRUE(c.ok()) << c.error().text();
}

TEST(SpecUserNamespace, IdmapOptionsAndRootfsAnnotationAreRecorded) {
  auto c = parse_config(userns_config(kNoMaps, R"("mounts": [
      {"destination": "/a", "source": "/s", "options": ["bind", "idmap"]},
      {"destination": "/b", "source": "/s", "options": ["rbind", "ridmap"]}],
      "annotations": {"io.nook.rootfs.idmap": "ridmap"})"));
  ASSERT_TRUE(c.ok()) << c.error().text();
  EXPECT_TRUE(c->mounts[0].idmap);
  EXPECT_FALSE(c->mounts[0].recursive_idmap);
  EXPECT_TRUE(c->mounts[1].recursive_idmap);
  EXPECT_TRUE(c->root.idmap);
  EXPECT_TRUE(c->root.recursive_idmap);
}

TEST(SpecUserNamespace, JoinedUserNamespaceTakesMappingsWithoutChecks) {
  // containerd sends the sandbox's mappings along with the path; they are not written.
  auto c = parse_config(R"({"ociVersion": "1.2.0", "root": {"path": "rootfs"},
      "process": {"args": ["sh"], "cwd": "/", "user": {"uid": 5000}},
      "linux": {"namespaces": [{"type": "user", "path": "/proc/1/ns/user"}],
                "uidMappings": [{"containerID": 1, "hostID": 1000, "size": 1}],
                "gidMappings": [{"containerID": 1, "hostID": 1000, "size": 1}]}})");
  EXPECT_TRUE(c.ok()) << c.error().text();
}

TEST(SpecConfig, RelativeMountDestinationIsMadeAbsolute) {
  Config c = parse_ok(config_with(R"("mounts": [{"destination": "run/x", "type": "tmpfs"}])"));
  EXPECT_EQ(c.mounts[0].destination, "/run/x");
}

TEST(SpecConfig, UnknownCapabilitiesAreKeptAsideNotFatal) {
  Config c = parse_ok(config_with(
      "",
      R"("capabilities": {"bounding": ["CAP_FUTURE", "CAP_KILL"], "effective": ["CAP_FUTURE"]})"));
  EXPECT_EQ(c.process->capabilities->bounding, (std::vector<int>{5}));
  EXPECT_EQ(c.process->capabilities->unknown, (std::vector<std::string>{"CAP_FUTURE"}));
}

TEST(SpecConfig, ParseProcessValidatesLikeAConfig) {
  auto p = parse_process(R"({"args": ["ls"], "cwd": "/tmp", "env": ["A=b"], "terminal": true,
                             "consoleSize": {"height": 3, "width": 4}})");
  ASSERT_TRUE(p.ok()) << p.error().text();
  EXPECT_EQ(p->args, std::vector<std::string>{"ls"});
  EXPECT_EQ(p->console_size->width, 4u);
  auto bad = parse_process(R"({"args": ["ls"], "cwd": "tmp"})");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message, "process.cwd: must be an absolute path");
  auto not_object = parse_process("[1]");
  ASSERT_FALSE(not_object.ok());
  EXPECT_EQ(not_object.error().message, "process: expected object, got array");
}

class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/nook-spec-test.XXXXXX";
    path_ = mkdtemp(tmpl);
  }
  ~TempDir() {
    ::unlink((path_ + "/config.json").c_str());
    ::rmdir(path_.c_str());
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

TEST(SpecConfig, LoadConfigReadsTheBundle) {
  TempDir dir;
  std::ofstream(dir.path() + "/config.json") << config_with(R"("hostname": "box")");
  auto c = load_config(dir.path());
  ASSERT_TRUE(c.ok()) << c.error().text();
  EXPECT_EQ(c->hostname, "box");
}

TEST(SpecConfig, LoadConfigErrorNamesTheFile) {
  TempDir dir;
  auto missing = load_config(dir.path());
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().err, ENOENT);
  EXPECT_EQ(missing.error().message, "open `" + dir.path() + "/config.json`");

  std::ofstream(dir.path() + "/config.json") << config_with("", R"("args": [])");
  auto invalid = load_config(dir.path());
  ASSERT_FALSE(invalid.ok());
  EXPECT_NE(invalid.error().message.find(dir.path() + "/config.json"), std::string::npos);
  EXPECT_NE(invalid.error().message.find("process.args: must not be empty"), std::string::npos);
}

TEST(SpecNamespaces, NamesFlagsAndProcNamesAgree) {
  struct Want {
    NamespaceType type;
    const char* name;
    const char* proc;
    int flag;
  };
  const Want all[] = {
      {NamespaceType::Pid, "pid", "pid", CLONE_NEWPID},
      {NamespaceType::Network, "network", "net", CLONE_NEWNET},
      {NamespaceType::Mount, "mount", "mnt", CLONE_NEWNS},
      {NamespaceType::Ipc, "ipc", "ipc", CLONE_NEWIPC},
      {NamespaceType::Uts, "uts", "uts", CLONE_NEWUTS},
      {NamespaceType::User, "user", "user", CLONE_NEWUSER},
      {NamespaceType::Cgroup, "cgroup", "cgroup", CLONE_NEWCGROUP},
      {NamespaceType::Time, "time", "time", CLONE_NEWTIME},
  };
  for (const auto& w : all) {
    EXPECT_STREQ(namespace_type_name(w.type), w.name);
    EXPECT_STREQ(namespace_proc_name(w.type), w.proc);
    EXPECT_EQ(namespace_clone_flag(w.type), w.flag);
    EXPECT_EQ(namespace_type_from_name(w.name), w.type);
  }
  EXPECT_FALSE(namespace_type_from_name("net").has_value());  // the spec says "network"
}

Mount classify(std::vector<std::string> options, std::string type = "") {
  Mount m;
  m.type = std::move(type);
  m.options = std::move(options);
  EXPECT_TRUE(classify_mount_options(m).ok());
  return m;
}

TEST(SpecMountOptions, FlagsSetAndClearInOrder) {
  Mount m = classify({"ro", "nosuid", "nodev", "noexec", "sync", "dirsync", "mand", "noatime",
                      "nodiratime", "relatime", "strictatime", "silent", "iversion", "lazytime",
                      "remount", "nosymfollow", "acl"});
  EXPECT_EQ(m.flags, static_cast<unsigned long>(
                         MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_SYNCHRONOUS |
                         MS_DIRSYNC | MS_MANDLOCK | MS_NOATIME | MS_NODIRATIME | MS_RELATIME |
                         MS_STRICTATIME | MS_SILENT | MS_I_VERSION | MS_LAZYTIME | MS_REMOUNT |
                         MS_NOSYMFOLLOW | MS_POSIXACL));
  EXPECT_EQ(m.clear_flags, 0u);
  EXPECT_TRUE(m.data.empty());

  Mount c = classify({"ro", "rw", "suid", "dev", "exec", "async", "nomand", "atime", "diratime",
                      "norelatime", "nostrictatime", "loud", "noiversion", "nolazytime",
                      "symfollow", "noacl"});
  EXPECT_EQ(c.flags, 0u);
  EXPECT_EQ(c.clear_flags,
            static_cast<unsigned long>(MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC |
                                       MS_SYNCHRONOUS | MS_MANDLOCK | MS_NOATIME | MS_NODIRATIME |
                                       MS_RELATIME | MS_STRICTATIME | MS_SILENT | MS_I_VERSION |
                                       MS_LAZYTIME | MS_NOSYMFOLLOW | MS_POSIXACL));
  // The later option wins: "rw" then "ro" is read-only.
  Mount last = classify({"rw", "ro"});
  EXPECT_EQ(last.flags, static_cast<unsigned long>(MS_RDONLY));
  EXPECT_EQ(last.clear_flags, 0u);
}

TEST(SpecMountOptions, BindAndPropagation) {
  EXPECT_EQ(classify({"bind"}).flags, static_cast<unsigned long>(MS_BIND));
  EXPECT_EQ(classify({"rbind"}).flags, static_cast<unsigned long>(MS_BIND | MS_REC));
  EXPECT_TRUE(classify({}, "bind").is_bind());
  EXPECT_FALSE(classify({}, "tmpfs").is_bind());
  EXPECT_EQ(classify({"shared"}).propagation, static_cast<unsigned long>(MS_SHARED));
  EXPECT_EQ(classify({"rslave"}).propagation, static_cast<unsigned long>(MS_SLAVE | MS_REC));
  EXPECT_EQ(classify({"private", "runbindable"}).propagation,
            static_cast<unsigned long>(MS_UNBINDABLE | MS_REC));
  EXPECT_EQ(classify({"rprivate"}).flags, 0u);  // propagation is not a mount flag
}

TEST(SpecMountOptions, RecursiveOptionsBecomeMountAttrs) {
  Mount m = classify({"rro", "rnosuid", "rnodev", "rnoexec", "rnodiratime", "rnosymfollow"});
  EXPECT_EQ(m.attr_set, static_cast<uint64_t>(MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID |
                                              MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC |
                                              MOUNT_ATTR_NODIRATIME | MOUNT_ATTR_NOSYMFOLLOW));
  EXPECT_EQ(m.attr_clr, 0u);
  EXPECT_EQ(m.flags, 0u);

  Mount c = classify({"rro", "rrw", "rsuid", "rdev", "rexec", "rdiratime", "rsymfollow"});
  EXPECT_EQ(c.attr_set, 0u);
  EXPECT_EQ(c.attr_clr, static_cast<uint64_t>(MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID |
                                              MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC |
                                              MOUNT_ATTR_NODIRATIME | MOUNT_ATTR_NOSYMFOLLOW));
  // An atime mode is set together with clearing the whole atime field (mount_setattr(2)).
  Mount atime = classify({"rnoatime"});
  EXPECT_EQ(atime.attr_set, static_cast<uint64_t>(MOUNT_ATTR_NOATIME));
  EXPECT_EQ(atime.attr_clr, static_cast<uint64_t>(MOUNT_ATTR__ATIME));
  Mount strict = classify({"rstrictatime"});
  EXPECT_EQ(strict.attr_set, static_cast<uint64_t>(MOUNT_ATTR_STRICTATIME));
  EXPECT_EQ(strict.attr_clr, static_cast<uint64_t>(MOUNT_ATTR__ATIME));
  EXPECT_EQ(classify({"rrelatime"}).attr_clr, static_cast<uint64_t>(MOUNT_ATTR__ATIME));
  // The "no" forms give the kernel's default mode, relatime: clearing one bit of the field
  // alone would be EINVAL.
  for (const char* no : {"ratime", "rnostrictatime", "rnorelatime"}) {
    Mount n = classify({"rnoatime", no});
    EXPECT_EQ(n.attr_set, static_cast<uint64_t>(MOUNT_ATTR_RELATIME)) << no;
    EXPECT_EQ(n.attr_clr, static_cast<uint64_t>(MOUNT_ATTR__ATIME)) << no;
  }
  // Modes are an enum: a later one replaces an earlier one instead of or-ing into it.
  Mount later = classify({"rnoatime", "rstrictatime"});
  EXPECT_EQ(later.attr_set, static_cast<uint64_t>(MOUNT_ATTR_STRICTATIME));
  EXPECT_EQ(classify({"rnodiratime", "rnoatime"}).attr_set,
            static_cast<uint64_t>(MOUNT_ATTR_NODIRATIME | MOUNT_ATTR_NOATIME));
}

TEST(SpecMountOptions, EveryRecursiveOptionIsKnown) {
  auto known = known_mount_options();
  for (const char* o : {"rro", "rrw", "rnosuid", "rsuid", "rnodev", "rdev", "rnoexec", "rexec",
                        "rnoatime", "ratime", "rrelatime", "rnorelatime", "rstrictatime",
                        "rnostrictatime", "rnodiratime", "rdiratime", "rnosymfollow",
                        "rsymfollow", "symfollow", "nosymfollow", "tmpcopyup"}) {
    EXPECT_TRUE(std::find(known.begin(), known.end(), o) != known.end()) << o;
    EXPECT_TRUE(classify({o}).data.empty()) << o << " went to the filesystem";
  }
}

linux::MountAttrs bind_attrs(std::vector<std::string> options) {
  return bind_mount_attrs(classify(std::move(options), "bind"));
}

constexpr uint64_t kPerMountAttrs = MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV |
                                    MOUNT_ATTR_NOEXEC | MOUNT_ATTR_NOSYMFOLLOW;

TEST(SpecBindAttrs, ABareBindKeepsTheSourceFlags) {
  for (auto options : {std::vector<std::string>{"bind"}, {"rbind"}, {"rbind", "rprivate"}}) {
    auto a = bind_attrs(options);
    EXPECT_EQ(a.top_set, 0u);
    EXPECT_EQ(a.top_clr, 0u);
  }
}

TEST(SpecBindAttrs, OptionsGiveExactlyTheFlagsAsked) {
  // runc 1.2+: `mount --bind -o ro` clears what the source had and was not asked for.
  auto ro = bind_attrs({"bind", "ro"});
  EXPECT_EQ(ro.top_set, static_cast<uint64_t>(MOUNT_ATTR_RDONLY));
  EXPECT_EQ(ro.top_clr, kPerMountAttrs & ~static_cast<uint64_t>(MOUNT_ATTR_RDONLY));
  EXPECT_EQ(ro.top_clr_implied, ro.top_clr);
  // Named clears are not implied: in a user namespace those must fail if locked.
  auto suid = bind_attrs({"bind", "suid", "nodev"});
  EXPECT_EQ(suid.top_set, static_cast<uint64_t>(MOUNT_ATTR_NODEV));
  EXPECT_TRUE(suid.top_clr & MOUNT_ATTR_NOSUID);
  EXPECT_FALSE(suid.top_clr_implied & MOUNT_ATTR_NOSUID);
  EXPECT_TRUE(suid.top_clr_implied & MOUNT_ATTR_RDONLY);
  // Any option counts, even one a bind ignores (runc's tests use "sync").
  EXPECT_EQ(bind_attrs({"bind", "sync"}).top_clr, kPerMountAttrs);
  // "remount" adds to the source's flags instead.
  auto remount = bind_attrs({"bind", "remount", "ro", "exec"});
  EXPECT_EQ(remount.top_set, static_cast<uint64_t>(MOUNT_ATTR_RDONLY));
  EXPECT_EQ(remount.top_clr, static_cast<uint64_t>(MOUNT_ATTR_NOEXEC));
  EXPECT_EQ(remount.top_clr_implied, 0u);
}

TEST(SpecBindAttrs, AtimeChangesOnlyWhenAModeIsAsked) {
  auto none = bind_attrs({"bind", "nosuid", "atime", "norelatime", "nostrictatime", "diratime"});
  EXPECT_EQ(none.top_set & (MOUNT_ATTR__ATIME | MOUNT_ATTR_NODIRATIME), 0u);
  EXPECT_EQ(none.top_clr & (MOUNT_ATTR__ATIME | MOUNT_ATTR_NODIRATIME), 0u);
  auto rel = bind_attrs({"bind", "relatime"});
  EXPECT_EQ(rel.top_set & MOUNT_ATTR__ATIME, static_cast<uint64_t>(MOUNT_ATTR_RELATIME));
  EXPECT_EQ(rel.top_clr & (MOUNT_ATTR__ATIME | MOUNT_ATTR_NODIRATIME),
            static_cast<uint64_t>(MOUNT_ATTR__ATIME | MOUNT_ATTR_NODIRATIME));
  // As mount(2): strictatime over noatime; nodiratime only when asked, relatime by default.
  EXPECT_EQ(bind_attrs({"bind", "noatime", "strictatime"}).top_set & MOUNT_ATTR__ATIME,
            static_cast<uint64_t>(MOUNT_ATTR_STRICTATIME));
  EXPECT_EQ(bind_attrs({"bind", "noatime"}).top_set & MOUNT_ATTR__ATIME,
            static_cast<uint64_t>(MOUNT_ATTR_NOATIME));
  auto dir = bind_attrs({"bind", "nodiratime"});
  EXPECT_EQ(dir.top_set & (MOUNT_ATTR__ATIME | MOUNT_ATTR_NODIRATIME),
            static_cast<uint64_t>(MOUNT_ATTR_NODIRATIME | MOUNT_ATTR_RELATIME));
  EXPECT_FALSE(dir.top_clr & MOUNT_ATTR_NODIRATIME);
}

TEST(SpecBindAttrs, RecursiveOptionsPassThrough) {
  auto a = bind_attrs({"rbind", "rro", "rnoatime"});
  EXPECT_EQ(a.all_set, static_cast<uint64_t>(MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOATIME));
  EXPECT_EQ(a.all_clr, static_cast<uint64_t>(MOUNT_ATTR__ATIME));
  EXPECT_EQ(a.top_clr, 0u);  // the recursive ones alone do not touch the top's own flags
}

TEST(SpecMountOptions, ExtensionsAndDataStayApart) {
  Mount m = classify({"mode=755", "tmpcopyup", "size=1m", "idmap", "defaults", "uid=5"});
  EXPECT_EQ(m.data, "mode=755,size=1m,uid=5");
  EXPECT_TRUE(m.tmpcopyup);
  EXPECT_TRUE(m.idmap);
  EXPECT_FALSE(m.recursive_idmap);
  Mount r = classify({"ridmap"});
  EXPECT_TRUE(r.idmap);
  EXPECT_TRUE(r.recursive_idmap);
  EXPECT_TRUE(r.data.empty());
}

TEST(SpecMountOptions, PropagationFromName) {
  EXPECT_EQ(*propagation_from_name(""), 0u);
  EXPECT_EQ(*propagation_from_name("shared"), static_cast<unsigned long>(MS_SHARED));
  EXPECT_EQ(*propagation_from_name("rslave"), static_cast<unsigned long>(MS_SLAVE | MS_REC));
  EXPECT_EQ(*propagation_from_name("unbindable"), static_cast<unsigned long>(MS_UNBINDABLE));
  EXPECT_EQ(*propagation_from_name("rprivate"), static_cast<unsigned long>(MS_PRIVATE | MS_REC));
  EXPECT_FALSE(propagation_from_name("ro").ok());
  EXPECT_FALSE(propagation_from_name("bogus").ok());
}

TEST(SpecId, AcceptsRuncAlphabet) {
  for (const std::string& id :
       std::vector<std::string>{"a", "abc-DEF_1.2+3", "a,b", "..a", "-", std::string(1024, 'x')})
    EXPECT_TRUE(validate_id(id).ok()) << id;
}

TEST(SpecId, RejectsEscapesAndOddCharacters) {
  EXPECT_EQ(validate_id("").error().message, "container id cannot be empty");
  for (const std::string& id : std::vector<std::string>{".", "..", "a/b", "../x", "a b", "a\nb",
                                                        "ä", "a:b", std::string(1025, 'x')}) {
    auto s = validate_id(id);
    ASSERT_FALSE(s.ok()) << id;
    EXPECT_NE(s.error().message.find("invalid container ID format"), std::string::npos);
  }
  EXPECT_EQ(validate_id("a/b").error().message.rfind("invalid container ID format: `a/b`", 0), 0u);
}

TEST(SpecCapabilities, TableMatchesTheKernel) {
  EXPECT_EQ(capability_from_name("CAP_CHOWN"), 0);
  EXPECT_EQ(capability_from_name("CAP_KILL"), 5);
  EXPECT_EQ(capability_from_name("CAP_SYS_ADMIN"), 21);
  EXPECT_EQ(capability_from_name("CAP_AUDIT_READ"), 37);
  EXPECT_EQ(capability_from_name("CAP_CHECKPOINT_RESTORE"), 40);
  EXPECT_EQ(last_known_capability(), 40);
  EXPECT_FALSE(capability_from_name("cap_chown").has_value());
  EXPECT_FALSE(capability_from_name("CHOWN").has_value());
  EXPECT_EQ(capability_name(41), nullptr);
  EXPECT_EQ(capability_name(-1), nullptr);
  for (int cap = 0; cap <= last_known_capability(); ++cap) {
    ASSERT_NE(capability_name(cap), nullptr);
    EXPECT_EQ(capability_from_name(capability_name(cap)), cap);
  }
}

TEST(SpecRlimits, AllSixteenRoundTrip) {
  EXPECT_EQ(rlimit_from_name("RLIMIT_NOFILE"), RLIMIT_NOFILE);
  EXPECT_EQ(rlimit_from_name("RLIMIT_RTTIME"), RLIMIT_RTTIME);
  EXPECT_FALSE(rlimit_from_name("RLIMIT_FOO").has_value());
  EXPECT_FALSE(rlimit_from_name("nofile").has_value());
  for (int r = 0; r < RLIMIT_NLIMITS; ++r) {
    ASSERT_NE(rlimit_name(r), nullptr) << r;
    EXPECT_EQ(rlimit_from_name(rlimit_name(r)), r);
  }
  EXPECT_EQ(rlimit_name(RLIMIT_NLIMITS), nullptr);
}

// runc prints its own spec version; nook prints the runtime-spec version it implements.
std::string with_nook_version(std::string runc_output) {
  const std::string from = "\"ociVersion\": \"1.0.2-dev\"";
  auto pos = runc_output.find(from);
  EXPECT_NE(pos, std::string::npos);
  if (pos != std::string::npos) runc_output.replace(pos, from.size(), "\"ociVersion\": \"1.3.0\"");
  return runc_output;
}

TEST(SpecDefault, ByteIdenticalToRuncSpec) {
  EXPECT_EQ(default_spec_json(false), with_nook_version(read_fixture("runc-spec.json")));
}

TEST(SpecDefault, RootlessByteIdenticalToRuncSpecRootless) {
  // The fixture was made as root, so its mappings name host id 0.
  EXPECT_EQ(default_spec_json(true, 0, 0),
            with_nook_version(read_fixture("runc-spec-rootless.json")));
}

TEST(SpecDefault, RootlessMapsTheCallersIds) {
  Config c = parse_ok(default_spec_json(true, 1000, 1001));
  EXPECT_EQ(c.linux.uid_mappings[0].host_id, 1000u);
  EXPECT_EQ(c.linux.gid_mappings[0].host_id, 1001u);
  EXPECT_FALSE(c.linux.has_namespace(NamespaceType::Network));
  EXPECT_EQ(c.linux.namespaces.back().type, NamespaceType::User);
}

TEST(SpecDefault, OutputIsAValidConfig) {
  Config c = parse_ok(default_spec_json(false));
  EXPECT_EQ(c.oci_version, "1.3.0");
}

TEST(SpecFeatures, ListsWhatTheParserAccepts) {
  std::string text = features_json();
  ASSERT_FALSE(text.empty());
  EXPECT_EQ(text.back(), '\n');
  auto doc = json::Document::parse(text);
  ASSERT_TRUE(doc.ok()) << doc.error().text();
  json::Value root = doc->root();
  EXPECT_EQ(root.get("ociVersionMin").string(), "1.0.0");
  EXPECT_EQ(root.get("ociVersionMax").string(), "1.3.0");
  EXPECT_EQ(root.get("hooks").size(), 6u);

  json::Value linux_features = root.get("linux");
  std::set<std::string> namespaces;
  for (size_t i = 0; i < linux_features.get("namespaces").size(); ++i)
    namespaces.emplace(linux_features.get("namespaces").at(i).string());
  EXPECT_EQ(namespaces, (std::set<std::string>{"cgroup", "ipc", "mount", "network", "pid", "time",
                                               "user", "uts"}));
  EXPECT_EQ(linux_features.get("namespaces").size(), 8u);
  EXPECT_EQ(linux_features.get("capabilities").size(), 41u);
  EXPECT_TRUE(linux_features.get("cgroup").get("v2").boolean());
  EXPECT_FALSE(linux_features.get("cgroup").get("systemd").boolean());
  EXPECT_TRUE(linux_features.get("seccomp").get("enabled").is_bool());
  EXPECT_TRUE(linux_features.get("seccomp").get("enabled").boolean());
  // Every runtime-spec action, SCMP_ACT_NOTIFY (the listener hand-off) included.
  auto actions = linux_features.get("seccomp").get("actions");
  bool notify = false;
  for (size_t i = 0; i < actions.size(); ++i) notify |= actions.at(i).string() == "SCMP_ACT_NOTIFY";
  EXPECT_TRUE(notify);
  EXPECT_EQ(actions.size(), 9u);
  EXPECT_EQ(linux_features.get("seccomp").get("operators").size(), 7u);
  EXPECT_TRUE(linux_features.get("mountExtensions").get("idmap").get("enabled").boolean());
  EXPECT_TRUE(linux_features.get("netDevices").get("enabled").boolean());
  // Every memory policy mode and flag the validator accepts, sorted as runc lists them.
  auto modes = linux_features.get("memoryPolicy").get("modes");
  ASSERT_EQ(modes.size(), memory_policy_modes().size());
  for (size_t i = 0; i < modes.size(); ++i) {
    EXPECT_TRUE(value_of(memory_policy_modes(), modes.at(i).string())) << modes.at(i).string();
    if (i > 0) {
      EXPECT_LT(modes.at(i - 1).string(), modes.at(i).string());
    }
  }
  EXPECT_EQ(linux_features.get("memoryPolicy").get("flags").size(), memory_policy_flags().size());
  for (auto key : {"enabled", "schemata", "monitoring"})
    EXPECT_TRUE(linux_features.get("intelRdt").get(key).boolean()) << key;
  EXPECT_FALSE(root.get("annotations").get("io.github.seccomp.libseccomp.version").string().empty());

  std::set<std::string> options;
  for (size_t i = 0; i < root.get("mountOptions").size(); ++i)
    options.emplace(root.get("mountOptions").at(i).string());
  for (const char* o :
       {"ro", "rbind", "rro", "rnosymfollow", "tmpcopyup", "runbindable", "idmap", "ridmap"})
    EXPECT_TRUE(options.count(o)) << o;
  // Indented with four spaces, as runc's features.
  EXPECT_EQ(text.rfind("{\n    \"ociVersionMin\": \"1.0.0\",\n", 0), 0u);
}

}  // namespace
}  // namespace nook::spec
