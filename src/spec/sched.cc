// Name tables of the scheduling and memory-placement fields (values from the kernel's uapi
// headers, spelled out where Debian 12's headers predate them), and the CPU/node list parser.
// Pure.
#include "nook/spec/sched.h"

#include <array>
#include <charconv>

#include "nook/base/split.h"

namespace nook::spec {
namespace {

constexpr std::array<NamedValue, 7> kPolicies = {{
    {"SCHED_OTHER", 0},
    {"SCHED_FIFO", 1},
    {"SCHED_RR", 2},
    {"SCHED_BATCH", 3},
    {"SCHED_ISO", kSchedIso},
    {"SCHED_IDLE", 5},
    {"SCHED_DEADLINE", 6},
}};

constexpr std::array<NamedValue, 7> kSchedFlags = {{
    {"SCHED_FLAG_RESET_ON_FORK", 0x01},
    {"SCHED_FLAG_RECLAIM", 0x02},
    {"SCHED_FLAG_DL_OVERRUN", 0x04},
    {"SCHED_FLAG_KEEP_POLICY", 0x08},
    {"SCHED_FLAG_KEEP_PARAMS", 0x10},
    {"SCHED_FLAG_UTIL_CLAMP_MIN", 0x20},
    {"SCHED_FLAG_UTIL_CLAMP_MAX", 0x40},
}};

constexpr std::array<NamedValue, 3> kIoClasses = {{
    {"IOPRIO_CLASS_RT", 1},
    {"IOPRIO_CLASS_BE", 2},
    {"IOPRIO_CLASS_IDLE", 3},
}};

constexpr std::array<NamedValue, 7> kMemoryModes = {{
    {"MPOL_DEFAULT", 0},
    {"MPOL_PREFERRED", 1},
    {"MPOL_BIND", 2},
    {"MPOL_INTERLEAVE", 3},
    {"MPOL_LOCAL", 4},
    {"MPOL_PREFERRED_MANY", 5},
    {"MPOL_WEIGHTED_INTERLEAVE", 6},  // Linux 6.9
}};

constexpr std::array<NamedValue, 3> kMemoryFlags = {{
    {"MPOL_F_NUMA_BALANCING", 1 << 13},
    {"MPOL_F_RELATIVE_NODES", 1 << 14},
    {"MPOL_F_STATIC_NODES", 1 << 15},
}};

Result<unsigned> parse_id(std::string_view text, std::string_view what) {
  unsigned v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  std::string quoted = "`";  // not "`" + std::string: GCC 12's -Wrestrict (bug 105329)
  quoted += text;
  quoted += "`";
  if (text.empty() || ec != std::errc() || end != text.data() + text.size())
    return make_error(quoted + " is not a " + std::string(what) + " number");
  if (v >= linux::kMaskBits)
    return make_error(std::string(what) + " " + std::string(text) + " is beyond the last one (" +
                      std::to_string(linux::kMaskBits - 1) + ")");
  return v;
}

}  // namespace

std::span<const NamedValue> sched_policies() {
  return kPolicies;
}
std::span<const NamedValue> sched_flags() {
  return kSchedFlags;
}
std::span<const NamedValue> io_priority_classes() {
  return kIoClasses;
}
std::span<const NamedValue> memory_policy_modes() {
  return kMemoryModes;
}
std::span<const NamedValue> memory_policy_flags() {
  return kMemoryFlags;
}

std::optional<int> value_of(std::span<const NamedValue> table, std::string_view name) {
  for (const auto& e : table)
    if (e.name == name) return e.value;
  return std::nullopt;
}

Result<linux::BitMask> parse_id_list(std::string_view text, std::string_view what) {
  linux::BitMask mask;
  for (auto item : split(text, ',')) {
    auto dash = item.find('-');
    unsigned first = NOOK_TRY(parse_id(item.substr(0, dash), what));
    unsigned last = first;
    if (dash != std::string_view::npos) last = NOOK_TRY(parse_id(item.substr(dash + 1), what));
    if (last < first) return make_error("range `" + std::string(item) + "` ends before it starts");
    for (unsigned id = first; id <= last; ++id) mask.set(id);
  }
  return mask;
}

}  // namespace nook::spec
