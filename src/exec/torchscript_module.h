// The IR as LibTorch's deployment runtime: TorchScript source compiled in-process (no Python), weights held
// as module attributes, then torch::jit::freeze and torch::jit::optimize_for_inference (oneDNN fusions).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "ir/graph.h"

namespace nacre {

class FrozenTorchScriptModule {
 public:
  // Shapes must be static (apply a batch size first). Throws Error naming the node TorchScript cannot
  // express, or saying what LibTorch rejected.
  explicit FrozenTorchScriptModule(const Graph& graph);
  ~FrozenTorchScriptModule();
  FrozenTorchScriptModule(FrozenTorchScriptModule&&) noexcept;
  FrozenTorchScriptModule& operator=(FrozenTorchScriptModule&&) noexcept;

  // Inputs in graph.inputs order, kept for every later run.
  void set_inputs(const std::vector<Tensor>& inputs);
  // One inference run on the set inputs; outputs in graph.outputs order.
  std::vector<Tensor> run();
  // One inference run whose outputs are dropped without copying (for timing).
  void run_discarding_outputs();

  const std::string& source() const;    // the TorchScript source that was compiled
  std::string optimized_graph() const;  // the frozen, optimised forward graph as LibTorch prints it

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

std::string libtorch_version();  // e.g. "1.13.1"

}  // namespace nacre
