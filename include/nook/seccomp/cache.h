// A cache of compiled filters under --root: containerd and podman send the same profile for
// every container, and compiling it for three architectures costs ~10 ms, more than the rest
// of `create`. Keyed by the profile text, libseccomp's version, the kernel release and nook's
// version (the output depends on all four). Parent-side.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "nook/base/result.h"
#include "nook/seccomp/compile.h"

namespace nook::seccomp {

// compile_config(), answered from `cache_dir` when the same profile was compiled before; a
// fresh result is stored there atomically. A cache that cannot be read or written only costs
// the compile.
Result<std::optional<Filter>> compile_config_cached(std::string_view seccomp_json,
                                                    const std::string& cache_dir);

// The cache file name for a profile (pure, unit-tested): 32 hex digits.
std::string cache_key(std::string_view seccomp_json, std::string_view environment);

}  // namespace nook::seccomp
