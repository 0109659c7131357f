// The raw bpf(2) calls behind cgroup v2 device rules: loading a BPF_PROG_TYPE_CGROUP_DEVICE
// program, listing, attaching and detaching the device programs of a cgroup directory. The
// programs come from cgroup::device_filter_program; policy (what to replace) lives in
// src/cgroup/device_filter_attach.cc. Parent-side only; needs CAP_SYS_ADMIN (or CAP_BPF).
#pragma once

#include <linux/bpf.h>

#include <cstdint>
#include <vector>

#include "nook/base/result.h"
#include "nook/linux/fd.h"

namespace nook::linux {

// BPF_PROG_LOAD of a cgroup device program. On a verifier rejection the error carries the
// verifier's last log line.
Result<UniqueFd> bpf_load_cgroup_device_program(const std::vector<bpf_insn>& program,
                                                const char* license);

// BPF_PROG_QUERY: the ids of the device programs attached to the cgroup directory itself (not
// inherited from its ancestors).
Result<std::vector<uint32_t>> bpf_cgroup_device_program_ids(int cgroup_fd);

// BPF_PROG_GET_FD_BY_ID; ENOENT when the program is gone meanwhile.
Result<UniqueFd> bpf_program_fd(uint32_t id);

// BPF_PROG_ATTACH with BPF_F_ALLOW_MULTI (as runc and systemd attach theirs), and with
// BPF_F_REPLACE when `replace_fd` >= 0: the kernel swaps that program for the new one at once
// (Linux 5.6).
Status bpf_attach_cgroup_device(int cgroup_fd, int program_fd, int replace_fd);

// BPF_PROG_DETACH of one program from the cgroup directory.
Status bpf_detach_cgroup_device(int cgroup_fd, int program_fd);

}  // namespace nook::linux
