// Validation of a decoded Config against the runtime-spec and runc's rules, before anything
// touches the host: every error names the field path ("hostname: requires a new uts
// namespace"). Pure: reads no file, so rules that need the host (is a joined netns the host's?)
// belong to the runtime.
#pragma once

#include <string_view>

#include "nook/base/result.h"
#include "nook/spec/config.h"

namespace nook::spec {
Status validate_config(const Config& c);
// `path` prefixes errors: "process" in a config, or for `exec --process`.
Status validate_process(const Process& p, std::string_view path);
// The ids of `u` are mapped by the new user namespace of `l` (errors name `path`.uid, ...).
Status validate_user_mapped(const User& u, const Linux& l, std::string_view path);
// runc's sysctl rules: which keys a config's namespaces make safe to write.
Status validate_sysctl(const Linux& l);
}  // namespace nook::spec
