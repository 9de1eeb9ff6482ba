// Child processes for out-of-process targets: a long-lived one spoken to in lines over stdin/stdout (the ONNX
// Runtime runner), and a one-shot command whose output is collected (the cmd target).
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

namespace nacre {

class ChildProcess {
 public:
  // Starts argv[0] (looked up in PATH) with pipes on stdin and stdout; stderr goes to a file kept for
  // messages. A program that cannot be started shows up as exit code 127 and its reason in stderr_tail().
  explicit ChildProcess(const std::vector<std::string>& argv);
  ~ChildProcess();  // closes stdin, waits a moment, then kills
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // False when the child has gone (its stdin is closed).
  bool write_line(const std::string& line);
  // The next line without its newline; absent at end of output or after `timeout_seconds` (< 0: no limit).
  std::optional<std::string> read_line(double timeout_seconds = -1);
  std::string stderr_tail(size_t max_bytes = 2000) const;
  int wait();  // exit code (128 + signal when killed)

 private:
  pid_t pid_ = -1;
  int stdin_fd_ = -1;
  int stdout_fd_ = -1;
  std::string stderr_path_;
  std::string pending_;
  std::optional<int> exit_code_;
};

struct CommandOutput {
  int exit_code = 0;
  std::string standard_output;
  std::string standard_error_tail;
};

// Runs argv to completion with stdin closed, collecting stdout and the end of stderr.
CommandOutput run_command(const std::vector<std::string>& argv);

}  // namespace nacre
