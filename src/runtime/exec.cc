// `exec`: a new process in a running container. The process is built from --process or from
// the container's config.json process with the command-line overrides (as runc does), cloned
// into the init's pid and time namespaces, moved into its cgroup, then it joins the rest itself.
#include "nook/runtime/exec.h"

#include <fcntl.h>
#include <sched.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <optional>

#include "nook/cgroup/resctrl.h"
#include "nook/cgroup/sub_cgroup.h"
#include "nook/child/plan.h"
#include "nook/linux/clone.h"
#include "nook/linux/file.h"
#include "nook/linux/sched.h"
#include "nook/linux/socket.h"
#include "nook/log/log.h"
#include "nook/runtime/console.h"
#include "nook/runtime/container.h"
#include "nook/runtime/failpoint.h"
#include "nook/runtime/foreground.h"
#include "nook/runtime/lsm.h"
#include "nook/runtime/plan.h"
#include "nook/runtime/state_dir.h"
#include "nook/runtime/status.h"
#include "nook/seccomp/listener.h"
#include "nook/spec/agent_profile.h"
#include "nook/spec/capabilities.h"
#include "nook/spec/config.h"
#include "nook/spec/validate.h"

namespace nook::runtime {
namespace {

Result<uint32_t> parse_id(std::string_view text, std::string_view what) {
  uint32_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size())
    return make_error("invalid " + std::string(what) + " `" + std::string(text) + "`");
  return v;
}

// runc's exec: the container's process with the flags' overrides, or --process as given. In
// an agent-profile container the process gets the profile too: --process goes through the
// same rewrite, and --cap may only name a capability the profile keeps.
Result<spec::Process> make_process(const ExecOptions& o, const spec::Config& config) {
  if (!o.process_file.empty()) {
    auto text = NOOK_TRY(linux::read_file(o.process_file));
    auto p = spec::parse_process(text);
    if (!p.ok()) return std::move(p).error().wrap("parse `" + o.process_file + "`");
    if (!config.agent_profile) return p;
    auto hardened = NOOK_TRY(spec::apply_agent_profile_to_process(text));
    return spec::parse_process(hardened);
  }
  if (o.args.empty()) return make_error("process args cannot be empty");
  if (!config.process) return make_error("process: missing in the container's config.json");
  spec::Process p = *config.process;
  p.args = o.args;
  p.terminal = o.tty;
  p.console_size.reset();
  for (const auto& e : o.env) {
    auto eq = e.find('=');
    std::string key = e.substr(0, eq);
    std::erase_if(p.env, [&](const std::string& have) {
      return have.compare(0, key.size() + 1, key + "=") == 0;
    });
    p.env.push_back(e);
  }
  if (!o.cwd.empty()) p.cwd = o.cwd;
  if (!o.user.empty()) {
    auto colon = o.user.find(':');
    p.user.uid = NOOK_TRY(parse_id(std::string_view(o.user).substr(0, colon), "user"));
    if (colon != std::string::npos)
      p.user.gid = NOOK_TRY(parse_id(std::string_view(o.user).substr(colon + 1), "group"));
  }
  for (const auto& g : o.additional_gids)
    p.user.additional_gids.push_back(NOOK_TRY(parse_id(g, "additional gid")));
  if (!o.apparmor.empty()) p.apparmor_profile = o.apparmor;
  if (!o.process_label.empty()) p.selinux_label = o.process_label;
  if (o.no_new_privs) p.no_new_privileges = true;
  if (!o.caps.empty()) {
    if (!p.capabilities) p.capabilities.emplace();
    const auto& allowed = spec::agent_capabilities();
    for (const auto& name : o.caps) {
      auto cap = spec::capability_from_name(name);
      if (!cap) {
        // runc warns and goes on, as the runtime-spec asks for capabilities it does not know.
        log::warn("--cap: ignoring unknown capability `" + name + "`");
        continue;
      }
      if (config.agent_profile && std::find(allowed.begin(), allowed.end(), name) == allowed.end())
        return make_error("--cap: `" + name + "` is not one the agent profile (" +
                          std::string(spec::kProfileAnnotation) + ") keeps");
      for (auto* set : {&p.capabilities->bounding, &p.capabilities->effective,
                        &p.capabilities->permitted, &p.capabilities->inheritable,
                        &p.capabilities->ambient})
        set->push_back(*cap);
    }
  }
  // The flags must leave a valid process too: `-e FOO`, a relative --cwd, `-u 4294967295`.
  NOOK_TRY(spec::validate_process(p, "process"));
  return p;
}

// The namespaces of the init that differ from ours (joining one's own user namespace fails).
int namespaces_to_join(pid_t init) {
  using spec::NamespaceType;
  int flags = 0;
  for (auto type : {NamespaceType::Pid, NamespaceType::Network, NamespaceType::Mount,
                    NamespaceType::Ipc, NamespaceType::Uts, NamespaceType::User,
                    NamespaceType::Cgroup, NamespaceType::Time}) {
    const char* name = spec::namespace_proc_name(type);
    std::string theirs = "/proc/" + std::to_string(init) + "/ns/" + name;
    std::string ours = std::string("/proc/self/ns/") + name;
    struct stat a, b;
    if (stat(theirs.c_str(), &a) == 0 && stat(ours.c_str(), &b) == 0 &&
        (a.st_ino != b.st_ino || a.st_dev != b.st_dev))
      flags |= spec::namespace_clone_flag(type);
  }
  return flags;
}

Status check_options(const ExecOptions& o, const spec::Process& p) {
  // runc applies --apparmor and --process-label over the config's process, not over --process.
  bool flags = o.process_file.empty();
  LsmHost lsm = probe_lsm();
  NOOK_TRY(check_apparmor_profile(
      p.apparmor_profile, flags && !o.apparmor.empty() ? "--apparmor" : "process.apparmorProfile",
      lsm));
  NOOK_TRY(check_selinux_label(
      p.selinux_label,
      flags && !o.process_label.empty() ? "--process-label" : "process.selinuxLabel", lsm));
  if (p.terminal && o.detach && o.console_socket.empty())
    return make_error("cannot allocate tty if nook will detach without setting console socket");
  if (!p.terminal && !o.console_socket.empty())
    return make_error("cannot use console socket if nook will not detach or allocate tty");
  return ok_status();
}

// The container's cgroup, or with --cgroup the sub-cgroup of it the process joins instead.
Result<cgroup::Placement> exec_placement(const cgroup::Placement& container, const ExecOptions& o) {
  if (o.cgroup.empty()) return container;
  auto request = NOOK_TRY(cgroup::parse_sub_cgroup_args(o.cgroup));
  return cgroup::sub_cgroup_placement(container, request);
}

Status join_rdt_group(const cgroup::RdtPlacement& rdt, pid_t pid) {
  auto root = NOOK_TRY(cgroup::open_resctrl_root());
  return cgroup::add_rdt_task_at(root.get(), rdt, pid);
}

// Waits for the process to reach execve (the sync socket closes) or to report why not.
Status converse(int sock, const ExecOptions& o, const spec::ContainerState& state,
                const PlanStorage& plan, pid_t pid, linux::UniqueFd& console) {
  for (;;) {
    child::SyncMsg m;
    std::memset(&m, 0, sizeof m);
    int fd = -1;
    ssize_t n = linux::recv_packet(sock, &m, sizeof m, &fd);
    linux::UniqueFd passed(fd);
    if (n == 0) return ok_status();
    if (n < 0) return Error{static_cast<int>(-n), "wait for the exec'd process"};
    if (m.type == child::SyncType::Error) {
      m.text[sizeof m.text - 1] = '\0';
      return Error{m.err, m.text};
    }
    if (m.type == child::SyncType::Console && passed) {
      if (o.console_socket.empty()) console = std::move(passed);
      else NOOK_TRY(send_console(o.console_socket, passed.get()));
    }
    // As runc: `pid` is the exec'd process, the state's pid the container's init.
    if (m.type == child::SyncType::Seccomp && passed)
      NOOK_TRY(seccomp::send_listener(
          plan.listener_path,
          spec::container_process_state_json(state, "running", pid, plan.listener_metadata),
          passed.get()));
  }
}

}  // namespace

Result<int> exec(const GlobalOptions& g, const ExecOptions& o) {
  std::optional<Foreground> fg;
  if (!o.detach) fg.emplace();

  // 1. The container, and the process to run in it.
  auto dir = NOOK_TRY(StateDir::open(g.root, o.id));
  auto state = NOOK_TRY(dir.load());
  auto status = derive_status(state, dir);
  if (status == ContainerStatus::Stopped)
    return make_error("cannot exec in a stopped container");
  if (status == ContainerStatus::Paused && !o.ignore_paused)
    return make_error("cannot exec in a paused container (use --ignore-paused to override)");
  auto init = NOOK_TRY(open_init(state));
  spec::Config config = NOOK_TRY(spec::load_config(state.bundle));
  config.process = NOOK_TRY(make_process(o, config));
  NOOK_TRY(check_options(o, *config.process));
  // --user and --additional-gids must name ids the container's new user namespace maps.
  if (const auto* userns = config.linux.find_namespace(spec::NamespaceType::User);
      userns && userns->path.empty())
    NOOK_TRY(spec::validate_user_mapped(config.process->user, config.linux, "process.user"));

  PlanInputs in;
  in.config = &config;
  in.bundle = state.bundle;
  in.rootfs = state.rootfs;
  in.placement = &state.cgroup;
  in.id = o.id;
  in.seccomp_cache = g.root + "/nook:seccomp-cache";
  in.preserved_fds = o.preserve_fds;
  auto setgroups = linux::read_file("/proc/" + std::to_string(state.pid) + "/setgroups");
  in.setgroups_denied = setgroups.ok() && setgroups->starts_with("deny");
  auto storage = NOOK_TRY(build_exec_plan(in));
  auto& plan = storage->plan;
  plan.is_exec = true;
  plan.init_pidfd = init.get();
  int join = namespaces_to_join(state.pid);
  // pid and time namespaces apply to children only: the parent enters them before clone3.
  // Unprivileged, we may only enter those of a rootless container from inside its user
  // namespace: join it too (one setns through the pidfd takes the user namespace first); it
  // costs nothing there, our host uid stays what it was.
  int parent_join = join & (CLONE_NEWPID | CLONE_NEWTIME);
  if (geteuid() != 0 && (join & CLONE_NEWUSER) && parent_join) parent_join |= CLONE_NEWUSER;
  if (parent_join && setns(init.get(), parent_join) < 0)
    return sys_error("join the container's pid namespace");
  plan.setns_flags = join & ~parent_join;

  // 2. Into the cgroup, or the --cgroup sub-cgroup, before it runs anything: clone3 into it
  //    (v2, hybrid's unified hierarchy), the child joins it itself (v1 hierarchies).
  std::unique_ptr<cgroup::Manager> cg;
  cgroup::Entry entry;
  std::vector<int> tasks;
  if (state.cgroup.layout != cgroup::Layout::Disabled) {
    auto root = NOOK_TRY(cgroup::open_cgroupfs_root());
    cg = NOOK_TRY(cgroup::load_manager(root.get(), NOOK_TRY(exec_placement(state.cgroup, o))));
    auto opened = cg->open_entry();
    // runc does not create a missing sub-cgroup either: joining it fails with ENOENT.
    if (!opened.ok() && !o.cgroup.empty())
      return std::move(opened).error().wrap("--cgroup: join the sub-cgroup");
    entry = NOOK_TRY(std::move(opened));
    for (const auto& fd : entry.tasks) tasks.push_back(fd.get());
    plan.cgroup_tasks = tasks.data();
    plan.ncgroup_tasks = tasks.size();
  } else if (!o.cgroup.empty()) {
    return make_error("--cgroup: the container has no cgroup (--cgroup-manager=disabled)");
  }
  auto sync = NOOK_TRY(linux::seqpacket_pair());
  plan.sync_fd = sync.child.get();
  // execCPUAffinity.initial: where we, and the child until it is in its cgroup, run.
  if (storage->initial_affinity)
    if (int rc = linux::set_affinity(0, *storage->initial_affinity); rc < 0)
      return Error{-rc, "process.execCPUAffinity.initial: set CPU affinity"};
  dir.unlock();  // the container's own commands stay usable while this process runs
  bool entry_has_clone_fd = entry.clone_fd.valid();
  auto cloned = NOOK_TRY(linux::clone3_pidfd(0, entry.clone_fd.get()));
  if (cloned.pid == 0) {
    close(sync.parent.get());
    child::run_exec(plan);
  }
  sync.child.reset();
  entry = cgroup::Entry{};
  failpoint("exec:cloned");
  // Where clone3 could not clone into the cgroup (see clone3_pidfd), the move is ours.
  auto placed = cg && entry_has_clone_fd && !cloned.into_cgroup ? cg->add_pid(cloned.pid)
                                                                 : ok_status();
  if (placed.ok() && !state.rdt.group.empty()) placed = join_rdt_group(state.rdt, cloned.pid);
  // The pidfd before the process runs anything of its own, as runc sends it before execve.
  if (placed.ok() && !o.pidfd_socket.empty())
    placed = send_pidfd(o.pidfd_socket, cloned.pidfd, true);
  if (!placed.ok()) {
    (void)linux::pidfd_send_signal(cloned.pidfd, SIGKILL);
    (void)linux::wait_exit(cloned.pidfd);
    return std::move(placed).error();
  }
  child::SyncType go = child::SyncType::Go;
  linux::send_packet(sync.parent.get(), &go, sizeof go, -1);

  // 3. Until execve; then the pid file, and either detach or wait.
  linux::UniqueFd console;
  auto started = converse(sync.parent.get(), o, state, *storage, cloned.pid, console);
  if (!started.ok()) {
    (void)linux::wait_exit(cloned.pidfd);
    return std::move(started).error();
  }
  failpoint("exec:started");
  if (!o.pid_file.empty()) NOOK_TRY(write_pid_file(o.pid_file, cloned.pid));
  if (o.detach) return 0;
  return fg->supervise(cloned.pidfd, console.get());
}

}  // namespace nook::runtime
