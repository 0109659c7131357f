// The agent profile's seccomp filter (seccomp-profiles/agent.json), compiled into the binary so
// that the agent hardening never depends on where, or whether, the profiles were installed.
#pragma once

#include <string_view>

namespace nook::seccomp {

// The text of seccomp-profiles/agent.json, a runtime-spec `linux.seccomp` object.
std::string_view agent_profile_json();

}  // namespace nook::seccomp
