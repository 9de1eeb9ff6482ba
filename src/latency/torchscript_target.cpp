// The `torchscript` target: the IR written as TorchScript, frozen and optimised for inference by LibTorch
// (oneDNN fusions), run in-process: LibTorch's deployment runtime, not its slower eager mode.
#include <chrono>

#include "exec/inference_session.h"
#include "exec/torchscript_module.h"
#include "exec/torchscript_source.h"
#include "latency/targets.h"

namespace nacre {

namespace {

class TorchScriptPreparedModel : public PreparedModel {
 public:
  TorchScriptPreparedModel(const Graph& graph, int threads) : module_(graph), threads_(threads) {}

  void set_inputs(const std::vector<Tensor>& inputs) override { module_.set_inputs(inputs); }

  std::optional<std::vector<Tensor>> compute_outputs() override {
    set_compute_threads(threads_);
    return module_.run();
  }

  std::vector<double> time_runs(int count) override {
    set_compute_threads(threads_);  // a process-wide setting: set before each batch of runs
    std::vector<double> times;
    times.reserve(count);
    for (int i = 0; i < count; ++i) {
      auto start = std::chrono::steady_clock::now();
      module_.run_discarding_outputs();
      times.push_back(
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
    }
    return times;
  }

 private:
  FrozenTorchScriptModule module_;
  int threads_;
};

class TorchScriptTarget : public Target {
 public:
  std::string name() const override { return "torchscript"; }
  std::string description() const override {
    return "LibTorch " + libtorch_version() +
           " TorchScript, frozen and optimize_for_inference (oneDNN), CPU, in-process";
  }
  TargetAvailability availability() const override { return {true, "", ""}; }
  bool runs_in_this_process() const override { return true; }
  std::vector<std::string> supported_op_types() const override { return torchscript_op_types(); }
  std::vector<std::string> supported_precisions() const override { return {"float32"}; }
  std::unique_ptr<PreparedModel> prepare(const Graph& graph, int batch, int threads) override {
    return std::make_unique<TorchScriptPreparedModel>(graph, threads);
  }
};

}  // namespace

std::unique_ptr<Target> make_torchscript_target() { return std::make_unique<TorchScriptTarget>(); }

}  // namespace nacre
