#include "train/teacher_activations.h"

#include <algorithm>
#include <cstring>

#include "exec/inference_session.h"
#include "util/error.h"

namespace nacre {

namespace {

int64_t per_example_elements(const Shape& shape) {
  int64_t count = 1;
  for (size_t i = 1; i < shape.size(); ++i) count *= shape[i];
  return count;
}

// The model with its outputs replaced by the cuts, and nothing that does not lead to them.
Graph graph_with_cut_outputs(const Graph& model, const std::vector<ValueId>& cuts) {
  if (cuts.empty()) throw make_error("teacher_activations: no cuts given for model '", model.name, "'");
  for (ValueId cut : cuts) {
    if (cut < 0 || static_cast<size_t>(cut) >= model.value_count()) {
      throw make_error("teacher_activations: cut ", cut, " is not a value of model '", model.name, "'");
    }
    if (model.is_constant(cut)) {
      throw make_error("teacher_activations: cut '", model.value(cut).name, "' of model '", model.name,
                       "' is a constant, not an activation");
    }
  }
  if (model.inputs.size() != 1) {
    throw make_error("teacher_activations: model '", model.name, "' has ", model.inputs.size(),
                     " runtime inputs; only models with one input (the batch) are supported");
  }
  Graph graph = model.clone();
  graph.outputs = cuts;
  graph.prune();
  return graph;
}

void check_batch(const Tensor& batch, int64_t expected, int64_t begin) {
  if (batch.dtype() != DataType::kFloat32 || batch.rank() < 1 || batch.shape()[0] != expected) {
    throw make_error("teacher_activations: the input batch for examples from ", begin,
                     " must be float32 with ", expected, " examples, got ", to_string(batch.dtype()), " ",
                     to_string(batch.shape()));
  }
}

// Allocates [example_count, ...] per cut from the first batch's outputs, checking the memory limit.
std::vector<Tensor> allocate_results(const std::vector<Tensor>& first_outputs, int64_t example_count,
                                     const ActivationOptions& options) {
  int64_t total_bytes = 0;
  for (const Tensor& output : first_outputs) {
    total_bytes += example_count * per_example_elements(output.shape()) * 4;
  }
  if (options.max_bytes > 0 && total_bytes > options.max_bytes) {
    throw make_error("teacher_activations: the activations of ", example_count, " examples would take ",
                     total_bytes / (1 << 20), " MiB, above the limit of ", options.max_bytes / (1 << 20),
                     " MiB; use fewer examples or raise the limit");
  }
  std::vector<Tensor> results;
  for (const Tensor& output : first_outputs) {
    Shape shape = output.shape();
    shape[0] = example_count;
    results.emplace_back(DataType::kFloat32, shape);
  }
  return results;
}

void copy_rows(const Tensor& batch_output, Tensor& result, int64_t begin) {
  if (batch_output.dtype() != DataType::kFloat32) {
    throw make_error("teacher_activations: a cut is ", to_string(batch_output.dtype()),
                     "; only float32 activations are collected");
  }
  const int64_t row_bytes = per_example_elements(result.shape()) * 4;
  if (per_example_elements(batch_output.shape()) * 4 != row_bytes) {
    throw make_error("teacher_activations: a cut changed shape between batches, from ",
                     to_string(result.shape()), " to ", to_string(batch_output.shape()));
  }
  std::memcpy(result.mutable_raw() + begin * row_bytes, batch_output.raw(),
              static_cast<size_t>(batch_output.shape()[0] * row_bytes));
}

}  // namespace

std::vector<Tensor> teacher_activations(const Graph& model, const std::vector<ValueId>& cuts,
                                        int64_t example_count, const InputBatches& batches,
                                        const ActivationOptions& options) {
  if (example_count <= 0) throw make_error("teacher_activations: no examples given");
  const int64_t batch_size = std::max<int64_t>(1, options.batch_size);
  set_compute_threads(options.threads);
  InferenceSession session(graph_with_cut_outputs(model, cuts));
  std::vector<Tensor> results;
  for (int64_t begin = 0; begin < example_count; begin += batch_size) {
    const int64_t end = std::min(example_count, begin + batch_size);
    Tensor batch = batches(begin, end);
    check_batch(batch, end - begin, begin);
    std::vector<Tensor> outputs = session.run({batch});
    if (results.empty()) results = allocate_results(outputs, example_count, options);
    for (size_t k = 0; k < outputs.size(); ++k) copy_rows(outputs[k], results[k], begin);
    if (options.progress) options.progress(end, example_count);
  }
  return results;
}

std::vector<Tensor> teacher_activations(const Graph& model, const std::vector<ValueId>& cuts,
                                        const Tensor& inputs, const ActivationOptions& options) {
  if (inputs.dtype() != DataType::kFloat32 || inputs.rank() < 1) {
    throw make_error("teacher_activations: inputs must be float32 [N, ...], got ", to_string(inputs.dtype()),
                     " ", to_string(inputs.shape()));
  }
  const Shape& shape = inputs.shape();
  const int64_t row_bytes = per_example_elements(shape) * 4;
  auto slice = [&](int64_t begin, int64_t end) {
    Shape batch_shape = shape;
    batch_shape[0] = end - begin;
    std::vector<std::byte> bytes(inputs.raw() + begin * row_bytes, inputs.raw() + end * row_bytes);
    return Tensor(DataType::kFloat32, batch_shape, std::move(bytes));
  };
  return teacher_activations(model, cuts, shape[0], slice, options);
}

int64_t activation_bytes(const Graph& model, const std::vector<ValueId>& cuts, int64_t example_count) {
  int64_t total = 0;
  for (ValueId cut : cuts) {
    const auto& shape = model.value(cut).shape;
    if (!shape || shape->empty()) return -1;
    const Shape per_example(shape->begin() + 1, shape->end());
    if (!is_static(per_example)) return -1;
    total += example_count * element_count(per_example) *
             static_cast<int64_t>(element_size(model.value(cut).dtype));
  }
  return total;
}

}  // namespace nacre
