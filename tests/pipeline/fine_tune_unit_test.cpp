// A fine-tune unit counts as done only when both its model and its record are in the run directory.
#include "pipeline/fine_tune_unit.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "io/onnx/load_model.h"
#include "test_paths.h"

namespace nacre {
namespace {

namespace fs = std::filesystem;

TEST(FinishedUnit, OnlyWhenTheModelAndItsRecordAreBothThere) {
  std::string root = testing::scratch_dir("finished_unit") + "/run";
  OptimizeContext context(OptimizeOptions{}, RunDirectory::open(root, {{"test", "finished_unit"}}));
  std::string unit = "finetune/neighbours/0.1.2/0.4.2";
  EXPECT_FALSE(finished_unit(context, unit).has_value());

  // A run killed between the two writes left the model alone: not done, so it is trained again.
  fs::copy_file(testing::fixture("tiny_cnn.onnx"), context.run.path(unit + ".onnx"));
  EXPECT_FALSE(finished_unit(context, unit).has_value());

  context.run.write_json(unit + ".json", {{"architecture", "0.4.2"}});
  std::optional<Graph> done = finished_unit(context, unit);
  ASSERT_TRUE(done.has_value());
  Graph expected = load_model(testing::fixture("tiny_cnn.onnx"));
  EXPECT_EQ(done->node_count(), expected.node_count());
  EXPECT_EQ(done->value_count(), expected.value_count());
}

}  // namespace
}  // namespace nacre
