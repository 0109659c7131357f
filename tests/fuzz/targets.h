// What each fuzz target does with one input, shared by the libFuzzer entry (entry.cc, one
// binary per target) and the unit test that replays tests/fuzz/regressions/ in `make check`.
#pragma once

#include <string_view>

namespace nook::fuzz {

// config.json as a bundle brings it: parse_config, and the agent profile's rewrite of it.
void config(std::string_view input);
// An `exec --process` file: parse_process, and the agent profile's hardening of it.
void process(std::string_view input);
// A linux.seccomp object, parsed and compiled to BPF through libseccomp.
void seccomp(std::string_view input);
// A linux.resources object (or `update --resources` input) and its cgroup writes on v1, v2
// and hybrid.
void resources(std::string_view input);

}  // namespace nook::fuzz
