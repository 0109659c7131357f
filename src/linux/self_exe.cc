// The sealed-memfd re-exec (runc and crun do the same); see self_exe.h for the why.
#include "nook/linux/self_exe.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstring>

#include "nook/linux/fd.h"

extern char** environ;

namespace nook::linux {
namespace {
constexpr char kMemfdName[] = "nook-sealed";
constexpr int kSeals = F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE;
}  // namespace

bool is_sealed_self() {
  UniqueFd fd(open("/proc/self/exe", O_RDONLY | O_CLOEXEC));
  if (!fd) return false;
  int seals = fcntl(fd.get(), F_GET_SEALS);
  if (seals < 0 || (seals & kSeals) != kSeals) return false;
  char link[64] = {0};
  ssize_t n = readlink("/proc/self/exe", link, sizeof link - 1);
  return n > 0 && std::strncmp(link, "/memfd:nook-sealed", 18) == 0;
}

Status ensure_sealed_self(char** argv) {
  if (is_sealed_self()) return ok_status();
  UniqueFd src(open("/proc/self/exe", O_RDONLY | O_CLOEXEC));
  if (!src) return sys_error("open `/proc/self/exe`");
  struct stat st;
  if (fstat(src.get(), &st) < 0) return sys_error("stat `/proc/self/exe`");
  // MFD_EXEC (6.3+) keeps it executable under vm.memfd_noexec; older kernels reject the flag.
  constexpr unsigned kMfdExec = 0x10;
  UniqueFd mem(static_cast<int>(
      syscall(SYS_memfd_create, kMemfdName, MFD_CLOEXEC | MFD_ALLOW_SEALING | kMfdExec)));
  if (!mem && errno == EINVAL)
    mem.reset(memfd_create(kMemfdName, MFD_CLOEXEC | MFD_ALLOW_SEALING));
  if (!mem) return sys_error("memfd_create");
  off_t off = 0;
  while (off < st.st_size) {
    ssize_t n = sendfile(mem.get(), src.get(), &off, static_cast<size_t>(st.st_size - off));
    if (n <= 0) return sys_error("copy nook binary into memfd");
  }
  if (fcntl(mem.get(), F_ADD_SEALS, kSeals) < 0) return sys_error("seal memfd");
  fexecve(mem.get(), argv, environ);
  return sys_error("re-execute sealed nook binary");
}

}  // namespace nook::linux
