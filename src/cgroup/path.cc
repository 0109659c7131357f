// Cgroup path arithmetic: cleaning, systemd slice expansion, /proc/self/cgroup parsing and
// resolve_path, which turns linux.cgroupsPath into the path the managers use. Pure; runc's
// libcontainer (utils.CleanPath, specconv.CreateCgroupConfig, systemd.ExpandSlice) is the
// reference for every rule here.
#include "nook/cgroup/path.h"

#include <charconv>

#include "nook/base/split.h"
#include "nook/cgroup/manager.h"

namespace nook::cgroup {

namespace {

// runc's default unit prefix is "runc"; ours names the runtime that made the scope.
constexpr std::string_view kSystemdScopePrefix = "nook";
constexpr std::string_view kSystemdDefaultSlice = "system.slice";
constexpr std::string_view kField = "linux.cgroupsPath";

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// "slice:prefix:name" with no '/' anywhere: what containerd and podman send with systemd.
bool is_systemd_form(std::string_view path) {
  return path.find('/') == std::string_view::npos && split(path, ':').size() == 3;
}

Result<std::string> resolve_systemd(const std::string& spec_path, const std::string& id) {
  std::string form = spec_path;
  if (form.empty()) {
    form = std::string(kSystemdDefaultSlice) + ":" + std::string(kSystemdScopePrefix) + ":" + id;
  }
  auto fields = split(form, ':');
  if (fields.size() != 3 || form.find('/') != std::string::npos) {
    return make_error(std::string(kField) + ": expected the form `slice:prefix:name` with the " +
                      "systemd cgroup driver, got `" + spec_path + "`");
  }
  std::string_view slice = fields[0].empty() ? kSystemdDefaultSlice : fields[0];
  std::string_view prefix = fields[1];
  std::string_view name = fields[2];
  if (name.empty()) {
    return make_error(std::string(kField) + ": `" + spec_path +
                      "` has an empty name (slice:prefix:name)");
  }
  auto parent = expand_slice(slice);
  if (!parent.ok()) {
    return std::move(parent).error().wrap(std::string(kField) + ": `" + form + "`");
  }
  // A name that is itself a slice is the unit; otherwise a scope, as systemd.getUnitName.
  std::string unit;
  if (ends_with(name, ".slice")) {
    unit = name;
  } else if (prefix.empty()) {
    unit = std::string(name) + ".scope";
  } else {
    unit = std::string(prefix) + "-" + std::string(name) + ".scope";
  }
  return join_path(*parent, unit);
}

}  // namespace

std::string clean_path(std::string_view path) {
  bool absolute = !path.empty() && path.front() == '/';
  std::vector<std::string_view> out;
  for (std::string_view part : split(path, '/')) {
    if (part.empty() || part == ".") continue;
    if (part == "..") {
      // Rooted at "/" either way: ".." at the top stays at the top (runc's CleanPath).
      if (!out.empty()) out.pop_back();
      continue;
    }
    out.push_back(part);
  }
  std::string cleaned = absolute ? "/" : "";
  for (size_t i = 0; i < out.size(); ++i) {
    if (i > 0) cleaned += '/';
    cleaned += out[i];
  }
  return cleaned;
}

std::string join_path(std::string_view base, std::string_view rel) {
  return clean_path(std::string(base) + "/" + std::string(rel));
}

Result<std::string> expand_slice(std::string_view slice) {
  constexpr std::string_view kSuffix = ".slice";
  auto invalid = [&] { return make_error("invalid slice name `" + std::string(slice) + "`"); };
  if (!ends_with(slice, kSuffix) || slice.size() == kSuffix.size() ||
      slice.find('/') != std::string_view::npos) {
    return invalid();
  }
  std::string_view stem = slice.substr(0, slice.size() - kSuffix.size());
  if (stem == "-") return std::string("/");
  std::string path;
  std::string prefix;
  for (std::string_view component : split(stem, '-')) {
    // "a--b.slice" and "-a.slice" are not valid unit names.
    if (component.empty()) return invalid();
    path += "/" + prefix + std::string(component) + std::string(kSuffix);
    prefix += std::string(component) + "-";
  }
  return path;
}

Result<std::vector<ProcCgroup>> parse_proc_cgroup(std::string_view text) {
  std::vector<ProcCgroup> entries;
  for (std::string_view line : split(text, '\n')) {
    if (line.empty()) continue;
    auto bad = [&] {
      return make_error("parse /proc/self/cgroup line `" + std::string(line) + "`");
    };
    size_t first = line.find(':');
    if (first == std::string_view::npos) return bad();
    size_t second = line.find(':', first + 1);
    if (second == std::string_view::npos) return bad();
    ProcCgroup entry;
    std::string_view id = line.substr(0, first);
    auto [end, ec] = std::from_chars(id.data(), id.data() + id.size(), entry.hierarchy_id);
    if (ec != std::errc() || end != id.data() + id.size()) return bad();
    std::string_view controllers = line.substr(first + 1, second - first - 1);
    if (!controllers.empty()) {
      for (std::string_view c : split(controllers, ',')) entry.controllers.emplace_back(c);
    }
    // The path may itself hold ':' (a systemd unit can), so it is everything after the second.
    entry.path = std::string(line.substr(second + 1));
    if (entry.path.empty() || entry.path.front() != '/') return bad();
    entries.push_back(std::move(entry));
  }
  return entries;
}

std::optional<std::string> own_cgroup_in(std::string_view hierarchy,
                                         const std::vector<ProcCgroup>& own) {
  bool unified = hierarchy.empty() || hierarchy == "unified";
  for (const ProcCgroup& entry : own) {
    if (unified) {
      if (entry.hierarchy_id == 0 && entry.controllers.empty()) return entry.path;
      continue;
    }
    for (std::string_view name : split(hierarchy, ',')) {
      for (std::string_view controller : entry.controllers) {
        // A named hierarchy ("name=systemd") is mounted at a directory of its bare name.
        if (controller.starts_with("name=")) controller.remove_prefix(5);
        if (controller == name) return entry.path;
      }
    }
  }
  return std::nullopt;
}

Result<std::string> resolve_path(const std::string& spec_path, const std::string& id,
                                 Driver driver) {
  switch (driver) {
    case Driver::Disabled:
      return std::string();
    case Driver::Systemd:
      return resolve_systemd(spec_path, id);
    case Driver::Cgroupfs:
      break;
  }
  if (spec_path.empty()) {
    // runc's default: the container id as a relative path, i.e. "<own cgroup>/<id>" in each
    // hierarchy (runc `run ID` lands in /ID from a process in the root cgroup).
    if (id.empty() || clean_path(id) != id || id.find('/') != std::string::npos) {
      return make_error("cgroup path from container id `" + id + "`: not a single path element");
    }
    return id;
  }
  if (is_systemd_form(spec_path)) {
    return make_error(std::string(kField) + ": `" + spec_path +
                      "` has the form `slice:prefix:name`, which needs the systemd cgroup driver "
                      "(--systemd-cgroup)");
  }
  std::string cleaned = clean_path(spec_path);
  if (cleaned == "/") {
    return make_error(std::string(kField) + ": `" + spec_path + "` is the root cgroup");
  }
  if (cleaned.empty()) {
    return make_error(std::string(kField) + ": `" + spec_path + "` is the caller's own cgroup");
  }
  return cleaned;
}

}  // namespace nook::cgroup
