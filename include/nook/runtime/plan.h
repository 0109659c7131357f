// Turns a validated Config into a ChildPlan: every string, array, fd and mask the container
// init needs, prepared before clone3 so the child only reads plain data. Parent-side.
#pragma once

#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "nook/base/result.h"
#include "nook/cgroup/manager.h"
#include "nook/child/plan.h"
#include "nook/linux/fd.h"
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
  std::vector<std::string> extra_env;  // LISTEN_FDS=..., appended to process.env
};

// Owns the storage the plan points into; never moved once built.
struct PlanStorage {
  child::ChildPlan plan{};
  uint64_t clone_flags = 0;   // CLONE_NEW* for clone3
  linux::UniqueFd pid_ns;     // a pid namespace to join: the parent enters it before clone3
  std::vector<linux::UniqueFd> ns_fds;

  std::deque<std::string> strings;
  std::vector<std::vector<char*>> vectors;
  std::vector<child::MountStep> mounts;
  std::vector<child::CgroupBind> cgroup_binds;
  std::vector<child::DeviceStep> devices;
  std::vector<const char*> masked, readonly;
  std::vector<child::SysctlStep> sysctls;
  std::vector<child::HookStep> create_container_hooks, start_container_hooks;
  std::vector<child::NsJoin> joins;
  std::vector<child::RlimitStep> rlimits;
  std::vector<gid_t> groups;
  std::vector<char> hook_state;
  std::vector<sock_filter> seccomp;

  const char* keep(std::string s);
  char* const* keep_argv(const std::vector<std::string>& v);
};

Result<std::unique_ptr<PlanStorage>> build_plan(const PlanInputs& in);
// The process part alone (user, caps, rlimits, env, seccomp, terminal) for `exec`.
Result<std::unique_ptr<PlanStorage>> build_exec_plan(const PlanInputs& in);

}  // namespace nook::runtime
