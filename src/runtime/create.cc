// `create`: validate, claim the state directory, place the cgroup, clone3 the init and walk it
// through the sync protocol until it waits on the exec fifo. Any failure undoes all of it.
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <climits>
#include <cstdlib>
#include <cstring>
#include <functional>

#include "nook/cgroup/resctrl.h"
#include "nook/cgroup/resources.h"
#include "nook/child/plan.h"
#include "nook/linux/clone.h"
#include "nook/linux/file.h"
#include "nook/linux/proc.h"
#include "nook/linux/socket.h"
#include "nook/log/log.h"
#include "nook/net/devices.h"
#include "nook/runtime/console.h"
#include "nook/runtime/container.h"
#include "nook/runtime/failpoint.h"
#include "nook/runtime/hooks.h"
#include "nook/runtime/lsm.h"
#include "nook/runtime/plan.h"
#include "nook/seccomp/listener.h"
#include "nook/spec/id.h"

namespace nook::runtime {
namespace {

// Undoes a half-made container unless commit() is called.
class CreateGuard {
 public:
  CreateGuard(StateDir& dir, spec::ContainerState& state, net::MovedDevices& devices)
      : dir_(dir), state_(state), devices_(devices) {}
  ~CreateGuard() {
    if (!armed_) return;
    devices_.restore();
    if (child_ > 0) {
      ::kill(child_, SIGKILL);
      waitpid(child_, nullptr, 0);
    }
    (void)destroy(dir_, state_);
  }
  void set_child(pid_t pid) { child_ = pid; }
  void commit() {
    armed_ = false;
    devices_.commit();
  }

 private:
  StateDir& dir_;
  spec::ContainerState& state_;
  net::MovedDevices& devices_;
  pid_t child_ = 0;
  bool armed_ = true;
};

Result<std::string> absolute_dir(const std::string& path, std::string_view what) {
  char buf[PATH_MAX];
  if (!realpath(path.c_str(), buf)) return sys_error(std::string(what) + " `" + path + "`");
  struct stat st;
  if (stat(buf, &st) < 0) return sys_error(std::string(what) + " `" + buf + "`");
  if (!S_ISDIR(st.st_mode))
    return Error{ENOTDIR, std::string(what) + " `" + buf + "`"};
  return std::string(buf);
}

Status check_console_flags(const spec::Process& p, const CreateOptions& o, bool keep_console) {
  if (p.terminal && o.console_socket.empty() && !keep_console)
    return make_error("cannot allocate tty if nook will detach without setting console socket");
  if (!p.terminal && !o.console_socket.empty())
    return make_error("cannot use console socket if nook will not detach or allocate tty");
  return ok_status();
}

bool is_permission_error(int err) {
  return err == EACCES || err == EPERM || err == EROFS;
}

// --rootless (or auto as non-root): a cgroup we may not create is not an error, as in runc,
// unless the config asks for limits, which would silently not hold.
Status allow_without_cgroup(const Error& why, const cgroup::Resources& resources) {
  cgroup::Resources limits = resources;
  limits.skip_devices = true;  // a user namespace keeps devices out already
  auto writes = cgroup::plan_writes(limits, cgroup::HostFacts{});
  if (writes.ok() && writes->empty()) {
    log::debug("rootless: running without a cgroup: " + why.text());
    return ok_status();
  }
  std::string field = writes.ok() ? writes->front().field : "linux.resources";
  std::string what = ": cannot be applied by a rootless container that may not create its cgroup";
  return Error{why.err, field + what + ": " + why.message};
}

// Rootless on a delegated cgroup2: bpf(2) needs privileges the user lacks. runc ignores device
// errors when rootless; the user namespace keeps host devices out in any case.
Status rootless_device_filter(int cgroup_fd, const std::vector<bpf_insn>& program) {
  Status installed = cgroup::install_device_filter(cgroup_fd, program);
  if (installed.ok() || !is_permission_error(installed.error().err)) return installed;
  log::debug("rootless: no device filter: " + installed.error().text());
  return ok_status();
}

// Creates the cgroup and applies linux.resources before any process joins it. On failure the
// directories made so far are removed here (the state does not know them yet).
Result<cgroup::Placement> place_cgroup(const GlobalOptions& g, const spec::Config& c,
                                       const std::string& id, const cgroup::Resources& resources,
                                       std::unique_ptr<cgroup::Manager>& out) {
  if (g.cgroup_driver == cgroup::Driver::Disabled) return cgroup::Placement{};
  auto root = NOOK_TRY(cgroup::open_cgroupfs_root());
  auto path = NOOK_TRY(cgroup::resolve_path(c.linux.cgroups_path, id, g.cgroup_driver));
  out = NOOK_TRY(cgroup::make_manager(root.get(), g.cgroup_driver, path));
  if (auto created = out->create(); !created.ok()) {
    if (!g.rootless || !is_permission_error(created.error().err)) return created.error();
    (void)out->destroy();  // what it made before the hierarchy that refused us
    out.reset();
    NOOK_TRY(allow_without_cgroup(created.error(), resources));
    return cgroup::Placement{};
  }
  auto applied =
      cgroup::apply_resources(root.get(), out->placement(), resources,
                              g.rootless ? rootless_device_filter : cgroup::install_device_filter);
  if (!applied.ok()) {
    (void)out->destroy();
    return std::move(applied).error();
  }
  return out->placement();
}

// LISTEN_FDS (systemd socket activation) passes on fds 3.. to the container, as runc does.
int listen_fds(std::vector<std::string>& extra_env) {
  // Only fds meant for us: LISTEN_PID names the process they were passed to.
  const char* v = getenv("LISTEN_FDS");
  const char* pid = getenv("LISTEN_PID");
  if (!v || !pid || atoi(pid) != getpid()) return 0;
  int n = atoi(v);
  if (n <= 0) return 0;
  extra_env.push_back("LISTEN_FDS=" + std::to_string(n));
  extra_env.push_back("LISTEN_PID=1");
  return n;
}


// Drives the init through the sync protocol until Ready.
Status converse(int sock, pid_t pid, spec::ContainerState& state, const spec::Config& c,
                const PlanStorage& plan, const CreateOptions& o, bool keep_console,
                linux::UniqueFd& console, net::MovedDevices& devices,
                const std::function<Status()>& place) {
  auto send = [&](child::SyncType t, const std::string& payload) -> Status {
    std::string packet(sizeof t, '\0');
    std::memcpy(packet.data(), &t, sizeof t);
    packet += payload;
    if (linux::send_packet(sock, packet.data(), packet.size(), -1) < 0)
      return make_error("container init exited unexpectedly");
    return ok_status();
  };
  NOOK_TRY(send(child::SyncType::Go, ""));
  NOOK_TRY(place());
  for (;;) {
    child::SyncMsg m;
    std::memset(&m, 0, sizeof m);
    int fd = -1;
    ssize_t n = linux::recv_packet(sock, &m, sizeof m, &fd);
    linux::UniqueFd passed(fd);
    if (n <= 0) return make_error("container init exited unexpectedly");
    switch (m.type) {
      case child::SyncType::Error:
        m.text[sizeof m.text - 1] = '\0';
        return Error{m.err, std::string("container init: ") + m.text};
      case child::SyncType::Hooks: {
        // Its namespaces are all there now; the devices arrive before any hook runs.
        NOOK_TRY(devices.move(c.linux.net_devices, pid));
        std::string json = hook_state(state, "creating");
        NOOK_TRY(run_hooks(c.hooks.prestart, json, "prestart"));
        NOOK_TRY(run_hooks(c.hooks.create_runtime, json, "createRuntime"));
        failpoint("create:hooks");
        std::string both = json;
        both += '\0';
        both += hook_state(state, "created");
        NOOK_TRY(send(child::SyncType::HooksDone, both));
        break;
      }
      case child::SyncType::Console:
        if (!passed) return make_error("container init sent no terminal");
        if (keep_console) console = std::move(passed);
        else NOOK_TRY(send_console(o.console_socket, passed.get()));
        break;
      case child::SyncType::Seccomp:
        // The filter is on the init now: it blocks in a notified syscall until the agent has
        // this fd, so a failure here fails the create.
        if (!passed) return make_error("container init sent no seccomp listener");
        NOOK_TRY(seccomp::send_listener(
            plan.listener_path,
            spec::container_process_state_json(state, "creating", pid, plan.listener_metadata),
            passed.get()));
        break;
      case child::SyncType::Ready:
        return ok_status();
      default:
        return make_error("container init sent an unknown message");
    }
  }
}

}  // namespace

std::string hook_state(const spec::ContainerState& s, std::string_view status) {
  return spec::oci_state_json(s, status, "", spec::OciStyle::Compact);
}

Status write_pid_file(const std::string& path, pid_t pid) {
  // Atomic like runc: a reader never sees an empty pid file.
  auto st = linux::write_file_atomic(path, std::to_string(pid), 0644);
  if (!st.ok()) return std::move(st).error().wrap("pid file");
  return ok_status();
}

Result<Launched> launch(const GlobalOptions& g, const CreateOptions& o, bool keep_console) {
  // 1. Everything that can be checked without touching the host.
  NOOK_TRY(spec::validate_id(o.id));
  // runc takes an empty --bundle as the current directory too.
  std::string bundle = NOOK_TRY(absolute_dir(o.bundle.empty() ? "." : o.bundle, "bundle"));
  spec::Config config = NOOK_TRY(spec::load_config(bundle));
  if (!config.process) return make_error("process: required to create a container");
  // Without privileges the kernel only lets us set up namespaces inside a user namespace.
  if (geteuid() != 0 && !config.linux.has_namespace(spec::NamespaceType::User)) {
    std::string who = "(nook runs as uid " + std::to_string(geteuid()) + ")";
    return make_error("linux.namespaces: a rootless container needs a user namespace " + who);
  }
  NOOK_TRY(check_console_flags(*config.process, o, keep_console));
  std::string rootfs_path =
      config.root.path[0] == '/' ? config.root.path : bundle + "/" + config.root.path;
  std::string rootfs = NOOK_TRY(absolute_dir(rootfs_path, "rootfs"));
  auto resources = NOOK_TRY(cgroup::parse_resources(config.linux.resources_json));
  if (resources.memory.kernel != 0 || resources.memory.kernel_tcp != 0)
    log::warn(cgroup::kKernelMemoryIgnored);
  NOOK_TRY(net::check_net_devices(config.linux));
  NOOK_TRY(check_config_labels(config, probe_lsm()));
  linux::UniqueFd resctrl;
  if (config.linux.intel_rdt) resctrl = NOOK_TRY(cgroup::open_resctrl_root());

  // 2. Claim the id; from here on the guard undoes everything on failure.
  StateDir dir = NOOK_TRY(StateDir::create(g.root, o.id));
  spec::ContainerState state;
  state.oci_version = config.oci_version;
  state.id = o.id;
  state.bundle = bundle;
  state.rootfs = rootfs;
  state.created = log::rfc3339_nano_now();
  state.owner = geteuid();
  state.annotations = config.annotations;
  state.poststart = config.hooks.poststart;
  state.poststop = config.hooks.poststop;
  const spec::Namespace* pidns = config.linux.find_namespace(spec::NamespaceType::Pid);
  state.shares_host_pid_ns = !pidns || !pidns->path.empty();
  net::MovedDevices devices;
  CreateGuard guard(dir, state, devices);
  failpoint("create:claimed");

  // 3. The cgroup, recorded before anything runs in it so `delete --force` finds it.
  std::unique_ptr<cgroup::Manager> cg;
  state.cgroup = NOOK_TRY(place_cgroup(g, config, o.id, resources, cg));
  log::debug("container " + o.id + ": bundle `" + bundle + "`, cgroup `" + state.cgroup.path + "`");
  if (resctrl)
    state.rdt = NOOK_TRY(cgroup::prepare_rdt_at(resctrl.get(), *config.linux.intel_rdt, o.id));
  NOOK_TRY(dir.save(state));
  if (mkfifoat(dir.fd(), "exec.fifo", 0622) < 0 || fchmodat(dir.fd(), "exec.fifo", 0622, 0) < 0)
    return sys_error("create exec fifo");
  failpoint("create:cgroup");

  // 4. The plan for the child, complete before clone3.
  PlanInputs in;
  in.config = &config;
  in.bundle = bundle;
  in.rootfs = rootfs;
  in.placement = &state.cgroup;
  in.id = o.id;
  // ':' can't appear in an id, so this never collides with a container's directory.
  in.seccomp_cache = g.root + "/nook:seccomp-cache";
  in.no_pivot = o.no_pivot;
  in.no_new_keyring = o.no_new_keyring;
  in.preserved_fds = listen_fds(in.extra_env) + o.preserve_fds;
  auto storage = NOOK_TRY(build_plan(in));
  auto sync = NOOK_TRY(linux::seqpacket_pair());
  storage->plan.sync_fd = sync.child.get();
  // A separate open for the init: the flock lives on dir.fd()'s open file description, which
  // the init must not share or it would hold the lock until start.
  linux::UniqueFd init_dir(openat(dir.fd(), ".", O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!init_dir) return sys_error("open state directory");
  storage->plan.state_dir_fd = init_dir.get();
  storage->plan.lock_fd = dir.fd();

  // 5. clone3 into the new namespaces and the cgroup (v2 and hybrid's unified hierarchy; the
  //    init joins the v1 hierarchies itself); namespaces joined by path are entered by a
  //    helper that clones from inside them. Once it has joined a user namespace it has no say
  //    over the host's cgroups, and from a joined cgroup namespace the kernel refuses
  //    CLONE_INTO_CGROUP unless both cgroups are under its root: we move the init (add_pid).
  cgroup::Entry entry;
  std::vector<int> tasks;
  bool parent_places = cg && (storage->joins_user_ns || storage->joins_cgroup_ns);
  if (cg && !parent_places) {
    entry = NOOK_TRY(cg->open_entry());
    for (const auto& fd : entry.tasks) tasks.push_back(fd.get());
    storage->plan.cgroup_tasks = tasks.data();
    storage->plan.ncgroup_tasks = tasks.size();
  }
  int cgroup_fd = entry.clone_fd.get();
  bool wants_clone_into = cgroup_fd >= 0;
  auto cloned = NOOK_TRY(storage->joins.empty()
                             ? linux::clone3_pidfd(storage->clone_flags, cgroup_fd)
                             : linux::clone3_joined(storage->clone_flags, storage->joins.data(),
                                                    storage->joins.size(), cgroup_fd));
  if (cloned.pid == 0) {
    close(sync.parent.get());
    child::run_init(storage->plan);
  }
  guard.set_child(cloned.pid);
  log::debug("container " + o.id + ": init is pid " + std::to_string(cloned.pid));
  sync.child.reset();
  entry = cgroup::Entry{};

  // 6. Parent side of the handshake: id maps, Go, then (joined user namespace) the cgroup move
  //    and the record of the init while the child builds its rootfs — a cgroup.procs write
  //    can wait out an RCU grace period, so overlap it; the child runs nothing of the
  //    container's before HooksDone. Until it is Ready the init dies with us (PDEATHSIG), so
  //    recording it after Go loses nothing: from the record on, `delete --force` finds it.
  if (storage->plan.new_user_ns)
    NOOK_TRY(write_id_maps(cloned.pid, config.linux, storage->id_maps));
  auto place = [&]() -> Status {
    if (parent_places || (wants_clone_into && !cloned.into_cgroup))
      NOOK_TRY(cg->add_pid(cloned.pid));
    if (resctrl) NOOK_TRY(cgroup::add_rdt_task_at(resctrl.get(), state.rdt, cloned.pid));
    state.pid = cloned.pid;
    state.start_time = NOOK_TRY(linux::read_proc_stat(cloned.pid)).start_time;
    NOOK_TRY(dir.save(state));
    failpoint("create:cloned");
    return ok_status();
  };
  linux::UniqueFd console;
  NOOK_TRY(converse(sync.parent.get(), cloned.pid, state, config, *storage, o, keep_console,
                    console, devices, place));

  failpoint("create:ready");
  if (!o.pidfd_socket.empty()) NOOK_TRY(send_pidfd(o.pidfd_socket, cloned.pidfd, false));

  // 7. Tell the caller. A per-container supervisor (the sentry) will be started here, before
  //    the pid file, so that a container is never reported created without it.
  if (!o.pid_file.empty()) NOOK_TRY(write_pid_file(o.pid_file, cloned.pid));
  guard.commit();
  return Launched{std::move(dir), std::move(state), std::move(config), std::move(cloned.pidfd),
                  std::move(console)};
}

Status create(const GlobalOptions& g, const CreateOptions& o) {
  auto launched = launch(g, o, false);
  if (!launched.ok()) return std::move(launched).error();
  return ok_status();
}

}  // namespace nook::runtime
