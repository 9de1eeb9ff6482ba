// Uniform pruning on torchvision fixtures: per-block inner widths as an architecture of the space, and every
// layer's channels on the whole model (residual streams and the classifier's inputs included), which must
// still run, keep its output shape, and at width 1 compute exactly what the model did.
#include "space/uniform_width.h"

#include <gtest/gtest.h>

#include "ir/cost.h"
#include "space_test_helpers.h"
#include "util/error.h"

namespace nacre {
namespace {

using namespace nacre::testing;

const Node& node_named(const Graph& graph, const std::string& op_type, const std::string& name_part) {
  for (const Node& node : graph.nodes()) {
    if (node.op_type == op_type && node.name.find(name_part) != std::string::npos) return node;
  }
  throw make_error("no ", op_type, " named like ", name_part);
}

Shape weight_shape(const Graph& graph, const std::string& op_type, const std::string& name_part) {
  return graph.constant(node_named(graph, op_type, name_part).inputs[1]).shape();
}

TEST(UniformWidth, EveryBlockWithAWidthCandidateTakesIt) {
  SearchSpace space = build_search_space(load_fixture("resnet18"));
  Architecture architecture = uniform_width(space, 0.5);
  int narrowed = 0;
  for (size_t b = 0; b < space.candidates.size(); ++b) {
    const std::string& id = space.candidates[b][architecture.choices[b]].id;
    if (id.find("/width0.50") != std::string::npos) ++narrowed;
  }
  EXPECT_EQ(narrowed, 8) << "the eight basic blocks";
  EXPECT_THROW(uniform_width(space, 0.3), Error);
}

TEST(UniformChannels, WidthOneComputesWhatTheModelDid) {
  for (const std::string name : {"resnet18", "mobilenet_v2"}) {
    SCOPED_TRACE(name);
    Graph model = load_fixture(name);
    SearchSpace space = build_search_space(model);
    WidthReduction same = uniform_channels(space, 1.0);
    Tensor input = fixture_input(name);
    EXPECT_LE(max_abs_difference(run_graph(same.graph, input), run_graph(model, input)), 1e-5f);
  }
}

TEST(UniformChannels, HalvesEveryLayerOfAResNetResidualStreamsAndClassifierIncluded) {
  Graph model = load_fixture("resnet18");
  SearchSpace space = build_search_space(model);
  WidthReduction half = uniform_channels(space, 0.5);
  // Four residual streams (64..512 channels) and eight blocks' hidden channels.
  EXPECT_EQ(half.channels.size(), 12u);
  for (const auto& [before, after] : half.channels) EXPECT_EQ(after, before / 2);
  EXPECT_EQ(weight_shape(half.graph, "Conv", "conv1")[0], 32) << "the stem writes the first stream";
  EXPECT_EQ(weight_shape(half.graph, "Gemm", "fc"), (Shape{1000, 256})) << "the classifier reads the last";
  Tensor input = fixture_input("resnet18");
  Tensor output = run_graph(half.graph, input);
  EXPECT_EQ(output.shape(), run_graph(model, input).shape());
  EXPECT_LT(total_macs(half.graph), total_macs(model) / 3);
}

TEST(UniformChannels, NarrowsMobileNetV2AndItStillRuns) {
  Graph model = load_fixture("mobilenet_v2");
  WidthReduction half = uniform_channels(build_search_space(model), 0.5);
  EXPECT_GT(half.channels.size(), 17u) << "every inverted residual's expansion, and the streams";
  Tensor input = fixture_input("mobilenet_v2");
  EXPECT_EQ(run_graph(half.graph, input).shape(), run_graph(model, input).shape());
  EXPECT_EQ(weight_shape(half.graph, "Gemm", "classifier")[1], 640);
}

}  // namespace
}  // namespace nacre
