// Security labels against the host's LSMs: runc's AppArmor and SELinux probes on fake /sys trees
// and the errors naming the field or flag, for hosts with and without each LSM. No root.
#include "nook/runtime/lsm.h"

#include <gtest/gtest.h>

#include "fakes/cgroupfs.h"

namespace nook::runtime {
namespace {

// The fake cgroupfs is just a temp dir of files: here it stands in for "/".
using RootTree = fakes::FakeCgroupfs;

std::string error_of(const Status& s) {
  return s.ok() ? "ok" : s.error().text();
}

TEST(LsmProbe, NoSecurityfsMeansNeither) {
  RootTree root;
  root.mkdir("sys/kernel/security");  // this machine: securityfs not mounted
  LsmHost host = probe_lsm_at(root.fd());
  EXPECT_FALSE(host.apparmor);
  EXPECT_FALSE(host.selinux);
}

TEST(LsmProbe, AppArmorNeedsSecurityfsAndTheModuleEnabled) {
  RootTree root;
  root.mkdir("sys/kernel/security/apparmor");
  root.write("sys/module/apparmor/parameters/enabled", "N\n");
  EXPECT_FALSE(probe_lsm_at(root.fd()).apparmor);
  root.write("sys/module/apparmor/parameters/enabled", "Y\n");
  EXPECT_TRUE(probe_lsm_at(root.fd()).apparmor);
}

TEST(LsmProbe, SelinuxWhenSelinuxfsIsMounted) {
  RootTree root;
  root.write("sys/fs/selinux/enforce", "1");
  EXPECT_TRUE(probe_lsm_at(root.fd()).selinux);
}

TEST(LsmCheck, EmptyLabelsAreUnset) {
  EXPECT_EQ(error_of(check_apparmor_profile("", "--apparmor", LsmHost{})), "ok");
  EXPECT_EQ(error_of(check_selinux_label("", "--process-label", LsmHost{})), "ok");
  EXPECT_EQ(error_of(check_config_labels(spec::Config{}, LsmHost{})), "ok");
}

TEST(LsmCheck, LabelsFailNamingTheFieldWhereTheLsmIsOff) {
  EXPECT_EQ(error_of(check_apparmor_profile("unconfined", "--apparmor", LsmHost{})),
            "--apparmor: AppArmor is not enabled on this host");
  spec::Config c;
  c.process.emplace();
  c.process->selinux_label = "system_u:system_r:container_t:s0";
  EXPECT_EQ(error_of(check_config_labels(c, LsmHost{})),
            "process.selinuxLabel: SELinux is disabled or not supported on this host");
  c.process->selinux_label.clear();
  c.linux.mount_label = "system_u:object_r:container_file_t:s0";
  EXPECT_EQ(error_of(check_config_labels(c, LsmHost{})),
            "linux.mountLabel: SELinux is disabled or not supported on this host");
  c.process->apparmor_profile = "docker-default";
  EXPECT_EQ(error_of(check_config_labels(c, LsmHost{})),
            "process.apparmorProfile: AppArmor is not enabled on this host");
}

TEST(LsmCheck, WhereTheLsmIsOnNookSaysItCannotApplyTheLabel) {
  LsmHost both{true, true};
  EXPECT_EQ(error_of(check_apparmor_profile("docker-default", "process.apparmorProfile", both)),
            "process.apparmorProfile: AppArmor profiles are not supported by nook yet");
  EXPECT_EQ(error_of(check_selinux_label("x", "linux.mountLabel", both)),
            "linux.mountLabel: SELinux labels are not supported by nook yet");
  // one LSM on says nothing about the other
  EXPECT_EQ(error_of(check_selinux_label("x", "--process-label", LsmHost{true, false})),
            "--process-label: SELinux is disabled or not supported on this host");
}

}  // namespace
}  // namespace nook::runtime
