// Scheduling, io priority, memory policy and CPU affinity of the calling process.
#include "nook/linux/sched.h"

#include <sched.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace nook::linux {
namespace {

constexpr int kIoprioWhoProcess = 1;  // IOPRIO_WHO_PROCESS

int result(long rc) {
  return rc < 0 ? -errno : 0;
}

}  // namespace

bool BitMask::empty() const {
  for (uint64_t w : words)
    if (w) return false;
  return true;
}

BitMask full_mask() {
  BitMask m;
  std::memset(m.words, 0xff, sizeof m.words);
  return m;
}

int set_scheduler(const SchedAttr& attr) {
  static_assert(sizeof(SchedAttr) == 56, "SCHED_ATTR_SIZE_VER1");
  SchedAttr a = attr;
  a.size = sizeof a;
  return result(syscall(SYS_sched_setattr, 0, &a, 0));
}

int set_io_priority(int ioprio) {
  return result(syscall(SYS_ioprio_set, kIoprioWhoProcess, 0, ioprio));
}

int set_memory_policy(int mode, const BitMask& nodes) {
  // maxnode counts bits; the kernel reads one fewer than it says (mm/mempolicy.c).
  bool none = nodes.empty();
  return result(
      syscall(SYS_set_mempolicy, mode, none ? nullptr : nodes.words, none ? 0UL : kMaskBits + 1));
}

int set_affinity(pid_t pid, const BitMask& cpus) {
  return result(syscall(SYS_sched_setaffinity, pid, sizeof cpus.words, cpus.words));
}

}  // namespace nook::linux
