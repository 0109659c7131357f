// What `update` writes: the `--resources` JSON cut down to the fields runc 1.1's update takes,
// with the individual flags over it, and runc's size syntax for the memory flags (go-units
// RAMInBytes). Pure: no I/O, unit-tested; update.cc reads the input and applies the result.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "nook/base/result.h"
#include "nook/cgroup/resources.h"

namespace nook::runtime {

// The individual flags of `update` as given; "" is "not given", as runc reads them.
struct UpdateFlags {
  std::string blkio_weight;
  std::string cpu_period, cpu_quota, cpu_share, cpu_burst, cpu_idle;
  std::string cpu_rt_period, cpu_rt_runtime;
  std::string cpuset_cpus, cpuset_mems;
  std::string memory, memory_reservation, memory_swap;  // sizes: "64m", "1.5g", "-1"
  std::string kernel_memory, kernel_memory_tcp;         // accepted and ignored, as runc 1.1
  std::string pids_limit;
  std::string l3_cache_schema, mem_bw_schema;  // lines for the resctrl group's schemata
};

struct UpdatePlan {
  cgroup::Resources resources;  // skip_devices is set: update never touches device rules
  // A kernel memory limit was asked for (flag or JSON): runc warns and ignores it.
  bool kernel_memory_ignored = false;
  // --l3-cache-schema and --mem-bw-schema, in that order: the flag and its schemata line.
  std::vector<std::pair<std::string, std::string>> schemata;
};

// go-units RAMInBytes as runc's `update` uses it, with "-1" for unlimited: digits with an
// optional fraction, one optional space, an optional unit k/m/g/t/p (powers of 1024, any case)
// followed by an optional `i` and an optional `b`: "64m", "1.5g", "10 MiB", "4096". Errors:
// ``invalid size `10x```.
Result<int64_t> parse_memory_size(std::string_view text);

// The resources `update` applies. From `resources_json` (a linux.resources object, "" for
// none) it keeps what runc's update takes: memory limit, reservation, swap and
// checkBeforeUpdate, all of cpu, blockIO weight, pids limit (0 leaves it as it is) and
// unified; the rest (devices, hugepages, network, rdma, the other blockIO and memory fields)
// is ignored as runc does. Then every given flag overrides its field; errors name the flag:
// ``--cpu-share: must be at least 2``.
Result<UpdatePlan> update_resources(std::string_view resources_json, const UpdateFlags& flags);

}  // namespace nook::runtime
