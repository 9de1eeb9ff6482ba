// The structural generators (depthwise_separable, inverted_bottleneck, shallower, kernel_shrink,
// cheaper_activation): exact reproductions on hand-built blocks where the inherited weights allow one, and
// on every block of the ResNet-18 and MobileNetV2 baselines, candidates of the declared shapes that run
// forward and backward.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <functional>
#include <iostream>
#include <set>

#include "exec/graph_module_torch.h"
#include "exec/inference_session.h"
#include "io/onnx/load_model.h"
#include "ir/cost.h"
#include "ir/shape_inference.h"
#include "passes/trim_dead_taps.h"
#include "space/block.h"
#include "space/conv_builder.h"
#include "space/generators.h"
#include "test_paths.h"

namespace nacre {
namespace {

// A hand-built block with its Block description, as segmentation would give it.
struct TestBlock {
  Graph graph;
  Block info;
  GeneratorContext context() const { return {graph, info}; }
};

TestBlock as_block(Graph graph, const std::string& name) {
  infer_shapes(graph);
  TestBlock block{std::move(graph), {}};
  block.info.name = name;
  block.info.input = block.graph.inputs[0];
  block.info.output = block.graph.outputs[0];
  block.info.input_shape = *block.graph.value(block.info.input).shape;
  block.info.output_shape = *block.graph.value(block.info.output).shape;
  block.info.macs = total_macs(block.graph);
  return block;
}

Tensor random_tensor(const Shape& shape, double scale = 0.5) {
  return from_torch(torch::randn(shape) * scale);
}

Shape runnable(Shape shape) {
  for (int64_t& dimension : shape) dimension = dimension < 0 ? 2 : dimension;
  return shape;
}

Tensor run(const Graph& graph, const Tensor& input) { return InferenceSession(graph).run({input}).at(0); }

double max_difference(const Tensor& a, const Tensor& b) {
  return (to_torch(a) - to_torch(b)).abs().max().item<double>();
}

int count_ops(const Graph& graph, const std::string& op_type) {
  int count = 0;
  for (const Node& node : graph.nodes()) count += node.op_type == op_type;
  return count;
}

const Candidate& find_candidate(const std::vector<Candidate>& candidates, const std::string& id) {
  for (const Candidate& candidate : candidates) {
    if (candidate.id == id) return candidate;
  }
  throw make_error("no candidate '", id, "'");
}

// Forward in train mode, a loss, backward: every parameter gradient finite, some of them non-zero.
void expect_trains(const Candidate& candidate) {
  GraphModule module(candidate.graph);
  module.train();
  Shape shape = runnable(*candidate.graph.value(candidate.graph.inputs[0]).shape);
  torch::Tensor output = module.forward({torch::rand(shape) * 2.0}).at(0);
  output.square().mean().backward();
  double gradient_norm = 0.0;
  for (const torch::Tensor& parameter : module.parameters()) {
    ASSERT_TRUE(parameter.grad().defined()) << candidate.id;
    ASSERT_TRUE(torch::isfinite(parameter.grad()).all().item<bool>()) << candidate.id;
    gradient_norm += parameter.grad().abs().sum().item<double>();
  }
  EXPECT_GT(gradient_norm, 0.0) << candidate.id;
}

// ---- hand-built blocks

TEST(KernelShrink, FiveByFiveWithZeroOuterRingIsReproducedExactly) {
  torch::manual_seed(1);
  for (int64_t stride : {1, 2}) {
    for (int64_t group : {1, 6}) {
      Graph graph;
      ValueId x = graph.add_input("x", DataType::kFloat32, {2, 6, 9, 9});
      torch::Tensor kernel = torch::zeros({group > 1 ? 6 : 8, 6 / group, 5, 5});
      kernel.slice(2, 1, 4).slice(3, 1, 4).copy_(torch::randn({kernel.size(0), kernel.size(1), 3, 3}));
      ValueId y =
          add_conv(graph, "conv", x, from_torch(kernel), random_tensor({kernel.size(0)}), stride, 2, group);
      graph.outputs = {add_activation(graph, "relu", y, "Relu")};
      TestBlock block = as_block(std::move(graph), "shrink");

      std::unique_ptr<CandidateGenerator> generator = make_kernel_shrink_generator();
      ASSERT_TRUE(generator->applies_to(block.context()));
      std::vector<Candidate> candidates = generator->generate(block.context());
      ASSERT_EQ(candidates.size(), 1u);
      const Candidate& shrunk = candidates[0];
      EXPECT_EQ(shrunk.id, "shrink/kernel3");
      EXPECT_EQ(shrunk.graph.constant(shrunk.graph.nodes()[0].inputs[1]).shape()[2], 3);
      EXPECT_LT(shrunk.macs, block.info.macs);
      Tensor input = random_tensor({2, 6, 9, 9});
      EXPECT_LT(max_difference(run(shrunk.graph, input), run(block.graph, input)), 1e-5)
          << "stride " << stride << " group " << group;
    }
  }
}

TEST(KernelShrink, DoesNotApplyToThreeByThreeConvs) {
  Graph graph;
  ValueId x = graph.add_input("x", DataType::kFloat32, {1, 4, 8, 8});
  graph.outputs = {add_conv(graph, "conv", x, random_tensor({4, 4, 3, 3}), random_tensor({4}), 1, 1, 1)};
  TestBlock block = as_block(std::move(graph), "small");
  EXPECT_FALSE(make_kernel_shrink_generator()->applies_to(block.context()));
  EXPECT_TRUE(make_kernel_shrink_generator()->generate(block.context()).empty());
}

TEST(CheaperActivation, ReluSixOnInputsBelowSixIsReproducedExactly) {
  torch::manual_seed(2);
  Graph graph;
  ValueId x = graph.add_input("x", DataType::kFloat32, {2, 4, 6, 6});
  ValueId clipped = add_activation(graph, "relu6", x, "Clip");
  graph.outputs = {
      add_conv(graph, "conv", clipped, random_tensor({4, 4, 3, 3}), random_tensor({4}), 1, 1, 1)};
  TestBlock block = as_block(std::move(graph), "act");

  std::unique_ptr<CandidateGenerator> generator = make_cheaper_activation_generator();
  ASSERT_TRUE(generator->applies_to(block.context()));
  std::vector<Candidate> candidates = generator->generate(block.context());
  ASSERT_EQ(candidates.size(), 1u);
  EXPECT_EQ(count_ops(candidates[0].graph, "Clip"), 0);
  EXPECT_EQ(count_ops(candidates[0].graph, "Relu"), 1);
  EXPECT_EQ(candidates[0].weight_origin, "original");
  Tensor input = from_torch(torch::rand({2, 4, 6, 6}) * 5.99 - 2.0);  // Relu and Clip(0, 6) agree here
  EXPECT_LT(max_difference(run(candidates[0].graph, input), run(block.graph, input)), 1e-6);
}

TEST(CheaperActivation, SqueezeExcitationKeepsItsGateWithHardSigmoidAndHardSwishBecomesRelu) {
  Graph graph;
  ValueId x = graph.add_input("x", DataType::kFloat32, {1, 8, 4, 4});
  NodeId swish = graph.add_node("HardSwish", "swish", {x});
  ValueId features = graph.node(swish).outputs[0];
  NodeId pool = graph.add_node("GlobalAveragePool", "pool", {features});
  ValueId squeezed = add_conv(graph, "fc", graph.node(pool).outputs[0], random_tensor({8, 8, 1, 1}),
                              random_tensor({8}), 1, 0, 1);
  NodeId gate = graph.add_node("Sigmoid", "gate", {squeezed});
  NodeId scaled = graph.add_node("Mul", "scale", {features, graph.node(gate).outputs[0]});
  graph.outputs = {graph.node(scaled).outputs[0]};
  TestBlock block = as_block(std::move(graph), "se");

  std::vector<Candidate> candidates = make_cheaper_activation_generator()->generate(block.context());
  ASSERT_EQ(candidates.size(), 1u);
  const Graph& cheaper = candidates[0].graph;
  EXPECT_EQ(count_ops(cheaper, "HardSwish") + count_ops(cheaper, "Sigmoid"), 0);
  EXPECT_EQ(count_ops(cheaper, "Relu"), 1);
  EXPECT_EQ(count_ops(cheaper, "HardSigmoid"), 1);
  EXPECT_EQ(count_ops(cheaper, "Mul"), 1);
  expect_trains(candidates[0]);
}

TEST(CheaperActivation, ExportedHardSwishBecomesReluWhichAgreesWithItBeyondPlusMinusThree) {
  Graph graph;
  ValueId x = graph.add_input("x", DataType::kFloat32, {2, 4, 5, 5});
  ValueId y = add_conv(graph, "conv", x, random_tensor({4, 4, 1, 1}), zeros({4}), 1, 0, 1);
  NodeId gate = graph.add_node("HardSigmoid", "gate", {y}, 1, {{"alpha", 1.0 / 6.0}, {"beta", 0.5}});
  graph.outputs = {graph.node(graph.add_node("Mul", "swish", {y, graph.node(gate).outputs[0]})).outputs[0]};
  TestBlock block = as_block(std::move(graph), "hswish");

  std::vector<Candidate> candidates = make_cheaper_activation_generator()->generate(block.context());
  ASSERT_EQ(candidates.size(), 1u);
  const Graph& cheaper = candidates[0].graph;
  EXPECT_EQ(count_ops(cheaper, "HardSigmoid") + count_ops(cheaper, "Mul"), 0);
  EXPECT_EQ(count_ops(cheaper, "Relu"), 1);
  torch::Tensor identity = torch::eye(4).reshape({4, 4, 1, 1});
  block.graph.value(block.graph.nodes()[0].inputs[1]).initializer = from_torch(identity);
  Candidate same_weights = make_cheaper_activation_generator()->generate(block.context()).at(0);
  torch::Tensor magnitude = torch::rand({2, 4, 5, 5}) * 3.0 + 3.0,
                sign = torch::randint(0, 2, {2, 4, 5, 5}) * 2 - 1;
  Tensor input = from_torch(magnitude * sign);  // |x| >= 3: hardswish(x) == relu(x)
  EXPECT_LT(max_difference(run(same_weights.graph, input), run(block.graph, input)), 1e-5);
}

TEST(CheaperActivation, DoesNotApplyToReluBlocks) {
  Graph graph;
  ValueId x = graph.add_input("x", DataType::kFloat32, {1, 4, 8, 8});
  ValueId y = add_conv(graph, "conv", x, random_tensor({4, 4, 3, 3}), random_tensor({4}), 1, 1, 1);
  graph.outputs = {add_activation(graph, "relu", y, "Relu")};
  TestBlock block = as_block(std::move(graph), "relu");
  EXPECT_FALSE(make_cheaper_activation_generator()->applies_to(block.context()));
}

TEST(DepthwiseSeparable, ConvWhoseKernelsShareOneSpatialPatternPerInputIsReproducedExactly) {
  torch::manual_seed(3);
  // W[o, i] = p[o, i] * d[i]: exactly depthwise d followed by pointwise p.
  torch::Tensor pattern = torch::randn({6, 1, 3, 3}), mixing = torch::randn({10, 6, 1, 1});
  torch::Tensor kernel = mixing * pattern.permute({1, 0, 2, 3});
  for (int64_t stride : {1, 2}) {
    Graph graph;
    ValueId x = graph.add_input("x", DataType::kFloat32, {2, 6, 8, 8});
    ValueId y = add_conv(graph, "conv", x, from_torch(kernel), random_tensor({10}), stride, 1, 1);
    graph.outputs = {add_activation(graph, "relu", y, "Relu")};
    TestBlock block = as_block(std::move(graph), "sep");

    std::unique_ptr<CandidateGenerator> generator = make_depthwise_separable_generator();
    ASSERT_TRUE(generator->applies_to(block.context()));
    std::vector<Candidate> candidates = generator->generate(block.context());
    ASSERT_EQ(candidates.size(), 2u);
    Tensor input = random_tensor({2, 6, 8, 8});
    for (const Candidate& candidate : candidates) {
      EXPECT_EQ(count_ops(candidate.graph, "Conv"), 2) << candidate.id;
      EXPECT_LT(max_difference(run(candidate.graph, input), run(block.graph, input)), 1e-4) << candidate.id;
    }
    EXPECT_EQ(candidates[0].id, "sep/dwsep_k3");
    EXPECT_EQ(candidates[1].id, "sep/dwsep_k5");
  }
}

TEST(DepthwiseSeparable, DoesNotApplyToPointwiseAndDepthwiseOnlyBlocks) {
  Graph graph;
  ValueId x = graph.add_input("x", DataType::kFloat32, {1, 4, 8, 8});
  ValueId y = add_conv(graph, "dw", x, random_tensor({4, 1, 3, 3}), random_tensor({4}), 1, 1, 4);
  graph.outputs = {add_conv(graph, "pw", y, random_tensor({8, 4, 1, 1}), random_tensor({8}), 1, 0, 1)};
  TestBlock block = as_block(std::move(graph), "mobile");
  EXPECT_FALSE(make_depthwise_separable_generator()->applies_to(block.context()));
}

// input -> [1x1 expand -> relu6] -> depthwise kxk -> relu6 -> 1x1 project (+ input)
Graph inverted_residual_graph(int64_t channels, int64_t hidden, torch::Tensor depthwise) {
  Graph graph;
  ValueId x = graph.add_input("x", DataType::kFloat32, {2, channels, 8, 8});
  ValueId h =
      add_conv(graph, "expand", x, random_tensor({hidden, channels, 1, 1}), random_tensor({hidden}), 1, 0, 1);
  h = add_activation(graph, "expand_act", h, "Clip");
  int64_t kernel = depthwise.size(2);
  h = add_conv(graph, "dw", h, from_torch(depthwise), random_tensor({hidden}), 1, same_pad(kernel), hidden);
  h = add_activation(graph, "dw_act", h, "Clip");
  ValueId y = add_conv(graph, "project", h, random_tensor({channels, hidden, 1, 1}),
                       random_tensor({channels}), 1, 0, 1);
  graph.outputs = {graph.node(graph.add_node("Add", "add", {y, x})).outputs[0]};
  return graph;
}

TEST(InvertedBottleneck, CroppedKernelOfAnInvertedResidualWithZeroOuterRingIsReproducedExactly) {
  torch::manual_seed(4);
  torch::Tensor depthwise = torch::zeros({24, 1, 5, 5});
  depthwise.slice(2, 1, 4).slice(3, 1, 4).copy_(torch::randn({24, 1, 3, 3}));
  TestBlock block = as_block(inverted_residual_graph(8, 24, depthwise), "ir");

  std::unique_ptr<CandidateGenerator> generator = make_inverted_bottleneck_generator();
  ASSERT_TRUE(generator->applies_to(block.context()));
  std::vector<Candidate> candidates = generator->generate(block.context());
  std::set<std::string> ids;
  for (const Candidate& candidate : candidates) ids.insert(candidate.id);
  // t3_k5 is the block itself and t6 costs more than it: neither is offered.
  EXPECT_EQ(ids, (std::set<std::string>{"ir/ib_t1_k3", "ir/ib_t3_k3"}));
  const Candidate& cropped = find_candidate(candidates, "ir/ib_t3_k3");
  EXPECT_NE(cropped.weight_origin.find("inherited"), std::string::npos);
  EXPECT_EQ(count_ops(cropped.graph, "Add"), 1);
  Tensor input = random_tensor({2, 8, 8, 8});
  EXPECT_LT(max_difference(run(cropped.graph, input), run(block.graph, input)), 1e-4);
  for (const Candidate& candidate : candidates) expect_trains(candidate);
}

TEST(InvertedBottleneck, ANewInvertedResidualReplacesAStridedPlainBlock) {
  Graph graph;
  ValueId x = graph.add_input("x", DataType::kFloat32, {1, 16, 8, 8});
  ValueId y = add_conv(graph, "conv", x, random_tensor({32, 16, 3, 3}), random_tensor({32}), 2, 1, 1);
  graph.outputs = {add_activation(graph, "relu", y, "Relu")};
  TestBlock block = as_block(std::move(graph), "plain");
  std::vector<Candidate> candidates = make_inverted_bottleneck_generator()->generate(block.context());
  ASSERT_FALSE(candidates.empty());
  for (const Candidate& candidate : candidates) {
    EXPECT_EQ(candidate.weight_origin, "new: He init");
    EXPECT_EQ(count_ops(candidate.graph, "Add"), 0) << "shapes differ: no residual";
    EXPECT_EQ(count_ops(candidate.graph, "Relu"), candidate.id.find("_t1_") != std::string::npos ? 2 : 3);
    EXPECT_LE(candidate.macs, block.info.macs);
  }
}

TEST(InvertedBottleneck, DoesNotApplyWhereNoDepthwiseStrideFitsTheShapes) {
  Graph graph;
  ValueId x = graph.add_input("x", DataType::kFloat32, {1, 4, 16, 16});
  ValueId y = add_conv(graph, "conv", x, random_tensor({8, 4, 3, 3}), random_tensor({8}), 4, 1, 1);
  graph.outputs = {y};
  EXPECT_FALSE(make_inverted_bottleneck_generator()->applies_to(as_block(std::move(graph), "s4").context()));
}

// relu(conv2(relu(conv1(x))) + x)
Graph basic_block_graph(const Tensor& conv1_weight, const Tensor& conv1_bias) {
  Graph graph;
  ValueId x = graph.add_input("x", DataType::kFloat32, {2, 8, 6, 6});
  ValueId h = add_conv(graph, "conv1", x, conv1_weight, conv1_bias, 1, 1, 1);
  h = add_activation(graph, "relu1", h, "Relu");
  h = add_conv(graph, "conv2", h, random_tensor({8, 8, 3, 3}), random_tensor({8}), 1, 1, 1);
  ValueId sum = graph.node(graph.add_node("Add", "add", {h, x})).outputs[0];
  graph.outputs = {add_activation(graph, "relu2", sum, "Relu")};
  return graph;
}

TEST(Shallower, BasicBlockWithAnIdentityFirstConvIsReproducedWithoutIt) {
  torch::manual_seed(5);
  torch::Tensor identity = torch::zeros({8, 8, 3, 3});
  for (int64_t c = 0; c < 8; ++c) identity[c][c][1][1] = 1.0;
  TestBlock block = as_block(basic_block_graph(from_torch(identity), zeros({8})), "basic");

  std::unique_ptr<CandidateGenerator> generator = make_shallower_generator();
  ASSERT_TRUE(generator->applies_to(block.context()));
  std::vector<Candidate> candidates = generator->generate(block.context());
  ASSERT_EQ(candidates.size(), 2u);
  EXPECT_EQ(candidates[0].id, "basic/drop_conv1");
  EXPECT_EQ(candidates[1].id, "basic/drop_conv2");
  for (const Candidate& candidate : candidates) {
    EXPECT_EQ(count_ops(candidate.graph, "Conv"), 1) << candidate.id;
    EXPECT_EQ(count_ops(candidate.graph, "Add"), 1) << candidate.id;
    EXPECT_EQ(count_ops(candidate.graph, "Relu"), 1) << candidate.id;  // the inner one goes with the conv
    EXPECT_EQ(candidate.macs * 2, block.info.macs) << candidate.id;
  }
  Tensor input = from_torch(torch::rand({2, 8, 6, 6}));  // non-negative: relu(conv1(x)) == x
  EXPECT_LT(max_difference(run(candidates[0].graph, input), run(block.graph, input)), 1e-5);
}

TEST(Shallower, DoesNotApplyToASingleConvBlock) {
  Graph graph;
  ValueId x = graph.add_input("x", DataType::kFloat32, {1, 8, 6, 6});
  ValueId y = add_conv(graph, "conv", x, random_tensor({8, 8, 3, 3}), random_tensor({8}), 1, 1, 1);
  graph.outputs = {add_activation(graph, "relu", y, "Relu")};
  EXPECT_FALSE(make_shallower_generator()->applies_to(as_block(std::move(graph), "single").context()));
}

TEST(Shallower, InvertedResidualLosesItsExpansion) {
  torch::manual_seed(6);
  TestBlock block = as_block(inverted_residual_graph(8, 48, torch::randn({48, 1, 3, 3})), "ir");
  std::vector<Candidate> candidates = make_shallower_generator()->generate(block.context());
  const Candidate& dropped = find_candidate(candidates, "ir/drop_expand");
  EXPECT_EQ(count_ops(dropped.graph, "Conv"), 2);
  EXPECT_EQ(count_ops(dropped.graph, "Add"), 1);
  EXPECT_LT(dropped.macs, block.info.macs / 4);
  expect_trains(dropped);
}

// ---- every block of the baselines

struct ModelBlocks {
  Segmentation segmentation;
  std::vector<Graph> graphs;
};

ModelBlocks model_blocks(const std::string& path) {
  Graph model = load_model(path);
  ModelBlocks blocks{segment_into_blocks(model), {}};
  for (const Block& block : blocks.segmentation.blocks) blocks.graphs.push_back(extract_block(model, block));
  return blocks;
}

std::string baseline(const std::string& name) {
  return testing::shared_dir() + "/baselines/" + name + ".onnx";
}

using Factory = std::function<std::unique_ptr<CandidateGenerator>()>;

const std::vector<Factory>& structural_generators() {
  static const std::vector<Factory> factories{
      make_depthwise_separable_generator, make_inverted_bottleneck_generator, make_shallower_generator,
      make_kernel_shrink_generator, make_cheaper_activation_generator};
  return factories;
}

// Generates every structural candidate of every block, checks each, and returns the ids per block.
std::map<std::string, std::vector<std::string>> check_every_candidate(const std::string& path) {
  ModelBlocks blocks = model_blocks(path);
  std::map<std::string, std::vector<std::string>> ids;
  std::set<std::string> seen;
  for (size_t b = 0; b < blocks.graphs.size(); ++b) {
    const Block& info = blocks.segmentation.blocks[b];
    if (!info.replaceable) continue;
    GeneratorContext context{blocks.graphs[b], info};
    Tensor input = random_tensor(runnable(info.input_shape));
    Graph trimmed_block = blocks.graphs[b].clone();
    trim_dead_taps(trimmed_block);
    int64_t trimmed_block_macs = total_macs(trimmed_block);
    for (const Factory& factory : structural_generators()) {
      std::unique_ptr<CandidateGenerator> generator = factory();
      if (!generator->applies_to(context)) continue;
      for (const Candidate& candidate : generator->generate(context)) {
        SCOPED_TRACE(candidate.id);
        EXPECT_TRUE(seen.insert(candidate.id).second) << "duplicate id";
        EXPECT_EQ(candidate.id.rfind(info.name + "/", 0), 0u);
        EXPECT_EQ(candidate.generator, generator->name());
        EXPECT_FALSE(candidate.weight_origin.empty());
        const Graph& graph = candidate.graph;
        EXPECT_EQ(graph.value(graph.inputs[0]).name, blocks.graphs[b].value(blocks.graphs[b].inputs[0]).name);
        EXPECT_EQ(*graph.value(graph.inputs[0]).shape, info.input_shape);
        EXPECT_EQ(*graph.value(graph.outputs[0]).shape, info.output_shape);
        // Candidates come with their dead taps trimmed (finish_candidate). Against the trimmed block some
        // are dearer (an inverted bottleneck on a 1x1 map): build_search_space drops those. A larger kernel
        // on a small map may trim to the original's cost.
        if (generator->name() == "cheaper_activation") {
          EXPECT_EQ(candidate.macs, trimmed_block_macs);
        } else {
          EXPECT_LE(candidate.macs, info.macs);
        }
        Tensor output = run(graph, input);
        EXPECT_EQ(output.shape(), runnable(info.output_shape));
        EXPECT_TRUE(torch::isfinite(to_torch(output)).all().item<bool>());
        expect_trains(candidate);
        ids[info.name].push_back(candidate.id.substr(info.name.size() + 1));
      }
    }
  }
  for (const auto& [block, names] : ids) {
    std::cout << "  " << block << ":";
    for (const std::string& name : names) std::cout << " " << name;
    std::cout << "\n";
  }
  return ids;
}

bool contains(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

TEST(StructuralGenerators, EveryResnet18CandidateHasTheBlockShapesAndRunsForwardAndBackward) {
  torch::manual_seed(7);
  std::map<std::string, std::vector<std::string>> ids = check_every_candidate(baseline("resnet18_cifar10"));
  int shrunk = 0, identity_blocks = 0;
  for (const auto& [block, names] : ids) {
    shrunk += contains(names, "kernel3");
    EXPECT_TRUE(contains(names, "dwsep_k3")) << block;
    EXPECT_FALSE(contains(names, "cheaper_act")) << block << ": ResNet has only Relu";
    if (contains(names, "drop_conv1")) {
      ++identity_blocks;
      EXPECT_TRUE(contains(names, "drop_conv2")) << block;
    }
  }
  EXPECT_EQ(shrunk, 1) << "only the 7x7 stem";
  EXPECT_GE(identity_blocks, 4) << "layerN.1 blocks keep their shape through both convs";
}

TEST(StructuralGenerators, EveryMobilenetV2CandidateHasTheBlockShapesAndRunsForwardAndBackward) {
  torch::manual_seed(8);
  std::map<std::string, std::vector<std::string>> ids =
      check_every_candidate(baseline("mobilenet_v2_cifar10"));
  int expansions_dropped = 0, separable = 0;
  for (const auto& [block, names] : ids) {
    expansions_dropped += contains(names, "drop_expand");
    separable += contains(names, "dwsep_k3");
    EXPECT_FALSE(contains(names, "kernel3")) << block << ": MobileNetV2 has no 5x5 or 7x7 kernels";
    EXPECT_TRUE(contains(names, "cheaper_act")) << block << ": every block has a ReLU6";
  }
  EXPECT_EQ(expansions_dropped, 16) << "features.2 to features.17 expand";
  EXPECT_EQ(separable, 1) << "only the stem has a full 3x3 convolution";
}

TEST(StructuralGenerators, EveryCandidateOfTheFixtureModelsHasTheBlockShapesAndRunsForwardAndBackward) {
  torch::manual_seed(9);
  for (const char* model : {"resnet18", "mobilenet_v2", "squeezenet1_1", "shufflenet_v2_x0_5"}) {
    SCOPED_TRACE(model);
    std::cout << model << "\n";
    check_every_candidate(testing::fixture(std::string(model) + ".onnx"));
  }
}

TEST(StructuralGenerators, MobilenetV3SmallGetsShrunkKernelsAndCheaperActivations) {
  torch::manual_seed(10);
  std::map<std::string, std::vector<std::string>> ids =
      check_every_candidate(testing::fixture("mobilenet_v3_small.onnx"));
  int shrunk = 0, cheaper = 0;
  for (const auto& [block, names] : ids) {
    shrunk += contains(names, "kernel3");
    cheaper += contains(names, "cheaper_act");
  }
  EXPECT_GE(shrunk, 5) << "its 5x5 depthwise convolutions";
  EXPECT_GE(cheaper, 8) << "HardSwish and the squeeze-excitation gates";
}

}  // namespace
}  // namespace nacre
