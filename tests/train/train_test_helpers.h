// Shared pieces of the training tests: tiny_cnn with a dynamic batch, a block cut out of it, perturbed
// weights, a Fashion-MNIST subset as model inputs, and agreement between two classifiers.
#pragma once

#include <random>
#include <string>
#include <vector>

#include "exec/inference_session.h"
#include "io/data/dataset.h"
#include "io/data/preprocess.h"
#include "io/onnx/load_model.h"
#include "ir/graph.h"
#include "test_paths.h"

namespace nacre::testing {

inline Graph tiny_cnn() { return load_model(fixture("tiny_cnn.onnx"), ImportOptions{Shape{-1, 1, 28, 28}}); }

// The subgraph of `graph` from value `input_name` to value `output_name`, as a graph of its own.
inline Graph cut_block(const Graph& graph, const std::string& input_name, const std::string& output_name) {
  Graph block = graph.clone();
  const ValueId old_input = block.find_value(input_name), output = block.find_value(output_name);
  const Value& source = block.value(old_input);
  const ValueId input = block.add_input("block_input", source.dtype, *source.shape);
  block.replace_all_uses(old_input, input);
  block.inputs = {input};
  block.outputs = {output};
  block.prune();
  block.name = "block";
  return block;
}

// Adds Gaussian noise of `relative` x each weight's standard deviation to every float initializer of rank
// >= 2.
inline Graph perturbed(const Graph& graph, double relative, unsigned seed = 7) {
  Graph result = graph.clone();
  std::mt19937 random(seed);
  for (ValueId id = 0; id < static_cast<ValueId>(result.value_count()); ++id) {
    Value& value = result.value(id);
    if (!value.initializer || value.initializer->dtype() != DataType::kFloat32 ||
        value.initializer->rank() < 2)
      continue;
    std::vector<float> weights = value.initializer->to_vector<float>();
    double sum = 0, square_sum = 0;
    for (float w : weights) sum += w, square_sum += static_cast<double>(w) * w;
    const double mean = sum / weights.size();
    const double std_dev = std::sqrt(std::max(1e-12, square_sum / weights.size() - mean * mean));
    std::normal_distribution<double> noise(0.0, relative * std_dev);
    for (float& w : weights) w += static_cast<float>(noise(random));
    value.initializer = Tensor::from_vector<float>(value.initializer->shape(), weights);
  }
  return result;
}

struct ModelInputs {
  Tensor images;  // float32 [N, 1, 28, 28]
  std::vector<int64_t> labels;
};

inline ModelInputs fashion_mnist_inputs(Split split, int64_t count) {
  DatasetOptions options;
  options.split = split;
  options.limit = count;
  LabeledImages data = load_dataset(fashion_mnist_dir(), options);
  Preprocessing preprocessing;
  preprocessing.mean = {0.286f};
  preprocessing.std = {0.353f};
  preprocessing.channels = 1;
  preprocessing.height = preprocessing.width = 28;
  return {preprocess_batch(data, 0, data.size(), preprocessing), data.labels};
}

inline std::vector<int64_t> argmax_rows(const Tensor& logits) {
  const int64_t rows = logits.shape()[0], columns = logits.shape()[1];
  const float* data = logits.data<float>();
  std::vector<int64_t> result;
  for (int64_t r = 0; r < rows; ++r) {
    const float* row = data + r * columns;
    result.push_back(std::max_element(row, row + columns) - row);
  }
  return result;
}

// The fraction of examples on which both classifiers pick the same class.
inline double agreement(const Graph& a, const Graph& b, const Tensor& inputs) {
  std::vector<int64_t> first = argmax_rows(InferenceSession(a).run({inputs})[0]);
  std::vector<int64_t> second = argmax_rows(InferenceSession(b).run({inputs})[0]);
  int64_t same = 0;
  for (size_t i = 0; i < first.size(); ++i) same += first[i] == second[i];
  return static_cast<double>(same) / first.size();
}

inline int count_ops(const Graph& graph, const std::string& op_type) {
  int count = 0;
  for (const Node& node : graph.nodes()) count += node.op_type == op_type;
  return count;
}

inline bool all_finite(const Tensor& tensor) {
  for (float value : tensor.to_vector<float>()) {
    if (!std::isfinite(value)) return false;
  }
  return true;
}

}  // namespace nacre::testing
