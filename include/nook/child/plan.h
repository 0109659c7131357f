// ChildPlan: everything the container init needs, built by the parent before clone3 as plain
// data (pointers into parent-owned storage that the child's copy of the address space keeps
// valid). The child only reads it. Also the fixed-size sync messages between the two.
#pragma once

#include <sys/types.h>

#include <linux/filter.h>

#include <cstddef>
#include <cstdint>
#include <type_traits>

#include "nook/linux/mount.h"
#include "nook/linux/sched.h"

namespace nook::child {

struct MountStep {
  const char* source;  // host path for binds, fs source otherwise
  const char* dest;    // absolute inside the rootfs
  const char* fstype;  // nullptr for binds
  const char* data;    // fs options, may be ""
  unsigned long flags;  // MS_* for a new filesystem
  unsigned long propagation;
  linux::MountAttrs attrs;  // binds: ro/nosuid/... and the r* options
  int tree_fd = -1;         // an id-mapped bind, made detached by the parent (attrs already set)
  bool bind, recursive, source_is_file;
  bool tmpcopyup;
  // cgroup mounts on v1: a tmpfs at dest with one bind per hierarchy (see cgroup_binds).
  bool cgroup_v1;
};

struct CgroupBind {  // for `type: cgroup` on v1/hybrid
  const char* host_path;  // /sys/fs/cgroup/<hierarchy>/<container path>
  const char* name;       // the hierarchy dir name, e.g. "cpu,cpuacct"
};

struct DeviceStep {
  const char* path;  // absolute in the container
  mode_t mode;       // S_IFCHR/S_IFBLK/S_IFIFO | permissions
  dev_t dev;
  uid_t uid;
  gid_t gid;
  bool bind_from_host;  // in a user namespace mknod is not allowed: bind the host's node
};

struct HookStep {
  const char* path;
  char* const* argv;
  char* const* envp;
  int timeout_s;  // 0: none
};

struct RlimitStep {
  int resource;
  const char* name;  // "RLIMIT_NOFILE", for errors
  uint64_t soft, hard;
};

// One compiled seccomp filter. `flags` has SECCOMP_FILTER_FLAG_NEW_LISTENER when the filter
// notifies: the child then sends the listener fd to the parent (SyncType::Seccomp).
struct SeccompStep {
  const sock_filter* prog;
  size_t len;
  unsigned flags;
};

struct SysctlStep {
  const char* path;  // "/proc/sys/net/ipv4/ip_forward"
  const char* value;
  const char* key;   // for errors
};

struct ChildPlan {
  int sync_fd;       // SOCK_SEQPACKET to the parent
  int state_dir_fd;  // O_PATH of --root/ID (holds exec.fifo)
  int lock_fd;       // the parent's flock'ed fd of the same dir: closed first thing
  int start_fd;      // set by the child: the exec fifo once `start` opened it, -1 before
  const char* rootfs;  // absolute host path
  int rootfs_tree = -1;  // the rootfs as a detached id-mapped mount to attach, or -1: bind it

  // The cgroup's v1 `tasks` files, opened by the parent (cgroup::Entry): the process joins
  // each by writing "0" to it as soon as Go arrives, then closes it.
  const int* cgroup_tasks;
  size_t ncgroup_tasks;

  // Namespaces: the init starts in them (new ones from the clone3 flags, joined ones entered by
  // the clone helper).
  int late_unshare_flags;  // CLONE_NEWCGROUP on v1: after the parent has placed us
  // linux.timeOffsets as /proc/self/timens_offsets takes them ("monotonic 5 0\n"), or nullptr.
  // The init unshares the time namespace itself and writes them before any process is in it;
  // it enters the namespace at execve.
  const char* time_offsets;
  bool new_mount_ns, new_user_ns, new_uts_ns;
  bool new_net_ns;  // brings its loopback device up, as runc does
  bool in_user_ns;  // new or joined: become its root before setting anything up

  const char* session_keyring;  // "_ses.ID", or nullptr for --no-new-keyring
  const char* hostname;    // nullptr: leave
  const char* domainname;  // nullptr: leave

  // Filesystem
  unsigned long root_propagation;     // applied to / first (default MS_SLAVE|MS_REC)
  // The mount holding the rootfs: made private when / became shared, or pivot_root fails.
  const char* rootfs_parent_mount;
  unsigned long rootfs_propagation;   // linux.rootfsPropagation, applied last (0: none)
  bool readonly_root, no_pivot;
  const MountStep* mounts;
  size_t nmounts;
  const CgroupBind* cgroup_binds;
  size_t ncgroup_binds;
  const DeviceStep* devices;
  size_t ndevices;
  bool dev_is_bind;  // /dev is bind-mounted from the host: leave it as it is
  const char* const* masked;
  size_t nmasked;
  const char* const* readonly;
  size_t nreadonly;
  const SysctlStep* sysctls;
  size_t nsysctls;

  const HookStep* create_container_hooks;
  size_t ncreate_container_hooks;
  const HookStep* start_container_hooks;
  size_t nstart_container_hooks;
  // Receives the parent's two state JSONs, NUL-separated: "creating" (createContainer) then
  // "created" (startContainer).
  char* hook_state;
  size_t hook_state_cap;

  // Process
  char* const* argv;
  char* const* envp;
  const char* path_env;  // the container's PATH for argv[0] lookup ("" → default)
  const char* cwd;
  uid_t uid;
  gid_t gid;
  const gid_t* groups;
  size_t ngroups;
  bool set_groups;  // false where setgroups is denied (by us for a new user namespace, or found)
  int umask;        // -1: leave
  bool has_caps;
  uint64_t cap_bounding, cap_effective, cap_inheritable, cap_permitted, cap_ambient;
  int last_cap;
  const RlimitStep* rlimits;
  size_t nrlimits;
  bool no_new_privs;
  const char* oom_score_adj;  // nullptr: leave
  long personality;           // -1: leave
  // process.scheduler, process.ioPriority and linux.memoryPolicy, set before the privileges a
  // real-time policy needs are dropped.
  bool has_scheduler, has_io_priority, has_memory_policy;
  linux::SchedAttr scheduler;
  const char* scheduler_policy;  // its name, for errors
  int io_priority;               // (class << 13) | level
  int memory_policy;             // mode | flags
  linux::BitMask memory_nodes;
  // Set once the process is in its cgroup: execCPUAffinity.final for `exec`, otherwise every
  // CPU the cgroup allows, so nothing inherits how nook's caller pinned nook.
  linux::BitMask affinity;
  bool affinity_is_final;
  bool terminal;
  unsigned short console_rows, console_cols;
  int preserved_fds;  // fds 3 .. 3+N-1 stay open
  // The seccomp filters, loaded in this order (the kernel applies the strictest verdict of
  // all): the agent profile's, then linux.seccomp's. Loaded last before execve, or — without
  // no_new_privs, where loading needs CAP_SYS_ADMIN — before the user and capabilities change,
  // as runc does. The init loads a filter with a listener at the end of create instead of at
  // start, again as runc: its fd must reach the runtime over the sync socket, closed at Ready.
  const SeccompStep* seccomp;
  size_t nseccomp;
  bool seccomp_listener;

  // exec only: the container's init, whose namespaces (setns_flags) the process joins.
  bool is_exec;
  int init_pidfd;
  int setns_flags;
};

static_assert(std::is_standard_layout_v<ChildPlan> && std::is_trivially_destructible_v<ChildPlan>);

// After Ready the sync socket is closed; errors (a failing startContainer hook) then go to
// `start` through the exec fifo: "0" means the process is about to execve, anything else is
// the error text, a NUL and the errno in decimal.
//
// Sync protocol (child → parent unless noted):
//   parent: Go            child may continue (id maps written, moved into the cgroup where
//                         it could not join it itself)
//   child:  Hooks         mounts done, parent runs prestart/createRuntime hooks
//   parent: HooksDone     carries the state JSON for createContainer/startContainer hooks
//   child:  Console       carries the pty master fd
//   child:  Seccomp       carries the seccomp listener fd (also from `exec`'s child)
//   child:  Ready         waiting on the exec fifo; the parent may exit
//   child:  Error         err + text, then the child exits
enum class SyncType : uint32_t { Go = 1, Hooks, HooksDone, Console, Seccomp, Ready, Error };

struct SyncMsg {
  SyncType type;
  int32_t err;
  char text[1000];
};

// Runs the container init; never returns (execve or _exit).
[[noreturn]] void run_init(ChildPlan& plan);
// Runs a process of `nook exec`: joins the init's namespaces, then the same process setup.
// Success is the sync socket closing at execve; an Error message otherwise.
[[noreturn]] void run_exec(ChildPlan& plan);

}  // namespace nook::child
