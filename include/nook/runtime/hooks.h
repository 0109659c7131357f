// Hooks run by the runtime process (prestart, createRuntime, poststart, poststop): each gets
// the state JSON on stdin and is killed at its timeout. Parent-side.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "nook/base/result.h"
#include "nook/spec/config.h"

namespace nook::runtime {

// Runs hooks in order; the first failure stops with ``<kind> hook `PATH` failed: ...``.
Status run_hooks(const std::vector<spec::Hook>& hooks, const std::string& state_json,
                 std::string_view kind);
// For the hooks whose failure the spec says only to log (poststart, poststop).
void run_hooks_warn(const std::vector<spec::Hook>& hooks, const std::string& state_json,
                    std::string_view kind);

}  // namespace nook::runtime
