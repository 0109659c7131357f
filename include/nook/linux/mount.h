// The mount family and path resolution inside a root: openat2(RESOLVE_IN_ROOT) so that a
// hostile rootfs's symlinks can never redirect us to the host, mounts made onto fds, the new
// mount API for binds. Safe post-clone: no allocation; functions return -errno on failure.
#pragma once

#include <sys/types.h>

#include <cstdint>

namespace nook::linux {

// openat2(dirfd, path, flags | O_CLOEXEC, RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS).
int open_in_root(int root_fd, const char* path, int flags, mode_t mode = 0);
// Creates every missing directory of `path` inside the root, then opens the last one O_PATH.
// With `as_file`, the last component is created as an empty regular file instead. `existed`,
// when given, says whether the whole path was there already.
int make_path_in_root(int root_fd, const char* path, mode_t mode, bool as_file,
                      bool* existed = nullptr);

// "/proc/self/fd/N" for an fd, into a caller buffer (at least 32 bytes).
const char* fd_path(int fd, char* buf);

// mount(2) onto the object `target_fd` refers to.
int mount_onto_fd(const char* source, int target_fd, const char* fstype, unsigned long flags,
                  const char* data);
// Propagation change (MS_SHARED/SLAVE/PRIVATE/UNBINDABLE [| MS_REC]) on a mount by fd.
int set_propagation_fd(int mount_fd, unsigned long propagation);

// MOUNT_ATTR_* changes for a bind: `top` applies to the bound mount only, `all` (the r*
// options) to every mount below it too, after `top`. `top_clr_implied` is the part of
// `top_clr` nobody asked for (flags a bind with options drops because they were not named).
struct MountAttrs {
  uint64_t top_set = 0, top_clr = 0, top_clr_implied = 0, all_set = 0, all_clr = 0;
};

// Bind `src_dfd`/`src_path` (path "" means the fd itself) onto `target_fd` with its attributes
// applied before it becomes visible: open_bind_tree + attach_tree. `propagation` is
// MS_SHARED/... [| MS_REC] or 0. Where the kernel locked a flag on the source (a mount copied
// into a user namespace), the implied clears of the lockable flags (ro, nosuid, nodev, noexec)
// are dropped and the source's kept, as runc does; an explicit clear of a locked flag still
// fails with EPERM.
int bind_mount_onto_fd(int src_dfd, const char* src_path, int target_fd, bool recursive,
                       const MountAttrs& attrs, unsigned long propagation);
// The detached copy of a bind, open_tree(OPEN_TREE_CLONE [| AT_RECURSIVE]), with `attrs` set:
// an O_CLOEXEC fd, or -errno.
int open_bind_tree(int src_dfd, const char* src_path, bool recursive, const MountAttrs& attrs);
// Gives a detached tree the id mapping of the user namespace `userns_fd` (MOUNT_ATTR_IDMAP,
// Linux 5.12), its submounts too with `recursive`. Needs CAP_SYS_ADMIN over the filesystem.
int idmap_tree(int tree_fd, int userns_fd, bool recursive);
// move_mount of a detached tree onto `target_fd`, then its propagation (0: leave).
int attach_tree(int tree_fd, int target_fd, unsigned long propagation);

// pivot_root into the directory `new_root_fd` and detach the old root.
int pivot_root_fd(int new_root_fd);
// --no-pivot: move the rootfs onto / and chroot into it.
int move_root_fd(int new_root_fd);

// Syscall shims glibc 2.36 lacks.
int sys_open_tree(int dfd, const char* path, unsigned flags);
int sys_move_mount(int from_dfd, const char* from_path, int to_dfd, const char* to_path,
                   unsigned flags);
int sys_mount_setattr(int dfd, const char* path, unsigned flags, uint64_t attr_set,
                      uint64_t attr_clr, uint64_t propagation);
// The MOUNT_ATTR_* changes of every mount at and below the mount `mount_fd` refers to.
int set_attrs_recursive_fd(int mount_fd, uint64_t attr_set, uint64_t attr_clr);

}  // namespace nook::linux
