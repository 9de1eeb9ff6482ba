// Weight sharing between fine-tuned architectures. "Training" here is simulated: every weight of a
// materialized architecture scaled (a stand-in that cannot be confused with the distilled weights); the
// round trip through real fine-tuning is tests/pipeline/inherit_after_fine_tune_test.cpp.
#include <gtest/gtest.h>

#include <random>
#include <set>

#include "space/inherit_trained_weights.h"
#include "space_test_helpers.h"
#include "util/error.h"

namespace nacre {
namespace {

using namespace nacre::testing;

Graph scaled_weights(const Graph& graph, float factor) {
  Graph result = graph.clone();
  for (ValueId id = 0; id < static_cast<ValueId>(result.value_count()); ++id) {
    Value& value = result.value(id);
    if (!value.initializer || value.initializer->dtype() != DataType::kFloat32) continue;
    Tensor scaled(DataType::kFloat32, value.initializer->shape());
    for (int64_t i = 0; i < scaled.numel(); ++i) {
      scaled.mutable_data<float>()[i] = value.initializer->data<float>()[i] * factor;
    }
    value.initializer = std::move(scaled);
  }
  return result;
}

// An architecture with a non-keep candidate wherever a block has one, and its variant changing `changed`.
Architecture all_replaced(const SearchSpace& space) {
  Architecture architecture = keep_everything(space);
  for (size_t b = 0; b < space.candidates.size(); ++b) {
    architecture.choices[b] = static_cast<int>(space.candidates[b].size()) - 1;
  }
  return architecture;
}

struct Resnet18Space {
  SearchSpace space = build_search_space(load_fixture("resnet18"));
};

const Resnet18Space& resnet18_space() {
  static const Resnet18Space value;
  return value;
}

TEST(BlockScopedNames, EveryChosenNodeKeepsItsNameInTheMaterializedModel) {
  const SearchSpace& space = resnet18_space().space;
  std::mt19937 random(3);
  for (int trial = 0; trial < 5; ++trial) {
    Architecture architecture;
    for (const auto& choices : space.candidates) {
      architecture.choices.push_back(std::uniform_int_distribution<int>(0, int(choices.size()) - 1)(random));
    }
    Graph model = materialize(space, architecture);
    std::set<std::string> names;
    for (const Node& node : model.nodes()) names.insert(node.name);
    EXPECT_EQ(names.size(), model.node_count()) << architecture.encode();
    for (size_t b = 0; b < space.candidates.size(); ++b) {
      for (const Node& node : space.candidates[b][architecture.choices[b]].graph.nodes()) {
        EXPECT_TRUE(names.count(node.name)) << node.name << " in " << architecture.encode();
      }
    }
  }
}

TEST(InheritTrainedWeights, AnArchitectureTakesEveryWeightFromItsOwnTrainedModel) {
  const SearchSpace& space = resnet18_space().space;
  Architecture architecture = all_replaced(space);
  Graph trained = scaled_weights(materialize(space, architecture), 1.5f);
  Graph start = materialize(space, architecture);
  EXPECT_GT(inherit_trained_weights(start, space, architecture, trained, architecture), 0);
  Tensor input = fixture_input("resnet18");
  EXPECT_EQ(max_abs_difference(run_graph(start, input), run_graph(trained, input)), 0.0f);
}

TEST(InheritTrainedWeights, OnlyBlocksChosenAlikeTakeTrainedWeights) {
  const SearchSpace& space = resnet18_space().space;
  Architecture donor = keep_everything(space);
  Architecture architecture = all_replaced(space);
  architecture.choices[1] = 0;  // layer1.0 kept as in the donor (and blocks with "keep" alone)
  Graph trained = scaled_weights(materialize(space, donor), 2.0f);
  Graph fresh = materialize(space, architecture);
  Graph start = fresh.clone();
  int taken = inherit_trained_weights(start, space, architecture, trained, donor);
  std::set<std::string> shared_nodes;
  for (size_t b = 0; b < space.candidates.size(); ++b) {
    if (architecture.choices[b] != 0) continue;
    for (const Node& node : space.candidates[b][0].graph.nodes()) shared_nodes.insert(node.name);
  }
  int changed = 0;
  for (NodeId id = 0; id < static_cast<NodeId>(start.node_count()); ++id) {
    const Node& node = start.node(id);
    for (size_t slot = 0; slot < node.inputs.size(); ++slot) {
      if (!start.is_constant(node.inputs[slot])) continue;
      const Tensor& now = start.constant(node.inputs[slot]);
      const Tensor& before = fresh.constant(fresh.node(id).inputs[slot]);
      bool same = now.shares_bytes_with(before);
      if (!same) ++changed;
      EXPECT_EQ(same, !shared_nodes.count(node.name)) << node.name << " input " << slot;
    }
  }
  EXPECT_EQ(changed, taken);
  EXPECT_GT(taken, 0);
}

TEST(InheritTrainedWeights, AConvGetsTheBiasItsTrainedTwinGained) {
  const SearchSpace& space = resnet18_space().space;
  Architecture architecture = keep_everything(space);
  Graph trained = scaled_weights(materialize(space, architecture), 1.5f);
  Graph start = materialize(space, architecture);
  NodeId conv = kNoNode;
  for (NodeId id = 0; id < static_cast<NodeId>(start.node_count()); ++id) {
    if (start.node(id).op_type == "Conv" && start.node(id).inputs.size() == 3) conv = id;
  }
  ASSERT_NE(conv, kNoNode);
  start.node(conv).inputs.resize(2);  // as a BN-unfolded original without a bias would be
  inherit_trained_weights(start, space, architecture, trained, architecture);
  Tensor input = fixture_input("resnet18");
  EXPECT_EQ(max_abs_difference(run_graph(start, input), run_graph(trained, input)), 0.0f);
}

TEST(NearerThanKeepEverything, ADonorIsTakenOnlyWhenItDiffersInFewerBlocksThanTheOriginal) {
  Architecture two_replaced{{0, 0, 0, 0, 3, 4}};
  EXPECT_TRUE(nearer_than_keep_everything(two_replaced, two_replaced));
  EXPECT_TRUE(nearer_than_keep_everything(two_replaced, Architecture{{0, 0, 0, 0, 3, 1}}));   // 1 block apart
  EXPECT_FALSE(nearer_than_keep_everything(two_replaced, Architecture{{0, 0, 0, 0, 1, 1}}));  // 2 apart
  EXPECT_FALSE(nearer_than_keep_everything(two_replaced, Architecture{{1, 2, 0, 0, 3, 4}}));  // shares 4
  Architecture mostly_replaced{{1, 2, 3, 4, 5, 0}};
  EXPECT_TRUE(nearer_than_keep_everything(mostly_replaced, Architecture{{1, 2, 3, 0, 0, 0}}));
  EXPECT_FALSE(nearer_than_keep_everything(Architecture{{0, 0, 0}}, Architecture{{0, 0, 0}}));  // keeps all
  EXPECT_FALSE(nearer_than_keep_everything(two_replaced, Architecture{{0, 0, 3, 4}}));  // another space
}

TEST(InheritTrainedWeights, ArchitecturesOfAnotherSpaceAreRefused) {
  const SearchSpace& space = resnet18_space().space;
  Graph start = materialize(space, keep_everything(space));
  Architecture short_one{{0, 0}};
  EXPECT_THROW(inherit_trained_weights(start, space, keep_everything(space), start, short_one), Error);
  EXPECT_EQ(shared_blocks(keep_everything(space), short_one), 0);
  EXPECT_EQ(shared_blocks(keep_everything(space), keep_everything(space)),
            static_cast<int>(space.candidates.size()));
}

}  // namespace
}  // namespace nacre
