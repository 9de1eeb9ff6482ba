// The `cmd` target: any external command measures the model (trtexec, benchmark_app, a phone over adb...).
// nacre runs `COMMAND --model PATH --batch B --threads T` through /bin/sh and reads the last stdout line that
// starts with '{': {"median_ms": M, "runs": N, "times_ms": [...]} (median_ms required; see README).
#include <sys/stat.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <sstream>

#include "io/onnx/onnx_export.h"
#include "ir/op_registry.h"
#include "latency/child_process.h"
#include "latency/targets.h"
#include "latency/temp_dir.h"
#include "util/error.h"

namespace nacre {

namespace {

constexpr const char* kProtocolHint =
    "the command must print one JSON line like {\"median_ms\": 1.25, \"runs\": 200, \"times_ms\": [...]}";

std::string last_json_line(const std::string& output) {
  std::istringstream lines(output);
  std::string line, found;
  while (std::getline(lines, line)) {
    size_t start = line.find_first_not_of(" \t\r");
    if (start != std::string::npos && line[start] == '{') found = line.substr(start);
  }
  return found;
}

bool positive_number(const nlohmann::json& value) { return value.is_number() && value.get<double>() > 0; }

// The per-run times the command reports, or its median alone when it gives no times.
std::vector<double> parse_record(const std::string& command, const CommandOutput& output) {
  std::string line = last_json_line(output.standard_output);
  std::string context = "command '" + command + "'";
  if (line.empty()) {
    throw make_error(context, " printed no JSON line; ", kProtocolHint, ". Its output ended with: ",
                     output.standard_output.substr(
                         output.standard_output.size() > 500 ? output.standard_output.size() - 500 : 0),
                     output.standard_error_tail.empty() ? "" : "\nits stderr: " + output.standard_error_tail);
  }
  nlohmann::json record;
  try {
    record = nlohmann::json::parse(line);
  } catch (const nlohmann::json::exception&) {
    throw make_error(context, " printed a line that is not valid JSON: ", line, "; ", kProtocolHint);
  }
  if (!record.is_object() || !record.contains("median_ms") || !positive_number(record["median_ms"])) {
    throw make_error(context, " printed JSON without a positive number 'median_ms': ", line, "; ",
                     kProtocolHint);
  }
  if (!record.contains("times_ms")) return {record["median_ms"].get<double>()};
  const nlohmann::json& times = record["times_ms"];
  if (!times.is_array() || times.empty() ||
      !std::all_of(times.begin(), times.end(), [](const nlohmann::json& t) { return positive_number(t); })) {
    throw make_error(context, " printed 'times_ms' that is not a non-empty list of positive numbers: ", line);
  }
  return times.get<std::vector<double>>();
}

class CommandPreparedModel : public PreparedModel {
 public:
  CommandPreparedModel(const Graph& graph, std::string command, int batch, int threads)
      : command_(std::move(command)), batch_(batch), threads_(threads) {
    export_onnx(graph, directory_.file("model.onnx"));
  }

  void set_inputs(const std::vector<Tensor>&) override {}  // the command makes its own inputs
  std::optional<std::vector<Tensor>> compute_outputs() override { return std::nullopt; }
  void warm_up(int) override {}  // the command warms up itself

  std::vector<double> time_runs(int) override {
    // "$@" after the user's command line keeps the model path one argument whatever it contains.
    CommandOutput output = run_command({"/bin/sh", "-c", command_ + " \"$@\"", "nacre-cmd", "--model",
                                        directory_.file("model.onnx"), "--batch", std::to_string(batch_),
                                        "--threads", std::to_string(threads_)});
    if (output.exit_code != 0) {
      throw make_error("command '", command_, "' failed with exit code ", output.exit_code,
                       output.standard_error_tail.empty()
                           ? " and no stderr"
                           : "; its stderr ends with:\n" + output.standard_error_tail);
    }
    return parse_record(command_, output);
  }

 private:
  TempDir directory_{"nacre-cmd"};
  std::string command_;
  int batch_;
  int threads_;
};

class CommandTarget : public Target {
 public:
  explicit CommandTarget(std::string command) : command_(std::move(command)) {}

  std::string name() const override { return "cmd"; }
  std::string description() const override {
    return command_.empty() ? "an external command that measures the ONNX file (--target cmd:COMMAND)"
                            : "external command: " + command_;
  }
  std::string identity() const override { return "cmd:" + command_; }

  TargetAvailability availability() const override {
    const std::string hint =
        "Give the command with --target cmd:/path/to/script or --target-command 'COMMAND ARGS'; it is run as "
        "COMMAND --model PATH --batch B --threads T and prints {\"median_ms\": ...}";
    if (command_.empty()) return {false, "no command given", hint};
    std::string program = command_.substr(0, command_.find(' '));
    struct stat info {};
    if (program.find('/') != std::string::npos &&
        (stat(program.c_str(), &info) != 0 || !(info.st_mode & S_IXUSR))) {
      return {false, "'" + program + "' does not exist or is not executable", hint};
    }
    return {true, "", ""};
  }

  std::vector<std::string> supported_op_types() const override { return nacre::supported_op_types(); }
  std::vector<std::string> supported_precisions() const override { return {"float32"}; }

  std::unique_ptr<PreparedModel> prepare(const Graph& graph, int batch, int threads) override {
    return std::make_unique<CommandPreparedModel>(graph, command_, batch, threads);
  }

 private:
  std::string command_;
};

}  // namespace

std::unique_ptr<Target> make_command_target(const std::string& command) {
  return std::make_unique<CommandTarget>(command);
}

}  // namespace nacre
