// CVE-2019-5736: a process in the container must never be able to open the host's nook binary
// for writing through /proc/PID/exe. Commands that enter a container first make sure nook runs
// from a file nobody can ever write: one on squashfs, erofs and the like stays as it is (a
// merely read-only mount does not count: it can be remounted read-write later, while a
// container holds the file); otherwise nook re-executes itself from a read-only overlayfs
// (lower layers only: no mount flag a container could clear makes it writable, and nothing is
// copied), or, where overlayfs cannot be mounted or shows another file, from a sealed memfd
// copy of itself.
#pragma once

#include <string>

#include "nook/base/result.h"

namespace nook::linux {

// Returns at once if /proc/self/exe is protected so; otherwise re-executes
// nook from a protected copy with the same argv/environ (does not return on success).
// `scratch_dir`, a directory of nook's own (the state root), is the overlay's second layer: it
// needs two, and only the binary's directory is read through it.
Status ensure_protected_self(char** argv, const std::string& scratch_dir);

}  // namespace nook::linux
