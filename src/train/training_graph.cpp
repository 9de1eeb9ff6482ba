#include "train/training_graph.h"

#include <cmath>
#include <vector>

#include "exec/inference_session.h"
#include "passes/fold_batchnorm.h"
#include "passes/unfold_batchnorm.h"

namespace nacre {

namespace {

struct ChannelStatistics {
  std::vector<double> mean, variance;
};

// Per-channel (dimension 1) mean and variance of a float32 [N, C, ...] tensor.
ChannelStatistics channel_statistics(const Tensor& values) {
  const Shape& shape = values.shape();
  const int64_t batch = shape.at(0), channels = shape.at(1);
  const int64_t inner = values.numel() / (batch * channels);
  ChannelStatistics statistics{std::vector<double>(channels, 0.0), std::vector<double>(channels, 0.0)};
  const float* data = values.data<float>();
  for (int64_t c = 0; c < channels; ++c) {
    double sum = 0, square_sum = 0;
    for (int64_t n = 0; n < batch; ++n) {
      const float* row = data + (n * channels + c) * inner;
      for (int64_t i = 0; i < inner; ++i) {
        sum += row[i];
        square_sum += static_cast<double>(row[i]) * row[i];
      }
    }
    const double count = static_cast<double>(batch * inner);
    statistics.mean[c] = sum / count;
    statistics.variance[c] = std::max(0.0, square_sum / count - statistics.mean[c] * statistics.mean[c]);
  }
  return statistics;
}

void set_parameter(Graph& graph, ValueId id, const std::vector<double>& values) {
  Value& value = graph.value(id);
  const int64_t count = static_cast<int64_t>(values.size());
  if (value.dtype == DataType::kFloat64) {
    value.initializer = Tensor::from_vector<double>({count}, values);
  } else {
    value.initializer = Tensor::from_vector<float>({count}, std::vector<float>(values.begin(), values.end()));
  }
}

// Sets each inserted BatchNormalization to its input's statistics, making it the identity in inference.
void calibrate(Graph& graph, const std::vector<NodeId>& batchnorms, const Tensor& calibration_inputs) {
  Graph probe = graph.clone();
  probe.outputs.clear();
  for (NodeId id : batchnorms) probe.outputs.push_back(graph.node(id).inputs[0]);
  probe.prune();
  std::vector<Tensor> conv_outputs = InferenceSession(probe).run({calibration_inputs});
  for (size_t k = 0; k < batchnorms.size(); ++k) {
    if (conv_outputs[k].dtype() != DataType::kFloat32 || conv_outputs[k].rank() < 2) continue;
    const Node& node = graph.node(batchnorms[k]);
    const double epsilon = node.get_float("epsilon", 1e-5);
    ChannelStatistics statistics = channel_statistics(conv_outputs[k]);
    std::vector<double> scale;
    for (double variance : statistics.variance) scale.push_back(std::sqrt(variance + epsilon));
    set_parameter(graph, node.inputs[1], scale);
    set_parameter(graph, node.inputs[2], statistics.mean);
    set_parameter(graph, node.inputs[3], statistics.mean);
    set_parameter(graph, node.inputs[4], statistics.variance);
  }
}

}  // namespace

Graph add_training_batchnorm(const Graph& graph, const Tensor& calibration_inputs,
                             std::set<std::string>* inserted) {
  Graph result = graph.clone();
  std::set<std::string> existing;
  for (const Node& node : result.nodes()) {
    if (node.op_type == "BatchNormalization") existing.insert(node.name);
  }
  if (unfold_batchnorm(result) == 0) return result;
  std::vector<NodeId> new_batchnorms;
  for (NodeId id = 0; id < static_cast<NodeId>(result.node_count()); ++id) {
    const Node& node = result.node(id);
    if (node.op_type != "BatchNormalization" || existing.count(node.name)) continue;
    new_batchnorms.push_back(id);
    if (inserted) inserted->insert(node.name);
  }
  if (!calibration_inputs.empty() && result.inputs.size() == 1) {
    calibrate(result, new_batchnorms, calibration_inputs);
  }
  return result;
}

Graph fold_training_batchnorm(Graph graph) {
  fold_batchnorm(graph);
  return graph;
}

}  // namespace nacre
