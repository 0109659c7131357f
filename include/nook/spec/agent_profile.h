// The agent profile: the hardening `nook spec --agent` writes into a config.json and that the
// annotation io.nook.profile=agent applies to any bundle when nook loads it (create, run,
// exec). One rewrite of config.json text serves both, so they cannot drift apart; where the
// bundle already sets a field, the stricter of the two wins. man/nook-agent.7 documents every
// change. Pure: no syscalls (the host-namespace check is the plan's, see runtime/plan.cc).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "nook/base/result.h"

namespace nook::spec {

inline constexpr std::string_view kProfileAnnotation = "io.nook.profile";
inline constexpr std::string_view kAgentProfileName = "agent";

// The user namespace the profile adds: container ids 0..65535 are host ids 100000..165535.
inline constexpr uint32_t kAgentHostIdBase = 100000;
inline constexpr uint32_t kAgentIdCount = 65536;
inline constexpr int64_t kAgentMemoryLimit = int64_t{2} << 30;  // bytes
inline constexpr int64_t kAgentPidsLimit = 1024;
inline constexpr std::string_view kAgentTmpSize = "512m";

// The capabilities an agent keeps (every set is intersected with these).
const std::vector<std::string_view>& agent_capabilities();

// Where the agent's seccomp filter goes. `nook spec --agent` writes agent.json as the config's
// linux.seccomp (Embed); the annotation keeps the bundle's own linux.seccomp and the runtime
// loads agent.json as a second filter on top (Stack), so a syscall must pass both.
enum class AgentSeccomp { Embed, Stack };

// config.json text → the same config, compact, with the agent profile applied. Errors name
// the field (a bundle mapping host id 0 into its user namespace is refused).
Result<std::string> apply_agent_profile(std::string_view config_json, AgentSeccomp seccomp);

// The process part alone, for `exec --process FILE` into an agent-profile container.
Result<std::string> apply_agent_profile_to_process(std::string_view process_json);

}  // namespace nook::spec
