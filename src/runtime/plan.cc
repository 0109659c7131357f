// Config → ChildPlan. Everything that can fail for a reason in the config or the host fails
// here, before clone3, with the field or path named.
#include "nook/runtime/plan.h"

#include <fcntl.h>
#include <linux/nsfs.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <charconv>
#include <cstring>
#include <optional>

#include "nook/base/passwd.h"
#include "nook/base/split.h"
#include "nook/cgroup/cgroupfs.h"
#include "nook/linux/file.h"
#include "nook/linux/mount.h"
#include "nook/linux/mountinfo.h"
#include "nook/seccomp/agent.h"
#include "nook/seccomp/cache.h"
#include "nook/spec/agent_profile.h"
#include "nook/spec/id_map.h"
#include "nook/spec/mount_options.h"
#include "nook/spec/rlimits.h"
#include "nook/spec/sched.h"

namespace nook::runtime {

const char* PlanStorage::keep(std::string s) {
  strings.push_back(std::move(s));
  return strings.back().c_str();
}

char* const* PlanStorage::keep_argv(const std::vector<std::string>& v) {
  std::vector<char*> out;
  for (const auto& s : v) out.push_back(const_cast<char*>(keep(s)));
  out.push_back(nullptr);
  vectors.push_back(std::move(out));
  return vectors.back().data();
}

namespace {

using spec::NamespaceType;

std::string absolute_in(const std::string& base, const std::string& path) {
  if (!path.empty() && path[0] == '/') return path;
  return base + "/" + path;
}

// The standard devices every container gets (runtime-spec "Default Devices").
struct DefaultDevice {
  const char* path;
  unsigned major, minor;
};
constexpr DefaultDevice kDefaultDevices[] = {
    {"/dev/null", 1, 3},    {"/dev/zero", 1, 5},    {"/dev/full", 1, 7},
    {"/dev/random", 1, 8},  {"/dev/urandom", 1, 9}, {"/dev/tty", 5, 0},
};

// Whether the namespace `fd` is the one nook itself runs in.
bool is_own_namespace(int fd, NamespaceType type) {
  std::string own = std::string("/proc/self/ns/") + spec::namespace_proc_name(type);
  struct stat a {};
  struct stat b {};
  return fstat(fd, &a) == 0 && stat(own.c_str(), &b) == 0 && a.st_ino == b.st_ino &&
         a.st_dev == b.st_dev;
}

// New namespaces go into the clone3 flags; those joined by path are entered by the clone
// helper (clone3_joined), so the init starts in them and a joined user namespace owns the new
// ones (pid too).
Status add_namespaces(PlanStorage& s, const spec::Config& c, const cgroup::Placement& placement) {
  const auto& nss = c.linux.namespaces;
  const spec::Namespace* user = c.linux.find_namespace(NamespaceType::User);
  bool join_user = user && !user->path.empty();
  for (size_t i = 0; i < nss.size(); ++i) {
    const auto& ns = nss[i];
    int flag = spec::namespace_clone_flag(ns.type);
    if (ns.path.empty()) {
      // Rooted at the container's cgroup: on v2 the child is born there (CLONE_INTO_CGROUP);
      // on v1, or cloned from a joined user namespace, the parent moves it while it sets up
      // its mounts, so it unshares afterwards.
      bool v1 =
          placement.layout == cgroup::Layout::V1 || placement.layout == cgroup::Layout::Hybrid;
      // A time namespace with offsets is the init's to make (ChildPlan::time_offsets).
      if (ns.type == NamespaceType::Time && !c.linux.time_offsets.empty()) continue;
      if (ns.type == NamespaceType::Cgroup && (v1 || join_user))
        s.plan.late_unshare_flags |= flag;
      else
        s.clone_flags |= static_cast<uint64_t>(flag);
      continue;
    }
    std::string field = "linux.namespaces[" + std::to_string(i) + "].path";
    linux::UniqueFd fd(open(ns.path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd) return sys_error(field + ": open `" + ns.path + "`");
    int type = ioctl(fd.get(), NS_GET_NSTYPE);
    if (type < 0) return make_error(field + ": `" + ns.path + "` is not a namespace file");
    if (type != flag)
      return make_error(field + ": `" + ns.path + "` is not a " +
                        spec::namespace_type_name(ns.type) + " namespace");
    // The agent profile shares no namespace with the host; a pod's, joined by path, is fine.
    if (c.agent_profile && is_own_namespace(fd.get(), ns.type))
      return make_error(field + ": `" + ns.path + "` is the host's " +
                        spec::namespace_type_name(ns.type) + " namespace, which the agent " +
                        "profile (" + std::string(spec::kProfileAnnotation) + ") does not allow");
    s.joins.push_back({fd.get(), flag});
    s.ns_fds.push_back(std::move(fd));
    s.joins_user_ns |= ns.type == NamespaceType::User;
    s.joins_cgroup_ns |= ns.type == NamespaceType::Cgroup;
  }
  s.plan.new_mount_ns = s.clone_flags & CLONE_NEWNS;
  s.plan.new_user_ns = s.clone_flags & CLONE_NEWUSER;
  s.plan.in_user_ns = s.plan.new_user_ns || s.joins_user_ns;
  s.plan.new_uts_ns = s.clone_flags & CLONE_NEWUTS;
  s.plan.new_net_ns = s.clone_flags & CLONE_NEWNET;
  return ok_status();
}

// The user namespaces that give id-mapped mounts their mapping: the joined one, or one made
// per distinct pair of mappings (the container's for `idmap` without mappings of its own). The
// trees keep what they need of them; these fds close with the plan's construction.
class IdmapNamespaces {
 public:
  IdmapNamespaces(const PlanStorage& s, const spec::Linux& l) : s_(s), l_(l) {}

  Result<int> get(const std::vector<spec::IdMapping>& uids,
                  const std::vector<spec::IdMapping>& gids) {
    if (uids.empty() && s_.joins_user_ns)
      for (const auto& j : s_.joins)
        if (j.nstype == CLONE_NEWUSER) return j.fd;
    const auto& u = uids.empty() ? l_.uid_mappings : uids;
    const auto& g = uids.empty() ? l_.gid_mappings : gids;
    for (const auto& m : made_)
      if (m.uids == u && m.gids == g) return m.fd.get();
    made_.push_back({u, g, NOOK_TRY(user_ns_with_maps(u, g))});
    return made_.back().fd.get();
  }

 private:
  struct Made {
    std::vector<spec::IdMapping> uids, gids;
    linux::UniqueFd fd;
  };
  const PlanStorage& s_;
  const spec::Linux& l_;
  std::vector<Made> made_;
};

// A detached bind of `src` with `attrs`, id-mapped by the user namespace of `uids`/`gids`
// (empty: the container's). Made here, not in the init: MOUNT_ATTR_IDMAP needs CAP_SYS_ADMIN
// over the source's filesystem (the host's user namespace), which the init inside its own user
// namespace lacks; it attaches the tree.
Result<int> add_idmapped_tree(PlanStorage& s, IdmapNamespaces& idmaps,
                              const std::vector<spec::IdMapping>& uids,
                              const std::vector<spec::IdMapping>& gids, const std::string& src,
                              bool recursive, const linux::MountAttrs& attrs, bool recursive_idmap,
                              const std::string& field) {
  constexpr char kNeedsRoot[] =
      ": id-mapped mounts need root (MOUNT_ATTR_IDMAP wants CAP_SYS_ADMIN over the source's "
      "filesystem)";
  if (geteuid() != 0) return make_error(field + kNeedsRoot);
  int userns = NOOK_TRY(idmaps.get(uids, gids));
  int tree = linux::open_bind_tree(AT_FDCWD, src.c_str(), recursive, attrs);
  if (tree < 0) return Error{-tree, field + ": open a detached bind of `" + src + "`"};
  linux::UniqueFd owned(tree);
  int rc = linux::idmap_tree(tree, userns, recursive_idmap);
  if (rc == -EINVAL)
    return Error{-rc, field + ": id-map `" + src +
                          "` (its filesystem, and with ridmap every submount's, must support "
                          "id-mapped mounts)"};
  if (rc < 0) return Error{-rc, field + ": id-map `" + src + "`"};
  s.trees.push_back(std::move(owned));
  return tree;
}

bool has_cgroup_mount(const spec::Config& c) {
  for (const auto& m : c.mounts)
    if (m.type == "cgroup" && !m.is_bind()) return true;
  return false;
}

Status add_mounts(PlanStorage& s, const PlanInputs& in) {
  const spec::Config& c = *in.config;
  IdmapNamespaces idmaps(s, c.linux);
  if (c.root.idmap)
    s.plan.rootfs_tree =
        NOOK_TRY(add_idmapped_tree(s, idmaps, {}, {}, in.rootfs, true, {}, c.root.recursive_idmap,
                                   "annotations." + std::string(spec::kRootfsIdmapAnnotation)));
  // Without a cgroup of our own (--cgroup-manager=disabled) a `cgroup` mount shows the host's
  // hierarchies, read-only, in the shape of the host's layout.
  cgroup::Placement host_view;
  const cgroup::Placement* placement = in.placement;
  if (placement->layout == cgroup::Layout::Disabled && has_cgroup_mount(c)) {
    auto root = NOOK_TRY(cgroup::open_cgroupfs_root());
    host_view.layout = NOOK_TRY(cgroup::detect_layout(root.get()));
    host_view.path = "/";
    if (host_view.layout != cgroup::Layout::V2)
      host_view.hierarchies = NOOK_TRY(cgroup::list_hierarchies_at(root.get()));
    placement = &host_view;
  }
  bool cgroup_v1 = placement->layout == cgroup::Layout::V1 ||
                   placement->layout == cgroup::Layout::Hybrid;
  for (size_t i = 0; i < c.mounts.size(); ++i) {
    const auto& m = c.mounts[i];
    std::string field = "mounts[" + std::to_string(i) + "]";
    if (m.tmpcopyup && m.type != "tmpfs")
      return make_error(field + ": `tmpcopyup` is only valid for tmpfs mounts");
    child::MountStep st{};
    st.dest = m.destination.c_str();
    st.data = m.data.c_str();
    st.flags = m.flags;
    st.propagation = m.propagation;
    st.tmpcopyup = m.tmpcopyup;
    if (m.is_bind()) {
      std::string src = absolute_in(in.bundle, m.source);
      struct stat sb;
      if (stat(src.c_str(), &sb) < 0) return sys_error("mount source `" + src + "`");
      st.bind = true;
      st.recursive = m.flags & MS_REC;
      st.source_is_file = !S_ISDIR(sb.st_mode);
      st.source = s.keep(src);
      st.attrs = spec::bind_mount_attrs(m);
      if (m.idmap || !m.uid_mappings.empty()) {
        // runc: mappings without an option are not recursive; `ridmap` makes them so.
        st.tree_fd = NOOK_TRY(add_idmapped_tree(s, idmaps, m.uid_mappings, m.gid_mappings, src,
                                                st.recursive, st.attrs, m.recursive_idmap, field));
      }
      if (m.destination == "/dev") s.plan.dev_is_bind = true;
    } else if (m.type == "cgroup" && cgroup_v1) {
      st.cgroup_v1 = true;
      st.source = "cgroup";
    } else {
      // A new filesystem gets its own flags from mount(2), the recursive ones after it.
      st.attrs.all_set = m.attr_set;
      st.attrs.all_clr = m.attr_clr;
      st.source = m.source.empty() ? m.type.c_str() : m.source.c_str();
      // On a v2 host `cgroup` means the unified hierarchy.
      st.fstype = m.type == "cgroup" ? "cgroup2" : m.type.c_str();
    }
    s.mounts.push_back(st);
  }
  if (cgroup_v1) {
    const auto& hs = placement->hierarchies;
    for (size_t i = 0; i < hs.size(); ++i) {
      // The hybrid layout's cgroup2 mount is not part of a v1 container's /sys/fs/cgroup view.
      if (hs[i] == "unified") continue;
      s.cgroup_binds.push_back(
          {s.keep("/sys/fs/cgroup/" + hs[i] + cgroup::path_in_hierarchy(*placement, i)),
           s.keep(hs[i])});
    }
  }
  for (const auto& p : c.linux.masked_paths) s.masked.push_back(p.c_str());
  for (const auto& p : c.linux.readonly_paths) s.readonly.push_back(p.c_str());
  return ok_status();
}

Status add_devices(PlanStorage& s, const spec::Config& c) {
  bool in_userns = s.plan.in_user_ns;
  for (const auto& d : kDefaultDevices)
    s.devices.push_back({d.path, S_IFCHR | 0666, makedev(d.major, d.minor), 0, 0, in_userns});
  for (size_t i = 0; i < c.linux.devices.size(); ++i) {
    const auto& d = c.linux.devices[i];
    mode_t type = d.type == 'b' ? S_IFBLK : d.type == 'p' ? S_IFIFO : S_IFCHR;
    child::DeviceStep st{d.path.c_str(), static_cast<mode_t>(type | (d.file_mode.value_or(0666) & 07777)),
                         makedev(static_cast<unsigned>(d.major), static_cast<unsigned>(d.minor)),
                         d.uid.value_or(0), d.gid.value_or(0), in_userns};
    // A spec device replaces a default one at the same path.
    bool replaced = false;
    for (auto& existing : s.devices)
      if (std::string_view(existing.path) == d.path) { existing = st; replaced = true; }
    if (!replaced) s.devices.push_back(st);
  }
  return ok_status();
}

void add_sysctls(PlanStorage& s, const spec::Config& c) {
  for (const auto& [key, value] : c.linux.sysctl) {
    std::string path = "/proc/sys/" + key;
    for (size_t i = 10; i < path.size(); ++i)
      if (path[i] == '.') path[i] = '/';
    s.sysctls.push_back({s.keep(path), value.c_str(), key.c_str()});
  }
}

void add_hooks(PlanStorage& s, const std::vector<spec::Hook>& hooks,
               std::vector<child::HookStep>& out) {
  for (const auto& h : hooks) {
    auto argv = s.keep_argv(h.args.empty() ? std::vector<std::string>{h.path} : h.args);
    out.push_back({h.path.c_str(), argv, s.keep_argv(h.env), h.timeout.value_or(0)});
  }
}

uint64_t mask_of(const std::vector<int>& caps) {
  uint64_t m = 0;
  for (int c : caps)
    if (c >= 0 && c < 64) m |= 1ULL << c;
  return m;
}

int read_last_cap() {
  linux::UniqueFd fd(open("/proc/sys/kernel/cap_last_cap", O_RDONLY | O_CLOEXEC));
  char buf[16] = {0};
  int last = 40;
  if (fd && read(fd.get(), buf, sizeof buf - 1) > 0) std::from_chars(buf, buf + sizeof buf, last);
  return last;
}

// Reads a small file of the rootfs, resolved inside it (the rootfs is untrusted).
std::string read_in_root(int root_fd, const char* path) {
  // O_NONBLOCK: a FIFO planted at /etc/passwd must not hang create; only regular files count.
  int fd = linux::open_in_root(root_fd, path, O_RDONLY | O_NONBLOCK | O_NOCTTY);
  if (fd < 0) return "";
  linux::UniqueFd f(fd);
  struct stat st;
  if (fstat(f.get(), &st) < 0 || !S_ISREG(st.st_mode)) return "";
  auto text = linux::read_all(f.get(), path, 1 << 20);  // bounded: the rootfs is untrusted
  return text.ok() ? *text : "";
}

// The mount point holding `path` (the longest mount point that is `path` or a parent of it).
std::string mount_point_of(const std::string& path) {
  std::string best = "/";
  auto mounts = linux::read_mountinfo();
  if (!mounts.ok()) return best;
  for (const auto& m : *mounts) {
    const std::string& mp = m.mount_point;
    bool contains = path == mp || mp == "/" ||
                    (path.size() > mp.size() && path.compare(0, mp.size(), mp) == 0 &&
                     path[mp.size()] == '/');
    if (contains && mp.size() > best.size()) best = mp;
  }
  return best;
}

// As runc: HOME from the container's /etc/passwd when the env lacks it, and the user's
// supplementary groups from /etc/group.
void lookup_user(PlanStorage& s, const PlanInputs& in, std::vector<std::string>& env) {
  const auto& user = in.config->process->user;
  linux::UniqueFd root(open(in.rootfs.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!root) return;
  std::string name, home = "/";
  if (auto entry = find_passwd_uid(read_in_root(root.get(), "/etc/passwd"), user.uid)) {
    name = std::move(entry->name);
    home = std::move(entry->home);
  }
  bool has_home = false;
  for (const auto& e : env) has_home |= e.rfind("HOME=", 0) == 0;
  if (!has_home) env.push_back("HOME=" + home);
  if (name.empty()) return;
  std::string group = read_in_root(root.get(), "/etc/group");
  for (auto line : split(group, '\n')) {
    auto f = split(line, ':');
    if (f.size() < 4) continue;
    for (auto member : split(f[3], ','))
      if (member == name) {
        gid_t gid = 0;
        if (std::from_chars(f[2].data(), f[2].data() + f[2].size(), gid).ec == std::errc() &&
            gid != user.gid)
          s.groups.push_back(gid);
      }
  }
}

// process.scheduler, process.ioPriority and linux.memoryPolicy in the kernel's terms (their
// names were checked by validate).
Status add_scheduling(PlanStorage& s, const spec::Config& c) {
  auto& plan = s.plan;
  const spec::Process& p = *c.process;
  if (p.scheduler) {
    const spec::Scheduler& sched = *p.scheduler;
    plan.has_scheduler = true;
    plan.scheduler_policy = sched.policy.c_str();
    plan.scheduler.policy =
        static_cast<uint32_t>(*spec::value_of(spec::sched_policies(), sched.policy));
    for (const auto& flag : sched.flags)
      plan.scheduler.flags |= static_cast<uint64_t>(*spec::value_of(spec::sched_flags(), flag));
    plan.scheduler.nice = sched.nice;
    plan.scheduler.priority = static_cast<uint32_t>(sched.priority);
    plan.scheduler.runtime = sched.runtime;
    plan.scheduler.deadline = sched.deadline;
    plan.scheduler.period = sched.period;
  }
  if (p.io_priority) {
    plan.has_io_priority = true;
    int io_class = *spec::value_of(spec::io_priority_classes(), p.io_priority->io_class);
    plan.io_priority = io_class << spec::kIoPriorityClassShift | p.io_priority->priority;
  }
  if (const auto& m = c.linux.memory_policy) {
    plan.has_memory_policy = true;
    plan.memory_policy = *spec::value_of(spec::memory_policy_modes(), m->mode);
    for (const auto& flag : m->flags)
      plan.memory_policy |= *spec::value_of(spec::memory_policy_flags(), flag);
    if (!m->nodes.empty()) plan.memory_nodes = NOOK_TRY(spec::parse_id_list(m->nodes, "node"));
  }
  return ok_status();
}

// linux.timeOffsets as /proc/self/timens_offsets takes them: "CLOCK SECS NANOSECS" lines.
std::string time_offsets_text(const spec::Linux& l) {
  std::string text;
  for (const auto& [clock, offset] : l.time_offsets)
    text +=
        clock + " " + std::to_string(offset.secs) + " " + std::to_string(offset.nanosecs) + "\n";
  return text;
}

Status add_process(PlanStorage& s, const PlanInputs& in) {
  const spec::Process& p = *in.config->process;
  auto& plan = s.plan;
  std::vector<std::string> env = p.env;
  for (const auto& e : in.extra_env) env.push_back(e);
  lookup_user(s, in, env);
  // /etc/group's groups are only ours to set where setgroups is allowed and they are mapped;
  // what the config asks for explicitly must be settable (runc refuses it in rootless too).
  plan.set_groups = !in.setgroups_denied && !s.id_maps.deny_setgroups;
  const auto& l = in.config->linux;
  const spec::Namespace* userns = l.find_namespace(NamespaceType::User);
  if (!plan.set_groups)
    s.groups.clear();
  else if (userns && userns->path.empty())
    std::erase_if(s.groups, [&](gid_t g) { return !spec::maps_id(l.gid_mappings, g); });
  if (!plan.set_groups && !p.user.additional_gids.empty())
    return make_error(
        "process.user.additionalGids: cannot be set: setgroups is denied in the user namespace "
        "(an unprivileged gid_map of your own gid alone); map subordinate gids from /etc/subgid "
        "to use them");
  plan.argv = s.keep_argv(p.args);
  plan.path_env = "";
  for (const auto& e : env)
    if (e.rfind("PATH=", 0) == 0) plan.path_env = s.keep(e.substr(5));
  plan.envp = s.keep_argv(env);
  plan.cwd = p.cwd.c_str();
  plan.uid = p.user.uid;
  plan.gid = p.user.gid;
  for (uint32_t g : p.user.additional_gids) s.groups.push_back(g);
  plan.umask = p.user.umask ? static_cast<int>(*p.user.umask) : -1;
  if (p.capabilities) {
    plan.has_caps = true;
    plan.cap_bounding = mask_of(p.capabilities->bounding);
    plan.cap_effective = mask_of(p.capabilities->effective);
    plan.cap_inheritable = mask_of(p.capabilities->inheritable);
    plan.cap_permitted = mask_of(p.capabilities->permitted);
    plan.cap_ambient = mask_of(p.capabilities->ambient);
  }
  plan.last_cap = read_last_cap();
  for (const auto& r : p.rlimits) {
    const char* name = spec::rlimit_name(r.resource);
    s.rlimits.push_back({r.resource, name ? name : r.type.c_str(), r.soft, r.hard});
  }
  plan.no_new_privs = p.no_new_privileges;
  plan.oom_score_adj = p.oom_score_adj ? s.keep(std::to_string(*p.oom_score_adj)) : nullptr;
  plan.personality = -1;
  if (in.config->linux.personality_domain)
    plan.personality = *in.config->linux.personality_domain == "LINUX32" ? PER_LINUX32 : PER_LINUX;
  NOOK_TRY(add_scheduling(s, *in.config));
  plan.terminal = p.terminal;
  if (p.console_size) {
    plan.console_rows = static_cast<unsigned short>(p.console_size->height);
    plan.console_cols = static_cast<unsigned short>(p.console_size->width);
  }
  plan.preserved_fds = in.preserved_fds;
  return ok_status();
}

void add_filter(PlanStorage& s, seccomp::Filter filter) {
  unsigned flags = filter.flags;
  if (filter.needs_listener) {
    flags |= SECCOMP_FILTER_FLAG_NEW_LISTENER;
    s.plan.seccomp_listener = true;
    s.listener_path = filter.listener_path;
    s.listener_metadata = filter.listener_metadata;
  }
  s.seccomp_programs.push_back(std::move(filter.program));
  s.seccomp.push_back({s.seccomp_programs.back().data(), s.seccomp_programs.back().size(), flags});
  s.plan.seccomp = s.seccomp.data();
  s.plan.nseccomp = s.seccomp.size();
}

bool same_program(const seccomp::Filter& a, const seccomp::Filter& b) {
  size_t bytes = a.program.size() * sizeof(sock_filter);
  return a.program.size() == b.program.size() &&
         std::memcmp(a.program.data(), b.program.data(), bytes) == 0;
}

// linux.seccomp, under the agent profile's filter when the bundle asks for that profile: the
// agent's goes first (it allows seccomp(2), which loading the second takes), and a bundle whose
// own filter is agent.json gets it once.
Status add_seccomp(PlanStorage& s, const spec::Config& c, const std::string& cache) {
  std::optional<seccomp::Filter> agent;
  if (c.agent_profile)
    agent = NOOK_TRY(seccomp::compile_config_cached(seccomp::agent_profile_json(), cache));
  auto own = NOOK_TRY(seccomp::compile_config_cached(c.linux.seccomp_json, cache));
  bool duplicate = agent && own && same_program(*agent, *own);
  if (agent) add_filter(s, std::move(*agent));
  if (own && !duplicate) add_filter(s, std::move(*own));
  return ok_status();
}

}  // namespace

Result<std::unique_ptr<PlanStorage>> build_plan(const PlanInputs& in) {
  auto s = std::make_unique<PlanStorage>();
  const spec::Config& c = *in.config;
  auto& plan = s->plan;
  plan.rootfs = in.rootfs.c_str();
  NOOK_TRY(add_namespaces(*s, c, *in.placement));
  if (plan.new_user_ns) s->id_maps = NOOK_TRY(plan_id_maps(c.linux));
  if (!in.no_new_keyring) plan.session_keyring = s->keep("_ses." + in.id);
  if (!c.hostname.empty()) plan.hostname = c.hostname.c_str();
  if (!c.domainname.empty()) plan.domainname = c.domainname.c_str();
  plan.root_propagation = MS_SLAVE | MS_REC;
  if (!c.linux.rootfs_propagation.empty()) {
    auto prop = spec::propagation_from_name(c.linux.rootfs_propagation);
    // linux.rootfsPropagation is validated by the parser.
    if (prop.ok()) plan.root_propagation = plan.rootfs_propagation = *prop;
    // Only a shared / needs it (see ChildPlan::rootfs_parent_mount); mountinfo costs a read.
    if (plan.root_propagation & MS_SHARED)
      plan.rootfs_parent_mount = s->keep(mount_point_of(in.rootfs));
  }
  plan.readonly_root = c.root.readonly;
  plan.no_pivot = in.no_pivot;
  if (!c.linux.time_offsets.empty()) plan.time_offsets = s->keep(time_offsets_text(c.linux));
  // execCPUAffinity is not for the init (runtime-spec): it gets every CPU its cgroup allows.
  plan.affinity = linux::full_mask();
  NOOK_TRY(add_mounts(*s, in));
  NOOK_TRY(add_devices(*s, c));
  add_sysctls(*s, c);
  add_hooks(*s, c.hooks.create_container, s->create_container_hooks);
  add_hooks(*s, c.hooks.start_container, s->start_container_hooks);
  s->hook_state.resize(65536);
  NOOK_TRY(add_process(*s, in));
  NOOK_TRY(add_seccomp(*s, c, in.seccomp_cache));

  plan.mounts = s->mounts.data();
  plan.nmounts = s->mounts.size();
  plan.cgroup_binds = s->cgroup_binds.data();
  plan.ncgroup_binds = s->cgroup_binds.size();
  plan.devices = s->devices.data();
  plan.ndevices = s->devices.size();
  plan.masked = s->masked.data();
  plan.nmasked = s->masked.size();
  plan.readonly = s->readonly.data();
  plan.nreadonly = s->readonly.size();
  plan.sysctls = s->sysctls.data();
  plan.nsysctls = s->sysctls.size();
  plan.create_container_hooks = s->create_container_hooks.data();
  plan.ncreate_container_hooks = s->create_container_hooks.size();
  plan.start_container_hooks = s->start_container_hooks.data();
  plan.nstart_container_hooks = s->start_container_hooks.size();
  plan.hook_state = s->hook_state.data();
  plan.hook_state_cap = s->hook_state.size();
  plan.rlimits = s->rlimits.data();
  plan.nrlimits = s->rlimits.size();
  plan.groups = s->groups.data();
  plan.ngroups = s->groups.size();
  return s;
}

Result<std::unique_ptr<PlanStorage>> build_exec_plan(const PlanInputs& in) {
  auto s = std::make_unique<PlanStorage>();
  s->plan.rootfs = in.rootfs.c_str();
  s->plan.personality = -1;
  s->hook_state.resize(1);  // no hooks run for exec
  s->plan.hook_state = s->hook_state.data();
  s->plan.hook_state_cap = s->hook_state.size();
  NOOK_TRY(add_process(*s, in));
  NOOK_TRY(add_seccomp(*s, *in.config, in.seccomp_cache));
  const auto& affinity = in.config->process->exec_cpu_affinity;
  if (!affinity.initial.empty())
    s->initial_affinity = NOOK_TRY(spec::parse_id_list(affinity.initial, "CPU"));
  s->plan.affinity_is_final = !affinity.final.empty();
  s->plan.affinity = s->plan.affinity_is_final
                         ? NOOK_TRY(spec::parse_id_list(affinity.final, "CPU"))
                         : linux::full_mask();
  s->plan.rlimits = s->rlimits.data();
  s->plan.nrlimits = s->rlimits.size();
  s->plan.groups = s->groups.data();
  s->plan.ngroups = s->groups.size();
  return s;
}

}  // namespace nook::runtime
