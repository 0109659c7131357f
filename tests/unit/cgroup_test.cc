// Unit tests of the cgroup managers on fake cgroupfs trees in temp dirs (plain directories and
// files standing in for cgroupfs), of path resolution against runc's observed behaviour, and
// of the disabled and systemd drivers. No root needed.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <linux/magic.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>

#include "fakes/cgroupfs.h"
#include "nook/cgroup/backends.h"
#include "nook/cgroup/manager.h"
#include "nook/cgroup/path.h"

namespace nook::cgroup {
namespace {

using fakes::FakeCgroupfs;

namespace fs = std::filesystem;

std::unique_ptr<Manager> make(const FakeCgroupfs& tree, Layout layout, const std::string& path,
                              const std::vector<ProcCgroup>& own = {}) {
  auto manager = make_manager_for_layout(tree.fd(), layout, path, own);
  EXPECT_TRUE(manager.ok()) << manager.error().text();
  return manager.ok() ? std::move(manager).value() : nullptr;
}

std::string resolved(const std::string& spec, Driver driver = Driver::Cgroupfs) {
  auto path = resolve_path(spec, "ctr", driver);
  return path.ok() ? *path : "error: " + path.error().text();
}

// /proc/self/cgroup of a shell on the dev machine (v1 hybrid, memory under process_api).
constexpr const char* kHybridProcCgroup =
    "9:name=systemd:/\n8:pids:/\n6:freezer:/\n4:memory:/process_api/21c7\n"
    "2:cpu,cpuacct:/\n0::/\n";

TEST(CgroupPath, CleanKeepsAbsoluteAndRelativeWithoutEscaping) {
  EXPECT_EQ(clean_path("/a//b/./c/"), "/a/b/c");
  EXPECT_EQ(clean_path("/a/../../esc"), "/esc");
  EXPECT_EQ(clean_path("../../up"), "up");
  EXPECT_EQ(clean_path("rel/./x/../y"), "rel/y");
  EXPECT_EQ(clean_path("/"), "/");
  EXPECT_EQ(clean_path(".."), "");
  EXPECT_EQ(clean_path(""), "");
  EXPECT_EQ(join_path("/", "x"), "/x");
  EXPECT_EQ(join_path("/a/b", "c/d"), "/a/b/c/d");
}

// The expectations are what runc 1.1.5 does on the dev machine (read from /proc/PID/cgroup).
TEST(CgroupPath, ResolveMatchesRunc) {
  EXPECT_EQ(resolved(""), "ctr");  // runc: "<own cgroup>/<id>" in every hierarchy
  EXPECT_EQ(resolved("/abs/cg-a"), "/abs/cg-a");
  EXPECT_EQ(resolved("rel/cg-r"), "rel/cg-r");
  EXPECT_EQ(resolved("/a/../../esc"), "/esc");
  EXPECT_EQ(resolved("../../up"), "up");
}

TEST(CgroupPath, ResolveRejectsRootOwnAndSystemdForms) {
  EXPECT_EQ(resolved("/"), "error: linux.cgroupsPath: `/` is the root cgroup");
  EXPECT_EQ(resolved("a/.."), "error: linux.cgroupsPath: `a/..` is the caller's own cgroup");
  // runc's cgroupfs driver would take it as a directory name; it is a systemd path sent to
  // the wrong driver
  EXPECT_EQ(resolved("system.slice:docker:abc"),
            "error: linux.cgroupsPath: `system.slice:docker:abc` has the form "
            "`slice:prefix:name`, which needs the systemd cgroup driver (--systemd-cgroup)");
  EXPECT_EQ(resolved("a:b"), "a:b");  // not that form: a relative path
  EXPECT_FALSE(resolve_path("", "../x", Driver::Cgroupfs).ok());
}

TEST(CgroupPath, ResolveSystemdExpandsSliceAndScope) {
  EXPECT_EQ(resolved("system.slice:docker:abc", Driver::Systemd), "/system.slice/docker-abc.scope");
  EXPECT_EQ(resolved("", Driver::Systemd), "/system.slice/nook-ctr.scope");
  EXPECT_EQ(resolved(":p:n", Driver::Systemd), "/system.slice/p-n.scope");
  EXPECT_EQ(resolved("a-b.slice::n", Driver::Systemd), "/a.slice/a-b.slice/n.scope");
  EXPECT_EQ(resolved("machine.slice:x:kid.slice", Driver::Systemd), "/machine.slice/kid.slice");
  EXPECT_EQ(resolved("-.slice:p:n", Driver::Systemd), "/p-n.scope");
  EXPECT_EQ(resolved("user.slice:libpod:0123abcd", Driver::Systemd),
            "/user.slice/libpod-0123abcd.scope");
}

TEST(CgroupPath, ResolveSystemdRejectsWhatRuncRejects) {
  // runc 1.1.5: `expected cgroupsPath to be of format "slice:prefix:name" for systemd cgroups`
  for (const char* path : {"/abs", "bad", "a:b", "a:b:c:d", "/system.slice:p:n", "a/b.slice:p:n"}) {
    EXPECT_EQ(resolved(path, Driver::Systemd),
              std::string("error: linux.cgroupsPath: expected the form `slice:prefix:name` with "
                          "the systemd cgroup driver, got `") +
                  path + "`")
        << path;
  }
  EXPECT_EQ(resolved("bad:p:n", Driver::Systemd),
            "error: linux.cgroupsPath: `bad:p:n`: invalid slice name `bad`");
  EXPECT_EQ(resolved("a--b.slice:p:n", Driver::Systemd),
            "error: linux.cgroupsPath: `a--b.slice:p:n`: invalid slice name `a--b.slice`");
  EXPECT_EQ(resolved("system.slice:p:", Driver::Systemd),
            "error: linux.cgroupsPath: `system.slice:p:` has an empty name (slice:prefix:name)");
}

TEST(CgroupPath, ExpandSliceFollowsSystemdNaming) {
  EXPECT_EQ(*expand_slice("-.slice"), "/");
  EXPECT_EQ(*expand_slice("user.slice"), "/user.slice");
  EXPECT_EQ(*expand_slice("a-b-c.slice"), "/a.slice/a-b.slice/a-b-c.slice");
  EXPECT_FALSE(expand_slice(".slice").ok());
  EXPECT_FALSE(expand_slice("a--b.slice").ok());
  EXPECT_FALSE(expand_slice("-a.slice").ok());
  EXPECT_FALSE(expand_slice("a/b.slice").ok());
}

TEST(CgroupPath, ParsesProcCgroupAndFindsOwnCgroupPerHierarchy) {
  auto own = parse_proc_cgroup(kHybridProcCgroup);
  ASSERT_TRUE(own.ok()) << own.error().text();
  ASSERT_EQ(own->size(), 6u);
  EXPECT_EQ((*own)[4].controllers, (std::vector<std::string>{"cpu", "cpuacct"}));
  EXPECT_TRUE((*own)[5].controllers.empty());
  EXPECT_EQ(own_cgroup_in("memory", *own), "/process_api/21c7");
  EXPECT_EQ(own_cgroup_in("systemd", *own), "/");
  EXPECT_EQ(own_cgroup_in("cpu,cpuacct", *own), "/");
  EXPECT_EQ(own_cgroup_in("unified", *own), "/");
  EXPECT_EQ(own_cgroup_in("blkio", *own), std::nullopt);
  EXPECT_FALSE(parse_proc_cgroup("x:memory:/\n").ok());
  EXPECT_FALSE(parse_proc_cgroup("4:memory\n").ok());
  EXPECT_EQ((*parse_proc_cgroup("0::/system.slice/a:b.scope\n"))[0].path,
            "/system.slice/a:b.scope");
}

TEST(CgroupLayout, ClassifiesByFilesystemMagic) {
  EXPECT_EQ(*classify_layout(CGROUP2_SUPER_MAGIC, 0), Layout::V2);
  EXPECT_EQ(*classify_layout(TMPFS_MAGIC, CGROUP2_SUPER_MAGIC), Layout::Hybrid);
  EXPECT_EQ(*classify_layout(TMPFS_MAGIC, 0), Layout::V1);
  EXPECT_EQ(*classify_layout(TMPFS_MAGIC, TMPFS_MAGIC), Layout::V1);
  auto other = classify_layout(EXT4_SUPER_MAGIC, 0);
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.error().text(),
            "detect cgroup layout: the cgroupfs root is neither cgroup2 nor a tmpfs of v1 "
            "hierarchies (filesystem magic 0xef53)");
}

TEST(CgroupV1, PlacesInEveryRealHierarchyButNotSymlinksOrUnified) {
  FakeCgroupfs tree;
  tree.make_v1_hierarchies();
  auto manager = make(tree, Layout::V1, "/nook-test/c1");
  ASSERT_TRUE(manager);
  const Placement& placement = manager->placement();
  EXPECT_EQ(placement.layout, Layout::V1);
  EXPECT_EQ(placement.hierarchies,
            (std::vector<std::string>{"cpu,cpuacct", "freezer", "memory", "pids", "systemd"}));
  EXPECT_EQ(placement.paths, std::vector<std::string>(5, "/nook-test/c1"));
  EXPECT_EQ(placement.path, "/nook-test/c1");
}

TEST(CgroupV1, APlainDirectoryOnTheTmpfsIsNoHierarchy) {
  FakeCgroupfs tree;
  tree.make_v1_hierarchies();
  tree.mkdir("hugetlb/nook-test");  // made by someone on the tmpfs; hugetlb is not mounted
  auto manager = make(tree, Layout::V1, "/nook-test/c1");
  ASSERT_TRUE(manager);
  EXPECT_EQ(manager->placement().hierarchies,
            (std::vector<std::string>{"cpu,cpuacct", "freezer", "memory", "pids", "systemd"}));
}

TEST(CgroupV1, CreateOpenEntryAddPidPidsFrozenDestroy) {
  FakeCgroupfs tree;
  tree.make_v1_hierarchies();
  auto manager = make(tree, Layout::V1, "/nook-test/c1");
  ASSERT_TRUE(manager);
  ASSERT_TRUE(manager->create().ok());
  ASSERT_TRUE(manager->create().ok()) << "create is idempotent";
  for (const auto& h : manager->placement().hierarchies) {
    EXPECT_TRUE(tree.exists(h + "/nook-test/c1")) << h;
    tree.add_control_files(h + "/nook-test/c1");
  }
  EXPECT_FALSE(tree.exists("unified/nook-test"));
  for (const auto& h : manager->placement().hierarchies) tree.write(h + "/nook-test/c1/tasks", "");
  auto entry = manager->open_entry();
  ASSERT_TRUE(entry.ok()) << entry.error().text();
  EXPECT_FALSE(entry->clone_fd.valid()) << "no cgroup2 part to clone into";
  ASSERT_EQ(entry->tasks.size(), manager->placement().hierarchies.size());
  ASSERT_EQ(::write(entry->tasks[1].get(), "0", 1), 1);
  EXPECT_EQ(tree.read("memory/nook-test/c1/tasks"), "0") << "one tasks file per hierarchy, in order";
  ASSERT_EQ(::write(entry->tasks.back().get(), "0", 1), 1);
  EXPECT_EQ(tree.read("freezer/nook-test/c1/tasks"), "0") << "the freezer last";
  EXPECT_NE(::fcntl(entry->tasks[0].get(), F_GETFD) & FD_CLOEXEC, 0);

  ASSERT_TRUE(manager->add_pid(4242).ok());
  for (const auto& h : manager->placement().hierarchies) {
    EXPECT_EQ(tree.read(h + "/nook-test/c1/cgroup.procs"), "4242") << h;
  }
  tree.write("pids/nook-test/c1/cgroup.procs", "7\n4242\n");
  EXPECT_EQ(*manager->pids(), (std::vector<pid_t>{7, 4242}));

  EXPECT_FALSE(manager->is_frozen()) << "no freezer.state yet";
  tree.write("freezer/nook-test/c1/freezer.state", "THAWED\n");
  EXPECT_FALSE(manager->is_frozen());
  tree.write("freezer/nook-test/c1/freezer.state", "FREEZING\n");
  EXPECT_FALSE(manager->is_frozen());
  tree.write("freezer/nook-test/c1/freezer.state", "FROZEN\n");
  EXPECT_TRUE(manager->is_frozen());

  tree.mkdir("memory/nook-test/c1/sub/leaf");  // a sub-cgroup goes first
  ASSERT_TRUE(manager->destroy().ok()) << manager->destroy().error().text();
  for (const auto& h : manager->placement().hierarchies) {
    EXPECT_FALSE(tree.exists(h + "/nook-test/c1")) << h;
    EXPECT_TRUE(tree.exists(h + "/nook-test")) << "parents stay, as with runc: " << h;
  }
  EXPECT_TRUE(manager->destroy().ok()) << "missing is fine";
}

TEST(CgroupV1, AddPidAndOpenEntryNameTheFileThatFailed) {
  FakeCgroupfs tree;
  tree.make_v1_hierarchies();
  auto manager = make(tree, Layout::V1, "/c1");
  ASSERT_TRUE(manager);
  ASSERT_TRUE(manager->create().ok());
  auto status = manager->add_pid(1);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().text(), "open `cpu,cpuacct/c1/cgroup.procs`: No such file or directory");
  auto entry = manager->open_entry();
  ASSERT_FALSE(entry.ok());
  EXPECT_EQ(entry.error().text(), "open `cpu,cpuacct/c1/tasks`: No such file or directory");
}

TEST(CgroupV1, RelativePathGoesUnderOwnCgroupOfEachHierarchy) {
  FakeCgroupfs tree;
  tree.make_v1_hierarchies();
  auto own = *parse_proc_cgroup(kHybridProcCgroup);
  auto manager = make(tree, Layout::V1, "ctr", own);
  ASSERT_TRUE(manager);
  const Placement& placement = manager->placement();
  EXPECT_EQ(placement.paths,
            (std::vector<std::string>{"/ctr", "/ctr", "/process_api/21c7/ctr", "/ctr", "/ctr"}));
  EXPECT_EQ(placement.path, "/ctr");  // the pids one
  EXPECT_EQ(path_in_hierarchy(placement, 2), "/process_api/21c7/ctr");
  EXPECT_EQ(path_in_hierarchy(Placement{Layout::V1, "/p", {"memory"}, {}}, 0), "/p");
  ASSERT_TRUE(manager->create().ok());
  EXPECT_TRUE(tree.exists("memory/process_api/21c7/ctr"));
  EXPECT_TRUE(tree.exists("freezer/ctr"));
}

TEST(CgroupV1, RelativePathFailsWithoutOwnCgroupEntry) {
  FakeCgroupfs tree;
  tree.make_v1_hierarchies();
  tree.mkdir("blkio");
  tree.add_control_files("blkio");
  auto manager =
      make_manager_for_layout(tree.fd(), Layout::V1, "ctr", *parse_proc_cgroup(kHybridProcCgroup));
  ASSERT_FALSE(manager.ok());
  EXPECT_EQ(manager.error().text(),
            "place cgroup `ctr`: no entry for hierarchy `blkio` in /proc/self/cgroup");
}

TEST(CgroupV1, NewCpusetCgroupInheritsCpusAndMems) {
  FakeCgroupfs tree;
  tree.write("cpuset/cpuset.cpus", "0-1\n");
  tree.write("cpuset/cpuset.mems", "0\n");
  tree.add_control_files("cpuset");
  // What a real cpuset hierarchy shows right after mkdir: empty cpus and mems.
  for (const char* level : {"cpuset/a", "cpuset/a/b"}) {
    tree.write(std::string(level) + "/cpuset.cpus", "\n");
    tree.write(std::string(level) + "/cpuset.mems", "\n");
  }
  tree.write("cpuset/a/cpuset.mems", "0\n");  // already set: left alone
  auto manager = make(tree, Layout::V1, "/a/b");
  ASSERT_TRUE(manager);
  ASSERT_TRUE(manager->create().ok()) << manager->create().error().text();
  EXPECT_EQ(tree.read("cpuset/a/cpuset.cpus"), "0-1\n");
  EXPECT_EQ(tree.read("cpuset/a/cpuset.mems"), "0\n");
  EXPECT_EQ(tree.read("cpuset/a/b/cpuset.cpus"), "0-1\n");
  EXPECT_EQ(tree.read("cpuset/a/b/cpuset.mems"), "0\n");
}

TEST(CgroupHybrid, AlsoPlacesInUnified) {
  FakeCgroupfs tree;
  tree.make_v1_hierarchies();
  auto manager = make(tree, Layout::Hybrid, "/nook-test/h1");
  ASSERT_TRUE(manager);
  EXPECT_EQ(manager->layout(), Layout::Hybrid);
  EXPECT_EQ(manager->placement().hierarchies.back(), "unified");
  ASSERT_TRUE(manager->create().ok());
  EXPECT_TRUE(tree.exists("unified/nook-test/h1"));
  for (const auto& h : manager->placement().hierarchies)
    tree.add_control_files(h + "/nook-test/h1");
  for (const auto& h : manager->placement().hierarchies) tree.write(h + "/nook-test/h1/tasks", "");
  auto entry = manager->open_entry();
  ASSERT_TRUE(entry.ok()) << entry.error().text();
  ASSERT_TRUE(entry->clone_fd.valid()) << "clone3 goes into the unified cgroup";
  struct stat unified, opened;
  ASSERT_EQ(::stat((tree.path() + "/unified/nook-test/h1").c_str(), &unified), 0);
  ASSERT_EQ(::fstat(entry->clone_fd.get(), &opened), 0);
  EXPECT_EQ(opened.st_ino, unified.st_ino);
  EXPECT_EQ(entry->tasks.size(), manager->placement().hierarchies.size() - 1)
      << "a tasks file for every v1 hierarchy, none for unified";
  ASSERT_TRUE(manager->add_pid(99).ok());
  EXPECT_EQ(tree.read("unified/nook-test/h1/cgroup.procs"), "99");
  EXPECT_EQ(tree.read("memory/nook-test/h1/cgroup.procs"), "99");
  EXPECT_EQ(*manager->pids(), (std::vector<pid_t>{99}));
  ASSERT_TRUE(manager->destroy().ok());
  EXPECT_FALSE(tree.exists("unified/nook-test/h1"));
  EXPECT_FALSE(tree.exists("memory/nook-test/h1"));
}

TEST(CgroupHybrid, RelativePathUsesOwnUnifiedCgroup) {
  FakeCgroupfs tree;
  tree.make_v1_hierarchies();
  auto own = *parse_proc_cgroup(std::string(kHybridProcCgroup) + "");
  own.back().path = "/init.scope";
  auto manager = make(tree, Layout::Hybrid, "ctr", own);
  ASSERT_TRUE(manager);
  EXPECT_EQ(manager->placement().paths.back(), "/init.scope/ctr");
  EXPECT_EQ(manager->placement().path, "/init.scope/ctr");
}

TEST(CgroupV2, CreateOpenEntryAddPidDestroy) {
  FakeCgroupfs tree;
  auto manager = make(tree, Layout::V2, "/nook-test/v");
  ASSERT_TRUE(manager);
  EXPECT_EQ(manager->layout(), Layout::V2);
  EXPECT_TRUE(manager->placement().hierarchies.empty());
  EXPECT_EQ(manager->placement().path, "/nook-test/v");
  ASSERT_TRUE(manager->create().ok());
  ASSERT_TRUE(tree.exists("nook-test/v"));
  tree.add_control_files("nook-test/v");

  auto entry = manager->open_entry();
  ASSERT_TRUE(entry.ok()) << entry.error().text();
  int fd = entry->clone_fd.get();
  ASSERT_GE(fd, 0);
  EXPECT_EQ(::faccessat(fd, "cgroup.procs", F_OK, 0), 0) << "fd is the cgroup dir";
  EXPECT_NE(::fcntl(fd, F_GETFD) & FD_CLOEXEC, 0);
  EXPECT_TRUE(entry->tasks.empty());

  ASSERT_TRUE(manager->add_pid(123).ok());
  EXPECT_EQ(tree.read("nook-test/v/cgroup.procs"), "123");
  EXPECT_EQ(*manager->pids(), (std::vector<pid_t>{123}));

  tree.mkdir("nook-test/v/sub/leaf");
  tree.add_control_files("nook-test/v/sub/leaf");
  ASSERT_TRUE(manager->destroy().ok());
  EXPECT_FALSE(tree.exists("nook-test/v"));
  EXPECT_TRUE(manager->destroy().ok());
}

TEST(CgroupV2, FrozenNeedsFreezeAndFrozenEvent) {
  FakeCgroupfs tree;
  auto manager = make(tree, Layout::V2, "/v");
  ASSERT_TRUE(manager);
  ASSERT_TRUE(manager->create().ok());
  EXPECT_FALSE(manager->is_frozen());
  tree.write("v/cgroup.freeze", "0\n");
  tree.write("v/cgroup.events", "populated 1\nfrozen 0\n");
  EXPECT_FALSE(manager->is_frozen());
  tree.write("v/cgroup.freeze", "1\n");
  EXPECT_FALSE(manager->is_frozen()) << "freezing, not yet frozen";
  tree.write("v/cgroup.events", "populated 1\nfrozen 1\n");
  EXPECT_TRUE(manager->is_frozen());
}

TEST(CgroupV2, RelativePathGoesUnderOwnCgroup) {
  FakeCgroupfs tree;
  auto manager = make(tree, Layout::V2, "ctr", *parse_proc_cgroup("0::/user.slice/s.scope\n"));
  ASSERT_TRUE(manager);
  EXPECT_EQ(manager->placement().path, "/user.slice/s.scope/ctr");
}

TEST(CgroupLoad, RebuildsTheSameManagerFromPlacement) {
  FakeCgroupfs tree;
  tree.make_v1_hierarchies();
  auto made = make(tree, Layout::Hybrid, "ctr", *parse_proc_cgroup(kHybridProcCgroup));
  ASSERT_TRUE(made);
  ASSERT_TRUE(made->create().ok());
  Placement saved = made->placement();
  made.reset();

  auto loaded = load_manager(tree.fd(), saved);
  ASSERT_TRUE(loaded.ok()) << loaded.error().text();
  EXPECT_EQ((*loaded)->layout(), Layout::Hybrid);
  EXPECT_EQ((*loaded)->placement().paths, saved.paths);
  tree.write("freezer/ctr/freezer.state", "FROZEN\n");
  EXPECT_TRUE((*loaded)->is_frozen());
  ASSERT_TRUE((*loaded)->destroy().ok());
  EXPECT_FALSE(tree.exists("memory/process_api/21c7/ctr"));
  EXPECT_TRUE(tree.exists("memory/process_api/21c7"));
}

TEST(CgroupLoad, PlacementWithoutPathsUsesPathEverywhere) {
  FakeCgroupfs tree;
  tree.make_v1_hierarchies();
  Placement placement{Layout::V1, "/x", {"memory", "pids"}, {}};
  auto loaded = load_manager(tree.fd(), placement);
  ASSERT_TRUE(loaded.ok()) << loaded.error().text();
  ASSERT_TRUE((*loaded)->create().ok());
  EXPECT_TRUE(tree.exists("memory/x"));
  EXPECT_TRUE(tree.exists("pids/x"));
}

TEST(CgroupLoad, RejectsPlacementsThatEscapeOrDisagree) {
  FakeCgroupfs tree;
  auto error_of = [&](Placement p) {
    auto loaded = load_manager(tree.fd(), p);
    return loaded.ok() ? std::string("ok") : loaded.error().text();
  };
  EXPECT_EQ(error_of({Layout::V2, "/a/../..", {}, {}}),
            "load cgroup placement: bad path `/a/../..`");
  EXPECT_EQ(error_of({Layout::V2, "/", {}, {}}), "load cgroup placement: bad path `/`");
  EXPECT_EQ(error_of({Layout::V1, "/x", {"../etc"}, {}}),
            "load cgroup placement: bad hierarchy `../etc`");
  EXPECT_EQ(error_of({Layout::V1, "/x", {}, {}}), "load cgroup placement: no hierarchies");
  EXPECT_EQ(error_of({Layout::V1, "/x", {"memory", "pids"}, {"/x"}}),
            "load cgroup placement: paths and hierarchies differ in number");
  EXPECT_EQ(error_of({Layout::V1, "/x", {"memory"}, {"rel"}}),
            "load cgroup placement: bad path `rel`");
}

TEST(CgroupMake, RejectsUncleanPaths) {
  FakeCgroupfs tree;
  tree.make_v1_hierarchies();
  for (const char* path : {"", "/", "/a/../b", "a//b"}) {
    auto manager = make_manager_for_layout(tree.fd(), Layout::V1, path, {});
    EXPECT_FALSE(manager.ok()) << path;
  }
}

TEST(CgroupDisabled, EveryOperationIsANoOp) {
  auto made = make_manager(-1, Driver::Disabled, "");
  ASSERT_TRUE(made.ok()) << made.error().text();
  Manager& manager = **made;
  EXPECT_EQ(manager.layout(), Layout::Disabled);
  EXPECT_TRUE(manager.create().ok());
  EXPECT_TRUE(manager.add_pid(1).ok());
  auto entry = manager.open_entry();
  ASSERT_TRUE(entry.ok());
  EXPECT_FALSE(entry->clone_fd.valid());
  EXPECT_TRUE(entry->tasks.empty());
  EXPECT_FALSE(manager.is_frozen());
  EXPECT_TRUE(manager.pids()->empty());
  EXPECT_TRUE(manager.destroy().ok());
  EXPECT_EQ(manager.placement().layout, Layout::Disabled);

  auto loaded = load_manager(-1, Placement{});
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ((*loaded)->layout(), Layout::Disabled);
  EXPECT_EQ(resolved("anything", Driver::Disabled), "");
}

TEST(CgroupSystemd, NamesTheSocketWhenSystemdIsUnreachable) {
  FakeCgroupfs tree;
  std::string socket = tree.at("private").string();
  auto manager = make_systemd_manager(socket);
  ASSERT_FALSE(manager.ok());
  EXPECT_EQ(manager.error().text(), "systemd cgroup driver: no systemd reachable: connect to `" +
                                        socket + "`: No such file or directory");
}

TEST(CgroupSystemd, ReachableSystemdIsNotImplemented) {
  FakeCgroupfs tree;
  std::string socket = tree.at("private").string();
  linux::UniqueFd listener(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  ASSERT_LT(socket.size(), sizeof addr.sun_path);
  std::strcpy(addr.sun_path, socket.c_str());
  ASSERT_EQ(::bind(listener.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(::listen(listener.get(), 1), 0);
  auto manager = make_systemd_manager(socket);
  ASSERT_FALSE(manager.ok());
  EXPECT_EQ(manager.error().text().rfind("systemd cgroup driver: not implemented", 0), 0u)
      << manager.error().text();
}

TEST(CgroupSystemd, MakeManagerFailsClearly) {
  // Whether or not this host runs systemd, the driver is not usable yet.
  auto manager = make_manager(-1, Driver::Systemd, "/system.slice/nook-x.scope");
  ASSERT_FALSE(manager.ok());
  EXPECT_EQ(manager.error().text().rfind("systemd cgroup driver: ", 0), 0u);
}

}  // namespace
}  // namespace nook::cgroup

// ---- freeze, thaw and pids of sub-cgroups (pause, resume, ps) ------------------------------

namespace nook::cgroup {
namespace {

// A created v1 manager at /c with the control files a real cgroupfs would have.
std::unique_ptr<Manager> made_v1(const FakeCgroupfs& tree, Layout layout = Layout::V1) {
  tree.make_v1_hierarchies();
  auto manager = make(tree, layout, "/c");
  if (!manager || !manager->create().ok()) return nullptr;
  tree.write("freezer/c/freezer.state", "THAWED\n");
  return manager;
}

TEST(CgroupV1Freeze, FreezeWritesFrozenInTheFreezerHierarchyAndThawWritesThawed) {
  FakeCgroupfs tree;
  auto manager = made_v1(tree);
  ASSERT_TRUE(manager);
  Status frozen = manager->freeze();
  ASSERT_TRUE(frozen.ok()) << frozen.error().text();
  EXPECT_EQ(tree.read("freezer/c/freezer.state"), "FROZEN");
  EXPECT_TRUE(manager->is_frozen());
  EXPECT_FALSE(tree.exists("memory/c/freezer.state")) << "only the freezer hierarchy";
  ASSERT_TRUE(manager->thaw().ok());
  EXPECT_EQ(tree.read("freezer/c/freezer.state"), "THAWED");
  EXPECT_FALSE(manager->is_frozen());
}

TEST(CgroupV1Freeze, HybridFreezesThroughV1FreezerNotUnified) {
  FakeCgroupfs tree;
  auto manager = made_v1(tree, Layout::Hybrid);
  ASSERT_TRUE(manager);
  ASSERT_TRUE(manager->freeze().ok());
  EXPECT_EQ(tree.read("freezer/c/freezer.state"), "FROZEN");
  EXPECT_FALSE(tree.exists("unified/c/cgroup.freeze"));
  EXPECT_TRUE(manager->is_frozen());
}

TEST(CgroupV1Freeze, WithoutFreezerHierarchyFailsClearly) {
  FakeCgroupfs tree;
  tree.make_v1_hierarchies();
  auto loaded = load_manager(tree.fd(), Placement{Layout::V1, "/x", {"memory", "pids"}, {}});
  ASSERT_TRUE(loaded.ok()) << loaded.error().text();
  ASSERT_FALSE((*loaded)->freeze().ok());
  EXPECT_EQ((*loaded)->freeze().error().text(), "no `freezer` hierarchy in the container's cgroup");
  EXPECT_EQ((*loaded)->thaw().error().text(), "no `freezer` hierarchy in the container's cgroup");
}

TEST(CgroupV1Freeze, MissingCgroupNamesTheFreezerFile) {
  FakeCgroupfs tree;
  tree.make_v1_hierarchies();
  auto manager = make(tree, Layout::V1, "/gone");
  ASSERT_TRUE(manager);
  Status frozen = manager->freeze();
  ASSERT_FALSE(frozen.ok());
  EXPECT_EQ(frozen.error().text(),
            "open `freezer/gone/freezer.state`: No such file or directory");
}

TEST(CgroupV2Freeze, FreezeWritesOneAndReturnsOnFrozenEventThawWritesZero) {
  FakeCgroupfs tree;
  auto manager = make(tree, Layout::V2, "/v");
  ASSERT_TRUE(manager);
  ASSERT_TRUE(manager->create().ok());
  tree.write("v/cgroup.freeze", "0\n");
  tree.write("v/cgroup.events", "populated 1\nfrozen 1\n");
  Status frozen = manager->freeze();
  ASSERT_TRUE(frozen.ok()) << frozen.error().text();
  EXPECT_EQ(tree.read("v/cgroup.freeze"), "1");
  EXPECT_TRUE(manager->is_frozen());
  ASSERT_TRUE(manager->thaw().ok());
  EXPECT_EQ(tree.read("v/cgroup.freeze"), "0");
  EXPECT_FALSE(manager->is_frozen());
}

TEST(CgroupV2Freeze, WithoutCgroupFreezeFails) {
  FakeCgroupfs tree;
  auto manager = make(tree, Layout::V2, "/v");
  ASSERT_TRUE(manager);
  ASSERT_TRUE(manager->create().ok());
  Status frozen = manager->freeze();
  ASSERT_FALSE(frozen.ok());
  EXPECT_EQ(frozen.error().text(), "open `v/cgroup.freeze`: No such file or directory");
}

TEST(CgroupDisabledFreeze, FreezeAndThawSayThereIsNoCgroup) {
  auto made = make_manager(-1, Driver::Disabled, "");
  ASSERT_TRUE(made.ok());
  EXPECT_EQ((*made)->freeze().error().text(),
            "the container has no cgroup (--cgroup-manager=disabled)");
  EXPECT_EQ((*made)->thaw().error().text(),
            "the container has no cgroup (--cgroup-manager=disabled)");
}

TEST(CgroupPids, IncludeSubCgroupsOwnFirstThenChildrenByName) {
  FakeCgroupfs tree;
  auto manager = make(tree, Layout::V2, "/v");
  ASSERT_TRUE(manager);
  ASSERT_TRUE(manager->create().ok());
  tree.write("v/cgroup.procs", "10\n");
  tree.write("v/b/cgroup.procs", "30\n");
  tree.write("v/a/cgroup.procs", "20\n21\n");
  tree.write("v/a/deep/cgroup.procs", "22\n");
  tree.mkdir("v/vanished");  // no cgroup.procs: gone between listing and reading
  auto pids = manager->pids();
  ASSERT_TRUE(pids.ok()) << pids.error().text();
  EXPECT_EQ(*pids, (std::vector<pid_t>{10, 20, 21, 22, 30}));
}

TEST(CgroupPids, V1ReadsThePidsHierarchyTree) {
  FakeCgroupfs tree;
  auto manager = made_v1(tree);
  ASSERT_TRUE(manager);
  tree.write("pids/c/cgroup.procs", "5\n");
  tree.write("pids/c/sub/cgroup.procs", "6\n");
  tree.write("memory/c/cgroup.procs", "99\n");
  EXPECT_EQ(*manager->pids(), (std::vector<pid_t>{5, 6}));
}

TEST(CgroupPids, MissingCgroupIsENOENT) {
  FakeCgroupfs tree;
  auto manager = make(tree, Layout::V2, "/none");
  ASSERT_TRUE(manager);
  auto pids = manager->pids();
  ASSERT_FALSE(pids.ok());
  EXPECT_EQ(pids.error().err, ENOENT);
}

}  // namespace
}  // namespace nook::cgroup
