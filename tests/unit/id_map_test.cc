// Tests of user namespace mappings: the kernel's rules checked by the validator (sizes,
// overflow, overlaps, the process user mapped, id-mapped mounts and the rootfs annotation),
// the uid_map text and newuidmap arguments, and /etc/subuid parsing with newuidmap's rule.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "nook/spec/config.h"
#include "nook/spec/id_map.h"

namespace nook::spec {
namespace {

// A config with a new user namespace; `maps` are linux members (uidMappings, gidMappings, ...),
// `top` and `process` are spliced in first so that they win over the defaults.
std::string userns_config(std::string_view maps, std::string_view top = "",
                          std::string_view process = "") {
  std::string s = "{";
  if (!top.empty()) s += std::string(top) + ",";
  s += R"("ociVersion": "1.2.0", "root": {"path": "rootfs"}, "process": {)";
  if (!process.empty()) s += std::string(process) + ",";
  s += R"("args": ["sh"], "cwd": "/"}, "linux": {)";
  s += std::string(maps) + ",";
  s += R"("uidMappings": [{"containerID": 0, "hostID": 100000, "size": 65536}],
          "gidMappings": [{"containerID": 0, "hostID": 100000, "size": 65536}],
          "namespaces": [{"type": "user"}, {"type": "mount"}]}})";
  return s;
}

constexpr std::string_view kNoMaps = R"("sysctl": {})";

::testing::AssertionResult fails_with(const std::string& text, std::string_view expected) {
  auto c = parse_config(text);
  if (c.ok()) return ::testing::AssertionFailure() << "parsed, wanted error: " << expected;
  if (c.error().message.find(expected) == std::string::npos)
    return ::testing::AssertionFailure() << "error `" << c.error().message << "` lacks `"
                                         << expected << "`";
  return ::testing::AssertionSuccess();
}

TEST(IdMapValidate, SeveralDisjointRangesAreAccepted) {
  auto c = parse_config(userns_config(
      R"("uidMappings": [{"containerID": 0, "hostID": 1000, "size": 1},
                         {"containerID": 1, "hostID": 100000, "size": 999},
                         {"containerID": 1000, "hostID": 200000, "size": 64536}])"));
  ASSERT_TRUE(c.ok()) << c.error().text();
  EXPECT_EQ(c->linux.uid_mappings.size(), 3u);
}

TEST(IdMapValidate, ImpossibleMappingsNameTheField) {
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

TEST(IdMapValidate, TooManyRangesAreRefused) {
  std::string maps = R"("uidMappings": [)";
  for (int i = 0; i < 341; ++i)
    maps += (i ? "," : "") + std::string(R"({"containerID": )") + std::to_string(i) +
            R"(, "hostID": )" + std::to_string(100000 + i) + R"(, "size": 1})";
  maps += "]";
  EXPECT_TRUE(fails_with(userns_config(maps), "linux.uidMappings: at most 340 ranges"));
}

// A config without a user namespace, with `mounts` and annotations spliced in.
std::string host_config(std::string_view top) {
  return "{" + std::string(top) + R"(, "ociVersion": "1.2.0", "root": {"path": "rootfs"},
      "process": {"args": ["sh"], "cwd": "/"}, "linux": {"namespaces": [{"type": "mount"}]}})";
}

TEST(IdMapValidate, IdmapWithoutMappingsNeedsAUserNamespace) {
  EXPECT_TRUE(fails_with(
      host_config(R"("mounts": [{"destination": "/a", "source": "/s", "options": ["rbind", "ridmap"]}])"),
      "mounts[0]: `ridmap` without uidMappings and gidMappings needs a user namespace"));
  EXPECT_TRUE(fails_with(host_config(R"("annotations": {"io.nook.rootfs.idmap": "idmap"})"),
                         "annotations.io.nook.rootfs.idmap: requires a user namespace"));
  // With mappings of its own a mount can be id-mapped in the host's user namespace.
  auto c = parse_config(host_config(R"("mounts": [{"destination": "/a", "type": "bind",
      "source": "/s", "uidMappings": [{"containerID": 0, "hostID": 1000, "size": 1}],
      "gidMappings": [{"containerID": 0, "hostID": 1000, "size": 1}]}])"));
  EXPECT_TRUE(c.ok()) << c.error().text();
}

TEST(IdMapValidate, IdmapOptionsAndRootfsAnnotationAreRecorded) {
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

TEST(IdMapValidate, JoinedUserNamespaceTakesMappingsWithoutChecks) {
  // containerd sends the sandbox's mappings along with the path; they are not written.
  auto c = parse_config(R"({"ociVersion": "1.2.0", "root": {"path": "rootfs"},
      "process": {"args": ["sh"], "cwd": "/", "user": {"uid": 5000}},
      "linux": {"namespaces": [{"type": "user", "path": "/proc/1/ns/user"}],
                "uidMappings": [{"containerID": 1, "hostID": 1000, "size": 1}],
                "gidMappings": [{"containerID": 1, "hostID": 1000, "size": 1}]}})");
  EXPECT_TRUE(c.ok()) << c.error().text();
}

std::vector<IdMapping> maps(std::initializer_list<IdMapping> l) { return l; }

TEST(IdMapText, FormatsKernelLinesAndToolArguments) {
  auto m = maps({{0, 1000, 1}, {1, 100000, 65536}});
  EXPECT_EQ(format_id_map(m), "0 1000 1\n1 100000 65536\n");
  EXPECT_EQ(id_map_args(m), (std::vector<std::string>{"0", "1000", "1", "1", "100000", "65536"}));
}

TEST(IdMapText, MapsIdCoversHalfOpenRanges) {
  auto m = maps({{0, 1000, 1}, {10, 100000, 5}});
  EXPECT_TRUE(maps_id(m, 0));
  EXPECT_FALSE(maps_id(m, 1));
  EXPECT_TRUE(maps_id(m, 10));
  EXPECT_TRUE(maps_id(m, 14));
  EXPECT_FALSE(maps_id(m, 15));
  EXPECT_TRUE(maps_id(maps({{4294967294u, 1, 1}}), 4294967294u));
}

TEST(IdMapText, OwnIdOnlyIsTheSingleUnprivilegedMapping) {
  EXPECT_TRUE(is_own_id_only(maps({{0, 1000, 1}}), 1000));
  EXPECT_FALSE(is_own_id_only(maps({{0, 1000, 2}}), 1000));
  EXPECT_FALSE(is_own_id_only(maps({{0, 1000, 1}, {1, 100000, 10}}), 1000));
  EXPECT_FALSE(is_own_id_only(maps({{0, 1001, 1}}), 1000));
}

TEST(IdMapSubIds, ParsesTheUsersLinesByNameOrUid) {
  std::string text =
      "alice:100000:65536\nbob:165536:65536\n# comment\n1001:300000:10\nalice:x:1\n"
      "alice:400000:0\nalice:500000:5\n";
  auto r = parse_subids(text, "alice", 1001);
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[0].start, 100000u);
  EXPECT_EQ(r[0].count, 65536u);
  EXPECT_EQ(r[1].start, 300000u);
  EXPECT_EQ(r[2].start, 500000u);
  EXPECT_TRUE(parse_subids(text, "carol", 7).empty());
}

TEST(IdMapSubIds, NewuidmapRuleOwnIdOrInsideARange) {
  std::vector<SubIdRange> r = {{100000, 65536}};
  EXPECT_EQ(first_unallowed_mapping(maps({{0, 1000, 1}, {1, 100000, 65536}}), 1000, r), -1);
  EXPECT_EQ(first_unallowed_mapping(maps({{0, 1000, 1}, {1, 100000, 65537}}), 1000, r), 1);
  EXPECT_EQ(first_unallowed_mapping(maps({{0, 1000, 2}}), 1000, r), 0);
  EXPECT_EQ(first_unallowed_mapping(maps({{0, 99999, 1}}), 1000, r), 0);
  EXPECT_EQ(first_unallowed_mapping(maps({{0, 1000, 1}}), 1000, {}), -1);
}

}  // namespace
}  // namespace nook::spec
