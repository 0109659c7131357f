// The devices-cgroup policy a rule list grants, emulating cgroup v1's devices controller as
// runc 1.1's devices emulator does (libcontainer/cgroups/devices): exceptions keyed by exact
// type/major/minor, merged on add and reduced on remove, reset by any "a" rule. Pure.
#include "nook/cgroup/device_rules.h"

#include <algorithm>
#include <map>
#include <tuple>

#include "nook/json/decode.h"

namespace nook::cgroup {

namespace {

constexpr std::string_view kDevices = "linux.resources.devices";

using Key = std::tuple<char, int64_t, int64_t>;  // type, major, minor

std::string access_text(uint8_t bits) {
  std::string text;
  if (bits & kDeviceRead) text += 'r';
  if (bits & kDeviceWrite) text += 'w';
  if (bits & kDeviceMknod) text += 'm';
  return text;
}

std::string exception_text(const Key& key, uint8_t bits) {
  auto [type, major, minor] = key;
  return device_rule_text(DeviceRule{true, type, major, minor, access_text(bits)});
}

class Emulator {
 public:
  // Applies one rule; on error returns what is wrong with it (without the field path).
  Result<Ok> apply(const DeviceRule& rule) {
    if (rule.type == 'a') {
      // The kernel reads any "a" rule as all devices with all access: a reset.
      default_allow_ = rule.allow;
      exceptions_.clear();
      return ok_status();
    }
    Key key{rule.type, rule.major, rule.minor};
    uint8_t bits = device_access_bits(rule.access);
    // An allow adds an exception to a deny-all cgroup and removes one from an allow-all one.
    if (rule.allow != default_allow_) {
      exceptions_[key] |= bits;
      return ok_status();
    }
    return remove(key, bits, rule.allow);
  }

  DevicePolicy policy() const {
    DevicePolicy out;
    out.default_allow = default_allow_;
    for (const auto& [key, bits] : exceptions_) {
      out.exceptions.push_back(
          DeviceException{std::get<0>(key), std::get<1>(key), std::get<2>(key), bits});
    }
    // runc's order: major, minor, then type (-1, the wildcard, first).
    std::sort(out.exceptions.begin(), out.exceptions.end(),
              [](const DeviceException& a, const DeviceException& b) {
                return std::tie(a.major, a.minor, a.type) < std::tie(b.major, b.minor, b.type);
              });
    return out;
  }

 private:
  // cgroup v1 only removes the exception of exactly this type/major/minor and silently keeps a
  // wildcard one that covers it, which would leave the device reachable; runc refuses that
  // instead, and so does nook.
  Result<Ok> remove(const Key& key, uint8_t bits, bool allow) {
    auto [type, major, minor] = key;
    for (const Key& wider : {Key{type, -1, minor}, Key{type, major, -1}, Key{type, -1, -1}}) {
      if (wider == key) continue;
      auto it = exceptions_.find(wider);
      if (it == exceptions_.end() || (it->second & bits) == 0) continue;
      std::string verb = allow ? "allow" : "deny";
      std::string before = allow ? "denied" : "allowed";
      return make_error("cannot " + verb + " `" + exception_text(key, bits) +
                        "` inside the wildcard rule `" + exception_text(wider, it->second) + "` " +
                        before + " before it (a devices cgroup cannot punch a hole in a " +
                        "wildcard rule)");
    }
    auto it = exceptions_.find(key);
    if (it == exceptions_.end()) return ok_status();
    it->second &= static_cast<uint8_t>(~bits);
    if (it->second == 0) exceptions_.erase(it);
    return ok_status();
  }

  bool default_allow_ = false;  // runc's emulator starts from deny-all
  std::map<Key, uint8_t> exceptions_;
};

}  // namespace

const std::vector<DeviceRule>& default_allowed_devices() {
  // runc 1.1 libcontainer/specconv AllowedDevices, in its order; checked against the
  // devices.list runc leaves on a v1 host.
  static const std::vector<DeviceRule> kDefaults = {
      {true, 'c', -1, -1, "m"},     // mknod of any character device
      {true, 'b', -1, -1, "m"},     // mknod of any block device
      {true, 'c', 1, 3, "rwm"},     // /dev/null
      {true, 'c', 1, 8, "rwm"},     // /dev/random
      {true, 'c', 1, 7, "rwm"},     // /dev/full
      {true, 'c', 5, 0, "rwm"},     // /dev/tty
      {true, 'c', 1, 5, "rwm"},     // /dev/zero
      {true, 'c', 1, 9, "rwm"},     // /dev/urandom
      {true, 'c', 136, -1, "rwm"},  // /dev/pts/*
      {true, 'c', 5, 2, "rwm"},     // /dev/ptmx
      {true, 'c', 10, 200, "rwm"},  // /dev/net/tun
  };
  return kDefaults;
}

std::string device_rule_text(const DeviceRule& rule) {
  auto number = [](int64_t n) { return n == -1 ? std::string("*") : std::to_string(n); };
  return std::string(1, rule.type) + " " + number(rule.major) + ":" + number(rule.minor) + " " +
         rule.access;
}

uint8_t device_access_bits(std::string_view access) {
  uint8_t bits = 0;
  for (char c : access) {
    if (c == 'r') bits |= kDeviceRead;
    if (c == 'w') bits |= kDeviceWrite;
    if (c == 'm') bits |= kDeviceMknod;
  }
  return bits;
}

Result<DevicePolicy> device_policy(const std::vector<DeviceRule>& configured) {
  Emulator emulator;
  for (size_t i = 0; i < configured.size(); ++i) {
    auto applied = emulator.apply(configured[i]);
    if (!applied.ok()) {
      return std::move(applied).error().wrap(json::index_path(kDevices, i));
    }
  }
  for (const DeviceRule& rule : default_allowed_devices()) {
    auto applied = emulator.apply(rule);
    if (!applied.ok()) {
      return std::move(applied).error().wrap(std::string(kDevices) + ": runc's default rule `" +
                                             device_rule_text(rule) + "`");
    }
  }
  return emulator.policy();
}

}  // namespace nook::cgroup
