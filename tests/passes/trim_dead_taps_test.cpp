// trim_dead_taps: taps that only read padding are removed, outputs stay the same, live taps are untouched.
#include "passes/trim_dead_taps.h"

#include <gtest/gtest.h>

#include "exec/graph_test_helpers.h"
#include "io/data/npy.h"
#include "io/onnx/load_model.h"
#include "ir/shape_inference.h"
#include "test_paths.h"

namespace nacre {
namespace {

using testing::fixture;
using testing::random_weights;
using testing::run_graph;

// x [1, 4, size, size] -> Conv(kernel 3, stride, pads 1) -> y
Graph single_conv(int64_t size, int64_t stride, int64_t dilation = 1) {
  Graph graph;
  ValueId x = graph.add_input("x", DataType::kFloat32, {1, 4, size, size});
  ValueId weight = graph.add_initializer("w", random_weights({6, 4, 3, 3}));
  ValueId bias = graph.add_initializer("b", random_weights({6}));
  NodeId conv = graph.add_node("Conv", "conv", {x, weight, bias}, 1,
                               {{"pads", std::vector<int64_t>{dilation, dilation, dilation, dilation}},
                                {"strides", std::vector<int64_t>{stride, stride}},
                                {"dilations", std::vector<int64_t>{dilation, dilation}},
                                {"kernel_shape", std::vector<int64_t>{3, 3}}});
  graph.outputs = {graph.node(conv).outputs[0]};
  infer_shapes(graph);
  return graph;
}

void expect_same_outputs(const Graph& before, const Graph& after, const torch::Tensor& input) {
  torch::Tensor expected = run_graph(before, {input});
  torch::Tensor actual = run_graph(after, {input});
  ASSERT_EQ(actual.sizes(), expected.sizes());
  EXPECT_LE((actual - expected).abs().max().item<double>(),
            1e-5 * std::max(1.0, expected.abs().max().item<double>()));
}

Shape weight_shape(const Graph& graph, const std::string& conv_name) {
  const Node& conv = graph.node(graph.find_node(conv_name));
  return graph.constant(conv.inputs[1]).shape();
}

// Trims `original`'s one Conv, expects a kernel of `kernel` taps and the same outputs; returns the result.
Graph expect_trimmed(const Graph& original, int64_t kernel) {
  Graph trimmed = original.clone();
  EXPECT_EQ(trim_dead_taps(trimmed), 1);
  EXPECT_EQ(weight_shape(trimmed, "conv"), (Shape{6, 4, kernel, kernel}));
  Shape input = *original.value(original.inputs[0]).shape;
  expect_same_outputs(original, trimmed, torch::randn(input));
  return trimmed;
}

TEST(TrimDeadTaps, KeepsOnlyTheCentreTapOnAOneByOneMap) {
  torch::manual_seed(3);
  Graph trimmed = expect_trimmed(single_conv(1, 1), 1);
  EXPECT_EQ(trimmed.node(0).get_ints("pads"), (std::vector<int64_t>{0, 0, 0, 0}));
  EXPECT_EQ(trimmed.node(0).get_ints("kernel_shape"), (std::vector<int64_t>{1, 1}));
}

TEST(TrimDeadTaps, KeepsTheTapsAStridedConvolutionReachesOnATwoByTwoMap) {
  torch::manual_seed(4);
  expect_trimmed(single_conv(2, 2), 2);  // one output position reading input rows -1..1
}

TEST(TrimDeadTaps, HandlesDilation) {
  torch::manual_seed(5);
  expect_trimmed(single_conv(2, 1, 2), 1);  // taps at offsets -2, 0, 2 of a 2-wide map: only the centre reads
}

TEST(TrimDeadTaps, LeavesConvolutionsWhoseTapsAllReadData) {
  torch::manual_seed(6);
  for (int64_t size : {2, 3, 8}) {
    Graph graph = single_conv(size, 1);
    EXPECT_EQ(trim_dead_taps(graph), 0) << "size " << size;
    EXPECT_EQ(weight_shape(graph, "conv"), (Shape{6, 4, 3, 3}));
  }
}

TEST(TrimDeadTaps, LeavesASharedWeightAlone) {
  Graph graph = single_conv(1, 1);
  ValueId y = graph.outputs[0];
  NodeId second = graph.add_node("Conv", "conv_again", {y, graph.node(0).inputs[1]}, 1,
                                 {{"pads", std::vector<int64_t>{1, 1, 1, 1}}});
  graph.node(0).inputs[1] = graph.node(second).inputs[1];
  graph.outputs = {graph.node(second).outputs[0]};
  EXPECT_EQ(trim_dead_taps(graph), 0);
}

TEST(TrimDeadTaps, ShrinksResNet18OnSmallImagesWithTheSameOutputs) {
  Graph original = load_model(fixture("resnet18.onnx"));  // 32x32 inputs: layer4 runs at 1x1
  Graph trimmed = original.clone();
  EXPECT_EQ(trim_dead_taps(trimmed), 4);  // layer4.0.conv1 (2x2 kept), layer4.0.conv2, layer4.1.conv1/2
  int64_t before = 0, after = 0;
  for (ValueId id = 0; id < static_cast<ValueId>(original.value_count()); ++id)
    if (original.is_constant(id)) before += original.constant(id).numel();
  for (ValueId id = 0; id < static_cast<ValueId>(trimmed.value_count()); ++id)
    if (trimmed.is_constant(id)) after += trimmed.constant(id).numel();
  EXPECT_LT(after, before * 0.45);
  Tensor input = read_npy(fixture("resnet18.input.npy"));
  expect_same_outputs(original, trimmed, to_torch(input));
}

}  // namespace
}  // namespace nacre
