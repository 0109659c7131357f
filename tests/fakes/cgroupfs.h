// A temp dir standing in for /sys/fs/cgroup (plain directories and files in place of cgroupfs),
// with an O_PATH fd like open_cgroupfs_root's; removed with everything in it at the end. Shared
// by the unit tests of the cgroup managers, resources, events and exec --cgroup.
#pragma once

#include <fcntl.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "nook/linux/fd.h"

namespace nook::fakes {

class FakeCgroupfs {
 public:
  FakeCgroupfs() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "nook-cgroupfs-XXXXXX").string();
    root_ = ::mkdtemp(tmpl.data());
    fd_.reset(::open(root_.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  }
  ~FakeCgroupfs() { std::filesystem::remove_all(root_); }
  FakeCgroupfs(const FakeCgroupfs&) = delete;
  FakeCgroupfs& operator=(const FakeCgroupfs&) = delete;

  int fd() const { return fd_.get(); }
  std::string path() const { return root_.string(); }
  std::filesystem::path at(const std::string& rel) const { return root_ / rel; }
  void mkdir(const std::string& rel) const { std::filesystem::create_directories(at(rel)); }
  void write(const std::string& rel, const std::string& text) const {
    std::filesystem::create_directories(at(rel).parent_path());
    std::ofstream(at(rel)) << text;
  }
  std::string read(const std::string& rel) const {
    std::ifstream in(at(rel));
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
  bool exists(const std::string& rel) const { return std::filesystem::exists(at(rel)); }
  // The control files a real cgroupfs would make on mkdir.
  void add_control_files(const std::string& rel) const { write(rel + "/cgroup.procs", ""); }
  // The v1 layout of the dev machine: named hierarchies, one comounted pair with its
  // compatibility symlinks, and a cgroup2 "unified" mount.
  void make_v1_hierarchies() const {
    for (const char* h : {"cpu,cpuacct", "freezer", "memory", "pids", "systemd", "unified"}) {
      mkdir(h);
      add_control_files(h);
    }
    std::filesystem::create_directory_symlink("cpu,cpuacct", at("cpu"));
    std::filesystem::create_directory_symlink("cpu,cpuacct", at("cpuacct"));
  }

 private:
  std::filesystem::path root_;
  linux::UniqueFd fd_;
};

}  // namespace nook::fakes
