// Reads a cgroup's resource usage the way runc 1.1's `events --stats` does (v1: its fs
// manager's per-controller GetStats; v2: fs2's stat* functions) and writes it as runc's
// types.Stats JSON: same keys, same omitempty omissions, Go map keys sorted.
#include "nook/cgroup/stats.h"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <charconv>
#include <limits>
#include <optional>
#include <string_view>

#include "nook/cgroup/cgroupfs.h"
#include "nook/json/json.h"
#include "nook/linux/fd.h"

namespace nook::cgroup {
namespace {

constexpr uint64_t kMax = std::numeric_limits<uint64_t>::max();

std::string_view trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t\n");
  if (b == std::string_view::npos) return {};
  return s.substr(b, s.find_last_not_of(" \t\n") - b + 1);
}

std::vector<std::string_view> fields(std::string_view line) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < line.size()) {
    size_t b = line.find_first_not_of(" \t", i);
    if (b == std::string_view::npos) break;
    size_t e = line.find_first_of(" \t", b);
    if (e == std::string_view::npos) e = line.size();
    out.push_back(line.substr(b, e - b));
    i = e;
  }
  return out;
}

std::vector<std::string_view> lines(std::string_view text) {
  std::vector<std::string_view> out;
  while (!text.empty()) {
    size_t e = text.find('\n');
    std::string_view l = text.substr(0, e);
    if (!trim(l).empty()) out.push_back(l);
    if (e == std::string_view::npos) break;
    text.remove_prefix(e + 1);
  }
  return out;
}

template <typename T>
std::optional<T> to_number(std::string_view s) {
  T v{};
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

// A control file's content; nullopt when the kernel does not offer it.
Result<std::optional<std::string>> read_optional(int root_fd, const std::string& rel) {
  auto text = read_file_at(root_fd, rel);
  if (!text.ok()) {
    if (text.error().err == ENOENT) return std::optional<std::string>();
    return std::move(text).error();
  }
  return std::optional<std::string>(std::move(*text));
}

// A single-number file ("max" is the largest value, as runc's GetCgroupParamUint); 0 if missing.
Result<uint64_t> read_uint(int root_fd, const std::string& rel) {
  auto text = NOOK_TRY(read_optional(root_fd, rel));
  if (!text) return uint64_t{0};
  std::string_view v = trim(*text);
  if (v == "max") return kMax;
  auto n = to_number<uint64_t>(v);
  // Negative values (v1 limits may read -1) clamp to 0, as runc's parser does.
  if (!n && !v.empty() && v[0] == '-' && to_number<int64_t>(v)) return uint64_t{0};
  if (!n) return make_error("unexpected content `" + std::string(v) + "` in `" + rel + "`");
  return *n;
}

// "key value" lines (memory.stat, cpu.stat, cpuacct.stat); other lines are skipped.
std::map<std::string, uint64_t> parse_key_values(std::string_view text) {
  std::map<std::string, uint64_t> out;
  for (auto l : lines(text)) {
    auto f = fields(l);
    if (f.size() != 2) continue;
    if (auto n = to_number<uint64_t>(f[1])) out[std::string(f[0])] = *n;
  }
  return out;
}

Result<std::map<std::string, uint64_t>> read_key_values(int root_fd, const std::string& rel) {
  auto text = NOOK_TRY(read_optional(root_fd, rel));
  if (!text) return std::map<std::string, uint64_t>();
  return parse_key_values(*text);
}

uint64_t value_of(const std::map<std::string, uint64_t>& m, const std::string& key) {
  auto it = m.find(key);
  return it == m.end() ? 0 : it->second;
}

// "0-2,5" → 0 1 2 5 (cpuset.cpus, cpuset.mems).
std::vector<uint64_t> parse_id_list(std::string_view text) {
  std::vector<uint64_t> out;
  text = trim(text);
  while (!text.empty()) {
    size_t comma = text.find(',');
    std::string_view part = text.substr(0, comma);
    size_t dash = part.find('-');
    auto lo = to_number<uint64_t>(part.substr(0, dash));
    auto hi = dash == std::string_view::npos ? lo : to_number<uint64_t>(part.substr(dash + 1));
    if (lo && hi) {
      for (uint64_t i = *lo; i <= *hi; ++i) out.push_back(i);
    }
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return out;
}

std::vector<uint64_t> parse_uint_list(std::string_view text) {
  std::vector<uint64_t> out;
  for (auto f : fields(text)) {
    if (f.back() == '\n') f.remove_suffix(1);
    if (auto n = to_number<uint64_t>(trim(f))) out.push_back(*n);
  }
  return out;
}

// "MAJ:MIN" → major, minor.
bool parse_device(std::string_view dev, BlkioEntry& e) {
  size_t colon = dev.find(':');
  if (colon == std::string_view::npos) return false;
  auto major = to_number<uint64_t>(dev.substr(0, colon));
  auto minor = to_number<uint64_t>(dev.substr(colon + 1));
  if (!major || !minor) return false;
  e.major = *major;
  e.minor = *minor;
  return true;
}

// The names of the files of directory `rel`; empty when it is missing.
std::vector<std::string> list_dir_at(int root_fd, const std::string& rel) {
  std::vector<std::string> out;
  int fd = ::openat(root_fd, rel.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return out;
  DIR* d = ::fdopendir(fd);
  if (d == nullptr) {
    ::close(fd);
    return out;
  }
  while (dirent* e = ::readdir(d)) out.emplace_back(e->d_name);
  ::closedir(d);
  return out;
}

// Page sizes of the hugetlb.<size>.<suffix> files in `rel` ("2MB", not "2MB.rsvd").
std::vector<std::string> hugetlb_sizes_at(int root_fd, const std::string& rel,
                                          std::string_view suffix) {
  std::vector<std::string> out;
  for (const auto& name : list_dir_at(root_fd, rel)) {
    std::string_view n = name;
    if (!n.starts_with("hugetlb.") || !n.ends_with(suffix)) continue;
    n.remove_prefix(8);
    n.remove_suffix(suffix.size());
    if (!n.empty() && n.find('.') == std::string_view::npos) out.emplace_back(n);
  }
  return out;
}

// ---- cgroup v1 ----

// The directory of `controller`'s cgroup relative to the root, "" when it is not mounted.
std::string v1_dir(const Placement& p, std::string_view controller) {
  for (size_t i = 0; i < p.hierarchies.size(); ++i) {
    std::string_view h = p.hierarchies[i];
    if (h == "unified") continue;
    for (std::string_view rest = h; !rest.empty();) {
      size_t comma = rest.find(',');
      if (rest.substr(0, comma) == controller)
        return hierarchy_rel(p.hierarchies[i], path_in_hierarchy(p, i));
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
  }
  return {};
}

Status v1_cpu(int root_fd, const Placement& p, Stats& s) {
  // runc converts cpuacct.stat's USER_HZ ticks with a fixed 100 Hz clock.
  constexpr uint64_t kNanosPerTick = 1'000'000'000 / 100;
  if (std::string dir = v1_dir(p, "cpuacct"); !dir.empty()) {
    s.cpu.total = NOOK_TRY(read_uint(root_fd, dir + "/cpuacct.usage"));
    if (auto t = NOOK_TRY(read_optional(root_fd, dir + "/cpuacct.usage_percpu")))
      s.cpu.percpu = parse_uint_list(*t);
    if (auto t = NOOK_TRY(read_optional(root_fd, dir + "/cpuacct.usage_all"))) {
      // "cpu user system" then one line per cpu.
      for (auto l : lines(*t)) {
        auto f = fields(l);
        if (f.size() != 3 || !to_number<uint64_t>(f[0])) continue;
        s.cpu.percpu_user.push_back(to_number<uint64_t>(f[1]).value_or(0));
        s.cpu.percpu_kernel.push_back(to_number<uint64_t>(f[2]).value_or(0));
      }
    }
    auto stat = NOOK_TRY(read_key_values(root_fd, dir + "/cpuacct.stat"));
    s.cpu.user = value_of(stat, "user") * kNanosPerTick;
    s.cpu.kernel = value_of(stat, "system") * kNanosPerTick;
  }
  if (std::string dir = v1_dir(p, "cpu"); !dir.empty()) {
    auto stat = NOOK_TRY(read_key_values(root_fd, dir + "/cpu.stat"));
    s.cpu.periods = value_of(stat, "nr_periods");
    s.cpu.throttled_periods = value_of(stat, "nr_throttled");
    s.cpu.throttled_time = value_of(stat, "throttled_time");
  }
  return ok_status();
}

Status v1_cpuset(int root_fd, const Placement& p, Stats& s) {
  std::string dir = v1_dir(p, "cpuset");
  if (dir.empty()) return ok_status();
  CpusetStats& c = s.cpuset;
  if (auto t = NOOK_TRY(read_optional(root_fd, dir + "/cpuset.cpus"))) c.cpus = parse_id_list(*t);
  if (auto t = NOOK_TRY(read_optional(root_fd, dir + "/cpuset.mems"))) c.mems = parse_id_list(*t);
  struct Field {
    const char* file;
    uint64_t CpusetStats::*field;
  };
  static constexpr Field kFields[] = {
      {"cpuset.cpu_exclusive", &CpusetStats::cpu_exclusive},
      {"cpuset.mem_hardwall", &CpusetStats::mem_hardwall},
      {"cpuset.mem_exclusive", &CpusetStats::mem_exclusive},
      {"cpuset.memory_migrate", &CpusetStats::memory_migrate},
      {"cpuset.memory_spread_page", &CpusetStats::memory_spread_page},
      {"cpuset.memory_spread_slab", &CpusetStats::memory_spread_slab},
      {"cpuset.memory_pressure", &CpusetStats::memory_pressure},
      {"cpuset.sched_load_balance", &CpusetStats::sched_load_balance},
  };
  for (const Field& f : kFields) c.*f.field = NOOK_TRY(read_uint(root_fd, dir + "/" + f.file));
  if (auto t = NOOK_TRY(read_optional(root_fd, dir + "/cpuset.sched_relax_domain_level")))
    c.sched_relax_domain_level = to_number<int64_t>(trim(*t)).value_or(0);
  return ok_status();
}

// memory.<prefix>usage_in_bytes, max_usage_in_bytes, failcnt, limit_in_bytes.
Result<MemoryEntry> v1_memory_entry(int root_fd, const std::string& dir, const std::string& prefix) {
  MemoryEntry e;
  std::string base = dir + "/memory." + prefix;
  e.usage = NOOK_TRY(read_uint(root_fd, base + "usage_in_bytes"));
  e.max = NOOK_TRY(read_uint(root_fd, base + "max_usage_in_bytes"));
  e.failcnt = NOOK_TRY(read_uint(root_fd, base + "failcnt"));
  e.limit = NOOK_TRY(read_uint(root_fd, base + "limit_in_bytes"));
  return e;
}

Status v1_memory(int root_fd, const Placement& p, Stats& s) {
  std::string dir = v1_dir(p, "memory");
  if (dir.empty()) return ok_status();
  s.memory.raw = NOOK_TRY(read_key_values(root_fd, dir + "/memory.stat"));
  s.memory.cache = value_of(s.memory.raw, "cache");
  s.memory.usage = NOOK_TRY(v1_memory_entry(root_fd, dir, ""));
  s.memory.swap = NOOK_TRY(v1_memory_entry(root_fd, dir, "memsw."));
  s.memory.kernel = NOOK_TRY(v1_memory_entry(root_fd, dir, "kmem."));
  s.memory.kernel_tcp = NOOK_TRY(v1_memory_entry(root_fd, dir, "kmem.tcp."));
  return ok_status();
}

Status v1_pids(int root_fd, const Placement& p, Stats& s) {
  std::string dir = v1_dir(p, "pids");
  if (dir.empty()) return ok_status();
  s.pids.current = NOOK_TRY(read_uint(root_fd, dir + "/pids.current"));
  uint64_t limit = NOOK_TRY(read_uint(root_fd, dir + "/pids.max"));
  s.pids.limit = limit == kMax ? 0 : limit;
  return ok_status();
}

// "MAJ:MIN Op value" lines ("MAJ:MIN value" for sectors/time); "Total" lines are skipped.
std::vector<BlkioEntry> parse_blkio(std::string_view text) {
  std::vector<BlkioEntry> out;
  for (auto l : lines(text)) {
    auto f = fields(l);
    BlkioEntry e;
    if (f.size() < 2 || f.size() > 3 || !parse_device(f[0], e)) continue;
    if (f.size() == 3) e.op = std::string(f[1]);
    auto v = to_number<uint64_t>(f.back());
    if (!v) continue;
    e.value = *v;
    out.push_back(std::move(e));
  }
  return out;
}

Status v1_blkio(int root_fd, const Placement& p, Stats& s) {
  std::string dir = v1_dir(p, "blkio");
  if (dir.empty()) return ok_status();
  // runc: BFQ files if the scheduler offers them, else CFQ's, else the throttle ones.
  static constexpr const char* kFiles[kBlkioKinds] = {
      "io_service_bytes_recursive", "io_serviced_recursive", "io_queued_recursive",
      "io_service_time_recursive",  "io_wait_time_recursive", "io_merged_recursive",
      "time_recursive",             "sectors_recursive",
  };
  std::string prefix;
  for (std::string candidate : {"blkio.bfq.", "blkio."}) {
    if (NOOK_TRY(read_optional(root_fd, dir + "/" + candidate + "io_serviced_recursive"))) {
      prefix = candidate;
      break;
    }
  }
  if (prefix.empty()) {
    for (size_t k : {size_t(BlkioKind::ServiceBytes), size_t(BlkioKind::Serviced)}) {
      std::string file = dir + "/blkio.throttle." + kFiles[k];
      if (auto t = NOOK_TRY(read_optional(root_fd, file))) s.blkio[k] = parse_blkio(*t);
    }
    return ok_status();
  }
  for (size_t k = 0; k < kBlkioKinds; ++k) {
    if (auto t = NOOK_TRY(read_optional(root_fd, dir + "/" + prefix + kFiles[k])))
      s.blkio[k] = parse_blkio(*t);
  }
  return ok_status();
}

Status v1_hugetlb(int root_fd, const Placement& p, Stats& s) {
  std::string dir = v1_dir(p, "hugetlb");
  if (dir.empty()) return ok_status();
  for (const auto& size : hugetlb_sizes_at(root_fd, dir, ".usage_in_bytes")) {
    HugetlbEntry e;
    std::string base = dir + "/hugetlb." + size + ".";
    e.usage = NOOK_TRY(read_uint(root_fd, base + "usage_in_bytes"));
    e.max = NOOK_TRY(read_uint(root_fd, base + "max_usage_in_bytes"));
    e.failcnt = NOOK_TRY(read_uint(root_fd, base + "failcnt"));
    s.hugetlb[size] = e;
  }
  return ok_status();
}

// ---- cgroup v2 ----

Status v2_cpu(int root_fd, const std::string& dir, Stats& s) {
  auto stat = NOOK_TRY(read_key_values(root_fd, dir + "/cpu.stat"));
  s.cpu.total = value_of(stat, "usage_usec") * 1000;
  s.cpu.user = value_of(stat, "user_usec") * 1000;
  s.cpu.kernel = value_of(stat, "system_usec") * 1000;
  s.cpu.periods = value_of(stat, "nr_periods");
  s.cpu.throttled_periods = value_of(stat, "nr_throttled");
  s.cpu.throttled_time = value_of(stat, "throttled_usec") * 1000;
  return ok_status();
}

Status v2_memory(int root_fd, const std::string& dir, Stats& s) {
  s.memory.raw = NOOK_TRY(read_key_values(root_fd, dir + "/memory.stat"));
  s.memory.cache = value_of(s.memory.raw, "file");
  MemoryEntry& usage = s.memory.usage;
  usage.usage = NOOK_TRY(read_uint(root_fd, dir + "/memory.current"));
  usage.limit = NOOK_TRY(read_uint(root_fd, dir + "/memory.max"));
  // v1 reports swap as memory+swap; runc's fs2 adds the two for the same meaning.
  if (NOOK_TRY(read_optional(root_fd, dir + "/memory.swap.current"))) {
    MemoryEntry& swap = s.memory.swap;
    swap.usage = NOOK_TRY(read_uint(root_fd, dir + "/memory.swap.current")) + usage.usage;
    swap.limit = NOOK_TRY(read_uint(root_fd, dir + "/memory.swap.max"));
    if (swap.limit != kMax) swap.limit += usage.limit;
  }
  return ok_status();
}

Status v2_pids(int root_fd, const std::string& dir, Stats& s) {
  s.pids.current = NOOK_TRY(read_uint(root_fd, dir + "/pids.current"));
  uint64_t limit = NOOK_TRY(read_uint(root_fd, dir + "/pids.max"));
  s.pids.limit = limit == kMax ? 0 : limit;
  return ok_status();
}

// io.stat: "MAJ:MIN rbytes=N wbytes=N rios=N wios=N dbytes=N dios=N" per device.
Status v2_io(int root_fd, const std::string& dir, Stats& s) {
  auto text = NOOK_TRY(read_optional(root_fd, dir + "/io.stat"));
  if (!text) return ok_status();
  struct Key {
    std::string_view name;
    BlkioKind kind;
    const char* op;
  };
  static constexpr Key kKeys[] = {
      {"rbytes", BlkioKind::ServiceBytes, "Read"},
      {"wbytes", BlkioKind::ServiceBytes, "Write"},
      {"rios", BlkioKind::Serviced, "Read"},
      {"wios", BlkioKind::Serviced, "Write"},
  };
  for (auto l : lines(*text)) {
    auto f = fields(l);
    BlkioEntry dev;
    if (f.empty() || !parse_device(f[0], dev)) continue;
    for (size_t i = 1; i < f.size(); ++i) {
      size_t eq = f[i].find('=');
      if (eq == std::string_view::npos) continue;
      auto v = to_number<uint64_t>(f[i].substr(eq + 1));
      for (const Key& k : kKeys) {
        if (k.name != f[i].substr(0, eq) || !v) continue;
        BlkioEntry e = dev;
        e.op = k.op;
        e.value = *v;
        s.blkio[size_t(k.kind)].push_back(std::move(e));
      }
    }
  }
  return ok_status();
}

Status v2_hugetlb(int root_fd, const std::string& dir, Stats& s) {
  for (const auto& size : hugetlb_sizes_at(root_fd, dir, ".current")) {
    HugetlbEntry e;
    std::string base = dir + "/hugetlb." + size + ".";
    e.usage = NOOK_TRY(read_uint(root_fd, base + "current"));
    e.failcnt = value_of(NOOK_TRY(read_key_values(root_fd, base + "events")), "max");
    s.hugetlb[size] = e;
  }
  return ok_status();
}

// ---- JSON ----

void write_entry(json::Writer& w, std::string_view key, const MemoryEntry& e) {
  w.key(key).begin_object().key("limit").uinteger(e.limit);
  if (e.usage != 0) w.key("usage").uinteger(e.usage);
  if (e.max != 0) w.key("max").uinteger(e.max);
  w.key("failcnt").uinteger(e.failcnt).end_object();
}

void write_nonzero(json::Writer& w, std::string_view key, uint64_t v) {
  if (v != 0) w.key(key).uinteger(v);
}

void write_list(json::Writer& w, std::string_view key, const std::vector<uint64_t>& v) {
  if (v.empty()) return;
  w.key(key).begin_array();
  for (uint64_t n : v) w.uinteger(n);
  w.end_array();
}

}  // namespace

Result<Stats> read_v1_stats_at(int root_fd, const Placement& p) {
  Stats s;
  NOOK_TRY(v1_cpu(root_fd, p, s));
  NOOK_TRY(v1_cpuset(root_fd, p, s));
  NOOK_TRY(v1_memory(root_fd, p, s));
  NOOK_TRY(v1_pids(root_fd, p, s));
  NOOK_TRY(v1_blkio(root_fd, p, s));
  NOOK_TRY(v1_hugetlb(root_fd, p, s));
  return s;
}

Result<Stats> read_v2_stats_at(int root_fd, const std::string& rel) {
  Stats s;
  NOOK_TRY(v2_pids(root_fd, rel, s));
  NOOK_TRY(v2_memory(root_fd, rel, s));
  NOOK_TRY(v2_io(root_fd, rel, s));
  NOOK_TRY(v2_cpu(root_fd, rel, s));
  NOOK_TRY(v2_hugetlb(root_fd, rel, s));
  return s;
}

Result<Stats> read_stats_at(int root_fd, const Placement& placement) {
  switch (placement.layout) {
    case Layout::V1:
    case Layout::Hybrid:
      return read_v1_stats_at(root_fd, placement);
    case Layout::V2:
      return read_v2_stats_at(root_fd, hierarchy_rel("", placement.path));
    case Layout::Disabled:
      break;
  }
  return make_error("the container has no cgroup (it was created with --cgroup-manager=disabled)");
}

void write_stats(json::Writer& w, const Stats& s) {
  w.begin_object();
  // cpu
  w.key("cpu").begin_object().key("usage").begin_object();
  write_nonzero(w, "total", s.cpu.total);
  write_list(w, "percpu", s.cpu.percpu);
  write_list(w, "percpu_kernel", s.cpu.percpu_kernel);
  write_list(w, "percpu_user", s.cpu.percpu_user);
  w.key("kernel").uinteger(s.cpu.kernel).key("user").uinteger(s.cpu.user).end_object();
  w.key("throttling").begin_object();
  write_nonzero(w, "periods", s.cpu.periods);
  write_nonzero(w, "throttledPeriods", s.cpu.throttled_periods);
  write_nonzero(w, "throttledTime", s.cpu.throttled_time);
  w.end_object().end_object();
  // cpuset
  const CpusetStats& c = s.cpuset;
  w.key("cpuset").begin_object();
  write_list(w, "cpus", c.cpus);
  w.key("cpu_exclusive").uinteger(c.cpu_exclusive);
  write_list(w, "mems", c.mems);
  w.key("mem_hardwall").uinteger(c.mem_hardwall);
  w.key("mem_exclusive").uinteger(c.mem_exclusive);
  w.key("memory_migrate").uinteger(c.memory_migrate);
  w.key("memory_spread_page").uinteger(c.memory_spread_page);
  w.key("memory_spread_slab").uinteger(c.memory_spread_slab);
  w.key("memory_pressure").uinteger(c.memory_pressure);
  w.key("sched_load_balance").uinteger(c.sched_load_balance);
  w.key("sched_relax_domain_level").integer(c.sched_relax_domain_level);
  w.end_object();
  // memory
  w.key("memory").begin_object();
  write_nonzero(w, "cache", s.memory.cache);
  write_entry(w, "usage", s.memory.usage);
  write_entry(w, "swap", s.memory.swap);
  write_entry(w, "kernel", s.memory.kernel);
  write_entry(w, "kernelTCP", s.memory.kernel_tcp);
  if (!s.memory.raw.empty()) {
    w.key("raw").begin_object();
    for (const auto& [k, v] : s.memory.raw) w.key(k).uinteger(v);
    w.end_object();
  }
  w.end_object();
  // pids
  w.key("pids").begin_object();
  write_nonzero(w, "current", s.pids.current);
  write_nonzero(w, "limit", s.pids.limit);
  w.end_object();
  // blkio
  static constexpr const char* kBlkioKeys[kBlkioKinds] = {
      "ioServiceBytesRecursive", "ioServicedRecursive", "ioQueueRecursive",
      "ioServiceTimeRecursive",  "ioWaitTimeRecursive", "ioMergedRecursive",
      "ioTimeRecursive",         "sectorsRecursive",
  };
  w.key("blkio").begin_object();
  for (size_t k = 0; k < kBlkioKinds; ++k) {
    if (s.blkio[k].empty()) continue;
    w.key(kBlkioKeys[k]).begin_array();
    for (const BlkioEntry& e : s.blkio[k]) {
      w.begin_object();
      write_nonzero(w, "major", e.major);
      write_nonzero(w, "minor", e.minor);
      if (!e.op.empty()) w.member("op", e.op);
      write_nonzero(w, "value", e.value);
      w.end_object();
    }
    w.end_array();
  }
  w.end_object();
  // hugetlb
  w.key("hugetlb").begin_object();
  for (const auto& [size, e] : s.hugetlb) {
    w.key(size).begin_object();
    write_nonzero(w, "usage", e.usage);
    write_nonzero(w, "max", e.max);
    w.key("failcnt").uinteger(e.failcnt).end_object();
  }
  w.end_object();
  // Not collected, as runc on a host without Intel RDT or a network namespace to read.
  w.key("intel_rdt").begin_object().end_object();
  w.key("network_interfaces").null();
  w.end_object();
}

}  // namespace nook::cgroup
