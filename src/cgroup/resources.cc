// linux.resources → cgroupfs: decoding and validation of the runtime-spec 1.2 object, the pure
// translation into ordered file writes (runc 1.1's libcontainer/cgroups/fs and fs2 semantics),
// and apply_resources, which resolves every write to a directory, enables cgroup2 controllers
// and writes through the root dirfd. Must not place or move processes (the managers do).
// Parent-side only; never post-clone.
#include "nook/cgroup/resources.h"

#include <fcntl.h>
#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <type_traits>
#include <utility>

#include "nook/cgroup/cgroupfs.h"
#include "nook/json/decode.h"
#include "nook/json/json.h"

namespace nook::cgroup {

namespace {

using namespace json;  // the field-path decoders: read(), expect(), field_error(), ...

constexpr std::string_view kRoot = "linux.resources";
constexpr std::string_view kMemory = "linux.resources.memory";
constexpr std::string_view kCpu = "linux.resources.cpu";
constexpr std::string_view kPids = "linux.resources.pids";
constexpr std::string_view kBlockIo = "linux.resources.blockIO";
constexpr std::string_view kHugepages = "linux.resources.hugepageLimits";
constexpr std::string_view kNetwork = "linux.resources.network";
constexpr std::string_view kRdma = "linux.resources.rdma";
constexpr std::string_view kUnified = "linux.resources.unified";
constexpr std::string_view kDevices = "linux.resources.devices";

// Kernel bounds that runc leaves to the kernel; checked here so the error names the field.
constexpr uint64_t kMinShares = 2, kMaxShares = 262144;  // kernel/sched MIN/MAX_SHARES
constexpr int64_t kMinQuota = 1000;                      // 1 ms
constexpr uint64_t kMinPeriod = 1000, kMaxPeriod = 1000000;
constexpr uint16_t kMinBlkioWeight = 10, kMaxBlkioWeight = 1000;
constexpr uint64_t kMaxSwappiness = 100;

// A name written into a one-line control file ("eth0 5", "mlx4_0 hca_handle=2"): whitespace
// in it would smuggle a second entry.
bool is_plain_name(std::string_view name) {
  return !name.empty() && name.find_first_of(" \t\n") == std::string_view::npos;
}

// ---- validation helpers ---------------------------------------------------------------------

// A byte count or limit where -1 means unlimited and 0 means unset.
Status check_limit(int64_t value, std::string_view path) {
  if (value < -1) return field_error(path, "must be positive, or -1 for unlimited");
  return ok_status();
}

Status check_blkio_weight(uint16_t weight, std::string_view path) {
  if (weight != 0 && (weight < kMinBlkioWeight || weight > kMaxBlkioWeight)) {
    return field_error(path, "must be between 10 and 1000");
  }
  return ok_status();
}

Status check_device_number(int64_t number, std::string_view path) {
  if (number < 0) return field_error(path, "must not be negative");
  return ok_status();
}

// "2MB", "64KB", "1GB": the <size> part of hugetlb.<size>.limit_in_bytes.
bool is_page_size(std::string_view s) {
  if (s.size() < 3 || !s.ends_with("B")) return false;
  char unit = s[s.size() - 2];
  if (unit != 'K' && unit != 'M' && unit != 'G') return false;
  std::string_view digits = s.substr(0, s.size() - 2);
  return digits.find_first_not_of("0123456789") == std::string_view::npos;
}

// ---- decoders, one per member of linux.resources --------------------------------------------

Status decode_memory(Value v, MemoryResources& m) {
  std::string_view p = kMemory;
  NOOK_TRY(read(v, "limit", p, m.limit));
  NOOK_TRY(read(v, "reservation", p, m.reservation));
  NOOK_TRY(read(v, "swap", p, m.swap));
  NOOK_TRY(read(v, "kernel", p, m.kernel));
  NOOK_TRY(read(v, "kernelTCP", p, m.kernel_tcp));
  NOOK_TRY(read(v, "disableOOMKiller", p, m.disable_oom_killer));
  NOOK_TRY(read(v, "useHierarchy", p, m.use_hierarchy));
  NOOK_TRY(read(v, "checkBeforeUpdate", p, m.check_before_update));
  // Docker has sent -1 for "unset", and runc skips uint64(-1); accept both spellings.
  if (Value s = v.get("swappiness"); !is_absent(s)) {
    std::string sp = member_path(p, "swappiness");
    NOOK_TRY(expect(s, Kind::Number, sp));
    auto as_signed = json::to_int64(s);
    auto as_unsigned = json::to_uint64(s);
    bool unset = (as_signed && *as_signed == -1) || (as_unsigned && *as_unsigned == UINT64_MAX);
    if (!unset) {
      uint64_t swappiness = NOOK_TRY(to_int<uint64_t>(s, sp));
      if (swappiness > kMaxSwappiness) return field_error(sp, "must be between 0 and 100");
      m.swappiness = swappiness;
    }
  }
  NOOK_TRY(check_limit(m.limit, member_path(p, "limit")));
  NOOK_TRY(check_limit(m.reservation, member_path(p, "reservation")));
  NOOK_TRY(check_limit(m.swap, member_path(p, "swap")));
  NOOK_TRY(check_limit(m.kernel_tcp, member_path(p, "kernelTCP")));
  // swap is memory+swap (the v1 meaning): the kernel refuses it below the memory limit, and
  // v2's memory.swap.max = swap - limit needs a limit (runc's ConvertMemorySwapToCgroupV2Value).
  if (m.swap > 0) {
    std::string sp = member_path(p, "swap");
    if (m.limit <= 0) return field_error(sp, "needs a positive linux.resources.memory.limit");
    if (m.swap < m.limit) {
      return field_error(sp,
                         "must be at least linux.resources.memory.limit (it counts memory "
                         "plus swap)");
    }
  }
  return ok_status();
}

Status decode_cpu(Value v, CpuResources& c) {
  std::string_view p = kCpu;
  NOOK_TRY(read(v, "shares", p, c.shares));
  NOOK_TRY(read(v, "quota", p, c.quota));
  NOOK_TRY(read(v, "burst", p, c.burst));
  NOOK_TRY(read(v, "period", p, c.period));
  NOOK_TRY(read(v, "realtimeRuntime", p, c.realtime_runtime));
  NOOK_TRY(read(v, "realtimePeriod", p, c.realtime_period));
  NOOK_TRY(read(v, "cpus", p, c.cpus));
  NOOK_TRY(read(v, "mems", p, c.mems));
  NOOK_TRY(read(v, "idle", p, c.idle));
  // 0 is "unset" for shares, as in runc; the kernel clamps the rest, which runc reports as an
  // error after reading the value back.
  if (c.shares != 0 && c.shares < kMinShares) {
    return field_error(member_path(p, "shares"), "must be at least 2");
  }
  if (c.shares > kMaxShares) {
    return field_error(member_path(p, "shares"), "must be at most 262144");
  }
  if (c.quota < -1 || (c.quota > 0 && c.quota < kMinQuota)) {
    return field_error(member_path(p, "quota"), "must be at least 1000 (µs), or -1 for unlimited");
  }
  if (c.period != 0 && (c.period < kMinPeriod || c.period > kMaxPeriod)) {
    return field_error(member_path(p, "period"), "must be between 1000 and 1000000 (µs)");
  }
  NOOK_TRY(check_limit(c.realtime_runtime, member_path(p, "realtimeRuntime")));
  if (c.idle && *c.idle != 0 && *c.idle != 1) {
    return field_error(member_path(p, "idle"), "must be 0 or 1");
  }
  return ok_status();
}

Result<ThrottleDevice> decode_throttle(Value v, const std::string& path) {
  ThrottleDevice d;
  for (const char* key : {"major", "minor", "rate"}) NOOK_TRY(require(v, key, path));
  NOOK_TRY(read(v, "major", path, d.major));
  NOOK_TRY(read(v, "minor", path, d.minor));
  NOOK_TRY(read(v, "rate", path, d.rate));
  NOOK_TRY(check_device_number(d.major, member_path(path, "major")));
  NOOK_TRY(check_device_number(d.minor, member_path(path, "minor")));
  return d;
}

Result<WeightDevice> decode_weight_device(Value v, const std::string& path) {
  WeightDevice d;
  for (const char* key : {"major", "minor"}) NOOK_TRY(require(v, key, path));
  NOOK_TRY(read(v, "major", path, d.major));
  NOOK_TRY(read(v, "minor", path, d.minor));
  NOOK_TRY(read(v, "weight", path, d.weight));
  NOOK_TRY(read(v, "leafWeight", path, d.leaf_weight));
  NOOK_TRY(check_device_number(d.major, member_path(path, "major")));
  NOOK_TRY(check_device_number(d.minor, member_path(path, "minor")));
  NOOK_TRY(check_blkio_weight(d.weight, member_path(path, "weight")));
  NOOK_TRY(check_blkio_weight(d.leaf_weight, member_path(path, "leafWeight")));
  return d;
}

Status decode_block_io(Value v, BlockIoResources& b) {
  std::string_view p = kBlockIo;
  NOOK_TRY(read(v, "weight", p, b.weight));
  NOOK_TRY(read(v, "leafWeight", p, b.leaf_weight));
  NOOK_TRY(check_blkio_weight(b.weight, member_path(p, "weight")));
  NOOK_TRY(check_blkio_weight(b.leaf_weight, member_path(p, "leafWeight")));
  NOOK_TRY(read_objects(v, "weightDevice", p, b.weight_device, decode_weight_device));
  NOOK_TRY(read_objects(v, "throttleReadBpsDevice", p, b.throttle_read_bps, decode_throttle));
  NOOK_TRY(read_objects(v, "throttleWriteBpsDevice", p, b.throttle_write_bps, decode_throttle));
  NOOK_TRY(read_objects(v, "throttleReadIOPSDevice", p, b.throttle_read_iops, decode_throttle));
  NOOK_TRY(read_objects(v, "throttleWriteIOPSDevice", p, b.throttle_write_iops, decode_throttle));
  return ok_status();
}

Result<HugepageLimit> decode_hugepage_limit(Value v, const std::string& path) {
  HugepageLimit h;
  NOOK_TRY(require(v, "pageSize", path));
  NOOK_TRY(require(v, "limit", path));
  NOOK_TRY(read(v, "pageSize", path, h.page_size));
  NOOK_TRY(read(v, "limit", path, h.limit));
  if (!is_page_size(h.page_size)) {
    return field_error(member_path(path, "pageSize"),
                       "expected a size like `2MB`, `1GB` or `64KB`, got `" + h.page_size + "`");
  }
  return h;
}

Result<InterfacePriority> decode_priority(Value v, const std::string& path) {
  InterfacePriority prio;
  NOOK_TRY(require(v, "name", path));
  NOOK_TRY(require(v, "priority", path));
  NOOK_TRY(read(v, "name", path, prio.name));
  NOOK_TRY(read(v, "priority", path, prio.priority));
  if (!is_plain_name(prio.name)) {
    return field_error(member_path(path, "name"), "must be an interface name without spaces");
  }
  return prio;
}

Status decode_network(Value v, NetworkResources& n) {
  NOOK_TRY(read(v, "classID", kNetwork, n.class_id));
  return read_objects(v, "priorities", kNetwork, n.priorities, decode_priority);
}

Status decode_rdma(Value v, std::vector<RdmaLimit>& out) {
  for (size_t i = 0; i < v.size(); ++i) {
    RdmaLimit limit;
    limit.device = std::string(v.key_at(i));
    std::string path = member_path(kRdma, limit.device);
    if (!is_plain_name(limit.device)) return field_error(path, "must be a device name");
    NOOK_TRY(expect(v.at(i), Kind::Object, path));
    NOOK_TRY(read(v.at(i), "hcaHandles", path, limit.hca_handles));
    NOOK_TRY(read(v.at(i), "hcaObjects", path, limit.hca_objects));
    out.push_back(std::move(limit));
  }
  return ok_status();
}

// A unified key names one file of the container's own cgroup: "memory.high", never a path.
Status check_unified_key(std::string_view key) {
  std::string path = member_path(kUnified, key);
  if (key.empty() || key == "." || key == ".." || key.find('/') != std::string_view::npos) {
    return field_error(path, "must be a file name of the cgroup, without `/` or `..`");
  }
  size_t dot = key.find('.');
  if (dot == 0 || dot == std::string_view::npos || dot + 1 == key.size()) {
    return field_error(path, "must have the form CONTROLLER.PARAMETER");
  }
  return ok_status();
}

Status decode_unified(Value v, std::vector<std::pair<std::string, std::string>>& out) {
  for (size_t i = 0; i < v.size(); ++i) {
    std::string_view key = v.key_at(i);
    NOOK_TRY(check_unified_key(key));
    NOOK_TRY(expect(v.at(i), Kind::String, member_path(kUnified, key)));
    out.emplace_back(std::string(key), std::string(v.at(i).string()));
  }
  return ok_status();
}

Result<DeviceRule> decode_device_rule(Value v, const std::string& path) {
  DeviceRule rule;
  // runc reads a missing `allow` as false (deny), the safe reading.
  NOOK_TRY(read(v, "allow", path, rule.allow));
  std::string type;
  NOOK_TRY(read(v, "type", path, type));
  if (type.empty()) type = "a";
  if (type != "a" && type != "b" && type != "c") {
    return field_error(member_path(path, "type"), "expected `a`, `b` or `c`, got `" + type + "`");
  }
  rule.type = type[0];
  NOOK_TRY(read(v, "major", path, rule.major));
  NOOK_TRY(read(v, "minor", path, rule.minor));
  // Device numbers are 32-bit in the kernel (and in the v2 program).
  for (auto [key, number] : {std::pair{"major", rule.major}, std::pair{"minor", rule.minor}}) {
    if (number < -1 || number > int64_t{UINT32_MAX}) {
      return field_error(member_path(path, key), "must be -1 (any) or between 0 and 4294967295");
    }
  }
  rule.access.clear();
  NOOK_TRY(read(v, "access", path, rule.access));
  std::string access_path = member_path(path, "access");
  if (rule.access.empty()) return field_error(access_path, "must not be empty");
  for (size_t i = 0; i < rule.access.size(); ++i) {
    char c = rule.access[i];
    if ((c != 'r' && c != 'w' && c != 'm') || rule.access.find(c) != i) {
      return field_error(access_path, "expected letters of `rwm`, got `" + rule.access + "`");
    }
  }
  return rule;
}

// ---- translation helpers --------------------------------------------------------------------

// runc's numToStr for cgroup2: 0 is unset (""), -1 is "max".
std::string v2_number(int64_t n) {
  if (n == 0) return "";
  if (n == -1) return "max";
  return std::to_string(n);
}

std::string device_numbers(int64_t major, int64_t minor) {
  return std::to_string(major) + ":" + std::to_string(minor);
}

// Appends writes of one controller, in order.
class WriteList {
 public:
  WriteList(Tree tree, std::vector<FileWrite>& out) : tree_(tree), out_(out) {}
  void add(std::string_view controller, std::string file, std::string value, std::string_view field,
           bool optional = false) {
    out_.push_back(FileWrite{tree_, std::string(controller), std::move(file), std::move(value),
                             std::string(field), optional});
  }

 private:
  Tree tree_;
  std::vector<FileWrite>& out_;
};

// v1 devices: runc 1.1 starts from an emulator that denies everything, applies the configured
// rules, then its AllowedDevices; writing them in that order (after "a" to devices.deny) gives
// the kernel the same end state. Optional when nothing was configured.
void v1_devices(const Resources& r, WriteList& w) {
  bool optional = r.devices.empty();
  w.add("devices", "devices.deny", "a *:* rwm", kDevices, optional);
  for (const DeviceRule& rule : r.devices) {
    w.add("devices", rule.allow ? "devices.allow" : "devices.deny", device_rule_text(rule),
          kDevices, optional);
  }
  for (const DeviceRule& rule : default_allowed_devices()) {
    w.add("devices", "devices.allow", device_rule_text(rule), kDevices, optional);
  }
}

// runc's setMemoryAndSwap: the kernel keeps memory.limit_in_bytes <= memory.memsw.limit_in_bytes
// at every step, so memsw goes first when it rises above the current limit (or to unlimited)
// and last when it does not.
Status v1_memory(const MemoryResources& m, const HostFacts& host, WriteList& w) {
  int64_t swap = m.swap;
  // memory -1 without swap means both unlimited, where swap accounting exists.
  if (m.limit == -1 && swap == 0 && host.has_memsw) swap = -1;
  if (swap != 0 && !host.has_memsw) {
    return field_error(member_path(kMemory, "swap"),
                       "swap accounting is off on this host (no `memory.memsw.limit_in_bytes`)");
  }
  bool swap_first =
      m.limit != 0 && swap != 0 && (swap == -1 || host.memory_limit < static_cast<uint64_t>(swap));
  auto limit = [&] {
    if (m.limit != 0) w.add("memory", "memory.limit_in_bytes", std::to_string(m.limit), kMemory);
  };
  auto memsw = [&] {
    if (swap != 0) w.add("memory", "memory.memsw.limit_in_bytes", std::to_string(swap), kMemory);
  };
  if (swap_first) {
    memsw();
    limit();
  } else {
    limit();
    memsw();
  }
  if (m.reservation != 0) {
    w.add("memory", "memory.soft_limit_in_bytes", std::to_string(m.reservation), kMemory);
  }
  if (m.disable_oom_killer) w.add("memory", "memory.oom_control", "1", kMemory);
  if (m.swappiness) w.add("memory", "memory.swappiness", std::to_string(*m.swappiness), kMemory);
  return ok_status();
}

void v1_cpu(const CpuResources& c, WriteList& w) {
  // Realtime first: the period bounds the runtime (runc's SetRtSched order).
  if (c.realtime_period != 0) {
    w.add("cpu", "cpu.rt_period_us", std::to_string(c.realtime_period), kCpu);
  }
  if (c.realtime_runtime != 0) {
    w.add("cpu", "cpu.rt_runtime_us", std::to_string(c.realtime_runtime), kCpu);
  }
  if (c.shares != 0) w.add("cpu", "cpu.shares", std::to_string(c.shares), kCpu);
  if (c.period != 0) w.add("cpu", "cpu.cfs_period_us", std::to_string(c.period), kCpu);
  if (c.quota != 0) w.add("cpu", "cpu.cfs_quota_us", std::to_string(c.quota), kCpu);
  // The kernel caps the burst at the quota, so it follows it.
  if (c.burst) w.add("cpu", "cpu.cfs_burst_us", std::to_string(*c.burst), kCpu);
  if (c.idle) w.add("cpu", "cpu.idle", std::to_string(*c.idle), kCpu);
}

void cpuset(const CpuResources& c, WriteList& w) {
  if (!c.cpus.empty()) w.add("cpuset", "cpuset.cpus", c.cpus, kCpu);
  if (!c.mems.empty()) w.add("cpuset", "cpuset.mems", c.mems, kCpu);
}

// runc writes "max" for any limit below 1; 0 in particular cannot be a real pids.max.
void pids(const Resources& r, WriteList& w) {
  if (!r.pids_limit) return;
  std::string value = *r.pids_limit > 0 ? std::to_string(*r.pids_limit) : "max";
  w.add("pids", "pids.max", value, kPids);
}

void v1_blkio(const BlockIoResources& b, const HostFacts& host, WriteList& w) {
  // Without CFQ the weight files are BFQ's, as runc's detectWeightFilenames finds them.
  std::string weight_file = host.blkio_bfq ? "blkio.bfq.weight" : "blkio.weight";
  std::string weight_device_file =
      host.blkio_bfq ? "blkio.bfq.weight_device" : "blkio.weight_device";
  if (b.weight != 0) w.add("blkio", weight_file, std::to_string(b.weight), kBlockIo);
  if (b.leaf_weight != 0)
    w.add("blkio", "blkio.leaf_weight", std::to_string(b.leaf_weight), kBlockIo);
  for (const WeightDevice& d : b.weight_device) {
    std::string dev = device_numbers(d.major, d.minor);
    if (d.weight != 0)
      w.add("blkio", weight_device_file, dev + " " + std::to_string(d.weight), kBlockIo);
    if (d.leaf_weight != 0) {
      w.add("blkio", "blkio.leaf_weight_device", dev + " " + std::to_string(d.leaf_weight),
            kBlockIo);
    }
  }
  const std::array<std::pair<const char*, const std::vector<ThrottleDevice>*>, 4> throttles = {{
      {"blkio.throttle.read_bps_device", &b.throttle_read_bps},
      {"blkio.throttle.write_bps_device", &b.throttle_write_bps},
      {"blkio.throttle.read_iops_device", &b.throttle_read_iops},
      {"blkio.throttle.write_iops_device", &b.throttle_write_iops},
  }};
  for (const auto& [file, devices] : throttles) {
    for (const ThrottleDevice& d : *devices) {
      w.add("blkio", file, device_numbers(d.major, d.minor) + " " + std::to_string(d.rate),
            kBlockIo);
    }
  }
}

void v1_hugetlb(const Resources& r, WriteList& w) {
  for (const HugepageLimit& h : r.hugepage_limits) {
    w.add("hugetlb", "hugetlb." + h.page_size + ".limit_in_bytes", std::to_string(h.limit),
          kHugepages);
  }
}

void v2_hugetlb(const Resources& r, WriteList& w) {
  for (const HugepageLimit& h : r.hugepage_limits) {
    w.add("hugetlb", "hugetlb." + h.page_size + ".max", std::to_string(h.limit), kHugepages);
  }
}

void v1_network(const NetworkResources& n, WriteList& w) {
  if (n.class_id != 0) w.add("net_cls", "net_cls.classid", std::to_string(n.class_id), kNetwork);
  for (const InterfacePriority& p : n.priorities) {
    w.add("net_prio", "net_prio.ifpriomap", p.name + " " + std::to_string(p.priority), kNetwork);
  }
}

// rdma.max takes "DEVICE hca_handle=N hca_object=M" on both versions; unset parts are left out.
void rdma(const Resources& r, WriteList& w) {
  for (const RdmaLimit& limit : r.rdma) {
    std::string line = limit.device;
    if (limit.hca_handles) line += " hca_handle=" + std::to_string(*limit.hca_handles);
    if (limit.hca_objects) line += " hca_object=" + std::to_string(*limit.hca_objects);
    if (limit.hca_handles || limit.hca_objects) w.add("rdma", "rdma.max", line, kRdma);
  }
}

// Written last, so that a unified key overrides the typed field it overlaps (runc's order).
void unified(const Resources& r, WriteList& w) {
  for (const auto& [key, value] : r.unified) {
    std::string controller = key.substr(0, key.find('.'));
    if (controller == "cgroup") controller.clear();  // core files need no controller
    w.add(controller, key, value, kUnified);
  }
}

// runc's fs2 memory.go: memory.swap.max holds swap alone (total - limit); swap equal to the
// limit disables swap ("0"), and a missing swap.max (no swap accounting) is fine for "max"/"0".
Status v2_memory(const MemoryResources& m, const HostFacts& host, WriteList& w) {
  int64_t swap = m.swap;
  if (m.limit == -1 && swap == 0) {
    swap = -1;
  } else if (swap > 0) {
    swap -= m.limit;  // parse_resources checked 0 < limit <= swap
  }
  std::string swap_value = v2_number(swap);
  if (swap_value.empty() && m.swap > 0) swap_value = "0";
  if (!swap_value.empty()) {
    if (host.has_memsw) {
      w.add("memory", "memory.swap.max", swap_value, kMemory);
    } else if (swap_value != "max" && swap_value != "0") {
      return field_error(member_path(kMemory, "swap"),
                         "swap accounting is off on this host (no `memory.swap.max`)");
    }
  }
  if (std::string limit = v2_number(m.limit); !limit.empty()) {
    w.add("memory", "memory.max", limit, kMemory);
  }
  if (std::string low = v2_number(m.reservation); !low.empty()) {
    w.add("memory", "memory.low", low, kMemory);
  }
  return ok_status();
}

// runc's fs2 io.go: BFQ takes the blkio weight as is, io.weight the converted one.
void v2_io(const BlockIoResources& b, const HostFacts& host, WriteList& w) {
  std::string weight_file = host.blkio_bfq ? "io.bfq.weight" : "io.weight";
  auto convert = [&](uint16_t weight) {
    return host.blkio_bfq ? uint64_t{weight} : blkio_weight_to_io_weight(weight);
  };
  if (b.weight != 0) w.add("io", weight_file, std::to_string(convert(b.weight)), kBlockIo);
  for (const WeightDevice& d : b.weight_device) {
    if (d.weight == 0) continue;
    w.add("io", weight_file,
          device_numbers(d.major, d.minor) + " " + std::to_string(convert(d.weight)), kBlockIo);
  }
  const std::array<std::pair<const char*, const std::vector<ThrottleDevice>*>, 4> throttles = {{
      {"rbps", &b.throttle_read_bps},
      {"wbps", &b.throttle_write_bps},
      {"riops", &b.throttle_read_iops},
      {"wiops", &b.throttle_write_iops},
  }};
  for (const auto& [key, devices] : throttles) {
    for (const ThrottleDevice& d : *devices) {
      w.add("io", "io.max",
            device_numbers(d.major, d.minor) + " " + key + "=" + std::to_string(d.rate), kBlockIo);
    }
  }
}

Status v2_cpu(const CpuResources& c, WriteList& w) {
  if (c.realtime_period != 0 || c.realtime_runtime != 0) {
    return field_error(
        member_path(kCpu, c.realtime_period != 0 ? "realtimePeriod" : "realtimeRuntime"),
        "realtime scheduling limits do not exist on cgroup v2");
  }
  if (c.idle) w.add("cpu", "cpu.idle", std::to_string(*c.idle), kCpu);
  if (c.shares != 0) w.add("cpu", "cpu.weight", std::to_string(shares_to_weight(c.shares)), kCpu);
  // runc: "max" unless a positive quota, then the period when one is given.
  if (c.quota != 0 || c.period != 0) {
    std::string value = c.quota > 0 ? std::to_string(c.quota) : "max";
    if (c.period != 0) value += " " + std::to_string(c.period);
    w.add("cpu", "cpu.max", value, kCpu);
  }
  if (c.burst) w.add("cpu", "cpu.max.burst", std::to_string(*c.burst), kCpu);
  return ok_status();
}

Result<std::vector<FileWrite>> v1_plan(const Resources& r, const HostFacts& host) {
  std::vector<FileWrite> out;
  WriteList v1(Tree::V1, out);
  WriteList v2(Tree::Unified, out);
  // runc's v1 subsystem order: cpuset, devices, memory, cpu, pids, blkio, hugetlb, net_cls,
  // net_prio, rdma.
  cpuset(r.cpu, v1);
  // runc refuses the rules its emulator refuses on v1 too, though the kernel would take them.
  if (!r.skip_devices) {
    NOOK_TRY(device_policy(r.devices));
    v1_devices(r, v1);
  }
  NOOK_TRY(v1_memory(r.memory, host, v1));
  v1_cpu(r.cpu, v1);
  pids(r, v1);
  v1_blkio(r.block_io, host, v1);
  // Hybrid hosts may have hugetlb only in the unified hierarchy (this one does).
  if (host.layout == Layout::Hybrid && !host.v1_hugetlb) {
    v2_hugetlb(r, v2);
  } else {
    v1_hugetlb(r, v1);
  }
  v1_network(r.network, v1);
  rdma(r, v1);
  if (!r.unified.empty() && host.layout == Layout::V1) {
    return field_error(kUnified, "needs cgroup v2, and this host has no cgroup2 hierarchy");
  }
  unified(r, v2);
  return out;
}

Result<std::vector<FileWrite>> v2_plan(const Resources& r, const HostFacts& host) {
  if (r.network.class_id != 0 || !r.network.priorities.empty()) {
    return field_error(kNetwork, "net_cls and net_prio do not exist on cgroup v2");
  }
  // The device rules become a BPF program (apply_resources), not file writes; their errors
  // still come before anything is written.
  if (!r.skip_devices) NOOK_TRY(device_policy(r.devices));
  std::vector<FileWrite> out;
  WriteList w(Tree::Unified, out);
  // runc's fs2 order: pids, memory, io, cpu, cpuset, hugetlb, rdma, unified.
  pids(r, w);
  NOOK_TRY(v2_memory(r.memory, host, w));
  v2_io(r.block_io, host, w);
  NOOK_TRY(v2_cpu(r.cpu, w));
  cpuset(r.cpu, w);
  v2_hugetlb(r, w);
  rdma(r, w);
  unified(r, w);
  return out;
}

// ---- applying -------------------------------------------------------------------------------

bool has_word(std::string_view list, std::string_view word) {
  while (!list.empty()) {
    size_t start = list.find_first_not_of(" ,\n");
    if (start == std::string_view::npos) break;
    list.remove_prefix(start);
    size_t end = list.find_first_of(" ,\n");
    if (list.substr(0, end) == word) return true;
    if (end == std::string_view::npos) break;
    list.remove_prefix(end);
  }
  return false;
}

// `dir/file`, or `file` alone in the v2 root ("."), for readable messages.
std::string file_in(const std::string& dir, std::string_view file) {
  return dir == "." ? std::string(file) : dir + "/" + std::string(file);
}

bool exists_at(int root_fd, const std::string& rel) {
  struct stat st;
  return ::fstatat(root_fd, rel.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0;
}

// The index of the v1 hierarchy holding `controller` ("cpu,cpuacct" holds "cpu").
std::optional<size_t> find_hierarchy(const Placement& p, std::string_view controller) {
  for (size_t i = 0; i < p.hierarchies.size(); ++i) {
    if (p.hierarchies[i] != "unified" && has_word(p.hierarchies[i], controller)) return i;
  }
  return std::nullopt;
}

// The cgroup2 tree of a placement: its root dir under the cgroupfs root and the cgroup path.
struct Cgroup2 {
  std::string base;  // "" (v2) or "unified" (hybrid)
  std::string path;  // "/a/b"
  std::string rel() const { return hierarchy_rel(base, path); }
};

std::optional<Cgroup2> cgroup2_of(const Placement& p) {
  if (p.layout == Layout::V2) return Cgroup2{"", p.path};
  for (size_t i = 0; i < p.hierarchies.size(); ++i) {
    if (p.hierarchies[i] == "unified") return Cgroup2{"unified", path_in_hierarchy(p, i)};
  }
  return std::nullopt;
}

std::string v1_dir(const Placement& p, size_t i) {
  return hierarchy_rel(p.hierarchies[i], path_in_hierarchy(p, i));
}

HostFacts probe_at(int root_fd, const Placement& p) {
  HostFacts host;
  host.layout = p.layout;
  if (p.layout == Layout::V2) {
    std::string dir = hierarchy_rel("", p.path);
    host.has_memsw = exists_at(root_fd, dir + "/memory.swap.max");
    host.blkio_bfq = exists_at(root_fd, dir + "/io.bfq.weight");
    return host;
  }
  if (auto i = find_hierarchy(p, "memory")) {
    std::string dir = v1_dir(p, *i);
    host.has_memsw = exists_at(root_fd, dir + "/memory.memsw.limit_in_bytes");
    if (auto text = read_file_at(root_fd, dir + "/memory.limit_in_bytes"); text.ok()) {
      uint64_t limit = 0;
      auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), limit);
      if (ec == std::errc()) host.memory_limit = limit;
    }
  }
  if (auto i = find_hierarchy(p, "blkio")) {
    std::string dir = v1_dir(p, *i);
    host.blkio_bfq =
        !exists_at(root_fd, dir + "/blkio.weight") && exists_at(root_fd, dir + "/blkio.bfq.weight");
  }
  host.v1_hugetlb = find_hierarchy(p, "hugetlb").has_value();
  return host;
}

// cgroup2 files of a controller appear in a cgroup only once its parent lists the controller
// in cgroup.subtree_control, and so on up to the root; runc's fs2 enables them the same way.
Status enable_controller_at(int root_fd, const Cgroup2& cg, const std::string& controller) {
  std::string available_file = file_in(hierarchy_rel(cg.base, "/"), "cgroup.controllers");
  std::string available = NOOK_TRY(read_file_at(root_fd, available_file));
  if (!has_word(available, controller)) {
    return make_error("the " + controller + " controller is not available in the cgroup2 " +
                      "hierarchy (`" + available_file + "` lists `" +
                      std::string(available.substr(0, available.find('\n'))) + "`)");
  }
  std::string level = "/";
  size_t start = 1;
  while (start < cg.path.size()) {
    std::string control = file_in(hierarchy_rel(cg.base, level), "cgroup.subtree_control");
    std::string enabled = NOOK_TRY(read_file_at(root_fd, control));
    if (!has_word(enabled, controller)) {
      Status written = write_file_at(root_fd, control, "+" + controller);
      if (!written.ok()) {
        return std::move(written).error().wrap("enable the " + controller + " controller");
      }
    }
    size_t end = cg.path.find('/', start);
    if (end == std::string::npos) break;
    level = cg.path.substr(0, end);
    start = end + 1;
  }
  return ok_status();
}

// Where each write goes, relative to the cgroupfs root; "" for a skipped optional write.
// Fails on the first write whose controller is missing, before anything is written.
Result<std::vector<std::string>> resolve_writes(const Placement& p,
                                                const std::vector<FileWrite>& writes) {
  std::vector<std::string> rels;
  auto cg2 = cgroup2_of(p);
  for (const FileWrite& w : writes) {
    if (w.tree == Tree::Unified) {
      if (!cg2) return field_error(w.field, "this host has no cgroup2 hierarchy");
      rels.push_back(cg2->rel() + "/" + w.file);
      continue;
    }
    auto i = find_hierarchy(p, w.controller);
    if (!i && w.optional) {
      rels.emplace_back();
      continue;
    }
    if (!i) return field_error(w.field, "the " + w.controller + " controller is not mounted");
    rels.push_back(v1_dir(p, *i) + "/" + w.file);
  }
  return rels;
}

// The first write to each cgroup2 controller the writes need, in plan order.
std::vector<const FileWrite*> first_cgroup2_uses(const std::vector<FileWrite>& writes) {
  std::vector<const FileWrite*> out;
  for (const FileWrite& w : writes) {
    if (w.tree != Tree::Unified || w.controller.empty()) continue;
    auto same = [&](const FileWrite* seen) { return seen->controller == w.controller; };
    if (std::none_of(out.begin(), out.end(), same)) out.push_back(&w);
  }
  return out;
}

}  // namespace

// ---- public ---------------------------------------------------------------------------------

Result<Resources> parse_resources(std::string_view text) {
  Resources r;
  if (text.empty()) return r;
  auto doc = json::Document::parse(text);
  if (!doc.ok()) return std::move(doc).error().wrap(std::string("parse ") + std::string(kRoot));
  Value root = doc->root();
  NOOK_TRY(expect(root, Kind::Object, kRoot));
  if (Value v = NOOK_TRY(object_member(root, "memory", kRoot)); v.present()) {
    NOOK_TRY(decode_memory(v, r.memory));
  }
  if (Value v = NOOK_TRY(object_member(root, "cpu", kRoot)); v.present()) {
    NOOK_TRY(decode_cpu(v, r.cpu));
  }
  if (Value v = NOOK_TRY(object_member(root, "pids", kRoot)); v.present()) {
    NOOK_TRY(read(v, "limit", kPids, r.pids_limit));
  }
  if (Value v = NOOK_TRY(object_member(root, "blockIO", kRoot)); v.present()) {
    NOOK_TRY(decode_block_io(v, r.block_io));
  }
  NOOK_TRY(read_objects(root, "hugepageLimits", kRoot, r.hugepage_limits, decode_hugepage_limit));
  if (Value v = NOOK_TRY(object_member(root, "network", kRoot)); v.present()) {
    NOOK_TRY(decode_network(v, r.network));
  }
  if (Value v = NOOK_TRY(object_member(root, "rdma", kRoot)); v.present()) {
    NOOK_TRY(decode_rdma(v, r.rdma));
  }
  if (Value v = NOOK_TRY(object_member(root, "unified", kRoot)); v.present()) {
    NOOK_TRY(decode_unified(v, r.unified));
  }
  NOOK_TRY(read_objects(root, "devices", kRoot, r.devices, decode_device_rule));
  return r;
}

uint64_t shares_to_weight(uint64_t shares) {
  if (shares == 0) return 0;
  return 1 + ((shares - 2) * 9999) / 262142;
}

uint64_t blkio_weight_to_io_weight(uint64_t weight) {
  if (weight == 0) return 0;
  return 1 + ((weight - 10) * 9999) / 990;
}

Result<std::vector<FileWrite>> plan_writes(const Resources& resources, const HostFacts& host) {
  switch (host.layout) {
    case Layout::Disabled:
      return std::vector<FileWrite>();
    case Layout::V2:
      return v2_plan(resources, host);
    case Layout::V1:
    case Layout::Hybrid:
      break;
  }
  return v1_plan(resources, host);
}

Status apply_resources(int cgroupfs_root_fd, const Placement& placement, const Resources& resources,
                       const DeviceFilterInstaller& install_filter) {
  if (placement.layout == Layout::Disabled) return ok_status();
  // 1. Plan with permissive facts and check that every controller is there (v1: mounted) before
  //    changing anything; the facts change file names and values, never the controllers.
  HostFacts guess;
  guess.layout = placement.layout;
  guess.v1_hugetlb = find_hierarchy(placement, "hugetlb").has_value();
  std::vector<FileWrite> writes = NOOK_TRY(plan_writes(resources, guess));
  NOOK_TRY(resolve_writes(placement, writes));
  // 2. Enable the cgroup2 controllers, so that their files exist when the cgroup is probed.
  if (auto cg2 = cgroup2_of(placement)) {
    for (const FileWrite* first : first_cgroup2_uses(writes)) {
      Status enabled = enable_controller_at(cgroupfs_root_fd, *cg2, first->controller);
      if (!enabled.ok()) return std::move(enabled).error().wrap(first->field);
    }
  }
  // 3. Plan against what the new cgroup really has (swap accounting, BFQ, current limit).
  writes = NOOK_TRY(plan_writes(resources, probe_at(cgroupfs_root_fd, placement)));
  // 4. Resolve again: the file names may have changed.
  std::vector<std::string> rels = NOOK_TRY(resolve_writes(placement, writes));
  // 5. Write, in plan order.
  for (size_t i = 0; i < writes.size(); ++i) {
    if (rels[i].empty()) continue;
    Status written = write_file_at(cgroupfs_root_fd, rels[i], writes[i].value);
    if (!written.ok()) {
      return Error{written.error().err,
                   writes[i].field + ": write `" + writes[i].value + "` to `" + rels[i] + "`"};
    }
  }
  // 6. Pure v2: the device rules as a BPF program on the cgroup, last as in runc's fs2.
  if (placement.layout == Layout::V2 && !resources.skip_devices) {
    DevicePolicy policy = NOOK_TRY(device_policy(resources.devices));
    std::string rel = hierarchy_rel("", placement.path);
    linux::UniqueFd dir(
        ::openat(cgroupfs_root_fd, rel.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW));
    if (!dir) return sys_error(std::string(kDevices) + ": open the cgroup `" + rel + "`");
    Status installed = install_filter(dir.get(), device_filter_program(policy));
    if (!installed.ok()) return std::move(installed).error().wrap(kDevices);
  }
  return ok_status();
}

}  // namespace nook::cgroup
