// `state` and `list`: the OCI state of one container, or a table/JSON of all, formatted
// exactly as runc prints them.
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>

#include "nook/base/passwd.h"
#include "nook/json/json.h"
#include "nook/linux/file.h"
#include "nook/runtime/lifecycle.h"
#include "nook/runtime/status.h"

namespace nook::runtime {
namespace {

// The user name of `uid` in the host's passwd text, else "#uid" as runc.
std::string owner_name(std::string_view passwd, uid_t uid) {
  if (auto entry = find_passwd_uid(passwd, uid)) return entry->name;
  std::string numeric = "#";  // appended: GCC 12's -Wrestrict false positive on "#" + string
  numeric += std::to_string(uid);
  return numeric;
}

struct Row {
  spec::ContainerState state;
  std::string status;
  std::string owner;
};

// Go's text/tabwriter with runc's settings (minwidth 12, padding 3, no trailing padding on
// the last cell).
std::string tabulate(const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> width;
  for (const auto& r : rows)
    for (size_t i = 0; i + 1 < r.size(); ++i) {
      if (width.size() <= i) width.resize(i + 1, 0);
      width[i] = std::max(width[i], std::max<size_t>(r[i].size() + 3, 12));
    }
  std::string out;
  for (const auto& r : rows) {
    for (size_t i = 0; i < r.size(); ++i) {
      out += r[i];
      if (i + 1 < r.size()) out.append(width[i] - r[i].size(), ' ');
    }
    out += '\n';
  }
  return out;
}

// Output errors are not the command's failure (runc's do not change its exit status either).
void write_all(std::string_view s) { (void)linux::write_all(STDOUT_FILENO, s, "stdout"); }

}  // namespace

Status state(const GlobalOptions& g, const std::string& id) {
  auto dir = NOOK_TRY(StateDir::open(g.root, id));
  auto s = NOOK_TRY(dir.load());
  auto status = status_name(derive_status(s, dir));
  // runc prints it without a trailing newline.
  write_all(spec::oci_state_json(s, status, "", spec::OciStyle::Indented));
  return ok_status();
}

Status list(const GlobalOptions& g, ListFormat format, bool quiet) {
  // A missing root lists nothing; one that is not a directory is a mistake (runc fails too).
  struct stat st;
  if (stat(g.root.c_str(), &st) == 0 && !S_ISDIR(st.st_mode))
    return Error{ENOTDIR, "root `" + g.root + "`"};
  auto passwd = linux::read_file("/etc/passwd");
  std::string_view users = passwd.ok() ? std::string_view(*passwd) : std::string_view();
  std::vector<Row> rows;
  for (const auto& id : list_ids(g.root)) {
    auto dir = StateDir::open(g.root, id);
    if (!dir.ok()) continue;  // deleted meanwhile
    auto s = dir->load();
    if (!s.ok()) continue;    // a create still writing its first state
    std::string status(status_name(derive_status(*s, *dir)));
    rows.push_back({std::move(*s), std::move(status), owner_name(users, s->owner)});
  }
  if (quiet) {
    std::string out;
    for (const auto& r : rows) out += r.state.id + "\n";
    write_all(out);
    return ok_status();
  }
  if (format == ListFormat::Json) {
    if (rows.empty()) {
      write_all("null\n");
      return ok_status();
    }
    json::Writer w;
    w.begin_array();
    for (const auto& r : rows) spec::write_oci_state(w, r.state, r.status, r.owner);
    w.end_array();
    write_all(w.str() + "\n");
    return ok_status();
  }
  std::vector<std::vector<std::string>> table = {{"ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER"}};
  for (const auto& r : rows) {
    pid_t pid = r.status == "stopped" ? 0 : r.state.pid;
    table.push_back({r.state.id, std::to_string(pid), r.status, r.state.bundle, r.state.created,
                     r.owner});
  }
  write_all(tabulate(table));
  return ok_status();
}

}  // namespace nook::runtime
