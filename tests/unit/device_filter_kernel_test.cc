// The cgroup v2 device program in the real kernel: apply_resources on a cgroup made in this
// host's cgroup2 mount (treated as a pure v2 root), a child moved into it, and device opens
// that the program must allow or refuse with EPERM; then an update's replacement. Needs root
// and a cgroup2 mount, and skips (saying why) without them. On a hybrid host the v1 devices
// cgroup of the test allows everything at the root, so the program is what decides.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "nook/cgroup/cgroupfs.h"
#include "nook/cgroup/resources.h"
#include "nook/linux/bpf.h"
#include "nook/linux/fd.h"

namespace nook::cgroup {
namespace {

// The cgroup2 mount: /sys/fs/cgroup on a v2 host, /sys/fs/cgroup/unified on a hybrid one.
std::string cgroup2_mount() {
  for (const char* dir : {"/sys/fs/cgroup", "/sys/fs/cgroup/unified"}) {
    struct statfs st;
    if (::statfs(dir, &st) == 0 && st.f_type == CGROUP2_SUPER_MAGIC) return dir;
  }
  return "";
}

class DeviceFilterKernel : public ::testing::Test {
 protected:
  void SetUp() override {
    if (::geteuid() != 0) GTEST_SKIP() << "needs root: bpf(2) and a cgroup of its own";
    std::string mount = cgroup2_mount();
    if (mount.empty()) GTEST_SKIP() << "no cgroup2 mount at /sys/fs/cgroup{,/unified}";
    root_.reset(::open(mount.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
    ASSERT_TRUE(root_);
    placement_.layout = Layout::V2;
    placement_.path = "/nook-unit-devfilter-" + std::to_string(::getpid());
    rel_ = placement_.path.substr(1);
    ASSERT_TRUE(mkdir_p_at(root_.get(), rel_).ok());
  }
  void TearDown() override {
    // Removing the cgroup detaches its programs.
    if (root_) {
      EXPECT_TRUE(remove_cgroup_at(root_.get(), rel_).ok());
    }
  }

  Status apply(const std::string& devices_json) {
    auto r = parse_resources(R"({"devices": )" + devices_json + "}");
    if (!r.ok()) return std::move(r).error();
    return apply_resources(root_.get(), placement_, *r);
  }

  // errno of open(path, flags) in a child moved into the cgroup first (0: it opened).
  int open_in_cgroup(const char* path, int flags) {
    int report[2];
    if (::pipe2(report, O_CLOEXEC) != 0) return -1;
    pid_t pid = ::fork();
    if (pid == 0) {
      std::string me = std::to_string(::getpid());
      int procs = ::openat(root_.get(), (rel_ + "/cgroup.procs").c_str(), O_WRONLY | O_CLOEXEC);
      int err = procs < 0 || ::write(procs, me.data(), me.size()) < 0 ? -1 : 0;
      if (err == 0) {
        int fd = ::open(path, flags | O_CLOEXEC | O_NOCTTY);
        err = fd >= 0 ? 0 : errno;
      }
      (void)!::write(report[1], &err, sizeof err);
      ::_exit(0);
    }
    ::close(report[1]);
    int err = -1;
    if (::read(report[0], &err, sizeof err) != sizeof err) err = -1;
    ::close(report[0]);
    ::waitpid(pid, nullptr, 0);
    return err;
  }

  size_t attached_programs() {
    linux::UniqueFd dir(::openat(root_.get(), rel_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    auto ids = linux::bpf_cgroup_device_program_ids(dir.get());
    EXPECT_TRUE(ids.ok()) << ids.error().text();
    return ids.ok() ? ids->size() : 0;
  }

  linux::UniqueFd root_;
  Placement placement_;
  std::string rel_;
};

TEST_F(DeviceFilterKernel, AllowedDevicesOpenAndOthersFailWithEPERM) {
  // runc's spec default (deny all) plus read access to /dev/kmsg; runc's defaults follow
  Status applied = apply(R"([{"allow": false, "access": "rwm"},
      {"allow": true, "type": "c", "major": 1, "minor": 11, "access": "r"}])");
  ASSERT_TRUE(applied.ok()) << applied.error().text();
  EXPECT_EQ(attached_programs(), 1u);
  EXPECT_EQ(open_in_cgroup("/dev/null", O_RDWR), 0);
  EXPECT_EQ(open_in_cgroup("/dev/zero", O_RDONLY), 0);
  EXPECT_EQ(open_in_cgroup("/dev/kmsg", O_RDONLY), 0);
  EXPECT_EQ(open_in_cgroup("/dev/kmsg", O_WRONLY), EPERM);
  // not a device: the program is not consulted
  EXPECT_EQ(open_in_cgroup("/proc/self/status", O_RDONLY), 0);
}

TEST_F(DeviceFilterKernel, ANewProgramReplacesTheOldOne) {
  ASSERT_TRUE(apply(R"([{"allow": false, "access": "rwm"},
      {"allow": true, "type": "c", "major": 1, "minor": 11, "access": "r"}])")
                  .ok());
  ASSERT_EQ(open_in_cgroup("/dev/kmsg", O_RDONLY), 0);
  // the same cgroup again, now without /dev/kmsg and without /dev/full
  Status applied = apply(R"([{"allow": false, "access": "rwm"},
      {"allow": false, "type": "c", "major": 1, "minor": 7, "access": "rwm"}])");
  ASSERT_TRUE(applied.ok()) << applied.error().text();
  EXPECT_EQ(attached_programs(), 1u);
  EXPECT_EQ(open_in_cgroup("/dev/kmsg", O_RDONLY), EPERM);
  EXPECT_EQ(open_in_cgroup("/dev/null", O_RDWR), 0);
}

TEST_F(DeviceFilterKernel, AllowAllLetsEveryDeviceThrough) {
  ASSERT_TRUE(apply(R"([{"allow": true, "access": "rwm"}])").ok());
  EXPECT_EQ(open_in_cgroup("/dev/kmsg", O_RDONLY), 0);
}

TEST_F(DeviceFilterKernel, SeveralOldProgramsAreAllDetached) {
  // Two programs attached by someone else (as a crashed earlier run might leave them).
  linux::UniqueFd dir(::openat(root_.get(), rel_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  for (int i = 0; i < 2; ++i) {
    auto fd = linux::bpf_load_cgroup_device_program(device_filter_program(DevicePolicy{true, {}}),
                                                    kDeviceFilterLicense);
    ASSERT_TRUE(fd.ok()) << fd.error().text();
    ASSERT_TRUE(linux::bpf_attach_cgroup_device(dir.get(), fd->get(), -1).ok());
  }
  ASSERT_EQ(attached_programs(), 2u);
  ASSERT_TRUE(apply(R"([{"allow": false, "access": "rwm"}])").ok());
  EXPECT_EQ(attached_programs(), 1u);
  EXPECT_EQ(open_in_cgroup("/dev/kmsg", O_RDONLY), EPERM);
}

}  // namespace
}  // namespace nook::cgroup
