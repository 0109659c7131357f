// linux.resources: the typed model, its decoder with validation errors naming the field, the
// pure translation into cgroupfs file writes for v1, v2 and hybrid (runc 1.1 semantics), and
// apply_resources, which writes them through the cgroupfs root dirfd and, on pure v2, attaches
// the device rules as a BPF program (device_filter.h).
// Parent-side only; never post-clone.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "nook/base/result.h"
#include "nook/cgroup/device_filter.h"
#include "nook/cgroup/device_rules.h"
#include "nook/cgroup/manager.h"

namespace nook::cgroup {

// As in runc's libcontainer configs, a 0 in a plain integer field means "not set" (runc writes
// nothing for it); std::optional marks the fields where 0 is a value of its own.
struct MemoryResources {
  int64_t limit = 0;                   // bytes, -1 unlimited
  int64_t reservation = 0;             // soft limit (v1) / memory.low (v2), -1 unlimited
  int64_t swap = 0;                    // memory+swap as on v1, -1 unlimited
  // kernel and kernelTCP: validated, then ignored with runc 1.1's warning
  // (kKernelMemoryIgnored): kmem limits are gone from the kernel, and runc 1.1 dropped both.
  int64_t kernel = 0;
  int64_t kernel_tcp = 0;
  std::optional<uint64_t> swappiness;  // 0..100 (-1 in the JSON reads as unset)
  bool disable_oom_killer = false;
  bool use_hierarchy = false;        // accepted and ignored (always hierarchical since 5.x)
  bool check_before_update = false;  // only meaningful for `update`
};

struct CpuResources {
  uint64_t shares = 0;  // 2..262144; v2: converted to cpu.weight
  int64_t quota = 0;    // µs per period, -1 unlimited
  std::optional<uint64_t> burst;
  uint64_t period = 0;
  int64_t realtime_runtime = 0;  // v1 only
  uint64_t realtime_period = 0;  // v1 only
  std::string cpus, mems;        // cpuset lists, written verbatim
  std::optional<int64_t> idle;
};

struct WeightDevice {
  int64_t major = 0, minor = 0;
  uint16_t weight = 0, leaf_weight = 0;  // 0: not set
};

struct ThrottleDevice {
  int64_t major = 0, minor = 0;
  uint64_t rate = 0;
};

struct BlockIoResources {
  uint16_t weight = 0, leaf_weight = 0;  // 10..1000, 0: not set
  std::vector<WeightDevice> weight_device;
  std::vector<ThrottleDevice> throttle_read_bps, throttle_write_bps, throttle_read_iops,
      throttle_write_iops;
};

struct HugepageLimit {
  std::string page_size;  // "2MB", "1GB", "64KB"
  uint64_t limit = 0;
};

struct InterfacePriority {
  std::string name;
  uint32_t priority = 0;
};

struct NetworkResources {
  uint32_t class_id = 0;  // 0: not set
  std::vector<InterfacePriority> priorities;
};

struct RdmaLimit {
  std::string device;
  std::optional<uint32_t> hca_handles, hca_objects;
};

struct Resources {
  MemoryResources memory;
  CpuResources cpu;
  std::optional<int64_t> pids_limit;  // 0 or negative: "max"
  BlockIoResources block_io;
  std::vector<HugepageLimit> hugepage_limits;
  NetworkResources network;
  std::vector<RdmaLimit> rdma;                               // document order
  std::vector<std::pair<std::string, std::string>> unified;  // document order
  std::vector<DeviceRule> devices;                           // linux.resources.devices only
  // `update` leaves the device rules as they are (runc's SkipDevices): without it, the v1 plan
  // rewrites them from `devices` and the defaults, dropping what create allowed.
  bool skip_devices = false;
};

// What runc 1.1 logs (as a warning) when a config or `update` asks for a kernel memory limit.
inline constexpr char kKernelMemoryIgnored[] =
    "Kernel memory settings are ignored and will be removed";

// Decodes the raw `linux.resources` object (spec::Config::linux.resources_json); "" gives the
// empty Resources. Errors name the field: "linux.resources.cpu.shares: must be at least 2".
// Unknown members are ignored and null reads as absent, as with runc's Go decoder.
Result<Resources> parse_resources(std::string_view json);

// runc's shares → cpu.weight: 1 + ((shares - 2) * 9999) / 262142; 0 stays 0.
uint64_t shares_to_weight(uint64_t shares);
// runc's blkio weight (10..1000) → io.weight (1..10000): 1 + ((weight - 10) * 9999) / 990.
uint64_t blkio_weight_to_io_weight(uint64_t weight);

// Which tree a write goes to: the v1 hierarchy holding `controller`, or the cgroup2 tree (the
// cgroupfs root on v2, "unified" on hybrid).
enum class Tree { V1, Unified };

struct FileWrite {
  Tree tree = Tree::V1;
  std::string controller;  // "memory", "net_cls", …; "" for cgroup2 core files (cgroup.*)
  std::string file;        // "memory.limit_in_bytes"
  std::string value;
  std::string field;  // the config field it comes from, for errors: "linux.resources.pids"
  // Skipped without error when the controller is missing: the default device rules.
  bool optional = false;

  bool operator==(const FileWrite&) const = default;
};

// What the translation needs to know about the host and the new cgroup; apply_resources reads
// it from the tree, tests set it.
struct HostFacts {
  Layout layout = Layout::V1;
  // v1: the cgroup's current memory.limit_in_bytes; it orders the limit and memsw writes.
  uint64_t memory_limit = UINT64_MAX;
  bool has_memsw = true;   // v1: memory.memsw.limit_in_bytes exists (swap accounting on)
  bool blkio_bfq = false;  // v1: blkio.bfq.weight instead of blkio.weight (BFQ scheduler)
  bool v1_hugetlb = true;  // hybrid: hugetlb has a v1 hierarchy; else it goes to "unified"
};

// Pure: the file writes for `resources`, in the order they must happen. Errors for what the
// layout cannot express (unified keys on pure v1, network or realtime on v2, swap without swap
// accounting) and for device rules runc refuses (device_rules.h). Device rules on pure v2 are
// no file writes: apply_resources installs them as a program.
Result<std::vector<FileWrite>> plan_writes(const Resources& resources, const HostFacts& host);

// Applies `resources` to the cgroup of `placement`, created but not yet joined. Reads the
// HostFacts from the tree, then checks that every requested controller is mounted (v1) or
// available (cgroup2) before writing anything; on cgroup2 it enables the needed controllers
// in the ancestors' cgroup.subtree_control. Always sets the device rules (runc does) where
// the devices controller is mounted, or on pure v2 with `install_filter` (the BPF device
// program replacing the cgroup's previous one), so call it even when `linux.resources` is
// absent; `skip_devices` turns that off.
// Layout::Disabled does nothing.
Status apply_resources(int cgroupfs_root_fd, const Placement& placement, const Resources& resources,
                       const DeviceFilterInstaller& install_filter = install_device_filter);

}  // namespace nook::cgroup
