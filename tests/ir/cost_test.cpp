#include "ir/cost.h"

#include <gtest/gtest.h>

#include "ir/shape_inference.h"

namespace nacre {
namespace {

TEST(Cost, ConvMacsAreOutputElementsTimesInputChannelsTimesKernel) {
  Graph graph;
  ValueId x = graph.add_input("x", DataType::kFloat32, {1, 3, 32, 32});
  ValueId w = graph.add_initializer("w", Tensor(DataType::kFloat32, {16, 3, 3, 3}));
  ValueId b = graph.add_initializer("b", Tensor(DataType::kFloat32, {16}));
  NodeId conv = graph.add_node("Conv", "conv", {x, w, b}, 1, {{"pads", std::vector<int64_t>{1, 1, 1, 1}}});
  NodeId relu = graph.add_node("Relu", "relu", {graph.node(conv).outputs[0]});
  graph.outputs = {graph.node(relu).outputs[0]};
  infer_shapes(graph);
  EXPECT_EQ(node_macs(graph, conv), 16 * 32 * 32 * 3 * 9);
  EXPECT_EQ(node_macs(graph, relu), 0);
  EXPECT_EQ(total_macs(graph), 16 * 32 * 32 * 3 * 9);
  EXPECT_EQ(parameter_count(graph), 16 * 3 * 3 * 3 + 16);
}

TEST(Cost, GroupedConvCountsInputChannelsPerGroup) {
  Graph graph;
  ValueId x = graph.add_input("x", DataType::kFloat32, {2, 8, 10, 10});
  ValueId w = graph.add_initializer("w", Tensor(DataType::kFloat32, {8, 1, 3, 3}));
  NodeId conv = graph.add_node("Conv", "dw", {x, w}, 1, {{"group", int64_t{8}}});
  infer_shapes(graph);
  EXPECT_EQ(node_macs(graph, conv), 2 * 8 * 8 * 8 * 9);
}

TEST(Cost, GemmAndMatMul) {
  Graph graph;
  ValueId x = graph.add_input("x", DataType::kFloat32, {4, 512});
  ValueId w = graph.add_initializer("w", Tensor(DataType::kFloat32, {10, 512}));
  NodeId gemm = graph.add_node("Gemm", "fc", {x, w}, 1, {{"transB", int64_t{1}}});
  ValueId y = graph.add_input("y", DataType::kFloat32, {2, 6, 5});
  ValueId m = graph.add_initializer("m", Tensor(DataType::kFloat32, {5, 7}));
  NodeId matmul = graph.add_node("MatMul", "mm", {y, m});
  infer_shapes(graph);
  EXPECT_EQ(node_macs(graph, gemm), 4 * 10 * 512);
  EXPECT_EQ(node_macs(graph, matmul), 2 * 6 * 7 * 5);
}

TEST(Cost, UnknownDimensionsCountAsOneAndIntegerConstantsAreNotParameters) {
  Graph graph;
  ValueId x = graph.add_input("x", DataType::kFloat32, {-1, 3, 8, 8});
  ValueId w = graph.add_initializer("w", Tensor(DataType::kFloat32, {4, 3, 1, 1}));
  NodeId conv = graph.add_node("Conv", "conv", {x, w});
  graph.add_initializer("shape", Tensor::from_vector<int64_t>({2}, {1, -1}));
  infer_shapes(graph);
  EXPECT_EQ(node_macs(graph, conv), 4 * 8 * 8 * 3);
  EXPECT_EQ(parameter_count(graph), 12);
}

}  // namespace
}  // namespace nacre
