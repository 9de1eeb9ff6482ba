#include <gtest/gtest.h>

#include "ir/cost.h"
#include "ir/text_dump.h"
#include "space/block.h"
#include "space_test_helpers.h"

namespace nacre {
namespace {

using testing::fixture_models;
using testing::load_fixture;

std::vector<std::string> block_names(const Segmentation& segmentation) {
  std::vector<std::string> names;
  for (const Block& block : segmentation.blocks) names.push_back(block.name);
  return names;
}

TEST(Segmentation, EveryFixtureSegmentsDeterministicallyIntoAChain) {
  for (const std::string& name : fixture_models()) {
    SCOPED_TRACE(name);
    Graph model = load_fixture(name);
    Segmentation first = segment_into_blocks(model);
    Segmentation second = segment_into_blocks(model.clone());
    EXPECT_EQ(to_text(first, model), to_text(second, model));
    ASSERT_FALSE(first.blocks.empty());
    EXPECT_EQ(first.blocks.front().input, model.inputs[0]);
    EXPECT_EQ(first.blocks.back().output, model.outputs[0]);
    size_t nodes = 0;
    for (size_t b = 0; b < first.blocks.size(); ++b) {
      EXPECT_EQ(first.blocks[b].index, static_cast<int>(b));
      if (b > 0) EXPECT_EQ(first.blocks[b - 1].output, first.blocks[b].input);
      nodes += first.blocks[b].nodes.size();
    }
    EXPECT_EQ(nodes, model.node_count()) << "every node belongs to exactly one block";
  }
}

std::vector<std::string> numbered(const std::string& prefix, std::vector<int> numbers) {
  std::vector<std::string> names;
  for (int number : numbers) names.push_back(prefix + std::to_string(number));
  return names;
}

std::vector<std::string> resnet18_blocks() {
  return {"conv1",    "layer1.0", "layer1.1", "layer2.0", "layer2.1",
          "layer3.0", "layer3.1", "layer4.0", "layer4.1", "head"};
}

// Stem features.0, 17 inverted residuals features.1-17, the final 1x1 conv features.18, then the head.
std::vector<std::string> mobilenet_v2_blocks() {
  std::vector<std::string> names;
  for (int i = 0; i <= 18; ++i) names.push_back("features." + std::to_string(i));
  names.push_back("head");
  return names;
}

void expect_only_head_kept(const Segmentation& segmentation) {
  for (const Block& block : segmentation.blocks) {
    EXPECT_EQ(block.replaceable, block.name != "head") << block.name << ": " << block.why_not_replaceable;
  }
}

// Stem (conv1 + relu + maxpool), 8 basic blocks, head (avgpool + flatten + fc): 10 blocks.
TEST(Segmentation, ResNet18IsStemEightBasicBlocksAndHead) {
  for (const std::string& path : {testing::fixture("resnet18.onnx"), testing::baseline("resnet18_cifar10")}) {
    SCOPED_TRACE(path);
    Graph model = load_model(path);
    Segmentation segmentation = segment_into_blocks(model);
    EXPECT_EQ(block_names(segmentation), resnet18_blocks());
    expect_only_head_kept(segmentation);
    EXPECT_EQ(segmentation.blocks[0].nodes.size(), 3u);
    EXPECT_EQ(segmentation.blocks[3].nodes.size(), 6u) << "layer2.0 holds its downsample conv";
    EXPECT_EQ(segmentation.blocks.back().nodes.size(), 3u);
  }
}

TEST(Segmentation, MobileNetV2IsStemSeventeenInvertedResidualsFinalConvAndHead) {
  for (const std::string& path :
       {testing::fixture("mobilenet_v2.onnx"), testing::baseline("mobilenet_v2_cifar10")}) {
    SCOPED_TRACE(path);
    Graph model = load_model(path);
    Segmentation segmentation = segment_into_blocks(model);
    EXPECT_EQ(block_names(segmentation), mobilenet_v2_blocks());
    expect_only_head_kept(segmentation);
    EXPECT_EQ(segmentation.blocks[2].nodes.size(), 5u) << "features.2: expand, dw, project and two ReLU6";
    EXPECT_EQ(segmentation.blocks[3].nodes.size(), 6u) << "features.3 adds its residual";
  }
}

// Fire modules keep their concat inside; the max pools after features.4 and .7 join those blocks.
TEST(Segmentation, SqueezeNetIsStemEightFireModulesClassifierConvAndHead) {
  Graph model = load_fixture("squeezenet1_1");
  std::vector<std::string> expected = {"features.0"};
  for (const std::string& fire : numbered("features.", {3, 4, 6, 7, 9, 10, 11, 12})) expected.push_back(fire);
  expected.push_back("classifier.1");
  expected.push_back("head");
  EXPECT_EQ(block_names(segment_into_blocks(model)), expected);
}

TEST(Segmentation, ShuffleNetV2KeepsEachUnitWithItsChannelShuffle) {
  Graph model = load_fixture("shufflenet_v2_x0_5");
  std::vector<std::string> expected = {"conv1.0"};
  for (const std::string& unit : numbered("stage2.", {0, 1, 2, 3})) expected.push_back(unit);
  for (const std::string& unit : numbered("stage3.", {0, 1, 2, 3, 4, 5, 6, 7})) expected.push_back(unit);
  for (const std::string& unit : numbered("stage4.", {0, 1, 2, 3})) expected.push_back(unit);
  expected.push_back("conv5.0");
  expected.push_back("head");
  Segmentation segmentation = segment_into_blocks(model);
  EXPECT_EQ(block_names(segmentation), expected);
  int transposes = 0;
  for (NodeId id : segmentation.blocks[2].nodes) transposes += model.node(id).op_type == "Transpose";
  EXPECT_EQ(transposes, 1);
}

// Squeeze-excitation stays inside its inverted residual.
TEST(Segmentation, MobileNetV3SmallIsStemElevenBottlenecksFinalConvAndHead) {
  Graph model = load_fixture("mobilenet_v3_small");
  std::vector<std::string> expected = numbered("features.", {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
  expected.push_back("head");
  Segmentation segmentation = segment_into_blocks(model);
  EXPECT_EQ(block_names(segmentation), expected);
  expect_only_head_kept(segmentation);
}

// No merges and shallow scopes: one block per convolution, its ReLU and pooling attached.
TEST(Segmentation, PlainChainWithoutScopesGetsOneBlockPerConv) {
  Graph model = load_fixture("tiny_cnn");
  Segmentation segmentation = segment_into_blocks(model);
  EXPECT_EQ(block_names(segmentation), (std::vector<std::string>{"conv1", "conv2", "head"}));
  EXPECT_EQ(segmentation.blocks[0].nodes.size(), 3u);
}

TEST(Segmentation, BlockMacsSumToTheModelsAndTextNamesEveryBlock) {
  Graph model = load_fixture("resnet18");
  Segmentation segmentation = segment_into_blocks(model);
  int64_t macs = 0;
  for (const Block& block : segmentation.blocks) macs += block.macs;
  EXPECT_EQ(macs, total_macs(model));
  std::string text = to_text(segmentation, model);
  EXPECT_NE(text.find("layer2.0"), std::string::npos);
  EXPECT_NE(text.find("[2,64,8,8]"), std::string::npos);
  EXPECT_NE(text.find("kept: classifier head"), std::string::npos);
}

TEST(Segmentation, ShapesBeyondTheBatchMustBeStaticToReplace) {
  Graph model = load_fixture("ops_zoo");
  Segmentation segmentation = segment_into_blocks(model);
  ASSERT_GE(segmentation.blocks.size(), 2u);
  EXPECT_TRUE(segmentation.blocks[0].replaceable);
  EXPECT_FALSE(segmentation.blocks[1].replaceable);
  EXPECT_NE(segmentation.blocks[1].why_not_replaceable.find("not static"), std::string::npos);
}

TEST(Segmentation, RejectsGraphsWithTwoOutputs) {
  Graph graph;
  ValueId x = graph.add_input("x", DataType::kFloat32, {1, 4});
  ValueId a = graph.node(graph.add_node("Relu", "a", {x})).outputs[0];
  ValueId b = graph.node(graph.add_node("Sigmoid", "b", {x})).outputs[0];
  graph.outputs = {a, b};
  EXPECT_THROW(segment_into_blocks(graph), Error);
}

}  // namespace
}  // namespace nacre
