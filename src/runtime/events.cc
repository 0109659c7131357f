// `events`: one stats event (--stats) or a stream of them every --interval, plus OOM events
// from the memory cgroup (v1: an eventfd registered on memory.oom_control through
// cgroup.event_control; v2: inotify on memory.events, counting oom_kill). The stream ends
// with exit 0 once the container has stopped, as runc's does when the container is gone.
#include "nook/runtime/events.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>

#include "nook/cgroup/cgroupfs.h"
#include "nook/cgroup/manager.h"
#include "nook/cgroup/stats.h"
#include "nook/json/json.h"
#include "nook/linux/fd.h"
#include "nook/linux/file.h"
#include "nook/log/log.h"
#include "nook/runtime/state_dir.h"
#include "nook/runtime/status.h"

namespace nook::runtime {
namespace {

Status write_line(std::string line) {
  line += '\n';
  return linux::write_all(STDOUT_FILENO, line, "stdout");
}

Status print_stats(const std::string& id, const cgroup::Stats& s) {
  json::Writer w;
  w.begin_object().member("type", "stats").member("id", id).key("data");
  cgroup::write_stats(w, s);
  w.end_object();
  return write_line(w.str());
}

Status print_oom(const std::string& id) {
  json::Writer w;
  w.begin_object().member("type", "oom").member("id", id).end_object();
  return write_line(w.str());
}

int64_t now_ns() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return int64_t(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

// Watches the memory cgroup for OOMs; `fd` is invalid when there is nothing to watch.
struct OomWatch {
  linux::UniqueFd fd;
  linux::UniqueFd control;  // v1: memory.oom_control, kept open while registered
  std::string events_file;  // v2: memory.events, relative to the root
  uint64_t oom_kills = 0;   // v2: the last oom_kill count seen
};

uint64_t read_oom_kills(int root_fd, const std::string& rel) {
  auto text = cgroup::read_file_at(root_fd, rel);
  if (!text.ok()) return 0;
  size_t at = text->find("oom_kill ");
  if (at == std::string::npos) return 0;
  return std::strtoull(text->c_str() + at + 9, nullptr, 10);
}

// runc registers the same notifications; a failure only means no oom events (it logs too).
OomWatch watch_oom(int root_fd, const cgroup::Placement& p) {
  OomWatch w;
  if (p.layout == cgroup::Layout::V2) {
    w.events_file = cgroup::hierarchy_rel("", p.path) + "/memory.events";
    w.fd.reset(inotify_init1(IN_CLOEXEC | IN_NONBLOCK));
    std::string abs = "/proc/self/fd/" + std::to_string(root_fd) + "/" + w.events_file;
    if (w.fd && inotify_add_watch(w.fd.get(), abs.c_str(), IN_MODIFY) < 0) w.fd.reset();
    w.oom_kills = read_oom_kills(root_fd, w.events_file);
    return w;
  }
  for (size_t i = 0; i < p.hierarchies.size(); ++i) {
    if (p.hierarchies[i] != "memory") continue;
    std::string dir = cgroup::hierarchy_rel("memory", cgroup::path_in_hierarchy(p, i));
    w.control.reset(::openat(root_fd, (dir + "/memory.oom_control").c_str(), O_RDONLY | O_CLOEXEC));
    w.fd.reset(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
    if (!w.control || !w.fd) return OomWatch{};
    std::string reg = std::to_string(w.fd.get()) + " " + std::to_string(w.control.get());
    if (!cgroup::write_file_at(root_fd, dir + "/cgroup.event_control", reg).ok()) return OomWatch{};
  }
  return w;
}

// Drains the watch fd; true when an OOM happened since the last call.
bool oom_happened(int root_fd, OomWatch& w) {
  char buf[4096];
  bool readable = false;
  while (::read(w.fd.get(), buf, sizeof buf) > 0) readable = true;
  if (!readable) return false;
  if (w.events_file.empty()) return true;  // v1: each eventfd count is an OOM
  uint64_t kills = read_oom_kills(root_fd, w.events_file);
  bool more = kills > w.oom_kills;
  w.oom_kills = kills;
  return more;
}

bool is_stopped(const std::string& root, const std::string& id) {
  auto dir = StateDir::open(root, id);
  if (!dir.ok()) return true;
  auto s = dir->load();
  return !s.ok() || derive_status(*s, *dir) == ContainerStatus::Stopped;
}

// The saved state of a live container. The state dir (and its lock) is released at return:
// the stream must not keep `kill` or `delete` waiting.
Result<spec::ContainerState> load_running(const std::string& root, const std::string& id) {
  auto dir = NOOK_TRY(StateDir::open(root, id));
  auto s = NOOK_TRY(dir.load());
  if (derive_status(s, dir) == ContainerStatus::Stopped)
    return make_error("container with id " + id + " is not running");
  return s;
}

}  // namespace

Result<int64_t> parse_go_duration(std::string_view text) {
  struct Unit {
    std::string_view name;
    double ns;
  };
  static constexpr Unit kUnits[] = {{"ns", 1},     {"us", 1e3},  {"µs", 1e3}, {"ms", 1e6},
                                    {"s", 1e9},    {"m", 60e9},  {"h", 3600e9}};
  std::string_view s = text;
  bool negative = !s.empty() && s[0] == '-';
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) s.remove_prefix(1);
  if (s == "0") return int64_t{0};
  auto invalid = make_error("time: invalid duration \"" + std::string(text) + "\"");
  if (s.empty()) return invalid;
  double total = 0;
  while (!s.empty()) {
    size_t n = 0;
    while (n < s.size() && (std::isdigit(static_cast<unsigned char>(s[n])) || s[n] == '.')) ++n;
    if (n == 0) return invalid;
    double value = std::strtod(std::string(s.substr(0, n)).c_str(), nullptr);
    s.remove_prefix(n);
    const Unit* unit = nullptr;
    for (const Unit& u : kUnits) {
      // the longest unit name that matches ("ms" before "m")
      if (s.starts_with(u.name) && (!unit || u.name.size() > unit->name.size())) unit = &u;
    }
    if (!unit) return invalid;
    s.remove_prefix(unit->name.size());
    total += value * unit->ns;
  }
  return int64_t(std::llround(negative ? -total : total));
}

Status events(const GlobalOptions& g, const EventsOptions& o) {
  // 1. The container, running, with a cgroup (runc checks the interval first).
  if (o.interval_ns <= 0) return make_error("duration interval must be greater than 0");
  auto s = NOOK_TRY(load_running(g.root, o.id));
  if (s.cgroup.layout == cgroup::Layout::Disabled) {
    return make_error(
        "events: the container has no cgroup (it was created with "
        "--cgroup-manager=disabled)");
  }
  auto root = NOOK_TRY(cgroup::open_cgroupfs_root());
  // 2. --stats: one event.
  if (o.stats_once) {
    auto stats = cgroup::read_stats_at(root.get(), s.cgroup);
    if (!stats.ok()) return std::move(stats).error().wrap("events");
    return print_stats(o.id, *stats);
  }
  // 3. The stream: stats at every tick, OOMs as they come, until the container stops.
  OomWatch oom = watch_oom(root.get(), s.cgroup);
  int64_t next = now_ns() + o.interval_ns;
  for (;;) {
    int64_t wait_ms = std::max<int64_t>(0, (next - now_ns() + 999'999) / 1'000'000);
    pollfd pfd{oom.fd.get(), POLLIN, 0};
    int n = ::poll(&pfd, oom.fd ? 1 : 0, int(std::min<int64_t>(wait_ms, 1'000'000)));
    if (n < 0 && errno != EINTR) return sys_error("events: poll");
    if (n > 0 && oom_happened(root.get(), oom)) NOOK_TRY(print_oom(o.id));
    if (now_ns() < next) continue;
    next += o.interval_ns;
    if (is_stopped(g.root, o.id)) return ok_status();
    auto stats = cgroup::read_stats_at(root.get(), s.cgroup);
    if (!stats.ok()) {
      if (is_stopped(g.root, o.id)) return ok_status();
      log::write(log::Level::Error, std::move(stats).error().wrap("events").text());  // runc logs and goes on
      continue;
    }
    NOOK_TRY(print_stats(o.id, *stats));
  }
}

}  // namespace nook::runtime
