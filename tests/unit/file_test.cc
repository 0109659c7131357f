// linux/file: whole-file reads (with the bound used for untrusted files) and the atomic write.
#include <dirent.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>

#include "nook/linux/fd.h"
#include "nook/linux/file.h"

namespace nook {
namespace {

std::string temp_dir() {
  char tmpl[] = "/tmp/nook-file-test-XXXXXX";
  EXPECT_NE(mkdtemp(tmpl), nullptr);
  return tmpl;
}

int entries(const std::string& dir) {
  int n = 0;
  DIR* d = opendir(dir.c_str());
  while (dirent* e = readdir(d))
    if (e->d_name[0] != '.') ++n;
  closedir(d);
  return n;
}

TEST(FileAtomic, WritesContentAndModeAndLeavesNoTempFile) {
  std::string dir = temp_dir(), path = dir + "/state.json";
  ASSERT_TRUE(linux::write_file_atomic(path, "one", 0600).ok());
  ASSERT_TRUE(linux::write_file_atomic(path, "second", 0600).ok());  // replaces
  auto text = linux::read_file(path);
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(*text, "second");
  struct stat st;
  ASSERT_EQ(stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(entries(dir), 1);
  unlink(path.c_str());
  rmdir(dir.c_str());
}

TEST(FileAtomic, FailureNamesThePath) {
  auto st = linux::write_file_atomic("/nonexistent-dir/x", "1", 0644);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().text(), "write `/nonexistent-dir/x`: No such file or directory");
}

TEST(FileRead, StopsNearTheLimit) {
  std::string dir = temp_dir(), path = dir + "/big";
  ASSERT_TRUE(linux::write_file_atomic(path, std::string(100000, 'x'), 0644).ok());
  linux::UniqueFd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC));
  auto text = linux::read_all(fd.get(), path, 1000);
  ASSERT_TRUE(text.ok());
  EXPECT_GE(text->size(), 1000u);
  EXPECT_LT(text->size(), 100000u);
  EXPECT_FALSE(linux::read_file(dir + "/missing").ok());
  unlink(path.c_str());
  rmdir(dir.c_str());
}

}  // namespace
}  // namespace nook
