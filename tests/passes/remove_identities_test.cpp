#include "passes/remove_identities.h"

#include <gtest/gtest.h>

#include "ir/verify.h"

namespace nacre {
namespace {

ValueId output_of(const Graph& graph, NodeId node, size_t index = 0) {
  return graph.node(node).outputs[index];
}

TEST(RemoveIdentities, RewiresConsumersPastIdentityAndDropout) {
  Graph graph;
  ValueId x = graph.add_input("x", DataType::kFloat32, {1, 4});
  NodeId relu = graph.add_node("Relu", "relu", {x});
  NodeId identity = graph.add_node("Identity", "identity", {output_of(graph, relu)});
  NodeId dropout = graph.add_node("Dropout", "dropout", {output_of(graph, identity)}, 1);
  NodeId sigmoid = graph.add_node("Sigmoid", "sigmoid", {output_of(graph, dropout)});
  graph.outputs = {output_of(graph, sigmoid)};
  EXPECT_EQ(remove_identities(graph), 2);
  graph.prune();
  ASSERT_EQ(graph.node_count(), 2u);
  EXPECT_EQ(graph.node(1).op_type, "Sigmoid");
  EXPECT_EQ(graph.node(1).inputs[0], output_of(graph, 0));
  EXPECT_TRUE(find_problems(graph).empty());
}

TEST(RemoveIdentities, KeepsTheModelOutputName) {
  Graph graph;
  ValueId x = graph.add_input("x", DataType::kFloat32, {1, 4});
  NodeId relu = graph.add_node("Relu", "relu", {x});
  NodeId identity = graph.add_node("Identity", "identity", {output_of(graph, relu)});
  graph.value(output_of(graph, identity)).name = "logits";
  NodeId tanh = graph.add_node("Tanh", "tanh", {output_of(graph, relu)});  // another reader of relu's output
  graph.outputs = {output_of(graph, identity), output_of(graph, tanh)};
  EXPECT_EQ(remove_identities(graph), 1);
  graph.prune();
  ASSERT_EQ(graph.node_count(), 2u);
  EXPECT_EQ(graph.value(graph.outputs[0]).name, "logits");
  EXPECT_EQ(graph.value(graph.outputs[0]).producer, graph.find_node("relu"));
  EXPECT_EQ(graph.node(graph.find_node("tanh")).inputs[0], graph.find_value("logits"));
  EXPECT_TRUE(find_problems(graph).empty());
}

TEST(RemoveIdentities, KeepsIdentitiesThatCarryAnOutputName) {
  Graph graph;
  ValueId x = graph.add_input("x", DataType::kFloat32, {1, 4});
  NodeId passthrough = graph.add_node("Identity", "passthrough", {x});  // input straight to output
  NodeId relu = graph.add_node("Relu", "relu", {x});
  NodeId copy = graph.add_node("Identity", "copy", {output_of(graph, relu)});  // relu_out is an output too
  graph.outputs = {output_of(graph, passthrough), output_of(graph, relu), output_of(graph, copy)};
  EXPECT_EQ(remove_identities(graph), 0);
  EXPECT_EQ(graph.node_count(), 3u);
}

TEST(RemoveIdentities, KeepsDropoutInTrainingModeOrWithAUsedMask) {
  Graph graph;
  ValueId x = graph.add_input("x", DataType::kFloat32, {1, 4});
  ValueId ratio = graph.add_initializer("ratio", Tensor::scalar<float>(0.5f));
  ValueId training = graph.add_initializer("training", Tensor::scalar<bool>(true));
  NodeId trained = graph.add_node("Dropout", "trained", {x, ratio, training});
  NodeId masked = graph.add_node("Dropout", "masked", {output_of(graph, trained)}, 2);
  graph.outputs = {output_of(graph, masked), output_of(graph, masked, 1)};
  EXPECT_EQ(remove_identities(graph), 0);
  EXPECT_EQ(graph.node_count(), 2u);
}

}  // namespace
}  // namespace nacre
