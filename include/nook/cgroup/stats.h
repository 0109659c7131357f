// Resource usage of a container's cgroup in the shape of runc 1.1's `events --stats` data:
// readers for cgroup v1 (one hierarchy per controller, as runc's fs manager) and v2 (the
// fs2 files: cpu.stat, memory.*, pids.*, io.stat, hugetlb.*) into one Stats struct, and its
// JSON with runc's key names and omissions. All reads go through the cgroupfs root dirfd.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "nook/base/result.h"
#include "nook/cgroup/manager.h"

namespace nook::json {
class Writer;
}

namespace nook::cgroup {

struct MemoryEntry {
  uint64_t limit = 0;
  uint64_t usage = 0;
  uint64_t max = 0;
  uint64_t failcnt = 0;
};

struct BlkioEntry {
  uint64_t major = 0;
  uint64_t minor = 0;
  std::string op;
  uint64_t value = 0;
};

// runc's blkio lists, in its JSON order.
enum class BlkioKind {
  ServiceBytes,
  Serviced,
  Queued,
  ServiceTime,
  WaitTime,
  Merged,
  Time,
  Sectors,
};
inline constexpr size_t kBlkioKinds = 8;

struct HugetlbEntry {
  uint64_t usage = 0;
  uint64_t max = 0;
  uint64_t failcnt = 0;
};

struct CpusetStats {
  std::vector<uint64_t> cpus;
  std::vector<uint64_t> mems;
  uint64_t cpu_exclusive = 0;
  uint64_t mem_hardwall = 0;
  uint64_t mem_exclusive = 0;
  uint64_t memory_migrate = 0;
  uint64_t memory_spread_page = 0;
  uint64_t memory_spread_slab = 0;
  uint64_t memory_pressure = 0;
  uint64_t sched_load_balance = 0;
  int64_t sched_relax_domain_level = 0;
};

struct Stats {
  struct {
    uint64_t total = 0;  // nanoseconds
    std::vector<uint64_t> percpu, percpu_kernel, percpu_user;
    uint64_t kernel = 0;
    uint64_t user = 0;
    uint64_t periods = 0;
    uint64_t throttled_periods = 0;
    uint64_t throttled_time = 0;  // nanoseconds
  } cpu;
  CpusetStats cpuset;
  struct {
    uint64_t cache = 0;
    MemoryEntry usage, swap, kernel, kernel_tcp;
    std::map<std::string, uint64_t> raw;  // memory.stat
  } memory;
  struct {
    uint64_t current = 0;
    uint64_t limit = 0;  // 0: no limit ("max"), as runc
  } pids;
  std::array<std::vector<BlkioEntry>, kBlkioKinds> blkio;
  std::map<std::string, HugetlbEntry> hugetlb;  // by page size, "2MB"
};

// The stats of the cgroup at `placement` (v1 and hybrid read the v1 hierarchies, v2 the
// unified one). A controller or file the kernel does not offer reads as zero, as in runc.
Result<Stats> read_stats_at(int root_fd, const Placement& placement);
Result<Stats> read_v1_stats_at(int root_fd, const Placement& placement);
Result<Stats> read_v2_stats_at(int root_fd, const std::string& rel);

// Writes `s` as runc's types.Stats object (the `data` of a stats event).
void write_stats(json::Writer& w, const Stats& s);

}  // namespace nook::cgroup
