// Small graphs for executor and pass tests: one-op graphs run on LibTorch tensors, random weights, op counts.
#pragma once

#include <torch/torch.h>

#include <map>
#include <string>
#include <vector>

#include "exec/graph_module_torch.h"
#include "exec/tensor_conversion.h"
#include "ir/graph.h"

namespace nacre::testing {

// Runs one node of `op_type`; each defined tensor becomes a graph input, an undefined one an omitted input.
inline std::vector<torch::Tensor> run_op(const std::string& op_type, const std::vector<torch::Tensor>& inputs,
                                         std::map<std::string, AttributeValue> attributes = {},
                                         size_t output_count = 1, int64_t opset = 13) {
  Graph graph;
  graph.opset = opset;
  std::vector<ValueId> node_inputs;
  std::vector<torch::Tensor> runtime_inputs;
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (!inputs[i].defined()) {
      node_inputs.push_back(kNoValue);
      continue;
    }
    node_inputs.push_back(graph.add_input("in" + std::to_string(i), to_data_type(inputs[i].scalar_type()),
                                          Shape(inputs[i].sizes().begin(), inputs[i].sizes().end())));
    runtime_inputs.push_back(inputs[i]);
  }
  NodeId node = graph.add_node(op_type, "op", node_inputs, output_count, std::move(attributes));
  graph.outputs = graph.node(node).outputs;
  GraphModule module(graph);
  module.eval();
  torch::NoGradGuard no_grad;
  return module.forward(runtime_inputs);
}

inline torch::Tensor run_op1(const std::string& op_type, const std::vector<torch::Tensor>& inputs,
                             std::map<std::string, AttributeValue> attributes = {}) {
  return run_op(op_type, inputs, std::move(attributes)).at(0);
}

inline torch::Tensor int64s(std::vector<int64_t> values) { return torch::tensor(values, torch::kLong); }

inline Tensor random_weights(Shape shape, DataType dtype = DataType::kFloat32, double scale = 0.5) {
  torch::Tensor values = torch::randn(shape, torch::kDouble) * scale;
  return from_torch(values.to(dtype == DataType::kFloat64 ? torch::kDouble : torch::kFloat));
}

inline int count_ops(const Graph& graph, const std::string& op_type) {
  int count = 0;
  for (const Node& node : graph.nodes()) count += node.op_type == op_type;
  return count;
}

// Every node input is a graph input, a constant or produced by an earlier node; every output is produced.
inline bool is_well_formed(const Graph& graph) {
  std::vector<bool> available(graph.value_count(), false);
  for (ValueId input : graph.inputs) available[input] = true;
  for (ValueId id = 0; id < static_cast<ValueId>(graph.value_count()); ++id) {
    if (graph.is_constant(id)) available[id] = true;
  }
  for (const Node& node : graph.nodes()) {
    for (ValueId input : node.inputs) {
      if (input != kNoValue && !available[input]) return false;
    }
    for (ValueId output : node.outputs) available[output] = true;
  }
  for (ValueId output : graph.outputs) {
    if (!available[output]) return false;
  }
  return true;
}

inline torch::Tensor run_graph(const Graph& graph, const std::vector<torch::Tensor>& inputs) {
  GraphModule module(graph);
  module.eval();
  torch::NoGradGuard no_grad;
  return module.forward(inputs).at(0);
}

}  // namespace nacre::testing
