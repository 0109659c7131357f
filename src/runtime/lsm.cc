// Security labels against the host's LSMs: runc 1.1.5's AppArmor and SELinux probes and the
// refusals that stand in for applying a label (checked against runc on a host with neither).
// Parent-side.
#include "nook/runtime/lsm.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>

#include "nook/linux/fd.h"

namespace nook::runtime {

namespace {

bool exists_at(int root_fd, const char* rel) {
  struct stat st;
  return ::fstatat(root_fd, rel, &st, 0) == 0;
}

bool first_byte_is_y_at(int root_fd, const char* rel) {
  linux::UniqueFd fd(::openat(root_fd, rel, O_RDONLY | O_CLOEXEC));
  char c = 0;
  return fd && ::read(fd.get(), &c, 1) == 1 && c == 'Y';
}

Error label_error(std::string_view field, std::string_view what) {
  return make_error(std::string(field) + ": " + std::string(what));
}

}  // namespace

LsmHost probe_lsm_at(int root_fd) {
  LsmHost host;
  host.apparmor = exists_at(root_fd, "sys/kernel/security/apparmor") &&
                  first_byte_is_y_at(root_fd, "sys/module/apparmor/parameters/enabled");
  host.selinux = exists_at(root_fd, "sys/fs/selinux/enforce");
  return host;
}

LsmHost probe_lsm() {
  linux::UniqueFd root(::open("/", O_PATH | O_DIRECTORY | O_CLOEXEC));
  return root ? probe_lsm_at(root.get()) : LsmHost{};
}

Status check_apparmor_profile(std::string_view profile, std::string_view field,
                              const LsmHost& host) {
  if (profile.empty()) return ok_status();
  // runc 1.1.5 tries anyway and fails: "apparmor failed to apply profile: write
  // /proc/self/attr/exec: invalid argument".
  if (!host.apparmor) return label_error(field, "AppArmor is not enabled on this host");
  return label_error(field, "AppArmor profiles are not supported by nook yet");
}

Status check_selinux_label(std::string_view label, std::string_view field, const LsmHost& host) {
  if (label.empty()) return ok_status();
  // runc 1.1.5: "selinux label is specified in config, but selinux is disabled or not
  // supported"; its mountLabel fails the first labelled mount (context= is EINVAL).
  if (!host.selinux) return label_error(field, "SELinux is disabled or not supported on this host");
  return label_error(field, "SELinux labels are not supported by nook yet");
}

Status check_config_labels(const spec::Config& c, const LsmHost& host) {
  if (c.process) {
    NOOK_TRY(check_apparmor_profile(c.process->apparmor_profile, "process.apparmorProfile", host));
    NOOK_TRY(check_selinux_label(c.process->selinux_label, "process.selinuxLabel", host));
  }
  return check_selinux_label(c.linux.mount_label, "linux.mountLabel", host);
}

}  // namespace nook::runtime
