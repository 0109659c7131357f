// state.json encoding (nook's own format) and the OCI state document.
#include "nook/spec/state.h"

#include "nook/json/json.h"

namespace nook::spec {
namespace {

void write_hook(json::Writer& w, const Hook& h) {
  w.begin_object().member("path", h.path);
  w.key("args").begin_array();
  for (const auto& a : h.args) w.string(a);
  w.end_array().key("env").begin_array();
  for (const auto& e : h.env) w.string(e);
  w.end_array();
  if (h.timeout) w.member("timeout", static_cast<int64_t>(*h.timeout));
  w.end_object();
}

std::vector<std::string> strings_of(json::Value v) {
  std::vector<std::string> out;
  for (size_t i = 0; i < v.size(); ++i) out.emplace_back(v.at(i).string());
  return out;
}

std::vector<Hook> hooks_of(json::Value v) {
  std::vector<Hook> out;
  for (size_t i = 0; i < v.size(); ++i) {
    json::Value h = v.at(i);
    Hook hook;
    hook.path = h.get("path").string();
    hook.args = strings_of(h.get("args"));
    hook.env = strings_of(h.get("env"));
    if (auto t = json::to_int64(h.get("timeout"))) hook.timeout = static_cast<int>(*t);
    out.push_back(std::move(hook));
  }
  return out;
}

}  // namespace

std::string encode_state(const ContainerState& s) {
  json::Writer w;
  w.begin_object()
      .member("ociVersion", s.oci_version)
      .member("id", s.id)
      .member("pid", static_cast<int64_t>(s.pid))
      .key("startTime").uinteger(s.start_time)
      .member("bundle", s.bundle)
      .member("rootfs", s.rootfs)
      .member("created", s.created)
      .member("owner", static_cast<int64_t>(s.owner))
      .member("sharesHostPidNs", s.shares_host_pid_ns);
  w.key("annotations").begin_object();
  for (const auto& [k, v] : s.annotations) w.member(k, v);
  w.end_object();
  w.key("cgroup").begin_object()
      .member("layout", static_cast<int64_t>(s.cgroup.layout))
      .member("path", s.cgroup.path)
      .key("hierarchies").begin_array();
  for (const auto& h : s.cgroup.hierarchies) w.string(h);
  w.end_array().key("paths").begin_array();
  for (const auto& p : s.cgroup.paths) w.string(p);
  w.end_array().end_object();
  w.key("intelRdt")
      .begin_object()
      .member("group", s.rdt.group)
      .member("owned", s.rdt.owned)
      .member("monitor", s.rdt.monitor)
      .end_object();
  w.key("poststart").begin_array();
  for (const auto& h : s.poststart) write_hook(w, h);
  w.end_array();
  w.key("poststop").begin_array();
  for (const auto& h : s.poststop) write_hook(w, h);
  w.end_array().end_object();
  return w.str();
}

Result<ContainerState> decode_state(std::string_view text) {
  auto doc = NOOK_TRY(json::Document::parse(text));
  json::Value r = doc.root();
  if (!r.is_object()) return make_error("state: expected an object");
  ContainerState s;
  s.oci_version = r.get("ociVersion").string();
  s.id = r.get("id").string();
  s.pid = static_cast<pid_t>(json::to_int64(r.get("pid")).value_or(0));
  s.start_time = json::to_uint64(r.get("startTime")).value_or(0);
  s.bundle = r.get("bundle").string();
  s.rootfs = r.get("rootfs").string();
  s.created = r.get("created").string();
  s.owner = static_cast<uid_t>(json::to_int64(r.get("owner")).value_or(0));
  s.shares_host_pid_ns = r.get("sharesHostPidNs").boolean();
  json::Value ann = r.get("annotations");
  for (size_t i = 0; i < ann.size(); ++i)
    s.annotations.emplace(ann.key_at(i), ann.at(i).string());
  json::Value cg = r.get("cgroup");
  s.cgroup.layout = static_cast<cgroup::Layout>(json::to_int64(cg.get("layout")).value_or(3));
  s.cgroup.path = cg.get("path").string();
  s.cgroup.hierarchies = strings_of(cg.get("hierarchies"));
  s.cgroup.paths = strings_of(cg.get("paths"));
  json::Value rdt = r.get("intelRdt");
  s.rdt.group = rdt.get("group").string();
  s.rdt.owned = rdt.get("owned").boolean();
  s.rdt.monitor = rdt.get("monitor").string();
  s.poststart = hooks_of(r.get("poststart"));
  s.poststop = hooks_of(r.get("poststop"));
  if (s.id.empty()) return make_error("state: missing `id`");
  return s;
}

void write_oci_state(json::Writer& w, const ContainerState& s, std::string_view status,
                     std::string_view owner) {
  bool stopped = status == "stopped";
  w.begin_object()
      .member("ociVersion", s.oci_version)
      .member("id", s.id)
      .member("pid", static_cast<int64_t>(stopped ? 0 : s.pid))
      .member("status", status)
      .member("bundle", s.bundle)
      .member("rootfs", s.rootfs)
      .member("created", s.created);
  if (!s.annotations.empty()) {
    w.key("annotations").begin_object();
    for (const auto& [k, v] : s.annotations) w.member(k, v);
    w.end_object();
  }
  w.member("owner", owner).end_object();
}

std::string oci_state_json(const ContainerState& s, std::string_view status,
                           std::string_view owner, OciStyle style) {
  json::Writer w(style == OciStyle::Indented ? json::Writer::Style::Indented
                                             : json::Writer::Style::Compact);
  write_oci_state(w, s, status, owner);
  return w.str();
}

std::string container_process_state_json(const ContainerState& s, std::string_view status,
                                         pid_t pid, std::string_view metadata) {
  json::Writer w;
  w.begin_object().member("ociVersion", s.oci_version);
  w.key("fds").begin_array().string("seccompFd").end_array();
  w.member("pid", static_cast<int64_t>(pid));
  if (!metadata.empty()) w.member("metadata", metadata);
  w.key("state");
  write_oci_state(w, s, status, "");
  w.end_object();
  return w.str();
}

}  // namespace nook::spec
