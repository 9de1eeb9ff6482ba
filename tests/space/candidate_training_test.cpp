// Every candidate of every generator runs forward and trains: gradients reach its weights and are finite.
#include <gtest/gtest.h>

#include <map>

#include "exec/graph_module_torch.h"
#include "space/search_space.h"
#include "space_test_helpers.h"

namespace nacre {
namespace {

using namespace nacre::testing;

void expect_trains(const Candidate& candidate, const Shape& input_shape) {
  GraphModule module(candidate.graph);
  module.train();
  // The input needs gradients too: every candidate, parameter-free ones (identity) included, must pass
  // them on to earlier blocks.
  torch::Tensor input = to_torch(random_input(input_shape)).requires_grad_(true);
  torch::Tensor output = module.forward({input}).at(0);
  output.pow(2).mean().backward();
  ASSERT_TRUE(input.grad().defined()) << candidate.id;
  EXPECT_TRUE(torch::isfinite(input.grad()).all().item<bool>()) << candidate.id;
  for (const torch::Tensor& parameter : module.parameters()) {
    ASSERT_TRUE(parameter.grad().defined()) << candidate.id;
    EXPECT_TRUE(torch::isfinite(parameter.grad()).all().item<bool>()) << candidate.id;
  }
}

TEST(Candidates, EveryGeneratorsCandidatesRunForwardAndBackward) {
  std::map<std::string, int> per_generator;
  for (const std::string name : {"resnet18", "mobilenet_v2", "mobilenet_v3_small", "squeezenet1_1",
                                 "shufflenet_v2_x0_5", "tiny_cnn"}) {
    SCOPED_TRACE(name);
    SearchSpace space = build_search_space(load_fixture(name));
    for (size_t b = 0; b < space.candidates.size(); ++b) {
      const Block& block = space.segmentation.blocks[b];
      Tensor input = random_input(block.input_shape);
      for (const Candidate& candidate : space.candidates[b]) {
        SCOPED_TRACE(candidate.id);
        ++per_generator[candidate.generator];
        Tensor output = run_graph(candidate.graph, input);
        Shape expected = block.output_shape;
        if (expected[0] < 0) expected[0] = input.shape()[0];
        EXPECT_EQ(output.shape(), expected);
        expect_trains(candidate, block.input_shape);
      }
    }
  }
  for (const char* generator : {"keep", "width", "skip"})
    EXPECT_GT(per_generator[generator], 10) << generator;
}

}  // namespace
}  // namespace nacre
