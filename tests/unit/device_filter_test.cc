// Unit tests of device rules: the policy runc's emulator computes from a rule list (checked
// against runc 1.1.5 where it refuses a rule), and the cgroup v2 device program, run on a
// small interpreter of the few BPF instructions it uses for a table of device accesses.
// Pure, no root (device_filter_kernel_test.cc loads the program into the kernel).
#include "nook/cgroup/device_filter.h"

#include <gtest/gtest.h>

#include <cstring>
#include <optional>

#include "nook/cgroup/resources.h"

namespace nook::cgroup {
namespace {

// ---- a BPF interpreter for device programs --------------------------------------------------

struct Access {
  char type;  // 'c' or 'b'
  uint32_t major, minor;
  const char* access;  // "r", "rw", "m", ...
};

// Runs `program` on the context of `a` as the kernel would; nullopt on an instruction the
// generator should never emit, a jump out of the program, or falling off its end.
std::optional<bool> run(const std::vector<bpf_insn>& program, const Access& a) {
  uint32_t ctx[3] = {(static_cast<uint32_t>(device_access_bits(a.access)) << 16) |
                         (a.type == 'b' ? BPF_DEVCG_DEV_BLOCK : BPF_DEVCG_DEV_CHAR),
                     a.major, a.minor};
  uint64_t reg[11] = {};
  bool is_ctx[11] = {};
  is_ctx[1] = true;
  size_t steps = 0;
  for (size_t pc = 0; pc < program.size(); ++pc) {
    if (++steps > 10000) return std::nullopt;
    const bpf_insn& i = program[pc];
    uint64_t& dst = reg[i.dst_reg];
    uint32_t src32 = static_cast<uint32_t>(reg[i.src_reg]);
    uint32_t imm = static_cast<uint32_t>(i.imm);
    auto jump = [&](bool taken) {
      if (taken) pc += i.off;
    };
    switch (i.code) {
      case BPF_LDX | BPF_MEM | BPF_W:
        if (!is_ctx[i.src_reg] || i.off < 0 || i.off > 8 || i.off % 4 != 0) return std::nullopt;
        dst = ctx[i.off / 4];
        is_ctx[i.dst_reg] = false;
        break;
      case BPF_ALU | BPF_AND | BPF_K:
        dst = static_cast<uint32_t>(dst) & imm;
        break;
      case BPF_ALU | BPF_RSH | BPF_K:
        dst = static_cast<uint32_t>(dst) >> imm;
        break;
      case BPF_ALU | BPF_MOV | BPF_K:
        dst = imm;
        is_ctx[i.dst_reg] = false;
        break;
      case BPF_ALU | BPF_MOV | BPF_X:
        dst = src32;
        is_ctx[i.dst_reg] = false;
        break;
      case BPF_JMP32 | BPF_JNE | BPF_K:
        jump(static_cast<uint32_t>(dst) != imm);
        break;
      case BPF_JMP32 | BPF_JEQ | BPF_K:
        jump(static_cast<uint32_t>(dst) == imm);
        break;
      case BPF_JMP32 | BPF_JNE | BPF_X:
        jump(static_cast<uint32_t>(dst) != src32);
        break;
      case BPF_JMP | BPF_EXIT:
        if (reg[0] > 1) return std::nullopt;
        return reg[0] == 1;
      default:
        return std::nullopt;
    }
    if (pc + 1 > program.size()) return std::nullopt;
  }
  return std::nullopt;
}

DevicePolicy policy_of(const std::vector<DeviceRule>& rules) {
  auto policy = device_policy(rules);
  EXPECT_TRUE(policy.ok()) << policy.error().text();
  return policy.ok() ? *policy : DevicePolicy{};
}

std::string policy_error(const std::vector<DeviceRule>& rules) {
  auto policy = device_policy(rules);
  return policy.ok() ? "ok" : policy.error().text();
}

DeviceRule allow(char type, int64_t major, int64_t minor, const char* access) {
  return DeviceRule{true, type, major, minor, access};
}
DeviceRule deny(char type, int64_t major, int64_t minor, const char* access) {
  return DeviceRule{false, type, major, minor, access};
}
const DeviceRule kDenyAll = deny('a', -1, -1, "rwm");
const DeviceRule kAllowAll = allow('a', -1, -1, "rwm");

struct Case {
  Access access;
  bool allowed;
};

// Every case through the program of `rules`.
void expect_decisions(const std::vector<DeviceRule>& rules, const std::vector<Case>& cases) {
  std::vector<bpf_insn> program = device_filter_program(policy_of(rules));
  for (const Case& c : cases) {
    auto verdict = run(program, c.access);
    ASSERT_TRUE(verdict.has_value()) << "program did not run to an exit";
    EXPECT_EQ(*verdict, c.allowed) << c.access.type << " " << c.access.major << ":"
                                   << c.access.minor << " " << c.access.access;
  }
}

// ---- the policy -----------------------------------------------------------------------------

TEST(DevicePolicy, DefaultsAloneAreRuncsAllowListSorted) {
  DevicePolicy p = policy_of({});
  EXPECT_FALSE(p.default_allow);
  ASSERT_EQ(p.exceptions.size(), default_allowed_devices().size());
  // runc's order: major, minor, type; the two mknod wildcards first, 'b' before 'c'
  EXPECT_EQ(p.exceptions[0], (DeviceException{'b', -1, -1, kDeviceMknod}));
  EXPECT_EQ(p.exceptions[1], (DeviceException{'c', -1, -1, kDeviceMknod}));
  EXPECT_EQ(p.exceptions[2], (DeviceException{'c', 1, 3, kDeviceAllAccess}));
  EXPECT_EQ(p.exceptions.back(), (DeviceException{'c', 136, -1, kDeviceAllAccess}));
}

TEST(DevicePolicy, AnARuleResetsAndAllowsMergeDeniesSubtract) {
  DevicePolicy p = policy_of({allow('c', 10, 229, "r"), kAllowAll, deny('c', 10, 229, "w"),
                              deny('c', 10, 229, "m"), allow('c', 10, 229, "m")});
  EXPECT_TRUE(p.default_allow);
  // after allow-all, a deny adds a deny exception and an allow takes bits off it; the
  // defaults then take off nothing more here
  ASSERT_EQ(p.exceptions.size(), 1u);
  EXPECT_EQ(p.exceptions[0], (DeviceException{'c', 10, 229, kDeviceWrite}));
}

TEST(DevicePolicy, ADenyRemovesOnlyTheExactException) {
  DevicePolicy p = policy_of({kDenyAll, allow('c', 10, 229, "rwm"), deny('c', 10, 229, "rw")});
  auto it = std::find_if(p.exceptions.begin(), p.exceptions.end(),
                         [](const DeviceException& e) { return e.major == 10 && e.minor == 229; });
  ASSERT_NE(it, p.exceptions.end());
  EXPECT_EQ(it->access, kDeviceMknod);
}

TEST(DevicePolicy, PunchingAHoleInAWildcardIsRefusedLikeRunc) {
  // runc 1.1.5 on this config: "requested rule [{99 1 3} rw] not supported by devices
  // cgroupv1 (cannot punch hole in existing wildcard rule [{99 -1 -1} rwm])"
  EXPECT_EQ(policy_error({kDenyAll, allow('c', -1, -1, "rwm"), deny('c', 1, 3, "rw")}),
            "linux.resources.devices[2]: cannot deny `c 1:3 rw` inside the wildcard rule "
            "`c *:* rwm` allowed before it (a devices cgroup cannot punch a hole in a wildcard "
            "rule)");
  // a wildcard of one number only, and with no shared access bit there is no hole
  EXPECT_NE(policy_error({allow('b', 8, -1, "r"), deny('b', 8, 1, "r")}), "ok");
  EXPECT_EQ(policy_error({allow('b', 8, -1, "r"), deny('b', 8, 1, "w")}), "ok");
  // an allow-all cgroup with a denied wildcard: runc's default /dev/null rule would punch it
  EXPECT_EQ(policy_error({kAllowAll, deny('c', 1, -1, "rwm")}),
            "linux.resources.devices: runc's default rule `c 1:3 rwm`: cannot allow `c 1:3 rwm` "
            "inside the wildcard rule `c 1:* rwm` denied before it (a devices cgroup cannot "
            "punch a hole in a wildcard rule)");
}

// ---- the program ----------------------------------------------------------------------------

TEST(DeviceFilter, DefaultsAllowTheStandardDevicesAndMknodOnly) {
  expect_decisions({kDenyAll}, {
                                   {{'c', 1, 3, "rw"}, true},     // /dev/null
                                   {{'c', 1, 5, "r"}, true},      // /dev/zero
                                   {{'c', 1, 9, "rwm"}, true},    // /dev/urandom
                                   {{'c', 136, 7, "rw"}, true},   // /dev/pts/7
                                   {{'c', 5, 2, "rw"}, true},     // /dev/ptmx
                                   {{'c', 10, 200, "rw"}, true},  // /dev/net/tun
                                   {{'c', 1, 11, "r"}, false},    // /dev/kmsg
                                   {{'c', 1, 1, "r"}, false},     // /dev/mem
                                   {{'b', 8, 0, "r"}, false},     // /dev/sda
                                   {{'b', 8, 0, "m"}, true},      // mknod of anything: b *:* m
                                   {{'c', 4, 1, "m"}, true},      // c *:* m
                                   {{'c', 4, 1, "rm"}, false},    // but not open
                                   {{'c', 137, 0, "rw"}, false},  // next to /dev/pts
                               });
}

TEST(DeviceFilter, AnAllowMustCoverEveryRequestedBit) {
  expect_decisions({kDenyAll, allow('c', 1, 11, "r"), allow('b', -1, 0, "rw")},
                   {
                       {{'c', 1, 11, "r"}, true},
                       {{'c', 1, 11, "w"}, false},
                       {{'c', 1, 11, "rw"}, false},
                       {{'b', 8, 0, "rw"}, true},  // wildcard major
                       {{'b', 259, 0, "r"}, true},
                       {{'b', 8, 1, "r"}, false},
                       {{'c', 8, 0, "r"}, false},  // type matters
                   });
}

TEST(DeviceFilter, LastMatchingRuleWinsThroughTheEmulator) {
  // allow then deny of the same device: the deny wins; deny then allow: the allow wins
  expect_decisions({kDenyAll, allow('c', 10, 229, "rw"), deny('c', 10, 229, "rw"),
                    deny('c', 10, 57, "rw"), allow('c', 10, 57, "rw")},
                   {
                       {{'c', 10, 229, "r"}, false},
                       {{'c', 10, 57, "rw"}, true},
                   });
}

TEST(DeviceFilter, AllowAllWithDeniesRefusesAnySharedBitAsCgroupV1Does) {
  expect_decisions({kAllowAll, deny('b', 8, -1, "w"), deny('c', 10, 229, "rwm")},
                   {
                       {{'b', 8, 3, "r"}, true},
                       {{'b', 8, 3, "w"}, false},
                       {{'b', 8, 3, "rw"}, false},  // runc's program would allow this one
                       {{'c', 10, 229, "m"}, false},
                       {{'c', 10, 228, "rw"}, true},
                       {{'c', 1, 11, "r"}, true},
                   });
}

TEST(DeviceFilter, ARulesLaterInTheListResetEverythingBefore) {
  expect_decisions({kDenyAll, allow('c', 1, 11, "r"), kAllowAll},
                   {{{'c', 1, 11, "w"}, true}, {{'b', 8, 0, "rw"}, true}});
  expect_decisions({kAllowAll, kDenyAll}, {{{'c', 1, 11, "r"}, false}, {{'c', 1, 3, "rw"}, true}});
}

TEST(DeviceFilter, LargeDeviceNumbersCompareAsUnsigned32Bit) {
  expect_decisions({kDenyAll, allow('c', 4000000000, 4294967295, "r")},
                   {{{'c', 4000000000u, 4294967295u, "r"}, true},
                    {{'c', 4000000000u, 2147483647u, "r"}, false}});
}

TEST(DeviceFilter, StartsWithTheContextLoadsAndEndsInTheDefault) {
  std::vector<bpf_insn> deny_all = device_filter_program(DevicePolicy{false, {}});
  ASSERT_EQ(deny_all.size(), 8u);  // 6 loads and shifts, mov r0 0, exit
  EXPECT_EQ(deny_all[6].code, BPF_ALU | BPF_MOV | BPF_K);
  EXPECT_EQ(deny_all[6].imm, 0);
  EXPECT_EQ(deny_all[7].code, BPF_JMP | BPF_EXIT);
  EXPECT_EQ(device_filter_program(DevicePolicy{true, {}})[6].imm, 1);
  EXPECT_EQ(*run(deny_all, {'c', 1, 3, "r"}), false);
}

}  // namespace
}  // namespace nook::cgroup
