// Unit tests of `exec --cgroup`: argument parsing as runc 1.1.5 does it (checked against runc
// on the dev machine), the sub-cgroup placement on v1, hybrid and v2, and a v2 manager of the
// sub-cgroup joining it on a fake cgroupfs tree. No root.
#include "nook/cgroup/sub_cgroup.h"

#include <gtest/gtest.h>

#include <cerrno>

#include "fakes/cgroupfs.h"

namespace nook::cgroup {
namespace {

using fakes::FakeCgroupfs;

std::string parse_error(const std::vector<std::string>& args) {
  auto request = parse_sub_cgroup_args(args);
  return request.ok() ? "ok" : request.error().text();
}

// The dev machine's hybrid layout with the container at /c (cpu and cpuacct as separate
// hierarchies there; a comounted pair here to cover both).
Placement hybrid() {
  Placement p;
  p.layout = Layout::Hybrid;
  p.path = "/c";
  for (const char* h : {"blkio", "cpu,cpuacct", "cpuset", "memory", "pids", "systemd", "unified"}) {
    p.hierarchies.push_back(h);
    p.paths.push_back("/c");
  }
  return p;
}

Placement v2() {
  Placement p;
  p.layout = Layout::V2;
  p.path = "/a/c";
  return p;
}

// "hierarchy=path" for each hierarchy of a placement.
std::vector<std::string> paths_of(const Placement& p) {
  std::vector<std::string> out;
  for (size_t i = 0; i < p.hierarchies.size(); ++i) {
    out.push_back(p.hierarchies[i] + "=" + path_in_hierarchy(p, i));
  }
  return out;
}

Result<Placement> place(const Placement& container, const std::vector<std::string>& args) {
  auto request = parse_sub_cgroup_args(args);
  if (!request.ok()) return std::move(request).error();
  return sub_cgroup_placement(container, *request);
}

std::string place_error(const Placement& container, const std::vector<std::string>& args) {
  auto placed = place(container, args);
  return placed.ok() ? "ok" : placed.error().text();
}

TEST(SubCgroupArgs, BarePathIsForEveryController) {
  auto request = parse_sub_cgroup_args({"sub/x"});
  ASSERT_TRUE(request.ok());
  EXPECT_TRUE(request->all);
  EXPECT_EQ(request->all_path, "sub/x");
  EXPECT_TRUE(request->by_controller.empty());
  // runc 1.1 reads an empty controller the same way
  EXPECT_TRUE(parse_sub_cgroup_args({":sub"})->all);
}

TEST(SubCgroupArgs, ControllerListsAndTheLastPathOfARepeatedController) {
  auto request = parse_sub_cgroup_args({"memory,pids:a", "cpu:b", "memory:c"});
  ASSERT_TRUE(request.ok());
  EXPECT_FALSE(request->all);
  using Entries = std::vector<std::pair<std::string, std::string>>;
  EXPECT_EQ(request->by_controller, (Entries{{"memory", "c"}, {"pids", "a"}, {"cpu", "b"}}));
}

TEST(SubCgroupArgs, RejectsRuncsInvalidForms) {
  EXPECT_EQ(parse_error({"a:b:c"}), "--cgroup: invalid argument `a:b:c`");
  EXPECT_EQ(parse_error({"memory:sub", "sub"}),
            "--cgroup: invalid argument `sub` (missing <controller>: prefix)");
  EXPECT_EQ(parse_error({"sub", "sub"}),
            "--cgroup: invalid argument `sub` (missing <controller>: prefix)");
  EXPECT_EQ(parse_error({"memory:a", ":b"}),
            "--cgroup: a path for every controller cannot be combined with per-controller paths");
}

TEST(SubCgroupPlacement, BarePathGoesUnderEveryHierarchyIncludingUnified) {
  auto placed = place(hybrid(), {"sub"});
  ASSERT_TRUE(placed.ok()) << placed.error().text();
  EXPECT_EQ(paths_of(*placed),
            (std::vector<std::string>{"blkio=/c/sub", "cpu,cpuacct=/c/sub", "cpuset=/c/sub",
                                      "memory=/c/sub", "pids=/c/sub", "systemd=/c/sub",
                                      "unified=/c/sub"}));
  EXPECT_EQ(placed->path, "/c/sub");
  EXPECT_EQ(placed->layout, Layout::Hybrid);
  // absolute is still under the container's cgroup; "." and "" are the cgroup itself (runc)
  EXPECT_EQ(place(hybrid(), {"/sub"})->path, "/c/sub");
  EXPECT_EQ(place(hybrid(), {"."})->path, "/c");
  EXPECT_EQ(place(hybrid(), {""})->path, "/c");
}

TEST(SubCgroupPlacement, PerControllerPathsMoveOnlyThoseHierarchies) {
  auto placed = place(hybrid(), {"memory:m", "cpuacct:x", "name=systemd:s"});
  ASSERT_TRUE(placed.ok()) << placed.error().text();
  EXPECT_EQ(paths_of(*placed),
            (std::vector<std::string>{"blkio=/c", "cpu,cpuacct=/c/x", "cpuset=/c", "memory=/c/m",
                                      "pids=/c", "systemd=/c/s", "unified=/c"}));
}

TEST(SubCgroupPlacement, RelativeContainerPathsDifferPerHierarchy) {
  Placement p = hybrid();
  p.paths[3] = "/process_api/21c7/c";  // memory under the caller's own cgroup
  auto placed = place(p, {"sub"});
  ASSERT_TRUE(placed.ok()) << placed.error().text();
  EXPECT_EQ(path_in_hierarchy(*placed, 3), "/process_api/21c7/c/sub");
  EXPECT_EQ(path_in_hierarchy(*placed, 4), "/c/sub");
}

TEST(SubCgroupPlacement, PlacementWithoutPathsUsesThePathEverywhere) {
  Placement p = hybrid();
  p.paths.clear();
  auto placed = place(p, {"pids:sub"});
  ASSERT_TRUE(placed.ok()) << placed.error().text();
  EXPECT_EQ(path_in_hierarchy(*placed, 4), "/c/sub");
  EXPECT_EQ(path_in_hierarchy(*placed, 3), "/c");
}

TEST(SubCgroupPlacement, PathsThatLeaveTheContainersCgroupAreRefused) {
  for (const char* arg : {"../x", "sub/../..", "memory:../x", "/../../etc"}) {
    std::string shown = std::string(arg).substr(std::string(arg).find(':') + 1);
    if (std::string(arg).find(':') == std::string::npos) shown = arg;
    EXPECT_EQ(place_error(hybrid(), {arg}), "--cgroup: `" + shown + "` is not a sub cgroup path")
        << arg;
  }
  // runc 1.1.5 lets this through to the sibling /c1x (a string-prefix check); nook does not
  Placement p = hybrid();
  p.paths.assign(p.hierarchies.size(), "/c1");
  EXPECT_EQ(place_error(p, {"../c1x"}), "--cgroup: `../c1x` is not a sub cgroup path");
}

TEST(SubCgroupPlacement, UnknownControllersAreRefused) {
  // "systemd" is a named hierarchy: runc spells it name=systemd
  EXPECT_EQ(place_error(hybrid(), {"systemd:s"}),
            "--cgroup: unknown controller `systemd` (no hierarchy of the container's cgroup "
            "holds it)");
  EXPECT_EQ(place_error(hybrid(), {"net_cls:s"}),
            "--cgroup: unknown controller `net_cls` (no hierarchy of the container's cgroup "
            "holds it)");
  EXPECT_EQ(place_error(hybrid(), {"unified:s"}),
            "--cgroup: unknown controller `unified` (no hierarchy of the container's cgroup "
            "holds it)");
}

TEST(SubCgroupPlacement, ComountedControllersMustAgree) {
  EXPECT_EQ(place_error(hybrid(), {"cpu:a", "cpuacct:b"}),
            "--cgroup: controllers `cpu` and `cpuacct` share the hierarchy `cpu,cpuacct` but were "
            "given different paths");
  EXPECT_EQ(place_error(hybrid(), {"cpu,cpuacct:a"}), "ok");
}

TEST(SubCgroupPlacement, V2TakesABarePathOnly) {
  auto placed = place(v2(), {"sub"});
  ASSERT_TRUE(placed.ok()) << placed.error().text();
  EXPECT_EQ(placed->path, "/a/c/sub");
  EXPECT_TRUE(placed->hierarchies.empty());
  EXPECT_EQ(place_error(v2(), {"memory:sub"}),
            "--cgroup: unknown controller `memory` (cgroup v2 takes a bare path, the same for "
            "every controller)");
  EXPECT_EQ(place_error(v2(), {"../x"}), "--cgroup: `../x` is not a sub cgroup path");
}

TEST(SubCgroupV2, TheManagerOfTheSubCgroupClonesAndMovesIntoIt) {
  FakeCgroupfs tree;
  tree.add_control_files("a/c/sub");
  auto placed = place(v2(), {"sub"});
  ASSERT_TRUE(placed.ok()) << placed.error().text();
  auto manager = load_manager(tree.fd(), *placed);
  ASSERT_TRUE(manager.ok()) << manager.error().text();
  auto entry = (*manager)->open_entry();
  ASSERT_TRUE(entry.ok()) << entry.error().text();
  EXPECT_TRUE(entry->clone_fd.valid());
  ASSERT_TRUE((*manager)->add_pid(42).ok());
  EXPECT_EQ(tree.read("a/c/sub/cgroup.procs"), "42");
}

TEST(SubCgroupV2, AMissingSubCgroupIsNotCreated) {
  FakeCgroupfs tree;
  auto manager = load_manager(tree.fd(), *place(v2(), {"none"}));
  ASSERT_TRUE(manager.ok()) << manager.error().text();
  auto entry = (*manager)->open_entry();
  ASSERT_FALSE(entry.ok());
  EXPECT_EQ(entry.error().err, ENOENT);
  EXPECT_EQ(entry.error().text(), "open `a/c/none`: No such file or directory");
  auto added = (*manager)->add_pid(42);
  ASSERT_FALSE(added.ok());
  EXPECT_EQ(added.error().err, ENOENT);
  EXPECT_EQ(added.error().text(), "open `a/c/none/cgroup.procs`: No such file or directory");
}

}  // namespace
}  // namespace nook::cgroup
