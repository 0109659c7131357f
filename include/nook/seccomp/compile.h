// Parent-side seccomp compiler: Profile → a plain BPF program (libseccomp, then runc's -ENOSYS
// stub in front), built before clone3 so the child only has to call linux::load_seccomp().
// Never called in the child: libseccomp allocates.
#pragma once

#include <linux/filter.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "nook/base/result.h"
#include "nook/seccomp/profile.h"

namespace nook::seccomp {

struct Filter {
  std::vector<sock_filter> program;  // at most BPF_MAXINSNS instructions, host byte order
  // SECCOMP_FILTER_FLAG_* to pass to seccomp(2). Never has NEW_LISTENER (the loader adds it when
  // needs_listener) nor TSYNC (the child is single-threaded, and TSYNC|NEW_LISTENER is EINVAL).
  unsigned flags = 0;
  // A rule uses SCMP_ACT_NOTIFY: the filter must be loaded with SECCOMP_FILTER_FLAG_NEW_LISTENER
  // and the returned fd handed to the agent at `listener_path`, with `listener_metadata`.
  bool needs_listener = false;
  std::string listener_path, listener_metadata;
};

// Compiles a parsed profile. Syscall names unknown to libseccomp for the native arch are
// skipped, as runc does; flags are checked against the running kernel.
Result<Filter> compile(const Profile& profile);

// The one call for `create`: parse_profile() + compile(). nullopt when the config asks for no
// filter (no `linux.seccomp`, or neither defaultAction nor syscalls).
Result<std::optional<Filter>> compile_config(std::string_view seccomp_json);

// What `features` reports: the architectures this libseccomp knows, the flags this kernel
// accepts, and libseccomp's version ("2.5.4").
std::vector<Arch> supported_archs();
std::vector<Flag> supported_flags();
std::string libseccomp_version();

}  // namespace nook::seccomp
