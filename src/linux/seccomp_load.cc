// The seccomp(2) calls: loading a filter (post-clone, the child's last step before execve, so
// nothing here may allocate or touch libseccomp) and probing which filter flags the kernel has.
#include "nook/linux/seccomp_load.h"

#include <errno.h>
#include <linux/seccomp.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <climits>

namespace nook::linux {

int load_seccomp(const sock_filter* prog, size_t len, unsigned flags) {
  // sock_fprog.len is an unsigned short; the kernel's own limit (BPF_MAXINSNS) is lower still.
  if (prog == nullptr || len == 0 || len > USHRT_MAX) return -EINVAL;
  sock_fprog fprog{};
  fprog.len = static_cast<unsigned short>(len);
  fprog.filter = const_cast<sock_filter*>(prog);  // the kernel only reads it
  long rc = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &fprog);
  if (rc < 0) return -errno;
  return static_cast<int>(rc);
}

bool is_seccomp_flag_supported(unsigned flags) {
  long rc = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, nullptr);
  return rc < 0 && errno == EFAULT;
}

}  // namespace nook::linux
