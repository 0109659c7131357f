// Turns a validated Config into a ChildPlan: every string, array, fd and mask the container
// init needs, prepared before clone3 so the child only reads plain data. Parent-side.
#pragma once

#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "nook/base/result.h"
#include "nook/cgroup/manager.h"
#include "nook/child/plan.h"
#include "nook/linux/clone.h"
#include "nook/linux/fd.h"
#include "nook/runtime/id_maps.h"
#include "nook/spec/config.h"

namespace nook::runtime {

struct PlanInputs {
  const spec::Config* config;
  std::string bundle;  // absolute
  std::string rootfs;  // absolute
  const cgroup::Placement* placement;
  std::string id;
  std::string seccomp_cache;  // directory of compiled filters (under --root)
  bool no_pivot = false;
  bool no_new_keyring = false;
  int preserved_fds = 0;               // --preserve-fds plus LISTEN_FDS
  bool setgroups_denied = false;       // exec: the container's user namespace denies setgroups
  std::vector<std::string> extra_env;  // LISTEN_FDS=..., appended to process.env
};

// Owns the storage the plan points into; never moved once built.
struct PlanStorage {
  child::ChildPlan plan{};
  uint64_t clone_flags = 0;   // CLONE_NEW* for clone3
  IdMapWriter id_maps;        // how the parent writes a new user namespace's maps
  std::vector<linux::UniqueFd> trees;  // detached id-mapped mounts the init attaches
  std::vector<linux::NsJoin> joins;    // namespaces joined by path, for clone3_joined
  bool joins_user_ns = false;
  bool joins_cgroup_ns = false;
  // exec: execCPUAffinity.initial, nook's own affinity from before the clone until the child
  // is in its cgroup.
  std::optional<linux::BitMask> initial_affinity;
  std::vector<linux::UniqueFd> ns_fds;

  std::deque<std::string> strings;
  std::vector<std::vector<char*>> vectors;
  std::vector<child::MountStep> mounts;
  std::vector<child::CgroupBind> cgroup_binds;
  std::vector<child::DeviceStep> devices;
  std::vector<const char*> masked, readonly;
  std::vector<child::SysctlStep> sysctls;
  std::vector<child::HookStep> create_container_hooks, start_container_hooks;
  std::vector<child::RlimitStep> rlimits;
  std::vector<gid_t> groups;
  std::vector<char> hook_state;
  std::deque<std::vector<sock_filter>> seccomp_programs;
  std::vector<child::SeccompStep> seccomp;
  // Where a filter's listener fd goes (linux.seccomp.listenerPath), and its metadata.
  std::string listener_path, listener_metadata;

  const char* keep(std::string s);
  char* const* keep_argv(const std::vector<std::string>& v);
};

Result<std::unique_ptr<PlanStorage>> build_plan(const PlanInputs& in);
// The process part alone (user, caps, rlimits, env, seccomp, terminal) for `exec`.
Result<std::unique_ptr<PlanStorage>> build_exec_plan(const PlanInputs& in);

}  // namespace nook::runtime
