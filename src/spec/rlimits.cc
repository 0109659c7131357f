// The rlimit name table: "RLIMIT_NOFILE" ↔ RLIMIT_NOFILE for all 16 Linux resources.
// Pure data.
#include "nook/spec/rlimits.h"

#include <sys/resource.h>

#include <array>

namespace nook::spec {
namespace {

struct RlimitName {
  int resource;
  const char* name;
};

constexpr std::array<RlimitName, 16> kRlimits = {{
    {RLIMIT_CPU, "RLIMIT_CPU"},
    {RLIMIT_FSIZE, "RLIMIT_FSIZE"},
    {RLIMIT_DATA, "RLIMIT_DATA"},
    {RLIMIT_STACK, "RLIMIT_STACK"},
    {RLIMIT_CORE, "RLIMIT_CORE"},
    {RLIMIT_RSS, "RLIMIT_RSS"},
    {RLIMIT_NPROC, "RLIMIT_NPROC"},
    {RLIMIT_NOFILE, "RLIMIT_NOFILE"},
    {RLIMIT_MEMLOCK, "RLIMIT_MEMLOCK"},
    {RLIMIT_AS, "RLIMIT_AS"},
    {RLIMIT_LOCKS, "RLIMIT_LOCKS"},
    {RLIMIT_SIGPENDING, "RLIMIT_SIGPENDING"},
    {RLIMIT_MSGQUEUE, "RLIMIT_MSGQUEUE"},
    {RLIMIT_NICE, "RLIMIT_NICE"},
    {RLIMIT_RTPRIO, "RLIMIT_RTPRIO"},
    {RLIMIT_RTTIME, "RLIMIT_RTTIME"},
}};

}  // namespace

std::optional<int> rlimit_from_name(std::string_view name) {
  for (const auto& r : kRlimits)
    if (name == r.name) return r.resource;
  return std::nullopt;
}

const char* rlimit_name(int resource) {
  for (const auto& r : kRlimits)
    if (r.resource == resource) return r.name;
  return nullptr;
}

}  // namespace nook::spec
