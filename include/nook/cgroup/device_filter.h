// cgroup v2 device rules: the BPF_PROG_TYPE_CGROUP_DEVICE program that enforces a
// DevicePolicy (built like runc's and crun's device filters), and installing it on a cgroup
// directory in place of the device programs attached there before. Generation is pure;
// installing goes through linux/bpf.h. Parent-side only.
#pragma once

#include <linux/bpf.h>

#include <functional>
#include <vector>

#include "nook/base/result.h"
#include "nook/cgroup/device_rules.h"

namespace nook::cgroup {

// The license the program is loaded under (nook's); it calls no GPL-only helper.
inline constexpr char kDeviceFilterLicense[] = "Apache-2.0";

// Pure: the program for `policy`. It reads struct bpf_cgroup_dev_ctx from r1 (device type in
// the low 16 bits of access_type, the access bits in the high 16, then major and minor) and
// returns 1 (allow) or 0 (deny, the process sees EPERM): the first exception that matches
// decides (the exceptions of a policy all reverse its default, so their order does not
// matter), else the default. It uses only 32-bit loads, ALU32 and, mov, rsh, JMP32 jeq/jne
// and exit.
std::vector<bpf_insn> device_filter_program(const DevicePolicy& policy);

// Loads `program` and attaches it to the cgroup2 directory `cgroup_fd` (BPF_F_ALLOW_MULTI),
// then detaches the device programs that were attached to that directory before, so the
// cgroup is never without a filter: one old program is swapped atomically (BPF_F_REPLACE),
// several (which runc also cleans up) after the new one is in.
Status install_device_filter(int cgroup_fd, const std::vector<bpf_insn>& program);

// What apply_resources calls to install a device program; tests pass a recorder.
using DeviceFilterInstaller =
    std::function<Status(int cgroup_fd, const std::vector<bpf_insn>& program)>;

}  // namespace nook::cgroup
