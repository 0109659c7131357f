// Tests of src/spec/agent_profile: what the agent profile writes into a config, that the
// bundle's stricter settings win, that it is idempotent, and that load_config() applies it for
// the io.nook.profile annotation.
#include "nook/spec/agent_profile.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <string>

#include "nook/json/json.h"
#include "nook/seccomp/agent.h"
#include "nook/spec/config.h"
#include "nook/spec/default_spec.h"

namespace nook::spec {
namespace {

constexpr const char* kMinimal = R"({"ociVersion": "1.2.0", "root": {"path": "rootfs"},
  "process": {"args": ["sh"], "cwd": "/"}})";

std::string harden(std::string_view text, AgentSeccomp mode = AgentSeccomp::Stack) {
  auto out = apply_agent_profile(text, mode);
  EXPECT_TRUE(out.ok()) << (out.ok() ? "" : out.error().text());
  return out.ok() ? *out : "";
}

Config parse(std::string_view text) {
  auto c = parse_config(text);
  EXPECT_TRUE(c.ok()) << (c.ok() ? "" : c.error().text()) << "\n" << text;
  return c.ok() ? std::move(c).value() : Config{};
}

// `kMinimal` with `linux` set to the given members.
std::string with_linux(const std::string& members) {
  return R"({"ociVersion": "1.2.0", "root": {"path": "rootfs"},
    "process": {"args": ["sh"], "cwd": "/"}, "linux": {)" +
         members + "}}";
}

int64_t limit_of(const Config& c, const char* section) {
  auto doc = json::Document::parse(c.linux.resources_json);
  EXPECT_TRUE(doc.ok());
  return json::to_int64(doc->root().get(section).get("limit")).value_or(-2);
}

bool has(const std::vector<std::string>& v, std::string_view s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

TEST(AgentProfile, HardensNooksDefaultSpec) {
  Config c = parse(harden(default_spec_json(false), AgentSeccomp::Embed));
  // A user namespace of its own, container 0..65535 → host 100000..165535.
  EXPECT_TRUE(c.linux.has_namespace(NamespaceType::User));
  ASSERT_EQ(c.linux.uid_mappings.size(), 1u);
  EXPECT_EQ(c.linux.uid_mappings[0].container_id, 0u);
  EXPECT_EQ(c.linux.uid_mappings[0].host_id, kAgentHostIdBase);
  EXPECT_EQ(c.linux.uid_mappings[0].size, kAgentIdCount);
  ASSERT_EQ(c.linux.gid_mappings.size(), 1u);
  EXPECT_EQ(c.linux.gid_mappings[0].host_id, kAgentHostIdBase);
  for (auto t : {NamespaceType::Pid, NamespaceType::Network, NamespaceType::Ipc, NamespaceType::Uts,
                 NamespaceType::Mount, NamespaceType::Cgroup})
    EXPECT_TRUE(c.linux.has_namespace(t)) << namespace_type_name(t);
  // The agent's capabilities only, no new privileges, a read-only root and a writable /tmp.
  ASSERT_TRUE(c.process && c.process->capabilities);
  EXPECT_EQ(c.process->capabilities->bounding.size(), agent_capabilities().size());
  EXPECT_TRUE(c.process->no_new_privileges);
  EXPECT_TRUE(c.root.readonly);
  auto tmp = std::find_if(c.mounts.begin(), c.mounts.end(),
                          [](const Mount& m) { return m.destination == "/tmp"; });
  ASSERT_NE(tmp, c.mounts.end());
  EXPECT_EQ(tmp->type, "tmpfs");
  EXPECT_TRUE(has(c.linux.masked_paths, "/proc/kcore"));
  EXPECT_TRUE(has(c.linux.masked_paths, "/sys/firmware"));
  EXPECT_TRUE(has(c.linux.readonly_paths, "/proc/sys"));
  EXPECT_EQ(limit_of(c, "memory"), kAgentMemoryLimit);
  EXPECT_EQ(limit_of(c, "pids"), kAgentPidsLimit);
  // spec --agent writes agent.json as the filter.
  auto written = json::Document::parse(c.linux.seccomp_json);
  auto shipped = json::Document::parse(seccomp::agent_profile_json());
  ASSERT_TRUE(written.ok() && shipped.ok());
  EXPECT_EQ(json::to_string(written->root()), json::to_string(shipped->root()));
}

TEST(AgentProfile, CapabilitiesAreIntersectedAndAbsentOnesBecomeTheAgents) {
  Config c = parse(harden(R"({"ociVersion": "1.2.0", "root": {"path": "rootfs"},
    "process": {"args": ["sh"], "cwd": "/", "capabilities": {
      "bounding": ["CAP_SYS_ADMIN", "CAP_KILL", "CAP_CHOWN"], "effective": ["CAP_SYS_ADMIN"],
      "ambient": ["CAP_NET_BIND_SERVICE", "CAP_NET_RAW"]}}})"));
  const auto& caps = *c.process->capabilities;
  EXPECT_EQ(caps.bounding, (std::vector<int>{5}));  // CAP_KILL
  EXPECT_TRUE(caps.effective.empty());
  EXPECT_TRUE(caps.permitted.empty());              // absent stays absent: empty
  EXPECT_EQ(caps.ambient, (std::vector<int>{10}));  // CAP_NET_BIND_SERVICE

  // No capabilities object: runc would keep every capability.
  Config none = parse(harden(kMinimal));
  ASSERT_TRUE(none.process->capabilities);
  EXPECT_EQ(none.process->capabilities->bounding, (std::vector<int>{5, 10}));
  EXPECT_EQ(none.process->capabilities->permitted, (std::vector<int>{5, 10}));
  EXPECT_TRUE(none.process->capabilities->ambient.empty());
}

TEST(AgentProfile, LowerLimitsOfTheBundleWinAndNoLimitGetsTheAgents) {
  Config lower = parse(harden(with_linux(
      R"("resources": {"memory": {"limit": 536870912, "reservation": 1}, "pids": {"limit": 64},
         "cpu": {"shares": 512}})")));
  EXPECT_EQ(limit_of(lower, "memory"), 536870912);
  EXPECT_EQ(limit_of(lower, "pids"), 64);
  auto doc = json::Document::parse(lower.linux.resources_json);
  EXPECT_EQ(json::to_int64(doc->root().get("cpu").get("shares")), 512);  // the rest is kept
  EXPECT_EQ(json::to_int64(doc->root().get("memory").get("reservation")), 1);

  Config higher = parse(harden(
      with_linux(R"("resources": {"memory": {"limit": 17179869184}, "pids": {"limit": -1}})")));
  EXPECT_EQ(limit_of(higher, "memory"), kAgentMemoryLimit);
  EXPECT_EQ(limit_of(higher, "pids"), kAgentPidsLimit);
}

TEST(AgentProfile, TheBundlesUserNamespaceIsKeptUnlessItMapsHostRoot) {
  Config own = parse(harden(with_linux(
      R"("namespaces": [{"type": "user"}], "uidMappings": [{"containerID": 0, "hostID": 200000, "size": 1000}],
         "gidMappings": [{"containerID": 0, "hostID": 200000, "size": 1000}])")));
  ASSERT_EQ(own.linux.uid_mappings.size(), 1u);
  EXPECT_EQ(own.linux.uid_mappings[0].host_id, 200000u);
  EXPECT_EQ(own.linux.uid_mappings[0].size, 1000u);

  auto root = apply_agent_profile(with_linux(R"("namespaces": [{"type": "user"}],
         "uidMappings": [{"containerID": 0, "hostID": 1000, "size": 1}, {"containerID": 1, "hostID": 0, "size": 1}],
         "gidMappings": [{"containerID": 0, "hostID": 1000, "size": 1}])"),
                                  AgentSeccomp::Stack);
  ASSERT_FALSE(root.ok());
  EXPECT_EQ(root.error().text(),
            "linux.uidMappings[1]: maps host id 0, which the agent profile (io.nook.profile) "
            "does not allow");

  // A joined user namespace (a pod's) brings its own mapping: none is added.
  Config joined =
      parse(harden(with_linux(R"("namespaces": [{"type": "user", "path": "/proc/1/ns/user"}])")));
  EXPECT_TRUE(joined.linux.uid_mappings.empty());
  EXPECT_EQ(joined.linux.find_namespace(NamespaceType::User)->path, "/proc/1/ns/user");
}

TEST(AgentProfile, JoinedNamespacesAreKeptAndMissingOnesAdded) {
  Config c = parse(harden(with_linux(
      R"("namespaces": [{"type": "user", "path": "/proc/7/ns/user"},
                        {"type": "network", "path": "/var/run/netns/pod"}, {"type": "mount"}])")));
  EXPECT_EQ(c.linux.find_namespace(NamespaceType::Network)->path, "/var/run/netns/pod");
  EXPECT_EQ(c.linux.namespaces.size(), 7u);
}

TEST(AgentProfile, JoiningWithoutTheOwningUserNamespaceIsRefused) {
  auto out = apply_agent_profile(
      with_linux(
          R"("namespaces": [{"type": "pid"}, {"type": "network", "path": "/var/run/netns/pod"}])"),
      AgentSeccomp::Stack);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().text(),
            "linux.namespaces[1].path: `/var/run/netns/pod` is joined, but the agent profile's new "
            "user namespace could not join it: join the owning user namespace too");
}

TEST(AgentProfile, TheBundlesTmpAndPathsAreKeptWithoutDuplicates) {
  Config c = parse(harden(R"({"ociVersion": "1.2.0", "root": {"path": "rootfs", "readonly": false},
    "process": {"args": ["sh"], "cwd": "/"},
    "mounts": [{"destination": "/tmp", "type": "bind", "source": "/srv/scratch", "options": ["rbind"]}],
    "linux": {"maskedPaths": ["/proc/kcore", "/secret"], "readonlyPaths": ["/etc"]}})"));
  EXPECT_TRUE(c.root.readonly);
  EXPECT_EQ(std::count_if(c.mounts.begin(), c.mounts.end(),
                          [](const Mount& m) { return m.destination == "/tmp"; }),
            1);
  EXPECT_EQ(c.mounts[0].source, "/srv/scratch");
  EXPECT_EQ(std::count(c.linux.masked_paths.begin(), c.linux.masked_paths.end(), "/proc/kcore"), 1);
  EXPECT_TRUE(has(c.linux.masked_paths, "/secret"));
  EXPECT_EQ(c.linux.readonly_paths.front(), "/etc");
  EXPECT_TRUE(has(c.linux.readonly_paths, "/proc/sysrq-trigger"));
}

TEST(AgentProfile, StackKeepsTheBundlesFilterAndEmbedWritesTheAgents) {
  std::string own = with_linux(R"("seccomp": {"defaultAction": "SCMP_ACT_LOG"})");
  EXPECT_EQ(parse(harden(own, AgentSeccomp::Stack)).linux.seccomp_json,
            R"({"defaultAction":"SCMP_ACT_LOG"})");
  EXPECT_TRUE(parse(harden(kMinimal, AgentSeccomp::Stack)).linux.seccomp_json.empty());
  EXPECT_NE(parse(harden(kMinimal, AgentSeccomp::Embed)).linux.seccomp_json.find("SCMP_ACT_ERRNO"),
            std::string::npos);
}

TEST(AgentProfile, IsIdempotent) {
  for (auto mode : {AgentSeccomp::Stack, AgentSeccomp::Embed}) {
    std::string once = harden(default_spec_json(false), mode);
    EXPECT_EQ(harden(once, mode), once);
  }
}

TEST(AgentProfile, OtherFieldsAreCopiedAsTheyAre) {
  Config c = parse(harden(R"({"ociVersion": "1.2.0", "root": {"path": "rootfs"}, "hostname": "h",
    "process": {"args": ["sh", "-c", "x"], "cwd": "/w", "env": ["A=1"], "user": {"uid": 1000, "gid": 1000}},
    "annotations": {"io.nook.profile": "agent", "k": "v"},
    "linux": {"sysctl": {"net.ipv4.ip_forward": "1"}, "cgroupsPath": "/a/b"}})"));
  EXPECT_EQ(c.hostname, "h");
  EXPECT_EQ(c.process->args, (std::vector<std::string>{"sh", "-c", "x"}));
  EXPECT_EQ(c.process->cwd, "/w");
  EXPECT_EQ(c.process->user.uid, 1000u);
  EXPECT_EQ(c.annotations.at("k"), "v");
  EXPECT_TRUE(c.agent_profile);
  EXPECT_EQ(c.linux.sysctl.at("net.ipv4.ip_forward"), "1");
  EXPECT_EQ(c.linux.cgroups_path, "/a/b");
}

TEST(AgentProfile, ProcessAloneForExec) {
  auto out = apply_agent_profile_to_process(
      R"({"args": ["sh"], "cwd": "/", "noNewPrivileges": false,
          "capabilities": {"bounding": ["CAP_SYS_ADMIN", "CAP_KILL"]}})");
  ASSERT_TRUE(out.ok());
  auto p = parse_process(*out);
  ASSERT_TRUE(p.ok()) << p.error().text();
  EXPECT_TRUE(p->no_new_privileges);
  EXPECT_EQ(p->capabilities->bounding, (std::vector<int>{5}));
}

TEST(AgentProfile, TheAnnotationMustNameAKnownProfile) {
  auto c = parse_config(R"({"ociVersion": "1.2.0", "root": {"path": "rootfs"},
    "annotations": {"io.nook.profile": "paranoid"}})");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().text(),
            "annotations.io.nook.profile: unknown profile `paranoid` (nook has `agent`)");
}

TEST(AgentProfile, LoadConfigAppliesItForTheAnnotation) {
  char tmpl[] = "/tmp/nook-agent-test.XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  std::string path = std::string(tmpl) + "/config.json";
  std::ofstream(path) << R"({"ociVersion": "1.2.0", "root": {"path": "rootfs"},
    "process": {"args": ["sh"], "cwd": "/"}, "annotations": {"io.nook.profile": "agent"}})";
  auto c = load_config(tmpl);
  ASSERT_TRUE(c.ok()) << c.error().text();
  EXPECT_TRUE(c->agent_profile);
  EXPECT_TRUE(c->root.readonly);
  EXPECT_TRUE(c->linux.has_namespace(NamespaceType::User));
  EXPECT_TRUE(c->process->no_new_privileges);
  // The bundle's own errors still name its own fields.
  std::ofstream(path) << R"({"ociVersion": "1.2.0", "root": {"path": "rootfs"},
    "process": {"args": [], "cwd": "/"}, "annotations": {"io.nook.profile": "agent"}})";
  auto bad = load_config(tmpl);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().text().find("process.args"), std::string::npos);
  unlink(path.c_str());
  rmdir(tmpl);
}

}  // namespace
}  // namespace nook::spec
