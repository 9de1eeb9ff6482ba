#include <gtest/gtest.h>

#include "ir/shape_inference.h"
#include "ir/verify.h"
#include "space/block.h"
#include "space_test_helpers.h"

namespace nacre {
namespace {

using namespace nacre::testing;

TEST(BlockGraph, ConcatenatingTheExtractedBlocksReproducesEveryFixtureExactly) {
  for (const std::string& name : fixture_models()) {
    SCOPED_TRACE(name);
    Graph model = load_fixture(name);
    Segmentation segmentation = segment_into_blocks(model);
    std::vector<Graph> blocks;
    for (const Block& block : segmentation.blocks) {
      blocks.push_back(extract_block(model, block));
      const Graph& graph = blocks.back();
      EXPECT_EQ(graph.value(graph.inputs[0]).name, model.value(block.input).name);
      EXPECT_EQ(graph.value(graph.outputs[0]).name, model.value(block.output).name);
      EXPECT_TRUE(find_problems(graph).empty()) << block.name;
    }
    std::vector<const Graph*> pointers;
    for (const Graph& block : blocks) pointers.push_back(&block);
    Graph joined = concatenate_blocks(pointers, model.name);
    infer_shapes(joined);
    verify(joined);
    EXPECT_EQ(joined.node_count(), model.node_count());
    Tensor input = fixture_input(name);
    EXPECT_EQ(max_abs_difference(run_graph(joined, input), run_graph(model, input)), 0.0f);
  }
}

TEST(BlockGraph, EachExtractedBlockComputesItsSliceOfTheModel) {
  Graph model = load_fixture("resnet18");
  Segmentation segmentation = segment_into_blocks(model);
  Tensor activation = fixture_input("resnet18");
  for (const Block& block : segmentation.blocks)
    activation = run_graph(extract_block(model, block), activation);
  EXPECT_EQ(max_abs_difference(activation, run_graph(model, fixture_input("resnet18"))), 0.0f);
}

TEST(BlockGraph, ConcatenationMakesRepeatedNamesUnique) {
  Graph identity;
  ValueId x = identity.add_input("x", DataType::kFloat32, {1, 4});
  identity.outputs = {identity.node(identity.add_node("Relu", "act", {x})).outputs[0]};
  Graph joined = concatenate_blocks({&identity, &identity, &identity}, "chain");
  infer_shapes(joined);
  verify(joined);
  EXPECT_EQ(joined.node_count(), 3u);
  EXPECT_NE(joined.node(0).name, joined.node(1).name);
  EXPECT_NE(joined.node(1).name, joined.node(2).name);
  EXPECT_EQ(joined.value(joined.inputs[0]).name, "x");
}

}  // namespace
}  // namespace nacre
