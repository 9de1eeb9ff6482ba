#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "io/onnx/onnx_export.h"
#include "space/search_space.h"
#include "space_test_helpers.h"

namespace nacre {
namespace {

using namespace nacre::testing;

Architecture random_architecture(const SearchSpace& space, std::mt19937& random) {
  Architecture architecture;
  for (const auto& choices : space.candidates) {
    architecture.choices.push_back(std::uniform_int_distribution<int>(0, int(choices.size()) - 1)(random));
  }
  return architecture;
}

TEST(SearchSpace, KeepEverythingReproducesEveryFixture) {
  for (const std::string& name : fixture_models()) {
    SCOPED_TRACE(name);
    Graph model = load_fixture(name);
    SearchSpace space = build_search_space(model);
    ASSERT_EQ(space.candidates.size(), space.segmentation.blocks.size());
    for (size_t b = 0; b < space.candidates.size(); ++b) {
      ASSERT_FALSE(space.candidates[b].empty());
      EXPECT_EQ(space.candidates[b][0].generator, "keep");
      EXPECT_EQ(space.candidates[b][0].weight_origin, "original");
      if (!space.segmentation.blocks[b].replaceable) EXPECT_EQ(space.candidates[b].size(), 1u);
    }
    Graph kept = materialize(space, keep_everything(space));
    Tensor input = fixture_input(name);
    // Exact up to float summation order: candidates have their dead kernel taps trimmed.
    EXPECT_LE(max_abs_difference(run_graph(kept, input), run_graph(model, input)), 1e-5f);
  }
}

TEST(SearchSpace, CandidatesHaveUniqueIdsAndTheirBlocksShapes) {
  SearchSpace space = build_search_space(load_fixture("mobilenet_v2"));
  std::set<std::string> ids;
  for (size_t b = 0; b < space.candidates.size(); ++b) {
    const Block& block = space.segmentation.blocks[b];
    for (const Candidate& candidate : space.candidates[b]) {
      EXPECT_TRUE(ids.insert(candidate.id).second) << candidate.id;
      EXPECT_EQ(*candidate.graph.value(candidate.graph.inputs[0]).shape, block.input_shape) << candidate.id;
      EXPECT_EQ(*candidate.graph.value(candidate.graph.outputs[0]).shape, block.output_shape) << candidate.id;
      EXPECT_FALSE(candidate.weight_origin.empty()) << candidate.id;
      EXPECT_FALSE(candidate.description.empty()) << candidate.id;
      EXPECT_LE(candidate.macs, space.candidates[b][0].macs) << candidate.id << " costs more than keep";
    }
  }
}

TEST(SearchSpace, SizeIsTheProductOfChoices) {
  SearchSpace space = build_search_space(load_fixture("resnet18"));
  double expected = 1.0;
  for (const auto& choices : space.candidates) expected *= double(choices.size());
  EXPECT_DOUBLE_EQ(space.size(), expected);
  EXPECT_GT(space.size(), 1000.0);
}

TEST(SearchSpace, GeneratorsNeedingUnsupportedOpsAreLeftOut) {
  Graph model = load_fixture("resnet18");
  SpaceOptions options;
  options.supported_ops = {"Conv", "Relu", "Add", "MaxPool", "GlobalAveragePool", "Flatten", "Gemm"};
  SearchSpace space = build_search_space(model, options);
  for (const auto& choices : space.candidates) {
    for (const Candidate& candidate : choices)
      EXPECT_NE(candidate.generator, "skip") << "skip needs Identity";
  }
  options = {};
  options.generators = {"width"};
  space = build_search_space(model, options);
  EXPECT_EQ(space.candidates[1].size(), 4u) << "keep plus widths 0.25, 0.5, 0.75";
  for (const auto& choices : space.candidates) {
    for (size_t i = 1; i < choices.size(); ++i) EXPECT_EQ(choices[i].generator, "width");
  }
}

TEST(Architecture, EncodesCompactlyAndDecodesBack) {
  Architecture architecture{{0, 3, 1, 12}};
  EXPECT_EQ(architecture.encode(), "0.3.1.12");
  EXPECT_EQ(Architecture::decode("0.3.1.12").choices, architecture.choices);
  EXPECT_EQ(Architecture::decode("5").choices, std::vector<int>{5});
  for (const char* bad : {"", "1..2", "1.2.", ".1", "1.-2", "a.b", "1,2"}) {
    EXPECT_THROW(Architecture::decode(bad), Error) << bad;
  }
}

TEST(Architecture, MaterializeRejectsWrongLengthAndOutOfRangeChoices) {
  SearchSpace space = build_search_space(load_fixture("tiny_cnn"));
  Architecture too_short{{0}};
  EXPECT_THROW(materialize(space, too_short), Error);
  Architecture out_of_range = keep_everything(space);
  out_of_range.choices[0] = static_cast<int>(space.candidates[0].size());
  EXPECT_THROW(materialize(space, out_of_range), Error);
}

// Random architectures survive export to ONNX and re-import with the same outputs.
TEST(Architecture, RandomArchitecturesExportAndReimportWithTheSameOutputs) {
  std::mt19937 random(11);
  for (const std::string& name : {"resnet18", "mobilenet_v2", "shufflenet_v2_x0_5"}) {
    SCOPED_TRACE(name);
    SearchSpace space = build_search_space(load_fixture(name));
    Tensor input = fixture_input(name);
    for (int sample = 0; sample < 3; ++sample) {
      Architecture architecture = random_architecture(space, random);
      SCOPED_TRACE(architecture.encode());
      Graph graph = materialize(space, architecture);
      std::string path = scratch_dir("space_export") + "/arch.onnx";
      export_onnx(graph, path);
      Graph reloaded = load_model(path);
      Tensor expected = run_graph(graph, input);
      EXPECT_LE(max_abs_difference(run_graph(reloaded, input), expected), 1e-5f);
    }
  }
}

}  // namespace
}  // namespace nacre
