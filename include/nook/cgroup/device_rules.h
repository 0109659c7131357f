// Device rules (linux.resources.devices) and what a list of them grants: the state a cgroup v1
// devices controller ends in after the rules are written to it in order, computed the way
// runc 1.1's devices emulator does (default deny, "a" rules reset, allows add exceptions and denies
// remove them, or the other way round after an allow-all), including runc's refusal to deny part of
// an allowed wildcard. It is the input of the cgroup v2 device program and the check behind the v1
// writes. Pure.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "nook/base/result.h"

namespace nook::cgroup {

// One devices-cgroup rule; -1 is the "*" wildcard for major and minor.
struct DeviceRule {
  bool allow = false;
  char type = 'a';  // 'a' (all), 'b', 'c'
  int64_t major = -1, minor = -1;
  std::string access = "rwm";  // a non-empty subset of "rwm"

  bool operator==(const DeviceRule&) const = default;
};

// runc's AllowedDevices, appended after the configured rules on every container: mknod of
// anything, null, random, full, tty, zero, urandom, /dev/pts/*, ptmx and tun.
const std::vector<DeviceRule>& default_allowed_devices();
// The v1 devices.allow/devices.deny text of a rule: "c 1:3 rwm", "b *:* m".
std::string device_rule_text(const DeviceRule& rule);

// Access bits as BPF_DEVCG_ACC_* and the kernel's ACC_*: mknod 1, read 2, write 4.
inline constexpr uint8_t kDeviceMknod = 1, kDeviceRead = 2, kDeviceWrite = 4;
inline constexpr uint8_t kDeviceAllAccess = kDeviceMknod | kDeviceRead | kDeviceWrite;

// One exception of a devices cgroup: type 'b' or 'c', -1 for a wildcard major or minor.
struct DeviceException {
  char type = 'c';
  int64_t major = -1, minor = -1;
  uint8_t access = 0;  // kDevice* bits, never 0

  bool operator==(const DeviceException&) const = default;
};

struct DevicePolicy {
  // false: only what an exception allows (the state after runc's `deny a`); true: all but
  // what an exception denies.
  bool default_allow = false;
  // Sorted by major, minor, type (runc's order); each one reverses the default.
  std::vector<DeviceException> exceptions;
};

// The kDevice* bits of an access string ("rwm" → 7).
uint8_t device_access_bits(std::string_view access);

// The policy of linux.resources.devices (`configured`) followed by runc's
// default_allowed_devices(), starting from deny-all as runc does. An error names the rule that
// would punch a hole in a wildcard exception: `linux.resources.devices[2]: ...`.
Result<DevicePolicy> device_policy(const std::vector<DeviceRule>& configured);

}  // namespace nook::cgroup
