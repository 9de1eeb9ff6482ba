// insert_qdq on torchvision's resnet18 (the generated fixture, BatchNorm folded): which tensors are
// quantized, int8 weights, outputs within quantization error of the float model, ONNX round trip, errors.
#include "passes/insert_qdq.h"

#include <gtest/gtest.h>

#include <cmath>

#include "exec/graph_test_helpers.h"
#include "exec/inference_session.h"
#include "io/onnx/load_model.h"
#include "io/onnx/onnx_export.h"
#include "passes/fold_batchnorm.h"
#include "test_paths.h"
#include "util/error.h"

namespace nacre {
namespace {

using testing::count_ops;

Tensor random_input(const Graph& graph, uint64_t seed) {
  torch::manual_seed(seed);
  const Shape& shape = *graph.value(graph.inputs[0]).shape;
  return from_torch(torch::randn(shape, torch::kFloat));
}

Graph folded_resnet18() {
  Graph graph = load_model(testing::fixture("resnet18.onnx"));
  fold_batchnorm(graph);
  return graph;
}

// [min, max] of each listed value on a few random inputs, as the calibration measures them.
std::map<std::string, ActivationRange> ranges_on_random_inputs(const Graph& graph,
                                                               const std::vector<ValueId>& values) {
  Graph probe = graph.clone();
  probe.outputs.clear();
  for (ValueId value : values)
    if (value != graph.inputs[0]) probe.outputs.push_back(value);
  InferenceSession session(probe);
  std::map<std::string, ActivationRange> ranges;
  for (ValueId value : values) ranges[graph.value(value).name] = {1e30, -1e30};
  for (uint64_t seed = 1; seed <= 4; ++seed) {
    Tensor input = random_input(graph, seed);
    std::vector<Tensor> outputs = session.run({input});
    size_t next = 0;
    for (ValueId value : values) {
      const Tensor& tensor = value == graph.inputs[0] ? input : outputs[next++];
      ActivationRange& range = ranges[graph.value(value).name];
      for (double x : tensor.as_doubles()) {
        range.min = std::min(range.min, x);
        range.max = std::max(range.max, x);
      }
    }
  }
  return ranges;
}

double relative_error(const Tensor& got, const Tensor& want) {
  std::vector<double> a = got.as_doubles(), b = want.as_doubles();
  double difference = 0, norm = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    difference += (a[i] - b[i]) * (a[i] - b[i]);
    norm += b[i] * b[i];
  }
  return std::sqrt(difference / norm);
}

TEST(InsertQdq, QuantizesEveryConvAndGemmAndStaysCloseToTheFloatModel) {
  Graph graph = folded_resnet18();
  Graph float_model = graph.clone();
  std::vector<ValueId> activations = activations_to_quantize(graph);
  ASSERT_FALSE(activations.empty());
  EXPECT_EQ(activations.front(), graph.inputs[0]);  // the first Conv's input is the image
  int convs = count_ops(graph, "Conv"), gemms = count_ops(graph, "Gemm");
  QdqSummary summary = insert_qdq(graph, ranges_on_random_inputs(graph, activations));

  EXPECT_EQ(summary.weighted_nodes, convs + gemms);
  EXPECT_EQ(summary.activations, static_cast<int>(activations.size()));
  EXPECT_EQ(count_ops(graph, "QuantizeLinear"), summary.activations);
  for (const Node& node : graph.nodes()) {
    if (node.op_type != "Conv" && node.op_type != "Gemm") continue;
    for (size_t i = 0; i < node.input_count(); ++i) {
      const Node& producer = graph.node(graph.value(node.inputs[i]).producer);
      ASSERT_EQ(producer.op_type, "DequantizeLinear") << node.name << " input " << i;
      DataType stored = graph.value(producer.inputs[0]).dtype;
      EXPECT_EQ(stored, i == 0 ? DataType::kUInt8 : i == 1 ? DataType::kInt8 : DataType::kInt32) << node.name;
    }
  }
  // A residual Add followed by a Relu is quantized after the Relu, where the runtime can drop the Relu.
  for (const Node& node : graph.nodes()) {
    if (node.op_type != "Add") continue;
    for (NodeId consumer : graph.consumers(node.outputs[0]))
      EXPECT_NE(graph.node(consumer).op_type, "QuantizeLinear") << node.name;
  }

  Tensor input = random_input(graph, 11);
  Tensor want = InferenceSession(float_model).run({input})[0];
  Tensor got = InferenceSession(graph).run({input})[0];
  double error = relative_error(got, want);
  EXPECT_LT(error, 0.1);   // 8-bit steps through 21 layers
  EXPECT_GT(error, 1e-6);  // but quantization did change something

  std::string path = testing::scratch_dir("InsertQdq") + "/resnet18_int8.onnx";
  export_onnx(graph, path);
  Graph reloaded = load_model(path);  // as nacre evaluate and nacre latency read it
  EXPECT_EQ(count_ops(reloaded, "DequantizeLinear"), count_ops(graph, "DequantizeLinear"));
  Tensor again = InferenceSession(reloaded).run({input})[0];
  EXPECT_EQ(again.as_doubles(), got.as_doubles());
}

TEST(InsertQdq, ReducedRangeWeightsStayWithin63Steps) {
  Graph graph = folded_resnet18();
  QdqOptions options;
  options.reduce_range = true;
  insert_qdq(graph, ranges_on_random_inputs(graph, activations_to_quantize(graph)), options);
  for (size_t v = 0; v < graph.value_count(); ++v) {
    const Value& value = graph.value(static_cast<ValueId>(v));
    if (!value.initializer || value.initializer->dtype() != DataType::kInt8) continue;
    for (int64_t q : value.initializer->as_int64s()) EXPECT_LE(std::abs(q), 63) << value.name;
  }
}

TEST(InsertQdq, AMissingRangeIsNamedAndAQuantizedModelIsNotQuantizedAgain) {
  Graph graph = folded_resnet18();
  std::vector<ValueId> activations = activations_to_quantize(graph);
  std::map<std::string, ActivationRange> ranges = ranges_on_random_inputs(graph, activations);
  std::string last = graph.value(activations.back()).name;
  std::map<std::string, ActivationRange> incomplete = ranges;
  incomplete.erase(last);
  Graph copy = graph.clone();
  try {
    insert_qdq(copy, incomplete);
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("'" + last + "'"), std::string::npos) << error.what();
  }
  insert_qdq(graph, ranges);
  EXPECT_TRUE(is_quantized(graph));
  EXPECT_THROW(insert_qdq(graph, ranges), Error);
}

}  // namespace
}  // namespace nacre
