// CVE-2019-5736: a process in the container must never be able to open the host's nook binary
// for writing through /proc/PID/exe. Commands that enter a container first re-execute nook from
// a sealed memfd copy, so /proc/self/exe points at an immutable anonymous file.
#pragma once

#include "nook/base/result.h"

namespace nook::linux {

// If not already running from the sealed copy, copies /proc/self/exe into a sealed memfd and
// fexecve()s it with the same argv/environ (does not return on success).
Status ensure_sealed_self(char** argv);
// Whether /proc/self/exe is nook's sealed memfd.
bool is_sealed_self();

}  // namespace nook::linux
