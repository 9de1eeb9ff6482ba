#include "passes/fold_constants.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "exec/inference_session.h"
#include "io/data/npy.h"
#include "io/onnx/onnx_import.h"
#include "ir/shape_inference.h"
#include "ir/verify.h"
#include "test_paths.h"

namespace nacre {
namespace {

using Ints = std::vector<int64_t>;

ValueId ints(Graph& graph, const std::string& name, const Ints& values) {
  return graph.add_initializer(name,
                               Tensor::from_vector<int64_t>({static_cast<int64_t>(values.size())}, values));
}

ValueId output_of(const Graph& graph, NodeId node) { return graph.node(node).outputs[0]; }

// x -> Shape -> Gather(0) -> Unsqueeze -> Concat([-1]) -> Reshape(x, ...): a flatten that keeps the batch,
// as PyTorch exports `x.view(x.size(0), -1)`.
Graph make_shape_chain(Shape input_shape) {
  Graph graph;
  ValueId x = graph.add_input("x", DataType::kFloat32, std::move(input_shape));
  NodeId shape = graph.add_node("Shape", "shape", {x});
  ValueId zero = graph.add_initializer("zero", Tensor::scalar<int64_t>(0));
  NodeId batch =
      graph.add_node("Gather", "batch", {output_of(graph, shape), zero}, 1, {{"axis", int64_t{0}}});
  NodeId unsqueeze =
      graph.add_node("Unsqueeze", "unsqueeze", {output_of(graph, batch), ints(graph, "axes", {0})});
  NodeId concat = graph.add_node("Concat", "concat", {output_of(graph, unsqueeze), ints(graph, "rest", {-1})},
                                 1, {{"axis", int64_t{0}}});
  NodeId reshape = graph.add_node("Reshape", "flatten", {x, output_of(graph, concat)});
  graph.outputs = {output_of(graph, reshape)};
  return graph;
}

TEST(FoldConstants, FoldsAStaticShapeChainIntoOneReshape) {
  Graph graph = make_shape_chain({2, 4, 8, 8});
  ASSERT_EQ(graph.node_count(), 5u);
  infer_shapes(graph);
  EXPECT_EQ(fold_constants(graph), 4);
  graph.prune();
  ASSERT_EQ(graph.node_count(), 1u);
  const Node& reshape = graph.node(0);
  EXPECT_EQ(reshape.op_type, "Reshape");
  ASSERT_TRUE(graph.is_constant(reshape.inputs[1]));
  EXPECT_EQ(graph.constant(reshape.inputs[1]).to_vector<int64_t>(), (Ints{2, -1}));
  EXPECT_EQ(*graph.value(graph.outputs[0]).shape, (Shape{2, 256}));
  EXPECT_TRUE(find_problems(graph).empty());
}

TEST(FoldConstants, LeavesTheChainAloneWithADynamicBatch) {
  Graph graph = make_shape_chain({-1, 4, 8, 8});
  infer_shapes(graph);
  EXPECT_EQ(fold_constants(graph), 0);
  graph.prune();
  EXPECT_EQ(graph.node_count(), 5u);
  // The target [batch, -1] has an unknown first element, so the size the -1 stands for is unknown too.
  EXPECT_EQ(*graph.value(graph.outputs[0]).shape, (Shape{-1, -1}));
}

TEST(FoldConstants, FoldsShapesThatFoldingItselfMadeStatic) {
  // The second Shape reads the first Reshape's output, whose shape is known only once its target is folded.
  Graph graph = make_shape_chain({2, 4, 8, 8});
  NodeId shape_again = graph.add_node("Shape", "shape_again", {graph.outputs[0]});
  NodeId cast = graph.add_node("Cast", "as_float", {output_of(graph, shape_again)}, 1, {{"to", int64_t{1}}});
  graph.outputs.push_back(output_of(graph, cast));
  EXPECT_EQ(fold_constants(graph), 6);  // no infer_shapes beforehand: folding infers as it goes
  graph.prune();
  EXPECT_EQ(graph.node_count(), 1u);
  const Value& folded_output = graph.value(graph.outputs[1]);
  EXPECT_EQ(folded_output.name, "as_float_out");  // the model's output keeps its name, now a constant
  ASSERT_TRUE(folded_output.initializer.has_value());
  EXPECT_EQ(folded_output.initializer->to_vector<float>(), (std::vector<float>{2, 256}));
  EXPECT_TRUE(find_problems(graph).empty());
}

TEST(FoldConstants, EvaluatesConstantMathAndLayoutOps) {
  Graph graph;
  ValueId x = graph.add_input("x", DataType::kFloat32, {2, 3});
  ValueId weight = graph.add_initializer("w", Tensor::from_vector<float>({2, 3}, {1, 2, 3, 4, 5, 6}));
  NodeId transpose = graph.add_node("Transpose", "t", {weight}, 1, {{"perm", Ints{1, 0}}});
  ValueId column = graph.add_initializer("col", Tensor::from_vector<float>({3, 1}, {10, 20, 30}));
  NodeId added = graph.add_node("Add", "add", {output_of(graph, transpose), column});
  NodeId halved = graph.add_node(
      "Div", "div", {output_of(graph, added), graph.add_initializer("two", Tensor::scalar<float>(2))});
  NodeId sliced = graph.add_node("Slice", "slice",
                                 {output_of(graph, halved), ints(graph, "s", {-1}), ints(graph, "e", {-4}),
                                  ints(graph, "a", {0}), ints(graph, "st", {-2})});
  NodeId gathered = graph.add_node("Gather", "gather", {output_of(graph, sliced), ints(graph, "i", {-1})}, 1,
                                   {{"axis", int64_t{1}}});
  NodeId filled = graph.add_node("ConstantOfShape", "fill", {ints(graph, "dims", {2, 1})}, 1,
                                 {{"value", Tensor::from_vector<float>({1}, {7})}});
  NodeId joined = graph.add_node("Concat", "join", {output_of(graph, gathered), output_of(graph, filled)}, 1,
                                 {{"axis", int64_t{1}}});
  NodeId scaled = graph.add_node("Mul", "scale", {x, graph.add_initializer("k", Tensor::scalar<float>(3))});
  graph.outputs = {output_of(graph, joined), output_of(graph, scaled)};

  EXPECT_EQ(fold_constants(graph), 7);
  graph.prune();
  ASSERT_EQ(graph.node_count(), 1u);
  EXPECT_EQ(graph.node(0).op_type, "Mul");  // reads a runtime input: not folded
  const Tensor& result = graph.constant(graph.outputs[0]);
  EXPECT_EQ(result.shape(), (Shape{2, 2}));
  // w^T + col = [[11,14],[22,25],[33,36]]; /2; rows 2 and 0 (step -2); last column; then the fill of 7.
  EXPECT_EQ(result.to_vector<float>(), (std::vector<float>{18, 7, 7, 7}));
}

TEST(FoldConstants, IntegerArithmeticBroadcastsAndCastsTruncate) {
  Graph graph;
  ValueId dims = ints(graph, "dims", {4, 6, 8});
  NodeId halved =
      graph.add_node("Div", "half", {dims, graph.add_initializer("two", Tensor::scalar<int64_t>(2))});
  NodeId minus = graph.add_node("Sub", "minus", {output_of(graph, halved), ints(graph, "one", {1})});
  ValueId real = graph.add_initializer("real", Tensor::from_vector<float>({2}, {2.7f, -1.5f}));
  NodeId cast = graph.add_node("Cast", "to_int", {real}, 1, {{"to", int64_t{7}}});
  graph.outputs = {output_of(graph, minus), output_of(graph, cast)};
  EXPECT_EQ(fold_constants(graph), 3);
  EXPECT_EQ(graph.constant(graph.outputs[0]).to_vector<int64_t>(), (Ints{1, 2, 3}));
  EXPECT_EQ(graph.constant(graph.outputs[1]).to_vector<int64_t>(), (Ints{2, -1}));
}

TEST(FoldConstants, LeavesExpensiveOpsToTheExecutor) {
  Graph graph;
  ValueId input = graph.add_initializer("in", Tensor(DataType::kFloat32, {1, 1, 4, 4}));
  ValueId weight = graph.add_initializer("w", Tensor(DataType::kFloat32, {1, 1, 3, 3}));
  NodeId conv = graph.add_node("Conv", "conv", {input, weight});
  NodeId relu = graph.add_node("Relu", "relu", {output_of(graph, conv)});
  graph.outputs = {output_of(graph, relu)};
  EXPECT_EQ(fold_constants(graph), 0);
  EXPECT_EQ(graph.node_count(), 2u);
}

TEST(FoldConstants, TurnsConstantNodesIntoInitializers) {
  Graph graph;
  ValueId x = graph.add_input("x", DataType::kFloat32, {2, 6});
  NodeId target =
      graph.add_node("Constant", "target", {}, 1, {{"value", Tensor::from_vector<int64_t>({2}, {3, 4})}});
  NodeId reshape = graph.add_node("Reshape", "reshape", {x, output_of(graph, target)});
  graph.outputs = {output_of(graph, reshape)};
  EXPECT_EQ(fold_constants(graph), 1);
  ASSERT_EQ(graph.node_count(), 1u);
  EXPECT_TRUE(graph.is_constant(graph.node(0).inputs[1]));
  EXPECT_EQ(*graph.value(graph.outputs[0]).shape, (Shape{3, 4}));
}

size_t count_ops(const Graph& graph, const std::string& op_type) {
  return std::count_if(graph.nodes().begin(), graph.nodes().end(),
                       [&](const Node& node) { return node.op_type == op_type; });
}

float largest_difference(const Tensor& a, const Tensor& b) {
  EXPECT_EQ(a.shape(), b.shape());
  float largest = 0;
  for (int64_t i = 0; i < std::min(a.numel(), b.numel()); ++i) {
    largest = std::max(largest, std::abs(a.data<float>()[i] - b.data<float>()[i]));
  }
  return largest;
}

// ShuffleNet's channel shuffles compute their Reshape targets from Shape/Gather/Concat chains.
TEST(FoldConstants, FoldsShufflenetShapeChainsAndKeepsItsOutputs) {
  Graph graph = import_onnx(testing::fixture("shufflenet_v2_x0_5.onnx"));
  ASSERT_GT(count_ops(graph, "Shape"), 0u);
  infer_shapes(graph);
  EXPECT_GT(fold_constants(graph), 0);
  graph.prune();
  verify(graph);
  for (const char* op : {"Shape", "Gather", "Unsqueeze", "Constant"})
    EXPECT_EQ(count_ops(graph, op), 0u) << op;
  for (const Node& node : graph.nodes()) {
    if (node.op_type == "Reshape") {
      EXPECT_TRUE(graph.is_constant(node.inputs[1])) << node.name;
    }
  }
  Tensor input = read_npy(testing::fixture("shufflenet_v2_x0_5.input.npy"));
  Tensor expected = read_npy(testing::fixture("shufflenet_v2_x0_5.output.npy"));
  std::vector<Tensor> outputs = InferenceSession(graph).run({input});
  ASSERT_EQ(outputs.size(), 1u);
  EXPECT_LT(largest_difference(outputs[0], expected), 1e-4f);
}

// ops_zoo computes shapes with Shape, Gather, Div, Cast, Slice and ConstantOfShape; fixing its dynamic batch
// lets all of them fold, and the folded model must still compute what PyTorch computed.
TEST(FoldConstants, FoldsOpsZooOnceItsBatchIsFixed) {
  Tensor input = read_npy(testing::fixture("ops_zoo.input.npy"));
  ImportOptions options;
  options.input_shape = input.shape();
  Graph graph = import_onnx(testing::fixture("ops_zoo.onnx"), options);
  infer_shapes(graph);
  EXPECT_GT(fold_constants(graph), 0);
  graph.prune();
  verify(graph);
  for (const char* op : {"Shape", "ConstantOfShape", "Cast"}) EXPECT_EQ(count_ops(graph, op), 0u) << op;
  Tensor expected = read_npy(testing::fixture("ops_zoo.output.npy"));
  std::vector<Tensor> outputs = InferenceSession(graph).run({input});
  ASSERT_EQ(outputs.size(), 1u);
  EXPECT_LT(largest_difference(outputs[0], expected), 1e-4f);
}

}  // namespace
}  // namespace nacre
