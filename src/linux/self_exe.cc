// Running from a binary the container cannot write to; see self_exe.h for the why.
#include "nook/linux/self_exe.h"

#include <fcntl.h>
#include <linux/mount.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "nook/linux/fd.h"

extern char** environ;

namespace nook::linux {
namespace {
constexpr char kMemfdName[] = "nook-sealed";
constexpr int kSeals = F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE;

bool is_protected(int exe) {
  int seals = fcntl(exe, F_GET_SEALS);
  if (seals >= 0 && (seals & kSeals) == kSeals) return true;
  struct statvfs vfs;
  return fstatvfs(exe, &vfs) == 0 && (vfs.f_flag & ST_RDONLY);
}

// An O_PATH fd of the binary `exe_path` seen through a detached overlayfs whose layers are its
// directory and `scratch_dir`, or an invalid fd where overlayfs refuses (old kernel, no
// privilege, overlapping layers). An overlay without an upper layer is read-only for good:
// writes need a copy-up that has nowhere to go.
UniqueFd open_through_overlay(const std::string& exe_path, const std::string& scratch_dir) {
  size_t slash = exe_path.rfind('/');
  if (slash == std::string::npos || slash + 1 == exe_path.size()) return {};
  std::string dir = slash == 0 ? "/" : exe_path.substr(0, slash);
  std::string name = exe_path.substr(slash + 1);
  UniqueFd fs(static_cast<int>(syscall(SYS_fsopen, "overlay", FSOPEN_CLOEXEC)));
  if (!fs) return {};
  if (syscall(SYS_fsconfig, fs.get(), FSCONFIG_SET_STRING, "lowerdir+", dir.c_str(), 0) < 0 ||
      syscall(SYS_fsconfig, fs.get(), FSCONFIG_SET_STRING, "lowerdir+", scratch_dir.c_str(), 0) <
          0 ||
      syscall(SYS_fsconfig, fs.get(), FSCONFIG_CMD_CREATE, nullptr, nullptr, 0) < 0)
    return {};
  UniqueFd mnt(static_cast<int>(syscall(SYS_fsmount, fs.get(), FSMOUNT_CLOEXEC,
                                        MOUNT_ATTR_RDONLY | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOSUID)));
  if (!mnt) return {};
  return UniqueFd(openat(mnt.get(), name.c_str(), O_PATH | O_NOFOLLOW | O_CLOEXEC));
}

Result<UniqueFd> sealed_copy(int exe) {
  struct stat st;
  if (fstat(exe, &st) < 0) return sys_error("stat `/proc/self/exe`");
  // MFD_EXEC (6.3+) keeps it executable under vm.memfd_noexec; older kernels reject the flag.
  constexpr unsigned kMfdExec = 0x10;
  UniqueFd mem(static_cast<int>(
      syscall(SYS_memfd_create, kMemfdName, MFD_CLOEXEC | MFD_ALLOW_SEALING | kMfdExec)));
  if (!mem && errno == EINVAL) mem.reset(memfd_create(kMemfdName, MFD_CLOEXEC | MFD_ALLOW_SEALING));
  if (!mem) return sys_error("memfd_create");
  off_t off = 0;
  while (off < st.st_size) {
    ssize_t n = sendfile(mem.get(), exe, &off, static_cast<size_t>(st.st_size - off));
    if (n <= 0) return sys_error("copy nook binary into memfd");
  }
  if (fcntl(mem.get(), F_ADD_SEALS, kSeals) < 0) return sys_error("seal memfd");
  return mem;
}
}  // namespace

Status ensure_protected_self(char** argv, const std::string& scratch_dir) {
  UniqueFd exe(open("/proc/self/exe", O_RDONLY | O_CLOEXEC));
  if (!exe) return sys_error("open `/proc/self/exe`");
  if (is_protected(exe.get())) return ok_status();
  char link[4096];
  ssize_t n = readlink("/proc/self/exe", link, sizeof link - 1);
  UniqueFd overlay;
  if (n > 0 && link[0] == '/') {
    (void)mkdir(scratch_dir.c_str(), 0700);  // the state root, as StateDir makes it
    overlay = open_through_overlay(std::string(link, static_cast<size_t>(n)), scratch_dir);
  }
  if (overlay) {
    syscall(SYS_execveat, overlay.get(), "", argv, environ, AT_EMPTY_PATH);
    return sys_error("re-execute nook from a read-only overlay");
  }
  auto mem = NOOK_TRY(sealed_copy(exe.get()));
  fexecve(mem.get(), argv, environ);
  return sys_error("re-execute sealed nook binary");
}

}  // namespace nook::linux
