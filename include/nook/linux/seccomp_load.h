// Loading a compiled seccomp BPF program with the raw seccomp(2) syscall. Runs post-clone in the
// child: no allocation, no libseccomp, errors as -errno. The program comes from
// seccomp::compile() in the parent.
#pragma once

#include <linux/filter.h>

#include <cstddef>

namespace nook::linux {

// seccomp(SECCOMP_SET_MODE_FILTER, flags, prog). Needs no_new_privs or CAP_SYS_ADMIN in the
// caller's user namespace (else -EACCES). Returns 0, or the listener fd when `flags` has
// SECCOMP_FILTER_FLAG_NEW_LISTENER, or -errno.
int load_seccomp(const sock_filter* prog, size_t len, unsigned flags);

// Whether the running kernel knows `flags` (a SECCOMP_FILTER_FLAG_* set). Probes with a null
// program, which the kernel rejects with EFAULT only after accepting the flags. Parent-side.
bool is_seccomp_flag_supported(unsigned flags);

}  // namespace nook::linux
