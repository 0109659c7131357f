// The OCI `linux.seccomp` object (runtime-spec 1.2) as a typed, validated model. Pure: no
// libseccomp, no syscalls, so every validation error is unit-testable. Errors name the field
// path: "linux.seccomp.syscalls[3].action: unknown action `SCMP_ACT_FOO`".
// Not for the child: parsing allocates.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "nook/base/result.h"

namespace nook::seccomp {

enum class Action { Kill, KillProcess, KillThread, Trap, Errno, Trace, Allow, Log, Notify };

// runtime-spec `op` names map one to one onto libseccomp's scmp_compare.
enum class Op { NotEqual, LessThan, LessEqual, Equal, GreaterEqual, GreaterThan, MaskedEqual };

enum class Arch {
  X86,
  X86_64,
  X32,
  Arm,
  Aarch64,
  Mips,
  Mips64,
  Mips64N32,
  Mipsel,
  Mipsel64,
  Mipsel64N32,
  Ppc,
  Ppc64,
  Ppc64le,
  S390,
  S390x,
  Parisc,
  Parisc64,
  Riscv64,
  Loongarch64,
};

enum class Flag { Tsync, Log, SpecAllow, WaitKillableRecv };

struct Arg {
  uint32_t index = 0;      // 0..5
  uint64_t value = 0;      // for MaskedEqual: the mask
  uint64_t value_two = 0;  // for MaskedEqual: the value compared after masking
  Op op = Op::Equal;
};

struct SyscallRule {
  std::vector<std::string> names;
  Action action = Action::Allow;
  std::optional<uint32_t> errno_ret;  // only meaningful for Errno and Trace
  std::vector<Arg> args;              // ANDed
};

struct Profile {
  Action default_action = Action::Allow;
  std::optional<uint32_t> default_errno_ret;
  std::vector<Arch> architectures;
  // nullopt when `flags` is absent: runc then asks for SpecAllow if the kernel has it, while an
  // explicit `[]` means no flags at all.
  std::optional<std::vector<Flag>> flags;
  std::string listener_path;
  std::string listener_metadata;
  std::vector<SyscallRule> syscalls;
};

// Parses the raw `linux.seccomp` JSON text (spec::Config::linux.seccomp_json). nullopt means
// "no filter": the text is empty, or, as in runc, it has neither a defaultAction nor syscalls.
Result<std::optional<Profile>> parse_profile(std::string_view json_text);

// The OCI spellings, for messages and tests.
std::string_view action_name(Action a);
std::string_view arch_name(Arch a);  // "SCMP_ARCH_X86_64"
std::string_view flag_name(Flag f);

}  // namespace nook::seccomp
