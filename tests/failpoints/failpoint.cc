// failpoint() of nook-failpoints, the crash-test build of nook: SIGKILL at the point named by
// NOOK_FAILPOINT, so nothing of nook's own cleanup runs, as in a real crash; each point passed
// is appended to NOOK_FAILPOINT_LOG when that is set, so a test can list them all.
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

#include "nook/runtime/failpoint.h"

namespace nook::runtime {

void failpoint(const char* name) {
  if (const char* log = getenv("NOOK_FAILPOINT_LOG")) {
    int fd = open(log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (fd >= 0) {
      (void)!write(fd, name, strlen(name));
      (void)!write(fd, "\n", 1);
      close(fd);
    }
  }
  const char* target = getenv("NOOK_FAILPOINT");
  if (target && strcmp(target, name) == 0) kill(getpid(), SIGKILL);
}

}  // namespace nook::runtime
