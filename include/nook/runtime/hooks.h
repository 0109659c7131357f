// Hooks run by the runtime process (prestart, createRuntime, poststart, poststop): each gets
// the state JSON on stdin and is killed, with what it forked, at its timeout. runtime-spec 1.3:
// a failing prestart, createRuntime or poststart hook is an error (the caller stops and
// destroys the container); a failing poststop hook is only a warning. Parent-side.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "nook/base/result.h"
#include "nook/spec/config.h"

namespace nook::runtime {

// Runs hooks in order; the first failure stops with ``KIND hook `PATH` failed: WHY`` (WHY:
// "exit status N", "killed by signal N", "ran past its timeout of Ns", "exec").
Status run_hooks(const std::vector<spec::Hook>& hooks, const std::string& state_json,
                 std::string_view kind);
// For the hooks whose failure the spec says only to log (poststop): every one runs.
void run_hooks_warn(const std::vector<spec::Hook>& hooks, const std::string& state_json,
                    std::string_view kind);

}  // namespace nook::runtime
