#include "latency/model_inputs.h"

#include <random>

#include "ir/shape_inference.h"
#include "passes/fold_constants.h"
#include "util/error.h"

namespace nacre {

Graph graph_with_batch(const Graph& graph, int64_t batch) {
  if (batch < 1) throw make_error("batch size must be at least 1, got ", batch);
  Graph batched = graph.clone();
  for (ValueId id : batched.inputs) {
    Value& input = batched.value(id);
    if (!input.shape || input.shape->empty()) continue;  // scalars and unknown ranks have no batch
    (*input.shape)[0] = batch;
    for (size_t d = 1; d < input.shape->size(); ++d) {
      if ((*input.shape)[d] < 0) {
        throw make_error("graph '", graph.name, "': input '", input.name, "' has unknown dimension ", d,
                         " in ", to_string(*input.shape),
                         "; give the input a static shape (e.g. --input-shape)");
      }
    }
  }
  try {
    // As at load time: with a static batch, Shape/Gather/Concat chains fold and every shape becomes static,
    // so the exported model declares no symbolic dimensions a runtime could misread.
    infer_shapes(batched);
    fold_constants(batched);
    infer_shapes(batched);
    batched.prune();
  } catch (const Error& error) {
    throw make_error("graph '", graph.name, "' cannot run at batch ", batch, ": ", error.what(),
                     " (export the model with a dynamic batch dimension, or load it with --input-shape)");
  }
  return batched;
}

std::vector<Tensor> random_inputs(const Graph& graph, uint64_t seed) {
  std::mt19937_64 generator(seed);
  std::uniform_real_distribution<float> uniform(0.0f, 1.0f);
  std::vector<Tensor> inputs;
  for (ValueId id : graph.inputs) {
    const Value& input = graph.value(id);
    if (!input.shape || !is_static(*input.shape)) {
      throw make_error("graph '", graph.name, "': input '", input.name,
                       "' needs a static shape for measurement; apply a batch size first");
    }
    Tensor tensor(input.dtype, *input.shape);
    if (input.dtype == DataType::kFloat32) {
      float* values = tensor.mutable_data<float>();
      for (int64_t i = 0; i < tensor.numel(); ++i) values[i] = uniform(generator);
    }
    inputs.push_back(std::move(tensor));
  }
  return inputs;
}

}  // namespace nacre
