// The container init's steps, in the order init.cc runs them. Post-clone code: no
// allocation, no exceptions, no logging; a failing step calls die(), which reports to the
// parent over the sync socket and exits.
#pragma once

#include "nook/child/plan.h"

namespace nook::child {

// Reports `err` with a message made of up to five parts, then _exit(1).
[[noreturn]] void die(const ChildPlan& p, int err, const char* a, const char* b = "",
                      const char* c = "", const char* d = "", const char* e = "");
// Sends one sync message (and an fd); dies if the parent is gone.
void send_sync(const ChildPlan& p, SyncType type, int pass_fd = -1);

// process.cc: the v1 hierarchies of the cgroup, through the parent's fds of their tasks files.
void join_cgroup(const ChildPlan& p);

// mounts.cc — everything between the new mount namespace and pivot_root, then after it.
// Returns an O_PATH fd of the (bind-mounted) rootfs.
int prepare_rootfs(const ChildPlan& p);
void mount_all(const ChildPlan& p, int root_fd);
void make_devices(const ChildPlan& p, int root_fd);
void enter_root(const ChildPlan& p, int root_fd);
void finish_rootfs(const ChildPlan& p);  // masked/readonly paths, ro root, propagation
void write_sysctls(const ChildPlan& p);

// process.cc — the process attributes, applied last.
void run_hooks(const ChildPlan& p, const HookStep* hooks, size_t n, const char* kind,
               const char* state_json);
void setup_terminal(const ChildPlan& p);
// Resolves argv[0] in the container's PATH into `out` (PATH_MAX); dies if not found.
void find_executable(const ChildPlan& p, char* out);
void apply_limits(const ChildPlan& p);        // rlimits, oom_score_adj, personality
void apply_scheduling(const ChildPlan& p);    // memory policy, scheduler, io priority
void set_affinity(const ChildPlan& p);        // once in the cgroup: final, or every CPU
void drop_privileges(const ChildPlan& p);     // bounding set, user, cwd, caps, no_new_privs
void prepare_fds(const ChildPlan& p);         // preserved fds inherit, all others close on exec
void load_filters(const ChildPlan& p);        // the seccomp filters; listener fds to the parent

}  // namespace nook::child
