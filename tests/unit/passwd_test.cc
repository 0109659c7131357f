#include "nook/base/passwd.h"

#include <gtest/gtest.h>

namespace nook {
namespace {

constexpr char kPasswd[] =
    "root:x:0:0:root:/root:/bin/sh\n"
    "short:x:7:7\n"
    "bad:x:12a:12:bad:/bad:/bin/false\n"
    "agent:x:1000:1000:Agent:/home/agent:/bin/sh\n"
    "dup:x:1000:1000::/dup:/bin/sh\n"
    "padded:x:0042:42::/padded:/bin/sh";

TEST(Passwd, FindsTheFirstEntryOfAUid) {
  auto e = find_passwd_uid(kPasswd, 1000);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->name, "agent");
  EXPECT_EQ(e->home, "/home/agent");
  EXPECT_EQ(find_passwd_uid(kPasswd, 0)->name, "root");
}

TEST(Passwd, ReadsUidsAsNumbers) {
  EXPECT_EQ(find_passwd_uid(kPasswd, 42)->name, "padded");
}

TEST(Passwd, SkipsMalformedLines) {
  EXPECT_FALSE(find_passwd_uid(kPasswd, 7));   // too few fields
  EXPECT_FALSE(find_passwd_uid(kPasswd, 12));  // uid not a number
  EXPECT_FALSE(find_passwd_uid("", 0));
  EXPECT_FALSE(find_passwd_uid("::::::", 0));
}

}  // namespace
}  // namespace nook
