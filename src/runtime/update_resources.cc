// `update`'s input → cgroup::Resources: the --resources JSON cut down to what runc 1.1's update
// takes, or (without --resources, as runc ignores them then) the individual flags (parsed as
// runc's urfave/cli and strconv calls do), and go-units' RAMInBytes for the memory sizes.
// Pure; never touches the cgroup.
#include "nook/runtime/update_resources.h"

#include <cctype>
#include <charconv>
#include <limits>

namespace nook::runtime {
namespace {

// The bounds parse_resources enforces on the same linux.resources fields; checked here again so
// that the error names the flag rather than the JSON field.
constexpr uint64_t kMinShares = 2, kMaxShares = 262144;
constexpr int64_t kMinQuota = 1000;
constexpr uint64_t kMinPeriod = 1000, kMaxPeriod = 1000000;
constexpr int64_t kMinBlkioWeight = 10, kMaxBlkioWeight = 1000;

Error flag_error(std::string_view flag, std::string_view what) {
  return make_error("--" + std::string(flag) + ": " + std::string(what));
}

Error invalid_value(std::string_view flag, std::string_view text, std::string_view expected) {
  return flag_error(flag,
                    "invalid value `" + std::string(text) + "`, expected " + std::string(expected));
}

// strconv.ParseUint(s, 10, 64): digits only, no sign.
Result<uint64_t> parse_uint(std::string_view flag, std::string_view text) {
  uint64_t n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size())
    return invalid_value(flag, text, "an unsigned integer");
  return n;
}

// strconv.ParseInt(s, 10, 64): an optional sign, then digits.
Result<int64_t> parse_int(std::string_view flag, std::string_view text) {
  std::string_view digits = text;
  if (digits.starts_with('+')) digits.remove_prefix(1);
  int64_t n = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
  if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size())
    return invalid_value(flag, text, "an integer");
  return n;
}

// Go's flag package for an IntFlag (strconv.ParseInt(s, 0, 64)): a sign, then decimal, 0x hex,
// 0o or leading-0 octal, or 0b binary. runc's --pids-limit and --blkio-weight are IntFlags.
Result<int64_t> parse_go_int(std::string_view flag, std::string_view text) {
  std::string_view s = text;
  bool negative = false;
  if (s.starts_with('+') || s.starts_with('-')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  int base = 10;
  if (s.size() > 2 && s[0] == '0' && std::isalpha(static_cast<unsigned char>(s[1]))) {
    char prefix = static_cast<char>(std::tolower(static_cast<unsigned char>(s[1])));
    base = prefix == 'x' ? 16 : prefix == 'o' ? 8 : prefix == 'b' ? 2 : 0;
    s.remove_prefix(2);
  } else if (s.size() > 1 && s[0] == '0') {
    base = 8;
    s.remove_prefix(1);
  }
  uint64_t magnitude = 0;
  auto [end, ec] = base == 0 ? std::from_chars_result{s.data(), std::errc::invalid_argument}
                             : std::from_chars(s.data(), s.data() + s.size(), magnitude, base);
  constexpr auto kMax = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
  if (s.empty() || ec != std::errc() || end != s.data() + s.size() ||
      magnitude > kMax + (negative ? 1 : 0))
    return invalid_value(flag, text, "an integer");
  if (!negative) return static_cast<int64_t>(magnitude);
  return magnitude == kMax + 1 ? std::numeric_limits<int64_t>::min()
                               : -static_cast<int64_t>(magnitude);
}

Result<int64_t> parse_size_flag(std::string_view flag, std::string_view text) {
  auto size = parse_memory_size(text);
  if (!size.ok()) return std::move(size).error().wrap("--" + std::string(flag));
  return *size;
}

// runc's update takes these fields of the --resources object and nothing else.
UpdatePlan from_json(const cgroup::Resources& in) {
  UpdatePlan plan;
  cgroup::Resources& out = plan.resources;
  out.memory.limit = in.memory.limit;
  out.memory.reservation = in.memory.reservation;
  out.memory.swap = in.memory.swap;
  out.memory.check_before_update = in.memory.check_before_update;
  plan.kernel_memory_ignored = in.memory.kernel != 0 || in.memory.kernel_tcp != 0;
  out.cpu = in.cpu;
  out.block_io.weight = in.block_io.weight;
  // 0 is "unset" here (runc writes pids.max only for a non-zero limit), unlike at create.
  if (in.pids_limit && *in.pids_limit != 0) out.pids_limit = in.pids_limit;
  out.unified = in.unified;
  return plan;
}

Status apply_cpu_flags(const UpdateFlags& f, cgroup::CpuResources& cpu) {
  if (!f.cpu_share.empty()) {
    cpu.shares = NOOK_TRY(parse_uint("cpu-share", f.cpu_share));
    if (cpu.shares != 0 && cpu.shares < kMinShares)
      return flag_error("cpu-share", "must be at least 2");
    if (cpu.shares > kMaxShares) return flag_error("cpu-share", "must be at most 262144");
  }
  if (!f.cpu_period.empty()) {
    cpu.period = NOOK_TRY(parse_uint("cpu-period", f.cpu_period));
    if (cpu.period != 0 && (cpu.period < kMinPeriod || cpu.period > kMaxPeriod))
      return flag_error("cpu-period", "must be between 1000 and 1000000 (µs)");
  }
  if (!f.cpu_quota.empty()) {
    cpu.quota = NOOK_TRY(parse_int("cpu-quota", f.cpu_quota));
    if (cpu.quota < -1 || (cpu.quota > 0 && cpu.quota < kMinQuota))
      return flag_error("cpu-quota", "must be at least 1000 (µs), or -1 for unlimited");
  }
  if (!f.cpu_burst.empty()) cpu.burst = NOOK_TRY(parse_uint("cpu-burst", f.cpu_burst));
  if (!f.cpu_idle.empty()) {
    cpu.idle = NOOK_TRY(parse_int("cpu-idle", f.cpu_idle));
    if (*cpu.idle != 0 && *cpu.idle != 1) return flag_error("cpu-idle", "must be 0 or 1");
  }
  if (!f.cpu_rt_period.empty())
    cpu.realtime_period = NOOK_TRY(parse_uint("cpu-rt-period", f.cpu_rt_period));
  if (!f.cpu_rt_runtime.empty()) {
    cpu.realtime_runtime = NOOK_TRY(parse_int("cpu-rt-runtime", f.cpu_rt_runtime));
    if (cpu.realtime_runtime < -1)
      return flag_error("cpu-rt-runtime", "must be positive, or -1 for unlimited");
  }
  if (!f.cpuset_cpus.empty()) cpu.cpus = f.cpuset_cpus;
  if (!f.cpuset_mems.empty()) cpu.mems = f.cpuset_mems;
  return ok_status();
}

Status apply_memory_flags(const UpdateFlags& f, UpdatePlan& plan) {
  cgroup::MemoryResources& m = plan.resources.memory;
  if (!f.memory.empty()) m.limit = NOOK_TRY(parse_size_flag("memory", f.memory));
  if (!f.memory_reservation.empty())
    m.reservation = NOOK_TRY(parse_size_flag("memory-reservation", f.memory_reservation));
  if (!f.memory_swap.empty()) m.swap = NOOK_TRY(parse_size_flag("memory-swap", f.memory_swap));
  // Parsed for their syntax (runc 1.1 does), then dropped: kernel memory limits are gone.
  for (const auto& [flag, text] : {std::pair{"kernel-memory", &f.kernel_memory},
                                   std::pair{"kernel-memory-tcp", &f.kernel_memory_tcp}}) {
    if (text->empty()) continue;
    if (NOOK_TRY(parse_size_flag(flag, *text)) != 0) plan.kernel_memory_ignored = true;
  }
  // The kernel keeps memory+swap at or above the memory limit (v1), and v2's memory.swap.max is
  // derived as their difference.
  if (m.swap > 0 && m.limit > 0 && m.swap < m.limit) {
    return flag_error(f.memory_swap.empty() ? "memory" : "memory-swap",
                      "the memory+swap limit must be at least the memory limit");
  }
  return ok_status();
}

}  // namespace

Result<int64_t> parse_memory_size(std::string_view text) {
  if (text == "-1") return -1;
  auto invalid = [&] { return make_error("invalid size `" + std::string(text) + "`"); };
  // The number: digits, optionally a dot and more digits.
  size_t i = 0;
  while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
  if (i == 0) return invalid();
  if (i < text.size() && text[i] == '.') {
    size_t fraction = ++i;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
    if (i == fraction) return invalid();
  }
  std::string_view number = text.substr(0, i);
  std::string_view suffix = text.substr(i);
  // One optional space, a unit letter, then optionally `i` and `b`, each at most once.
  if (suffix.starts_with(' ')) suffix.remove_prefix(1);
  double multiplier = 1;
  constexpr std::string_view kUnits = "kmgtp";
  if (!suffix.empty()) {
    size_t unit =
        kUnits.find(static_cast<char>(std::tolower(static_cast<unsigned char>(suffix[0]))));
    if (unit != std::string_view::npos) {
      for (size_t k = 0; k <= unit; ++k) multiplier *= 1024;
      suffix.remove_prefix(1);
    }
  }
  if (!suffix.empty() && (suffix[0] == 'i' || suffix[0] == 'I')) suffix.remove_prefix(1);
  if (!suffix.empty() && (suffix[0] == 'b' || suffix[0] == 'B')) suffix.remove_prefix(1);
  if (!suffix.empty()) return invalid();
  // As go-units: a float64 times the unit, truncated toward zero.
  double size = 0;
  auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), size);
  if (ec != std::errc() || end != number.data() + number.size()) return invalid();
  size *= multiplier;
  // Go would wrap a size past int64 into a negative number the kernel then refuses.
  if (size >= 9223372036854775808.0)
    return make_error("size `" + std::string(text) + "` is too large");
  return static_cast<int64_t>(size);
}

Result<UpdatePlan> update_resources(std::string_view resources_json, const UpdateFlags& f) {
  cgroup::Resources parsed = NOOK_TRY(cgroup::parse_resources(resources_json));
  UpdatePlan plan = from_json(parsed);
  cgroup::Resources& r = plan.resources;
  // runc's update does not touch device rules (SkipDevices).
  r.skip_devices = true;
  // runc: with --resources, every individual flag is ignored.
  if (!resources_json.empty()) return plan;
  // One line each of the resctrl group's schemata file, as linux.intelRdt's.
  for (const auto& [flag, line] : {std::pair{"l3-cache-schema", &f.l3_cache_schema},
                                   std::pair{"mem-bw-schema", &f.mem_bw_schema}}) {
    if (line->empty()) continue;
    if (line->find('\n') != std::string::npos)
      return flag_error(flag, "must not contain a newline");
    plan.schemata.emplace_back(std::string("--") + flag, *line);
  }
  if (!f.mem_bw_schema.empty() && !f.mem_bw_schema.starts_with("MB:"))
    return flag_error("mem-bw-schema", "must start with `MB:`");
  if (!f.blkio_weight.empty()) {
    int64_t weight = NOOK_TRY(parse_go_int("blkio-weight", f.blkio_weight));
    if (weight != 0 && (weight < kMinBlkioWeight || weight > kMaxBlkioWeight))
      return flag_error("blkio-weight", "must be between 10 and 1000");
    r.block_io.weight = static_cast<uint16_t>(weight);
  }
  NOOK_TRY(apply_cpu_flags(f, r.cpu));
  NOOK_TRY(apply_memory_flags(f, plan));
  if (!f.pids_limit.empty()) {
    int64_t limit = NOOK_TRY(parse_go_int("pids-limit", f.pids_limit));
    if (limit != 0) r.pids_limit = limit;  // negative: "max"
  }
  return plan;
}

}  // namespace nook::runtime
