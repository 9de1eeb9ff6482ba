// The IR as a LibTorch module: every supported op maps to one LibTorch call; autograd flows through all.
// Float weights of Conv, Gemm, MatMul and BatchNormalization (scale, bias) are trainable parameters;
// BatchNormalization running statistics are buffers, updated in train() mode; other constants are buffers.
#pragma once

#include <torch/torch.h>

#include <map>
#include <string>
#include <vector>

#include "ir/graph.h"

namespace nacre {

torch::Tensor to_torch(const Tensor& tensor);    // copies
Tensor from_torch(const torch::Tensor& tensor);  // copies (contiguous, CPU)

class GraphModule : public torch::nn::Module {
 public:
  explicit GraphModule(const Graph& graph);

  // Runs the graph on its inputs (in graph.inputs order); returns graph.outputs in order.
  std::vector<torch::Tensor> forward(const std::vector<torch::Tensor>& inputs);
  // The graph with the module's current parameter and buffer values written back into its initializers.
  Graph to_graph() const;
  const Graph& graph() const { return graph_; }
  // Converts the floating-point parameters and buffers only: int64 shape constants stay int64.
  using torch::nn::Module::to;
  void to(torch::Dtype dtype, bool non_blocking = false) override;
  void to(torch::Device device, torch::Dtype dtype, bool non_blocking = false) override;
  // Constants are registered under their value names with '.' made '_' (LibTorch forbids dots).
  ValueId value_for_torch_name(const std::string& torch_name) const;  // kNoValue when absent

 private:
  void register_constants();
  void plan_releases();
  std::vector<torch::Tensor> run_node(const Node& node, const std::vector<torch::Tensor>& inputs) const;

  Graph graph_;
  std::vector<torch::Tensor> constants_;              // indexed by ValueId; undefined for non-constants
  std::vector<std::vector<ValueId>> released_after_;  // per node: values not needed once it has run
  std::map<std::string, ValueId> value_by_torch_name_;
};

}  // namespace nacre
