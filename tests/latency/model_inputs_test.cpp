// Any graph gets the requested batch on its inputs and random inputs of the right shape.
#include "latency/model_inputs.h"

#include <gtest/gtest.h>

#include "io/onnx/load_model.h"
#include "test_paths.h"

namespace nacre {
namespace {

TEST(ModelInputs, UnknownBatchGetsTheRequestedOne) {
  Graph graph = load_model(testing::fixture("resnet18_dynamic_batch.onnx"));
  ASSERT_LT((*graph.value(graph.inputs[0]).shape)[0], 0);
  Graph batched = graph_with_batch(graph, 5);
  EXPECT_EQ((*batched.value(batched.inputs[0]).shape)[0], 5);
  EXPECT_EQ((*batched.value(batched.outputs[0]).shape)[0], 5);
  std::vector<Tensor> inputs = random_inputs(batched);
  ASSERT_EQ(inputs.size(), 1u);
  EXPECT_EQ(inputs[0].shape(), *batched.value(batched.inputs[0]).shape);
}

TEST(ModelInputs, EveryShapeIsStaticAfterBatching) {
  // ops_zoo's Shape/Gather/Concat -> Reshape chains only fold once the batch is known.
  Graph batched = graph_with_batch(load_model(testing::fixture("ops_zoo.onnx")), 2);
  for (ValueId id = 0; id < static_cast<ValueId>(batched.value_count()); ++id) {
    const Value& value = batched.value(id);
    ASSERT_TRUE(value.shape.has_value()) << value.name;
    EXPECT_TRUE(is_static(*value.shape)) << value.name << " " << to_string(*value.shape);
  }
}

TEST(ModelInputs, StaticBatchIsReplacedWhenTheGraphAllowsIt) {
  Graph graph = load_model(testing::fixture("tiny_cnn.onnx"));
  Graph batched = graph_with_batch(graph, 7);
  EXPECT_EQ((*batched.value(batched.outputs[0]).shape)[0], 7);
}

TEST(ModelInputs, RandomInputsAreSeededAndInRange) {
  Graph graph = graph_with_batch(load_model(testing::fixture("tiny_cnn.onnx")), 1);
  std::vector<float> a = random_inputs(graph, 3)[0].to_vector<float>();
  std::vector<float> b = random_inputs(graph, 3)[0].to_vector<float>();
  std::vector<float> c = random_inputs(graph, 4)[0].to_vector<float>();
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  for (float value : a) {
    EXPECT_GE(value, 0.0f);
    EXPECT_LT(value, 1.0f);
  }
}

}  // namespace
}  // namespace nacre
