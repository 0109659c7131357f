// Tests of src/net's pure parts: IPv4 labels following a renamed interface, and finding the
// interface a `%d` template produced.
#include <gtest/gtest.h>

#include "nook/net/address.h"
#include "nook/net/devices.h"

namespace nook::net {
namespace {

TEST(NetRelabel, LabelsFollowTheNewName) {
  EXPECT_EQ(relabel("eth0", "eth0", "ctr0"), "ctr0");
  EXPECT_EQ(relabel("eth0:1", "eth0", "ctr0"), "ctr0:1");
  EXPECT_EQ(relabel("eth0:web", "eth0", "c"), "c:web");
  // One that does not start with the old name, or would not fit in 15 bytes, is the new name.
  EXPECT_EQ(relabel("other:1", "eth0", "ctr0"), "ctr0");
  EXPECT_EQ(relabel("e:123456789", "e", "container0"), "container0");
  EXPECT_EQ(relabel("e:1234", "e", "container0"), "container0:1234");
}

TEST(NetTemplate, FindsTheInterfaceTheKernelNumbered) {
  std::vector<std::string> before = {"lo", "net0"};
  EXPECT_EQ(templated_name(before, {"lo", "net0", "net1"}, "net%d"), "net1");
  EXPECT_EQ(templated_name(before, {"lo", "net0", "x5y"}, "x%dy"), "x5y");
  EXPECT_EQ(templated_name(before, {"lo", "net0", "net12"}, "net%d"), "net12");
  // Only a new name that fits the template counts.
  EXPECT_EQ(templated_name(before, {"lo", "net0", "eth1"}, "net%d"), "");
  EXPECT_EQ(templated_name(before, {"lo", "net0", "netx"}, "net%d"), "");
  EXPECT_EQ(templated_name(before, {"lo", "net0", "net"}, "net%d"), "");
  EXPECT_EQ(templated_name(before, before, "net%d"), "");
}

}  // namespace
}  // namespace nook::net
