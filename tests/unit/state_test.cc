// state.json round trip, the OCI state document's shape, and status-relevant parsing.
#include <gtest/gtest.h>

#include "nook/json/json.h"
#include "nook/linux/proc.h"
#include "nook/spec/state.h"

namespace nook {
namespace {

spec::ContainerState sample() {
  spec::ContainerState s;
  s.oci_version = "1.2.0";
  s.id = "web-1";
  s.pid = 4242;
  s.start_time = 123456789012ULL;
  s.bundle = "/b";
  s.rootfs = "/b/rootfs";
  s.created = "2026-11-23T05:19:59.681795916Z";
  s.owner = 1000;
  s.annotations = {{"a", "b"}, {"io.nook.x", "y"}};
  s.cgroup.layout = cgroup::Layout::Hybrid;
  s.cgroup.path = "/web-1";
  s.cgroup.hierarchies = {"memory", "pids", "unified"};
  s.cgroup.paths = {"/process_api/x/web-1", "/web-1", "/web-1"};
  s.rdt = {"web-1", true, "web-1/mon_groups/web-1"};
  s.shares_host_pid_ns = true;
  spec::Hook h;
  h.path = "/bin/hook";
  h.args = {"hook", "--x"};
  h.env = {"A=1"};
  h.timeout = 5;
  s.poststop = {h};
  s.poststart = {h, h};
  return s;
}

TEST(StateJson, RoundTripKeepsEveryField) {
  auto s = sample();
  auto back = spec::decode_state(spec::encode_state(s));
  ASSERT_TRUE(back.ok()) << back.error().text();
  EXPECT_EQ(back->id, s.id);
  EXPECT_EQ(back->pid, s.pid);
  EXPECT_EQ(back->start_time, s.start_time);
  EXPECT_EQ(back->bundle, s.bundle);
  EXPECT_EQ(back->rootfs, s.rootfs);
  EXPECT_EQ(back->created, s.created);
  EXPECT_EQ(back->owner, s.owner);
  EXPECT_EQ(back->annotations, s.annotations);
  EXPECT_EQ(back->cgroup.layout, cgroup::Layout::Hybrid);
  EXPECT_EQ(back->cgroup.hierarchies, s.cgroup.hierarchies);
  EXPECT_EQ(back->cgroup.paths, s.cgroup.paths);
  EXPECT_EQ(back->rdt.group, "web-1");
  EXPECT_TRUE(back->rdt.owned);
  EXPECT_EQ(back->rdt.monitor, "web-1/mon_groups/web-1");
  EXPECT_TRUE(back->shares_host_pid_ns);
  ASSERT_EQ(back->poststop.size(), 1u);
  EXPECT_EQ(back->poststop[0].args, s.poststop[0].args);
  EXPECT_EQ(back->poststop[0].timeout, 5);
  EXPECT_EQ(back->poststart.size(), 2u);
}

TEST(StateJson, DecodeRejectsGarbageAndMissingId) {
  EXPECT_FALSE(spec::decode_state("{").ok());
  EXPECT_FALSE(spec::decode_state("[]").ok());
  EXPECT_FALSE(spec::decode_state(R"({"pid": 1})").ok());
}

TEST(OciState, HasRuncKeysInRuncOrder) {
  auto text = spec::oci_state_json(sample(), "running", "root", spec::OciStyle::Compact);
  EXPECT_EQ(text,
            R"({"ociVersion":"1.2.0","id":"web-1","pid":4242,"status":"running","bundle":"/b",)"
            R"("rootfs":"/b/rootfs","created":"2026-11-23T05:19:59.681795916Z",)"
            R"("annotations":{"a":"b","io.nook.x":"y"},"owner":"root"})");
}

TEST(OciState, StoppedReportsPidZeroAndOmitsEmptyAnnotations) {
  auto s = sample();
  s.annotations.clear();
  auto doc = json::Document::parse(spec::oci_state_json(s, "stopped", "", spec::OciStyle::Indented));
  ASSERT_TRUE(doc.ok());
  EXPECT_EQ(json::to_int64(doc->root().get("pid")), 0);
  EXPECT_FALSE(doc->root().get("annotations").present());
  EXPECT_EQ(doc->root().get("owner").string(), "");
}

TEST(OciState, IndentedMatchesGoMarshalIndent) {
  auto s = sample();
  s.annotations = {{"a", "b"}};
  auto text = spec::oci_state_json(s, "created", "", spec::OciStyle::Indented);
  EXPECT_NE(text.find("{\n  \"ociVersion\": \"1.2.0\",\n  \"id\": \"web-1\""), std::string::npos);
  EXPECT_NE(text.find("  \"annotations\": {\n    \"a\": \"b\"\n  },"), std::string::npos);
  EXPECT_EQ(text.back(), '}');  // runc prints no trailing newline
}

TEST(ContainerProcessState, HasTheRuntimeSpecFieldsAndTheStateInside) {
  auto s = sample();
  s.annotations.clear();
  EXPECT_EQ(spec::container_process_state_json(s, "creating", 77, "meta"),
            R"({"ociVersion":"1.2.0","fds":["seccompFd"],"pid":77,"metadata":"meta",)"
            R"("state":{"ociVersion":"1.2.0","id":"web-1","pid":4242,"status":"creating",)"
            R"("bundle":"/b","rootfs":"/b/rootfs","created":"2026-11-23T05:19:59.681795916Z",)"
            R"("owner":""}})");
  // metadata is optional and omitted when unset.
  EXPECT_EQ(spec::container_process_state_json(s, "running", 77, "").find("metadata"),
            std::string::npos);
}

TEST(ProcStat, ParsesStateAndStartTimeWithHostileComm) {
  // comm may contain spaces and parentheses: parse from the last ')'.
  std::string line = "4242 (a) b (c) S 1 4242 4242 0 -1 4194560 100 0 0 0 0 0 0 0 20 0 1 0 "
                     "987654 5000000 100 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0";
  auto st = linux::parse_proc_stat(line);
  ASSERT_TRUE(st.has_value());
  EXPECT_EQ(st->state, 'S');
  EXPECT_EQ(st->start_time, 987654u);
}

TEST(ProcStat, RejectsTruncatedLines) {
  EXPECT_FALSE(linux::parse_proc_stat("4242 (x) S 1 2 3").has_value());
  EXPECT_FALSE(linux::parse_proc_stat("garbage").has_value());
}

}  // namespace
}  // namespace nook
