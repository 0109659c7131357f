// agent.json as built in (meson writes agent_profile_json.h from the shipped file).
#include "nook/seccomp/agent.h"

#include "agent_profile_json.h"

namespace nook::seccomp {

std::string_view agent_profile_json() {
  return kAgentProfileJson;
}

}  // namespace nook::seccomp
