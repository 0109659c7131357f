// The config.json that `nook spec` writes: runc's default, or its rootless variant, byte for
// byte as `runc spec` prints it (tab-indented, no trailing newline) except ociVersion.
#pragma once
#include <cstdint>
#include <string>

namespace nook::spec {
// The rootless variant maps container root to the caller's effective uid and gid.
std::string default_spec_json(bool rootless);
// Same, with the host ids of the rootless mapping given (for tests).
std::string default_spec_json(bool rootless, uint32_t host_uid, uint32_t host_gid);
}  // namespace nook::spec
