// The names runtime-spec 1.3 gives to scheduling and memory placement, with their kernel
// values: scheduler policies and flags (process.scheduler), io priority classes
// (process.ioPriority), memory policy modes and flags (linux.memoryPolicy); and the kernel's
// list format for CPU and node sets ("0-3,7"). Pure tables and parsing.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "nook/base/result.h"
#include "nook/linux/sched.h"

namespace nook::spec {

struct NamedValue {
  std::string_view name;
  int value;
};

// SCHED_OTHER ... SCHED_DEADLINE, in the spec's order. SCHED_ISO is listed by the spec but no
// Linux kernel implements it.
std::span<const NamedValue> sched_policies();
std::span<const NamedValue> sched_flags();          // SCHED_FLAG_RESET_ON_FORK ...
std::span<const NamedValue> io_priority_classes();  // IOPRIO_CLASS_RT, _BE, _IDLE
std::span<const NamedValue> memory_policy_modes();  // MPOL_DEFAULT ... MPOL_WEIGHTED_INTERLEAVE
std::span<const NamedValue> memory_policy_flags();  // MPOL_F_NUMA_BALANCING ...

std::optional<int> value_of(std::span<const NamedValue> table, std::string_view name);

inline constexpr int kSchedIso = 4;
inline constexpr int kIoPriorityLevels = 8;  // 0 (highest) to 7
inline constexpr int kIoPriorityClassShift = 13;

// "0-3,7" → bits 0, 1, 2, 3 and 7. The error says what is wrong with the text, for the caller
// to put behind the field's name; `what` is "CPU" or "node".
Result<linux::BitMask> parse_id_list(std::string_view text, std::string_view what);

}  // namespace nook::spec
