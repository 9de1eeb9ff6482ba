#include <sstream>

#include "exec/graph_module_torch.h"
#include "exec/kernels/kernel.h"
#include "exec/tensor_conversion.h"
#include "util/error.h"

namespace nacre {

namespace {

// Inputs of a node that hold learnable weights when they are float constants.
std::vector<size_t> trainable_input_positions(const Graph& graph, const Node& node) {
  const std::string& op_type = node.op_type;
  if (op_type == "Conv" || op_type == "Gemm" || op_type == "BatchNormalization") return {1, 2};
  if (op_type == "MatMul") return {0, 1};
  // Exporters write a Linear on 3-D input as MatMul + Add: the Add's constant is its bias.
  if (op_type == "Add" && node.input_count() == 2) {
    for (size_t position : {0, 1}) {
      const NodeId producer = graph.value(node.inputs[1 - position]).producer;
      if (producer != kNoNode && graph.node(producer).op_type == "MatMul") return {position};
    }
  }
  return {};
}

bool is_float(DataType dtype) { return dtype == DataType::kFloat32 || dtype == DataType::kFloat64; }

std::string torch_safe_name(const std::string& value_name) {
  std::string name = value_name.empty() ? "constant" : value_name;
  for (char& c : name) {
    if (c == '.') c = '_';
  }
  return name;
}

std::string describe_inputs(const std::vector<torch::Tensor>& inputs) {
  std::ostringstream out;
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (i) out << ", ";
    if (!inputs[i].defined()) {
      out << "(none)";
      continue;
    }
    out << to_string(Shape(inputs[i].sizes().begin(), inputs[i].sizes().end())) << " "
        << c10::toString(inputs[i].scalar_type());
  }
  return out.str();
}

Error node_error(const Node& node, const std::vector<torch::Tensor>& inputs, const std::string& what) {
  return make_error("node '", node.name, "' (", node.op_type, ") failed on inputs ", describe_inputs(inputs),
                    ": ", what, ". Check that the inputs have the shapes and types the model expects.");
}

}  // namespace

GraphModule::GraphModule(const Graph& graph) : graph_(graph) {
  std::ostringstream unsupported;
  for (const Node& node : graph_.nodes()) {
    if (!kernels::find_kernel(node.op_type)) unsupported << " '" << node.name << "' (" << node.op_type << ")";
  }
  if (!unsupported.str().empty()) {
    throw make_error("graph '", graph_.name, "' has nodes nacre cannot execute:", unsupported.str());
  }
  graph_.topological_sort();
  register_constants();
  plan_releases();
}

void GraphModule::register_constants() {
  std::vector<bool> used(graph_.value_count(), false), trainable(graph_.value_count(), false);
  for (const Node& node : graph_.nodes()) {
    for (ValueId input : node.inputs) {
      if (input != kNoValue) used[input] = true;
    }
    for (size_t position : trainable_input_positions(graph_, node)) {
      ValueId input = node.input_or_none(position);
      if (graph_.is_constant(input) && is_float(graph_.value(input).dtype)) trainable[input] = true;
    }
  }
  for (ValueId output : graph_.outputs) used[output] = true;

  constants_.assign(graph_.value_count(), torch::Tensor());
  for (ValueId id = 0; id < static_cast<ValueId>(graph_.value_count()); ++id) {
    if (!used[id] || !graph_.is_constant(id)) continue;
    std::string name = torch_safe_name(graph_.value(id).name);
    for (int suffix = 1; value_by_torch_name_.count(name); ++suffix) {
      name = torch_safe_name(graph_.value(id).name) + "_" + std::to_string(suffix);
    }
    value_by_torch_name_[name] = id;
    torch::Tensor tensor = to_torch(graph_.constant(id));
    constants_[id] = trainable[id] ? register_parameter(name, tensor, /*requires_grad=*/true)
                                   : register_buffer(name, tensor);
  }
}

// Frees each intermediate tensor after its last reader, so inference holds only live activations.
void GraphModule::plan_releases() {
  const size_t node_count = graph_.node_count();
  std::vector<int64_t> last_use(graph_.value_count(), -1);
  for (size_t index = 0; index < node_count; ++index) {
    const Node& node = graph_.node(static_cast<NodeId>(index));
    for (ValueId input : node.inputs) {
      if (input != kNoValue) last_use[input] = static_cast<int64_t>(index);
    }
    for (ValueId output : node.outputs) {
      if (last_use[output] < 0) last_use[output] = static_cast<int64_t>(index);
    }
  }
  released_after_.assign(node_count, {});
  for (ValueId id = 0; id < static_cast<ValueId>(graph_.value_count()); ++id) {
    if (last_use[id] < 0 || graph_.is_constant(id) || graph_.is_graph_output(id)) continue;
    released_after_[last_use[id]].push_back(id);
  }
}

ValueId GraphModule::value_for_torch_name(const std::string& torch_name) const {
  auto it = value_by_torch_name_.find(torch_name);
  return it == value_by_torch_name_.end() ? kNoValue : it->second;
}

std::vector<torch::Tensor> GraphModule::run_node(const Node& node,
                                                 const std::vector<torch::Tensor>& inputs) const {
  kernels::KernelContext context{node, inputs, is_training(), graph_.opset};
  try {
    return kernels::find_kernel(node.op_type)(context);
  } catch (const c10::Error& error) {
    throw node_error(node, inputs, error.what_without_backtrace());
  } catch (const std::exception& error) {
    throw node_error(node, inputs, error.what());
  }
}

std::vector<torch::Tensor> GraphModule::forward(const std::vector<torch::Tensor>& inputs) {
  if (inputs.size() != graph_.inputs.size()) {
    throw make_error("graph '", graph_.name, "' takes ", graph_.inputs.size(), " inputs, got ",
                     inputs.size());
  }
  std::vector<torch::Tensor> values(graph_.value_count());
  for (size_t i = 0; i < inputs.size(); ++i) values[graph_.inputs[i]] = inputs[i];
  auto lookup = [&](ValueId id) {
    if (id == kNoValue) return torch::Tensor();
    return constants_[id].defined() ? constants_[id] : values[id];
  };

  std::vector<torch::Tensor> node_inputs;
  for (size_t index = 0; index < graph_.node_count(); ++index) {
    const Node& node = graph_.node(static_cast<NodeId>(index));
    node_inputs.clear();
    for (ValueId input : node.inputs) node_inputs.push_back(lookup(input));
    std::vector<torch::Tensor> outputs = run_node(node, node_inputs);
    for (size_t k = 0; k < node.outputs.size() && k < outputs.size(); ++k) {
      values[node.outputs[k]] = std::move(outputs[k]);
    }
    for (ValueId released : released_after_[index]) values[released].reset();
  }

  std::vector<torch::Tensor> results;
  for (ValueId output : graph_.outputs) {
    results.push_back(lookup(output));
    if (!results.back().defined()) {
      throw make_error("graph '", graph_.name, "': output '", graph_.value(output).name,
                       "' was not computed");
    }
  }
  return results;
}

void GraphModule::to(torch::Dtype dtype, bool non_blocking) { to(torch::kCPU, dtype, non_blocking); }

void GraphModule::to(torch::Device device, torch::Dtype dtype, bool non_blocking) {
  torch::NoGradGuard no_grad;
  for (torch::Tensor& constant : constants_) {
    if (!constant.defined()) continue;
    const torch::Dtype target = constant.is_floating_point() ? dtype : constant.scalar_type();
    constant.set_data(constant.to(device, target, non_blocking));  // same tensor: parameters stay registered
  }
}

Graph GraphModule::to_graph() const {
  Graph graph = graph_;
  for (ValueId id = 0; id < static_cast<ValueId>(constants_.size()); ++id) {
    if (!constants_[id].defined()) continue;
    Value& value = graph.value(id);
    value.initializer = from_torch(constants_[id]);
    value.dtype = value.initializer->dtype();
    value.shape = value.initializer->shape();
  }
  return graph;
}

}  // namespace nacre
