#include "latency/child_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <iterator>
#include <thread>
#include <utility>

#include "util/error.h"

namespace nacre {

namespace {

// A child that dies must give nacre an error message, not a SIGPIPE that ends nacre silently.
void ignore_broken_pipes() {
  struct sigaction current {};
  sigaction(SIGPIPE, nullptr, &current);
  if (current.sa_handler == SIG_DFL) signal(SIGPIPE, SIG_IGN);
}

std::string make_stderr_file() {
  std::string pattern = "/tmp/nacre-stderr-XXXXXX";
  if (const char* tmp = std::getenv("TMPDIR")) pattern = std::string(tmp) + "/nacre-stderr-XXXXXX";
  std::vector<char> buffer(pattern.begin(), pattern.end());
  buffer.push_back('\0');
  int fd = mkstemp(buffer.data());
  if (fd < 0) throw make_error("cannot create a temporary file ", pattern, ": ", std::strerror(errno));
  close(fd);
  return buffer.data();
}

[[noreturn]] void exec_in_child(const std::vector<std::string>& argv, int stdin_fd, int stdout_fd,
                                const std::string& stderr_path) {
  int stderr_fd = open(stderr_path.c_str(), O_WRONLY | O_TRUNC);
  dup2(stdin_fd, 0);
  dup2(stdout_fd, 1);
  if (stderr_fd >= 0) dup2(stderr_fd, 2);
  signal(SIGPIPE, SIG_DFL);
  std::vector<char*> args;
  for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  execvp(args[0], args.data());
  std::string message = "cannot start '" + argv[0] + "': " + std::strerror(errno) + "\n";
  ssize_t ignored = write(2, message.data(), message.size());
  (void)ignored;
  _exit(127);
}

int exit_code_from_status(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

std::string read_tail(const std::string& path, size_t max_bytes) {
  std::ifstream in(path, std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (text.size() > max_bytes) text = "..." + text.substr(text.size() - max_bytes);
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

}  // namespace

ChildProcess::ChildProcess(const std::vector<std::string>& argv) {
  if (argv.empty()) throw Error("cannot start a child process without a program");
  ignore_broken_pipes();
  stderr_path_ = make_stderr_file();
  int to_child[2], from_child[2];
  if (pipe2(to_child, O_CLOEXEC) != 0 || pipe2(from_child, O_CLOEXEC) != 0) {
    throw make_error("cannot create pipes for '", argv[0], "': ", std::strerror(errno));
  }
  pid_ = fork();
  if (pid_ < 0) throw make_error("cannot start '", argv[0], "': fork failed: ", std::strerror(errno));
  if (pid_ == 0) exec_in_child(argv, to_child[0], from_child[1], stderr_path_);
  close(to_child[0]);
  close(from_child[1]);
  stdin_fd_ = to_child[1];
  stdout_fd_ = from_child[0];
}

ChildProcess::~ChildProcess() {
  if (stdin_fd_ >= 0) close(stdin_fd_);
  stdin_fd_ = -1;
  if (!exit_code_ && pid_ > 0) {
    for (int waited_ms = 0; waited_ms < 2000 && !exit_code_; waited_ms += 20) {
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) exit_code_ = exit_code_from_status(status);
      if (!exit_code_) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    if (!exit_code_) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }
  if (stdout_fd_ >= 0) close(stdout_fd_);
  unlink(stderr_path_.c_str());
}

bool ChildProcess::write_line(const std::string& line) {
  std::string data = line + "\n";
  size_t written = 0;
  while (written < data.size()) {
    ssize_t n = write(stdin_fd_, data.data() + written, data.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    written += static_cast<size_t>(n);
  }
  return true;
}

std::optional<std::string> ChildProcess::read_line(double timeout_seconds) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout_seconds);
  while (true) {
    size_t newline = pending_.find('\n');
    if (newline != std::string::npos) {
      std::string line = pending_.substr(0, newline);
      pending_.erase(0, newline + 1);
      return line;
    }
    int wait_ms = -1;
    if (timeout_seconds >= 0) {
      auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return std::nullopt;
      wait_ms = static_cast<int>(left.count());
    }
    pollfd ready{stdout_fd_, POLLIN, 0};
    int polled = poll(&ready, 1, wait_ms);
    if (polled < 0 && errno == EINTR) continue;
    if (polled <= 0) return std::nullopt;
    char buffer[65536];
    ssize_t n = read(stdout_fd_, buffer, sizeof(buffer));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0 && !pending_.empty()) return std::exchange(pending_, std::string());  // a last unfinished line
    if (n <= 0) return std::nullopt;
    pending_.append(buffer, static_cast<size_t>(n));
  }
}

std::string ChildProcess::stderr_tail(size_t max_bytes) const { return read_tail(stderr_path_, max_bytes); }

int ChildProcess::wait() {
  if (!exit_code_) {
    if (stdin_fd_ >= 0) close(stdin_fd_);
    stdin_fd_ = -1;
    int status = 0;
    while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    exit_code_ = exit_code_from_status(status);
  }
  return *exit_code_;
}

CommandOutput run_command(const std::vector<std::string>& argv) {
  ChildProcess child(argv);
  CommandOutput output;
  while (std::optional<std::string> line = child.read_line()) output.standard_output += *line + "\n";
  output.exit_code = child.wait();
  output.standard_error_tail = child.stderr_tail();
  return output;
}

}  // namespace nacre
