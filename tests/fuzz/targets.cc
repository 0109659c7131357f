// The fuzz targets' bodies: the parsers and translators that take input nook did not write.
// Any crash, sanitizer report, leak or hang in them is a bug.
#include "targets.h"

#include "nook/cgroup/resources.h"
#include "nook/seccomp/compile.h"
#include "nook/spec/agent_profile.h"
#include "nook/spec/config.h"

namespace nook::fuzz {

void config(std::string_view input) {
  (void)spec::parse_config(input);
  if (auto hardened = spec::apply_agent_profile(input, spec::AgentSeccomp::Stack))
    (void)spec::parse_config(*hardened);
}

void process(std::string_view input) {
  (void)spec::parse_process(input);
  if (auto hardened = spec::apply_agent_profile_to_process(input))
    (void)spec::parse_process(*hardened);
}

void seccomp(std::string_view input) {
  (void)seccomp::compile_config(input);
}

void resources(std::string_view input) {
  auto parsed = cgroup::parse_resources(input);
  if (!parsed) return;
  for (auto layout : {cgroup::Layout::V1, cgroup::Layout::V2, cgroup::Layout::Hybrid}) {
    cgroup::HostFacts host;
    host.layout = layout;
    (void)cgroup::plan_writes(*parsed, host);
  }
}

}  // namespace nook::fuzz
