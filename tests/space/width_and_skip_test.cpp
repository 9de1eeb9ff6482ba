#include <gtest/gtest.h>

#include <cmath>

#include "ir/shape_inference.h"
#include "space/generators.h"
#include "space/width_reduction.h"
#include "space_test_helpers.h"

namespace nacre {
namespace {

using namespace nacre::testing;

struct ModelBlock {
  Graph model;
  Block block;
  Graph graph;
};

ModelBlock block_of(const std::string& fixture_name, const std::string& block_name) {
  ModelBlock result{load_fixture(fixture_name), {}, {}};
  for (const Block& block : segment_into_blocks(result.model).blocks) {
    if (block.name == block_name) result.block = block;
  }
  EXPECT_EQ(result.block.name, block_name);
  result.graph = extract_block(result.model, result.block);
  return result;
}

const Tensor& weight_of(const Graph& graph, const std::string& node_name_part) {
  for (const Node& node : graph.nodes()) {
    if (node.op_type == "Conv" && node.name.find(node_name_part) != std::string::npos) {
      return graph.constant(node.inputs[1]);
    }
  }
  throw make_error("no conv named like ", node_name_part);
}

TEST(WidthReduction, WidthOneReproducesEveryKindOfBlockExactly) {
  std::vector<std::pair<std::string, std::string>> cases = {{"resnet18", "layer1.0"},
                                                            {"resnet18", "layer2.0"},
                                                            {"mobilenet_v2", "features.2"},
                                                            {"mobilenet_v2", "features.3"},
                                                            {"mobilenet_v3_small", "features.4"},
                                                            {"squeezenet1_1", "features.3"},
                                                            {"shufflenet_v2_x0_5", "stage2.1"}};
  for (const auto& [fixture_name, block_name] : cases) {
    SCOPED_TRACE(fixture_name + " " + block_name);
    ModelBlock block = block_of(fixture_name, block_name);
    std::vector<ChannelGroup> groups = find_channel_groups(block.graph);
    EXPECT_FALSE(groups.empty());
    WidthReduction same = reduce_width(block.graph, groups, 1.0);
    infer_shapes(same.graph);
    Tensor input = random_input(block.block.input_shape);
    EXPECT_EQ(max_abs_difference(run_graph(same.graph, input), run_graph(block.graph, input)), 0.0f);
  }
}

TEST(WidthReduction, ResNetBasicBlockKeepsTheHiddenFiltersWithLargestL1Norm) {
  ModelBlock block = block_of("resnet18", "layer1.0");
  std::vector<ChannelGroup> groups = find_channel_groups(block.graph);
  ASSERT_EQ(groups.size(), 1u) << "only conv1 -> relu -> conv2 can narrow; conv2 feeds the residual add";
  EXPECT_EQ(groups[0].channels, 64);
  WidthReduction half = reduce_width(block.graph, groups, 0.5);
  EXPECT_EQ(half.channels, (std::vector<std::pair<int64_t, int64_t>>{{64, 32}}));
  const Tensor& conv1 = weight_of(half.graph, "conv1");
  const Tensor& conv2 = weight_of(half.graph, "conv2");
  EXPECT_EQ(conv1.shape(), (Shape{32, 64, 3, 3}));
  EXPECT_EQ(conv2.shape(), (Shape{64, 32, 3, 3}));
  // Every kept filter's L1 norm is at least every dropped one's.
  const Tensor& original = weight_of(block.graph, "conv1");
  auto l1 = [](const Tensor& weight, int64_t filter) {
    int64_t size = weight.numel() / weight.shape()[0];
    double sum = 0.0;
    for (int64_t i = 0; i < size; ++i) sum += std::fabs(weight.data<float>()[filter * size + i]);
    return sum;
  };
  std::vector<double> kept, all;
  for (int64_t f = 0; f < 32; ++f) kept.push_back(l1(conv1, f));
  for (int64_t f = 0; f < 64; ++f) all.push_back(l1(original, f));
  std::sort(all.rbegin(), all.rend());
  EXPECT_NEAR(*std::min_element(kept.begin(), kept.end()), all[31], 1e-9);
  infer_shapes(half.graph);
  EXPECT_EQ(*half.graph.value(half.graph.outputs[0]).shape, block.block.output_shape);
}

TEST(WidthReduction, InvertedResidualNarrowsExpansionAndDepthwiseTogether) {
  ModelBlock block = block_of("mobilenet_v2", "features.2");
  std::vector<ChannelGroup> groups = find_channel_groups(block.graph);
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_EQ(groups[0].channels, 96);
  WidthReduction quarter = reduce_width(block.graph, groups, 0.25);
  infer_shapes(quarter.graph);
  EXPECT_EQ(weight_of(quarter.graph, "conv.0").shape(), (Shape{24, 16, 1, 1}));
  EXPECT_EQ(weight_of(quarter.graph, "conv.1").shape(), (Shape{24, 1, 3, 3}));
  EXPECT_EQ(weight_of(quarter.graph, "conv.2").shape(), (Shape{24, 24, 1, 1}));
  for (const Node& node : quarter.graph.nodes()) {
    if (node.name.find("conv.1") != std::string::npos && node.op_type == "Conv") {
      EXPECT_EQ(node.get_int("group", 1), 24);
    }
  }
}

TEST(WidthReduction, SqueezeExcitationNarrowsWithTheExpandedChannels) {
  ModelBlock block = block_of("mobilenet_v3_small", "features.4");
  std::vector<ChannelGroup> groups = find_channel_groups(block.graph);
  ASSERT_EQ(groups.size(), 2u) << "the expanded channels, and the SE's squeezed ones between fc1 and fc2";
  EXPECT_EQ(groups[0].producers.size(), 2u) << "the expansion conv and the SE's fc2";
  EXPECT_EQ(groups[0].consumers.size(), 2u) << "the SE's fc1 and the projection conv";
  EXPECT_EQ(groups[1].producers.size(), 1u);
  EXPECT_EQ(groups[1].consumers.size(), 1u);
}

TEST(WidthGenerator, ResNetBlockGetsThreeNarrowerCandidatesWithFewerMacs) {
  ModelBlock block = block_of("resnet18", "layer1.0");
  GeneratorContext context{block.graph, block.block};
  auto generator = make_width_generator();
  ASSERT_TRUE(generator->applies_to(context));
  std::vector<Candidate> candidates = generator->generate(context);
  ASSERT_EQ(candidates.size(), 3u);
  EXPECT_EQ(candidates[0].id, "layer1.0/width0.25");
  EXPECT_EQ(candidates[1].description, "inner channels 0.50x (64 -> 32)");
  EXPECT_LT(candidates[0].macs, candidates[1].macs);
  EXPECT_LT(candidates[2].macs, block.block.macs);
}

TEST(SkipGenerator, IdentityWhereShapesMatch) {
  ModelBlock block = block_of("resnet18", "layer1.1");
  GeneratorContext context{block.graph, block.block};
  std::vector<Candidate> candidates = make_skip_generator()->generate(context);
  ASSERT_EQ(candidates.size(), 1u);
  EXPECT_EQ(candidates[0].macs, 0);
  EXPECT_EQ(candidates[0].parameters, 0);
  Tensor input = random_input(block.block.input_shape);
  EXPECT_EQ(max_abs_difference(run_graph(candidates[0].graph, input), input), 0.0f);
}

TEST(SkipGenerator, ResNetDownsampleBlockInheritsItsShortcutProjection) {
  ModelBlock block = block_of("resnet18", "layer2.0");
  GeneratorContext context{block.graph, block.block};
  Candidate skip = make_skip_generator()->generate(context).at(0);
  EXPECT_NE(skip.weight_origin.find("downsample"), std::string::npos) << skip.weight_origin;
  const Tensor& inherited = weight_of(skip.graph, "skip_projection");
  const Tensor& original = weight_of(block.graph, "downsample");
  EXPECT_TRUE(inherited.shares_bytes_with(original));
  EXPECT_EQ(skip.macs, 64 * 128 * 4 * 4 * 2);
}

TEST(SkipGenerator, InvertedResidualWithoutShortcutGetsPooledChannelCopyProjection) {
  ModelBlock block = block_of("mobilenet_v2", "features.2");  // 16 -> 24 channels, 16x16 -> 8x8
  GeneratorContext context{block.graph, block.block};
  Candidate skip = make_skip_generator()->generate(context).at(0);
  EXPECT_NE(skip.weight_origin.find("new: channel-copy"), std::string::npos);
  int pools = 0;
  for (const Node& node : skip.graph.nodes()) pools += node.op_type == "AveragePool";
  EXPECT_EQ(pools, 1);
  // Output channel 17 copies input channel 1: its 2x2 mean (a linear bottleneck ends without activation).
  Tensor input = random_input(block.block.input_shape);
  Tensor output = run_graph(skip.graph, input);
  const float* x = input.data<float>();
  float mean = (x[1 * 256 + 0] + x[1 * 256 + 1] + x[1 * 256 + 16] + x[1 * 256 + 17]) / 4.0f;
  EXPECT_NEAR(output.data<float>()[17 * 64], mean, 1e-6f);
}

}  // namespace
}  // namespace nacre
