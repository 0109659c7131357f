// Where a process runs and where its memory lives: sched_setattr(2), ioprio_set(2),
// set_mempolicy(2) and sched_setaffinity(2) on the calling process, with the masks they take.
// glibc 2.36 wraps none but the last. Safe post-clone: no allocation; errors are -errno.
#pragma once

#include <sys/types.h>

#include <cstdint>

namespace nook::linux {

// A set of CPUs or NUMA nodes, bit N for CPU (node) N, laid out as the kernel's masks.
inline constexpr unsigned kMaskBits = 1024;
struct BitMask {
  uint64_t words[kMaskBits / 64] = {};
  void set(unsigned bit) { words[bit / 64] |= uint64_t{1} << (bit % 64); }
  bool test(unsigned bit) const { return words[bit / 64] >> (bit % 64) & 1; }
  bool empty() const;
};
// Every CPU: sched_setaffinity(2) keeps of it what the process's cpuset allows.
BitMask full_mask();

// struct sched_attr of sched_setattr(2) (include/uapi/linux/sched/types.h), SCHED_ATTR_SIZE_VER1
// as runc passes it.
struct SchedAttr {
  uint32_t size;
  uint32_t policy;
  uint64_t flags;
  int32_t nice;
  uint32_t priority;
  uint64_t runtime, deadline, period;  // ns, SCHED_DEADLINE
  uint32_t util_min, util_max;         // with SCHED_FLAG_UTIL_CLAMP_*: the spec has no values
};

int set_scheduler(const SchedAttr& attr);
// `ioprio` is (class << 13) | level, for this process (what it forks inherits it).
int set_io_priority(int ioprio);
// `mode` carries the MPOL_F_* flags; `nodes` may be empty (MPOL_DEFAULT, MPOL_LOCAL).
int set_memory_policy(int mode, const BitMask& nodes);
int set_affinity(pid_t pid, const BitMask& cpus);

}  // namespace nook::linux
