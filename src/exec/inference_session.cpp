#include "exec/inference_session.h"

#include <torch/torch.h>

#include "exec/graph_module_torch.h"
#include "util/error.h"

namespace nacre {

struct InferenceSession::Impl {
  std::shared_ptr<GraphModule> module;
};

InferenceSession::InferenceSession(const Graph& graph) : impl_(std::make_unique<Impl>()) {
  impl_->module = std::make_shared<GraphModule>(graph);
  impl_->module->eval();
}

InferenceSession::~InferenceSession() = default;
InferenceSession::InferenceSession(InferenceSession&&) noexcept = default;
InferenceSession& InferenceSession::operator=(InferenceSession&&) noexcept = default;

std::vector<Tensor> InferenceSession::run(const std::vector<Tensor>& inputs) {
  const Graph& graph = impl_->module->graph();
  if (inputs.size() != graph.inputs.size()) {
    throw make_error("graph '", graph.name, "' takes ", graph.inputs.size(), " inputs, got ", inputs.size());
  }
  c10::InferenceMode inference_mode;
  std::vector<torch::Tensor> torch_inputs;
  for (size_t i = 0; i < inputs.size(); ++i) {
    const Value& declared = graph.value(graph.inputs[i]);
    if (inputs[i].dtype() != declared.dtype) {
      throw make_error("input '", declared.name, "' of graph '", graph.name, "' is ",
                       to_string(declared.dtype), " but a ", to_string(inputs[i].dtype()),
                       " tensor was given; convert it first");
    }
    torch_inputs.push_back(to_torch(inputs[i]));
  }
  std::vector<Tensor> outputs;
  for (const torch::Tensor& output : impl_->module->forward(torch_inputs))
    outputs.push_back(from_torch(output));
  return outputs;
}

void set_compute_threads(int threads) {
  if (threads > 0) torch::set_num_threads(threads);
}

}  // namespace nacre
