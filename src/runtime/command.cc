// A host program run with its output captured; see command.h. Parent-side.
#include "nook/runtime/command.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>

#include "nook/linux/fd.h"
#include "nook/linux/file.h"

extern char** environ;

namespace nook::runtime {
namespace {

std::string exit_text(int wstatus) {
  if (WIFSIGNALED(wstatus)) {
    std::string name = strsignal(WTERMSIG(wstatus));  // Go's names are lowercase: "killed"
    if (!name.empty()) name[0] = static_cast<char>(std::tolower(name[0]));
    return "signal: " + name;
  }
  return "exit status " + std::to_string(WEXITSTATUS(wstatus));
}

}  // namespace

Result<std::string> run_command(const std::string& program, const std::vector<std::string>& args) {
  int p[2];
  if (::pipe2(p, O_CLOEXEC) < 0) return sys_error("pipe");
  linux::UniqueFd rd(p[0]), wr(p[1]);
  std::vector<char*> argv = {const_cast<char*>(program.c_str())};
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&fa, wr.get(), STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&fa, wr.get(), STDERR_FILENO);
  pid_t pid;
  int rc = ::posix_spawnp(&pid, program.c_str(), &fa, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) return Error{rc, "run `" + program + "`"};
  wr.reset();
  auto output = linux::read_all(rd.get(), program);
  int wstatus = 0;
  while (::waitpid(pid, &wstatus, 0) < 0)
    if (errno != EINTR) return sys_error("wait for `" + program + "`");
  if (!output.ok()) return std::move(output).error();
  if (!WIFEXITED(wstatus) || WEXITSTATUS(wstatus) != 0)
    return make_error(exit_text(wstatus) + ": " + *output);
  return output;
}

}  // namespace nook::runtime
