// fold_batchnorm and unfold_batchnorm: outputs kept within 1e-5, op counts and graph outputs as expected.
#include <gtest/gtest.h>

#include <filesystem>

#include "exec/graph_test_helpers.h"
#include "io/onnx/load_model.h"
#include "passes/fold_batchnorm.h"
#include "passes/unfold_batchnorm.h"
#include "test_paths.h"

namespace nacre {
namespace {

using testing::count_ops;
using testing::random_weights;

ValueId add_conv(Graph& graph, const std::string& name, ValueId input, int64_t in_channels,
                 int64_t out_channels, bool with_bias, int64_t group = 1,
                 const std::string& output_name = "") {
  Node conv;
  conv.op_type = "Conv";
  conv.name = name;
  conv.inputs = {input, graph.add_initializer(name + ".weight",
                                              random_weights({out_channels, in_channels / group, 3, 3}))};
  if (with_bias) conv.inputs.push_back(graph.add_initializer(name + ".bias", random_weights({out_channels})));
  conv.attributes = {{"pads", std::vector<int64_t>{1, 1, 1, 1}}, {"group", group}};
  Value output;
  output.name = output_name.empty() ? graph.unique_name(name + "_out") : output_name;
  conv.outputs = {graph.add_value(output)};
  graph.add_node(conv);
  return conv.outputs[0];
}

// A BatchNormalization with non-trivial statistics.
ValueId add_batchnorm(Graph& graph, const std::string& name, ValueId input, int64_t channels) {
  torch::Tensor scale = torch::rand({channels}) + 0.5;
  torch::Tensor bias = torch::randn({channels});
  torch::Tensor mean = torch::randn({channels});
  torch::Tensor var = torch::rand({channels}) + 0.5;
  std::vector<ValueId> inputs = {input};
  inputs.push_back(graph.add_initializer(name + ".scale", from_torch(scale)));
  inputs.push_back(graph.add_initializer(name + ".bias", from_torch(bias)));
  inputs.push_back(graph.add_initializer(name + ".mean", from_torch(mean)));
  inputs.push_back(graph.add_initializer(name + ".var", from_torch(var)));
  return graph.node(graph.add_node("BatchNormalization", name, inputs, 1, {{"epsilon", 1e-3}})).outputs[0];
}

void expect_same_outputs(const Graph& before, const Graph& after, const torch::Tensor& input) {
  torch::Tensor expected = testing::run_graph(before, {input});
  torch::Tensor actual = testing::run_graph(after, {input});
  ASSERT_EQ(actual.sizes(), expected.sizes());
  EXPECT_LE((actual - expected).abs().max().item<double>(),
            1e-5 * std::max(1.0, expected.abs().max().item<double>()));
}

// x -> conv1 (bias) -> relu -> depthwise conv2 (no bias) -> y (graph output)
Graph conv_chain() {
  Graph graph;
  ValueId x = graph.add_input("x", DataType::kFloat32, {2, 3, 8, 8});
  ValueId conv1 = add_conv(graph, "conv1", x, 3, 4, true);
  ValueId relu = graph.node(graph.add_node("Relu", "relu", {conv1})).outputs[0];
  ValueId conv2 = add_conv(graph, "conv2", relu, 4, 4, false, 4, "y");
  graph.outputs = {conv2};
  return graph;
}

TEST(UnfoldBatchnorm, InsertsIdentityBatchnormsThatFoldBackToTheSameGraph) {
  torch::manual_seed(21);
  Graph original = conv_chain();
  torch::Tensor x = torch::randn({2, 3, 8, 8});

  Graph unfolded = original.clone();
  EXPECT_EQ(unfold_batchnorm(unfolded), 2);
  EXPECT_EQ(count_ops(unfolded, "BatchNormalization"), 2);
  EXPECT_EQ(unfolded.node_count(), original.node_count() + 2);
  EXPECT_TRUE(testing::is_well_formed(unfolded));
  EXPECT_EQ(unfolded.value(unfolded.outputs[0]).name, "y");
  expect_same_outputs(original, unfolded, x);
  EXPECT_EQ(unfold_batchnorm(unfolded), 0);  // every Conv already feeds a BN

  Graph refolded = unfolded.clone();
  EXPECT_EQ(fold_batchnorm(refolded), 2);
  EXPECT_EQ(count_ops(refolded, "BatchNormalization"), 0);
  EXPECT_EQ(count_ops(refolded, "Conv"), 2);
  EXPECT_EQ(refolded.node_count(), original.node_count());
  EXPECT_TRUE(testing::is_well_formed(refolded));
  EXPECT_EQ(refolded.value(refolded.outputs[0]).name, "y");
  expect_same_outputs(original, refolded, x);
}

TEST(UnfoldBatchnorm, InsertedBatchnormsAreTrainable) {
  Graph graph = conv_chain();
  unfold_batchnorm(graph);
  GraphModule module(graph);
  int scales = 0;
  for (const auto& item : module.named_parameters())
    scales += item.key().find("_bn_scale") != std::string::npos;
  EXPECT_EQ(scales, 2);
}

TEST(FoldBatchnorm, RemovesExplicitBatchnormsAndKeepsOutputs) {
  torch::manual_seed(22);
  Graph graph;
  ValueId x = graph.add_input("x", DataType::kFloat32, {2, 3, 8, 8});
  ValueId conv1 = add_conv(graph, "conv1", x, 3, 4, false);
  ValueId bn1 = add_batchnorm(graph, "bn1", conv1, 4);
  ValueId relu = graph.node(graph.add_node("Relu", "relu", {bn1})).outputs[0];
  ValueId conv2 = add_conv(graph, "conv2", relu, 4, 6, true, 2);
  graph.outputs = {add_batchnorm(graph, "bn2", conv2, 6)};
  const std::string output_name = graph.value(graph.outputs[0]).name;

  Graph folded = graph.clone();
  EXPECT_EQ(fold_batchnorm(folded), 2);
  EXPECT_EQ(count_ops(folded, "BatchNormalization"), 0);
  EXPECT_EQ(folded.node_count(), graph.node_count() - 2);
  EXPECT_TRUE(testing::is_well_formed(folded));
  EXPECT_EQ(folded.value(folded.outputs[0]).name, output_name);
  EXPECT_EQ(folded.node(folded.find_node("conv1")).input_count(), 3u);  // a bias was created
  expect_same_outputs(graph, folded, torch::randn({2, 3, 8, 8}));
}

TEST(FoldBatchnorm, LeavesAConvWhoseOutputHasAnotherReader) {
  Graph graph;
  ValueId x = graph.add_input("x", DataType::kFloat32, {1, 3, 8, 8});
  ValueId conv = add_conv(graph, "conv", x, 3, 4, true);
  ValueId bn = add_batchnorm(graph, "bn", conv, 4);
  ValueId relu = graph.node(graph.add_node("Relu", "relu", {conv})).outputs[0];
  graph.outputs = {bn, relu};
  EXPECT_EQ(fold_batchnorm(graph), 0);
  EXPECT_EQ(count_ops(graph, "BatchNormalization"), 1);
}

TEST(FoldBatchnorm, HandlesAWeightSharedByTwoConvs) {
  torch::manual_seed(23);
  Graph graph;
  ValueId x = graph.add_input("x", DataType::kFloat32, {1, 2, 5, 5});
  ValueId weight = graph.add_initializer("shared.weight", random_weights({2, 2, 3, 3}));
  ValueId a = graph.node(graph.add_node("Conv", "a", {x, weight})).outputs[0];
  ValueId b = graph.node(graph.add_node("Conv", "b", {x, weight})).outputs[0];
  ValueId sum =
      graph
          .node(graph.add_node("Add", "sum",
                               {add_batchnorm(graph, "bn_a", a, 2), add_batchnorm(graph, "bn_b", b, 2)}))
          .outputs[0];
  graph.outputs = {sum};
  Graph folded = graph.clone();
  EXPECT_EQ(fold_batchnorm(folded), 2);
  EXPECT_TRUE(testing::is_well_formed(folded));
  expect_same_outputs(graph, folded, torch::randn({1, 2, 5, 5}));
}

class FoldIntoGemm : public ::testing::TestWithParam<std::tuple<int64_t, bool>> {};

TEST_P(FoldIntoGemm, KeepsOutputs) {
  torch::manual_seed(24);
  const auto [trans_b, with_bias] = GetParam();
  Graph graph;
  ValueId x = graph.add_input("x", DataType::kFloat32, {3, 5});
  std::vector<ValueId> inputs = {
      x, graph.add_initializer("fc.weight", random_weights(trans_b ? Shape{4, 5} : Shape{5, 4}))};
  if (with_bias) inputs.push_back(graph.add_initializer("fc.bias", random_weights({1, 4})));
  ValueId fc =
      graph.node(graph.add_node("Gemm", "fc", inputs, 1, {{"transB", trans_b}, {"beta", 0.5}})).outputs[0];
  graph.outputs = {add_batchnorm(graph, "bn", fc, 4)};
  Graph folded = graph.clone();
  EXPECT_EQ(fold_batchnorm(folded), 1);
  EXPECT_EQ(count_ops(folded, "BatchNormalization"), 0);
  expect_same_outputs(graph, folded, torch::randn({3, 5}));
}

INSTANTIATE_TEST_SUITE_P(TransBAndBias, FoldIntoGemm,
                         ::testing::Combine(::testing::Values(int64_t{0}, int64_t{1}), ::testing::Bool()));

// mobilenet_v2 as exported has its BNs folded: unfold puts one after each of its 52 Convs, fold removes them.
TEST(UnfoldBatchnorm, RoundTripsMobilenetV2Fixture) {
  const std::string model_path = nacre::testing::fixture("mobilenet_v2.onnx");
  ASSERT_TRUE(std::filesystem::exists(model_path)) << model_path << " is missing";
  Graph original = load_model(model_path);
  const int convs = count_ops(original, "Conv");
  ASSERT_GT(convs, 0);
  Graph unfolded = original.clone();
  EXPECT_EQ(unfold_batchnorm(unfolded), convs);
  EXPECT_EQ(count_ops(unfolded, "BatchNormalization"), convs);
  Graph refolded = unfolded.clone();
  EXPECT_EQ(fold_batchnorm(refolded), convs);
  EXPECT_EQ(refolded.node_count(), original.node_count());
  EXPECT_TRUE(nacre::testing::is_well_formed(refolded));
  torch::manual_seed(25);
  torch::Tensor x = torch::randn({1, 3, 32, 32});
  expect_same_outputs(original, unfolded, x);
  expect_same_outputs(original, refolded, x);
}

}  // namespace
}  // namespace nacre
