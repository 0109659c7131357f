// Tests of src/cgroup/resctrl.cc on a fake resctrl mount (a temp dir with the files the kernel
// would make), and of the mountinfo parser that finds the real one.
#include "nook/cgroup/resctrl.h"

#include <gtest/gtest.h>

#include "fakes/cgroupfs.h"
#include "nook/linux/mountinfo.h"

namespace nook::cgroup {
namespace {

using fakes::FakeCgroupfs;

// A group as mkdir on resctrl leaves it: its control files and a mon_groups directory.
void make_group(const FakeCgroupfs& tree, const std::string& name) {
  tree.write(name + "/schemata", "");
  tree.write(name + "/tasks", "");
  tree.mkdir(name + "/mon_groups");
}

spec::IntelRdt rdt_with(std::string clos_id, std::string l3 = "", std::string mb = "") {
  spec::IntelRdt r;
  r.clos_id = std::move(clos_id);
  r.l3_cache_schema = std::move(l3);
  r.mem_bw_schema = std::move(mb);
  return r;
}

TEST(Resctrl, AContainersOwnGroupTakesItsSchemataInOneWriteInOrder) {
  FakeCgroupfs tree;
  make_group(tree, "c1");  // as the kernel would populate the directory nook makes
  auto rdt = rdt_with("", "L3:0=ff", "MB:0=70");
  rdt.schemata = {"L2:0=f"};
  auto p = prepare_rdt_at(tree.fd(), rdt, "c1");
  ASSERT_TRUE(p.ok()) << p.error().text();
  EXPECT_EQ(p->group, "c1");
  EXPECT_TRUE(p->owned);
  EXPECT_EQ(p->monitor, "");
  EXPECT_EQ(tree.read("c1/schemata"), "L3:0=ff\nMB:0=70\nL2:0=f\n");
}

TEST(Resctrl, AGroupItMadeIsRemovedWhenTheSchemataFail) {
  FakeCgroupfs tree;  // no schemata file appears in the fake: the write fails
  auto p = prepare_rdt_at(tree.fd(), rdt_with("", "L3:0=ff"), "c1");
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.error().message.find("linux.intelRdt: write the schemata of resctrl group `c1`"),
            std::string::npos)
      << p.error().message;
  EXPECT_FALSE(tree.exists("c1"));
}

TEST(Resctrl, TheKernelsReasonForARefusedSchemaIsInTheError) {
  FakeCgroupfs tree;
  tree.write("info/last_cmd_status", "Unknown or unsupported resource name 'L9'\n");
  auto st = write_schemata_at(tree.fd(), "missing", {"L9:0=1"}, "--l3-cache-schema");
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().message,
            "--l3-cache-schema: write the schemata of resctrl group `missing` (Unknown or "
            "unsupported resource name 'L9')");
}

TEST(Resctrl, AClosIdWithoutSchemaMustExistAndIsNotOwned) {
  FakeCgroupfs tree;
  auto missing = prepare_rdt_at(tree.fd(), rdt_with("shared"), "c1");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message,
            "linux.intelRdt.closID: resctrl group `shared` does not exist and no schema is "
            "given to make it");
  EXPECT_FALSE(tree.exists("shared"));
  make_group(tree, "shared");
  auto p = prepare_rdt_at(tree.fd(), rdt_with("shared"), "c1");
  ASSERT_TRUE(p.ok()) << p.error().text();
  EXPECT_EQ(p->group, "shared");
  EXPECT_FALSE(p->owned);
  ASSERT_TRUE(remove_rdt_at(tree.fd(), *p).ok());
  EXPECT_TRUE(tree.exists("shared")) << "a closID group is not the container's to remove";
}

TEST(Resctrl, AMonitoringGroupJoinsAfterItsControlGroup) {
  FakeCgroupfs tree;
  make_group(tree, "c1");
  auto rdt = rdt_with("");
  rdt.enable_monitoring = true;
  auto p = prepare_rdt_at(tree.fd(), rdt, "c1");
  ASSERT_TRUE(p.ok()) << p.error().text();
  EXPECT_EQ(p->monitor, "c1/mon_groups/c1");
  ASSERT_TRUE(tree.exists("c1/mon_groups/c1"));
  tree.write("c1/mon_groups/c1/tasks", "");
  ASSERT_TRUE(add_rdt_task_at(tree.fd(), *p, 4242).ok());
  EXPECT_EQ(tree.read("c1/tasks"), "4242");
  EXPECT_EQ(tree.read("c1/mon_groups/c1/tasks"), "4242");
}

TEST(Resctrl, RemoveTakesTheMonitoringGroupAndAnOwnedGroupAndToleratesMissingOnes) {
  FakeCgroupfs tree;  // empty directories: the kernel empties a resctrl group on rmdir itself
  tree.mkdir("shared/mon_groups/c1");
  tree.mkdir("c2");
  ASSERT_TRUE(remove_rdt_at(tree.fd(), RdtPlacement{"c2", true, "shared/mon_groups/c1"}).ok());
  EXPECT_FALSE(tree.exists("shared/mon_groups/c1"));
  EXPECT_FALSE(tree.exists("c2"));
  EXPECT_TRUE(tree.exists("shared"));
  EXPECT_TRUE(remove_rdt_at(tree.fd(), RdtPlacement{"c2", true, "shared/mon_groups/c1"}).ok());
}

TEST(Mountinfo, FindsMountPointsAndTypesPastOptionalFields) {
  auto entries = linux::parse_mountinfo(
      "22 1 0:21 / /sys/fs/resctrl rw,relatime shared:9 master:2 - resctrl resctrl rw\n"
      "23 1 0:22 / /mnt/with\\040space rw - tmpfs none rw\n"
      "garbage\n");
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].mount_point, "/sys/fs/resctrl");
  EXPECT_EQ(entries[0].fstype, "resctrl");
  EXPECT_EQ(entries[1].mount_point, "/mnt/with space");
  EXPECT_EQ(entries[1].fstype, "tmpfs");
}

}  // namespace
}  // namespace nook::cgroup
