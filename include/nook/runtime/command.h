// Running a host program and capturing what it prints, as Go's CombinedOutput: for `ps` and
// for newuidmap/newgidmap. Parent-side.
#pragma once

#include <string>
#include <vector>

#include "nook/base/result.h"

namespace nook::runtime {

// Runs `program` (looked up in PATH) with `args`, stdin from /dev/null and stdout and stderr in
// one pipe. Returns the output; when it exits non-zero the error is runc's
// "exit status N: <output>"; when it cannot start, errno is the spawn error (ENOENT: missing).
Result<std::string> run_command(const std::string& program, const std::vector<std::string>& args);

}  // namespace nook::runtime
