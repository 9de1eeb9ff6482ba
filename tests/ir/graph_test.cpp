#include "ir/graph.h"

#include <gtest/gtest.h>

namespace nacre {
namespace {

Graph make_conv_relu_graph() {
  Graph graph;
  ValueId input = graph.add_input("x", DataType::kFloat32, {1, 2, 4, 4});
  ValueId weight = graph.add_initializer("w", Tensor(DataType::kFloat32, {3, 2, 3, 3}));
  NodeId conv =
      graph.add_node("Conv", "conv", {input, weight}, 1, {{"pads", std::vector<int64_t>{1, 1, 1, 1}}});
  NodeId relu = graph.add_node("Relu", "relu", {graph.node(conv).outputs[0]});
  graph.outputs = {graph.node(relu).outputs[0]};
  return graph;
}

TEST(Graph, TracksProducersAndConsumers) {
  Graph graph = make_conv_relu_graph();
  ValueId conv_out = graph.node(0).outputs[0];
  EXPECT_EQ(graph.value(conv_out).producer, 0);
  EXPECT_EQ(graph.consumers(conv_out), std::vector<NodeId>{1});
  EXPECT_EQ(graph.node(0).get_ints("pads"), (std::vector<int64_t>{1, 1, 1, 1}));
  EXPECT_EQ(graph.node(0).get_int("group", 1), 1);
}

TEST(Graph, CloneSharesWeightsUntilWritten) {
  Graph graph = make_conv_relu_graph();
  Graph copy = graph.clone();
  ValueId weight = graph.find_value("w");
  EXPECT_TRUE(copy.constant(weight).shares_bytes_with(graph.constant(weight)));
  copy.value(weight).initializer->mutable_data<float>()[0] = 1.0f;
  EXPECT_FALSE(copy.constant(weight).shares_bytes_with(graph.constant(weight)));
  EXPECT_EQ(graph.constant(weight).data<float>()[0], 0.0f);
}

TEST(Graph, PruneDropsDeadNodesAndRenumbers) {
  Graph graph = make_conv_relu_graph();
  graph.outputs = {graph.node(0).outputs[0]};  // relu no longer needed
  graph.prune();
  EXPECT_EQ(graph.node_count(), 1u);
  EXPECT_EQ(graph.node(0).op_type, "Conv");
  EXPECT_EQ(graph.find_value("relu_out"), kNoValue);
  EXPECT_EQ(graph.value(graph.outputs[0]).producer, 0);
}

TEST(Graph, TopologicalSortOrdersProducersFirst) {
  Graph graph;
  ValueId input = graph.add_input("x", DataType::kFloat32, {1});
  Value late;
  late.name = "mid";
  ValueId mid = graph.add_value(late);
  Value out_value;
  out_value.name = "out";
  ValueId out = graph.add_value(out_value);
  Node second;
  second.op_type = "Relu";
  second.name = "second";
  second.inputs = {mid};
  second.outputs = {out};
  graph.add_node(second);
  Node first;
  first.op_type = "Relu";
  first.name = "first";
  first.inputs = {input};
  first.outputs = {mid};
  graph.add_node(first);
  graph.outputs = {out};
  graph.topological_sort();
  EXPECT_EQ(graph.node(0).name, "first");
  EXPECT_EQ(graph.value(out).producer, 1);
}

TEST(Graph, RejectsDuplicateNames) {
  Graph graph;
  graph.add_input("x", DataType::kFloat32, {1});
  EXPECT_THROW(graph.add_input("x", DataType::kFloat32, {1}), Error);
}

}  // namespace
}  // namespace nacre
