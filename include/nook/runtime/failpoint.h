// Named points in the lifecycle commands where a test build of nook dies by SIGKILL, to prove
// that a crash anywhere leaves a state that `state`, `list` and `delete --force` handle. The
// shipped binary's failpoint() does nothing; nook-failpoints links tests/failpoints/'s, which
// reads NOOK_FAILPOINT (the point to die at) and NOOK_FAILPOINT_LOG (a file that collects the
// points passed). Parent-side only: never between clone and execve.
#pragma once

namespace nook::runtime {

void failpoint(const char* name);

}  // namespace nook::runtime
