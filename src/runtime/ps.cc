// `ps`: the container's processes, as runc shows them. Table runs the host's `ps` (default
// -ef) and keeps its header plus the lines whose PID column is one of the container's pids;
// json prints the pids. The pids are the cgroup's and its sub-cgroups' (runc's GetAllPids).
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <string_view>

#include "nook/json/json.h"
#include "nook/linux/fd.h"
#include "nook/linux/file.h"
#include "nook/runtime/command.h"
#include "nook/runtime/lifecycle.h"
#include "nook/runtime/state_dir.h"

namespace nook::runtime {
namespace {

void write_all(std::string_view s) { (void)linux::write_all(STDOUT_FILENO, s, "stdout"); }

Result<std::vector<pid_t>> container_pids(const spec::ContainerState& s) {
  if (s.cgroup.layout == cgroup::Layout::Disabled)
    return make_error("ps: the container has no cgroup (--cgroup-manager=disabled)");
  auto root = NOOK_TRY(cgroup::open_cgroupfs_root());
  auto m = NOOK_TRY(cgroup::load_manager(root.get(), s.cgroup));
  auto pids = m->pids();
  // A stopped container whose cgroup is gone has no processes (runc: nil, printed `null`).
  if (!pids.ok() && pids.error().err == ENOENT) return std::vector<pid_t>();
  if (!pids.ok()) return std::move(pids).error().wrap("unable to get all container pids");
  return pids;
}

// Go's json.Encoder on runc's []int: `null` for none (a nil slice), a trailing newline.
std::string pids_json(const std::vector<pid_t>& pids) {
  if (pids.empty()) return "null\n";
  json::Writer w;
  w.begin_array();
  for (pid_t pid : pids) w.integer(pid);
  w.end_array();
  return w.str() + "\n";
}

// Go's strings.Fields on ASCII whitespace.
std::vector<std::string_view> fields_of(std::string_view line) {
  std::vector<std::string_view> fields;
  size_t at = 0;
  while (true) {
    at = line.find_first_not_of(" \t\n\v\f\r", at);
    if (at == std::string_view::npos) return fields;
    size_t end = line.find_first_of(" \t\n\v\f\r", at);
    if (end == std::string_view::npos) end = line.size();
    fields.push_back(line.substr(at, end - at));
    at = end;
  }
}

// Pure: runc's filter of `ps` output. The header's "PID" field gives the column; each later
// non-empty line is kept when that column is one of `pids`. Like runc, a line whose column is
// not a number stops the listing with an error after what was already kept.
Status filter_ps_output(std::string_view output, const std::vector<pid_t>& pids,
                        std::string* out) {
  size_t eol = output.find('\n');
  std::string_view header = output.substr(0, eol);
  auto titles = fields_of(header);
  auto column = std::find(titles.begin(), titles.end(), "PID");
  if (column == titles.end()) return make_error("couldn't find PID field in ps output");
  size_t index = static_cast<size_t>(column - titles.begin());
  *out += header;
  *out += '\n';
  while (eol != std::string_view::npos) {
    output.remove_prefix(eol + 1);
    eol = output.find('\n');
    std::string_view line = output.substr(0, eol);
    if (line.empty()) continue;
    auto fields = fields_of(line);
    std::string_view field = index < fields.size() ? fields[index] : std::string_view();
    pid_t pid = 0;
    auto [end, ec] = std::from_chars(field.data(), field.data() + field.size(), pid);
    if (field.empty() || ec != std::errc() || end != field.data() + field.size())
      return make_error("unable to parse pid `" + std::string(field) + "` in ps output");
    if (std::find(pids.begin(), pids.end(), pid) != pids.end()) {
      *out += line;
      *out += '\n';
    }
  }
  return ok_status();
}

}  // namespace

Status ps(const GlobalOptions& g, const std::string& id, PsFormat format,
          const std::vector<std::string>& ps_args) {
  auto dir = NOOK_TRY(StateDir::open(g.root, id));
  auto s = NOOK_TRY(dir.load());
  auto pids = NOOK_TRY(container_pids(s));
  if (format == PsFormat::Json) {
    write_all(pids_json(pids));
    return ok_status();
  }
  // Passed as given, a `--` after the id too (runc 1.1 does not drop it; later runc does).
  std::vector<std::string> args = ps_args;
  if (args.empty()) args = {"-ef"};
  std::string output = NOOK_TRY(run_command("ps", args));
  std::string kept;
  Status filtered = filter_ps_output(output, pids, &kept);
  write_all(kept);  // runc prints line by line: what was kept before an error stays printed
  return filtered;
}

}  // namespace nook::runtime
