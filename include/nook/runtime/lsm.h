// Security labels (process.apparmorProfile, process.selinuxLabel, linux.mountLabel, and exec's
// --apparmor and --process-label) against the LSMs this host runs. nook applies none of them:
// where the LSM is off it refuses the label as runc 1.1.5 does (runc fails writing
// /proc/self/attr/exec, or its validator refuses), and where the LSM is on it refuses it as
// not supported rather than run the process unconfined. Parent-side.
#pragma once

#include <string_view>

#include "nook/base/result.h"
#include "nook/spec/config.h"

namespace nook::runtime {

struct LsmHost {
  bool apparmor = false;
  bool selinux = false;
};

// runc's probes, under `root_fd` (the host's "/"; a temp dir in tests): AppArmor when
// sys/kernel/security/apparmor exists and sys/module/apparmor/parameters/enabled says `Y`;
// SELinux when selinuxfs is mounted (sys/fs/selinux/enforce exists).
LsmHost probe_lsm_at(int root_fd);
// probe_lsm_at on "/".
LsmHost probe_lsm();

// Pure: an error naming `field` ("process.apparmorProfile", "--apparmor") when `profile` is set;
// an empty one is unset and fine.
Status check_apparmor_profile(std::string_view profile, std::string_view field,
                              const LsmHost& host);
// The same for an SELinux label (process.selinuxLabel, --process-label, linux.mountLabel).
Status check_selinux_label(std::string_view label, std::string_view field, const LsmHost& host);
// The three labels of a config.
Status check_config_labels(const spec::Config& c, const LsmHost& host);

}  // namespace nook::runtime
