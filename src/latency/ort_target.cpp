// The `ort` target: ONNX Runtime (npm package onnxruntime-node) on nacre's ONNX export, in a Node.js child
// process (tools/ort_runner/ort_runner.js) that times each run itself, so the pipe is never in a measurement.
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "io/onnx/onnx_export.h"
#include "ir/op_registry.h"
#include "latency/child_process.h"
#include "latency/targets.h"
#include "latency/temp_dir.h"
#include "util/error.h"

namespace nacre {

namespace {

namespace fs = std::filesystem;

constexpr const char* kRunnerRelativePath = "tools/ort_runner/ort_runner.js";

std::string install_hint(const std::string& runner) {
  std::string root = runner.empty() ? "the nacre source folder"
                                    : fs::path(runner).parent_path().parent_path().parent_path().string();
  return "Install Node.js 18 or newer (apt-get install nodejs npm), then run `npm ci --ignore-scripts` in " +
         root + "; or point NACRE_NODE at a node binary";
}

// Looks upward from the running executable (build/nacre, build/tests/...), then beside this source file.
std::string find_runner_script() {
  if (const char* configured = std::getenv("NACRE_ORT_RUNNER"); configured && *configured) return configured;
  std::error_code error;
  fs::path directory = fs::read_symlink("/proc/self/exe", error).parent_path();
  for (int level = 0; level < 5 && !error && !directory.empty(); ++level) {
    if (fs::exists(directory / kRunnerRelativePath)) return (directory / kRunnerRelativePath).string();
    directory = directory.parent_path();
  }
  fs::path beside_source = fs::path(__FILE__).parent_path().parent_path().parent_path() / kRunnerRelativePath;
  return fs::exists(beside_source) ? beside_source.string() : "";
}

void write_raw(const std::string& path, const Tensor& tensor) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(tensor.raw()), static_cast<std::streamsize>(tensor.byte_size()));
  if (!out) throw make_error("cannot write ", path, " for the ONNX Runtime runner (disk full?)");
}

Tensor read_raw(const nlohmann::json& spec) {
  std::string path = spec.at("path").get<std::string>();
  std::ifstream in(path, std::ios::binary);
  std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<std::byte> data(bytes.size());
  std::memcpy(data.data(), bytes.data(), bytes.size());
  return Tensor(data_type_from_string(spec.at("dtype").get<std::string>()), spec.at("shape").get<Shape>(),
                std::move(data));
}

class OrtPreparedModel : public PreparedModel {
 public:
  OrtPreparedModel(const Graph& graph, const std::string& node, const std::string& runner, int threads)
      : graph_(graph), child_({node, runner}) {
    export_onnx(graph, directory_.file("model.onnx"));
    request({{"op", "load"}, {"model", directory_.file("model.onnx")}, {"threads", threads}});
  }
  ~OrtPreparedModel() override { child_.write_line(R"({"op":"quit"})"); }

  void set_inputs(const std::vector<Tensor>& inputs) override {
    nlohmann::json specs = nlohmann::json::array();
    for (size_t i = 0; i < inputs.size(); ++i) {
      std::string path = directory_.file("input" + std::to_string(i) + ".bin");
      write_raw(path, inputs[i]);
      specs.push_back({{"name", graph_.value(graph_.inputs[i]).name},
                       {"dtype", to_string(inputs[i].dtype())},
                       {"shape", inputs[i].shape()},
                       {"path", path}});
    }
    request({{"op", "set_inputs"}, {"inputs", specs}});
  }

  std::optional<std::vector<Tensor>> compute_outputs() override {
    nlohmann::json reply = request({{"op", "outputs"}, {"dir", directory_.path()}});
    std::vector<Tensor> outputs;
    for (const nlohmann::json& spec : reply.at("outputs")) outputs.push_back(read_raw(spec));
    return outputs;
  }

  std::vector<double> time_runs(int count) override {
    return request({{"op", "run"}, {"count", count}}).at("times_ms").get<std::vector<double>>();
  }

 private:
  nlohmann::json request(const nlohmann::json& message) {
    std::string op = message.at("op").get<std::string>();
    std::optional<std::string> line;
    if (child_.write_line(message.dump())) line = child_.read_line();
    if (!line) {
      throw make_error("the ONNX Runtime runner stopped during '", op, "' (exit code ", child_.wait(),
                       "): ", child_.stderr_tail());
    }
    nlohmann::json reply;
    try {
      reply = nlohmann::json::parse(*line);
    } catch (const nlohmann::json::exception&) {
      throw make_error("the ONNX Runtime runner answered '", op, "' with a line that is not JSON: ", *line);
    }
    if (!reply.value("ok", false)) {
      throw make_error("ONNX Runtime failed to ", op, " graph '", graph_.name,
                       "': ", reply.value("error", *line));
    }
    return reply;
  }

  Graph graph_;
  TempDir directory_{"nacre-ort"};
  ChildProcess child_;
};

class OrtTarget : public Target {
 public:
  OrtTarget(std::string node, std::string runner) : node_(std::move(node)), runner_(std::move(runner)) {
    if (node_.empty()) {
      const char* configured = std::getenv("NACRE_NODE");
      node_ = configured && *configured ? configured : "node";
    }
    if (runner_.empty()) runner_ = find_runner_script();
  }

  std::string name() const override { return "ort"; }
  std::string description() const override {
    return "ONNX Runtime (onnxruntime-node, CPU) on the ONNX export, all graph optimisations, in a Node.js "
           "child process";
  }

  TargetAvailability availability() const override {
    if (runner_.empty() || !fs::exists(runner_)) {
      return {false, std::string("the runner script ") + kRunnerRelativePath + " was not found",
              "Set NACRE_ORT_RUNNER to its path in the nacre source folder"};
    }
    CommandOutput check = run_command({node_, runner_, "--check"});
    if (check.exit_code == 127) {
      return {false, "Node.js ('" + node_ + "') cannot be started: " + check.standard_error_tail,
              install_hint(runner_)};
    }
    if (check.exit_code != 0) {
      std::string reason = check.standard_output.empty() ? check.standard_error_tail : check.standard_output;
      while (!reason.empty() && reason.back() == '\n') reason.pop_back();
      return {false, "onnxruntime-node does not load: " + reason, install_hint(runner_)};
    }
    return {true, "", ""};
  }

  std::vector<std::string> supported_op_types() const override { return nacre::supported_op_types(); }
  // ONNX Runtime also runs int8 (QDQ) models, but nacre's IR has no quantize ops yet: claim only what nacre
  // can hand it.
  // int8: QDQ models (nacre quantize), run with ONNX Runtime's integer kernels.
  std::vector<std::string> supported_precisions() const override { return {"float32", "int8"}; }

  std::unique_ptr<PreparedModel> prepare(const Graph& graph, int batch, int threads) override {
    return std::make_unique<OrtPreparedModel>(graph, node_, runner_, threads);
  }

 private:
  std::string node_;
  std::string runner_;
};

}  // namespace

std::unique_ptr<Target> make_ort_target(const std::string& node_binary, const std::string& runner_script) {
  return std::make_unique<OrtTarget>(node_binary, runner_script);
}

}  // namespace nacre
