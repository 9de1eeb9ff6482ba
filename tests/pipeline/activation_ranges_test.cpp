// measure_activation_ranges on a graph small enough to know the answer: y = Relu(x - 0.3).
#include "pipeline/activation_ranges.h"

#include <gtest/gtest.h>

#include "util/error.h"

namespace nacre {
namespace {

// Six one-pixel grey images with values 10, 40, ..., 160; a model with a fixed batch of 4 (so the last
// batch is padded with zeros, which must not count).
LabeledImages images() {
  LabeledImages data;
  data.description = "six grey pixels";
  data.class_names = {"a"};
  data.images = Tensor(DataType::kUInt8, {6, 1, 1, 1});
  for (int i = 0; i < 6; ++i) {
    data.images.mutable_data<uint8_t>()[i] = static_cast<uint8_t>(10 + 30 * i);
    data.labels.push_back(0);
  }
  return data;
}

// y = Relu(x - 0.3): negative for the darker pixels.
Graph shifted_relu(int64_t batch) {
  Graph graph;
  ValueId x = graph.add_input("x", DataType::kFloat32, {batch, 1, 1, 1});
  ValueId shift = graph.add_initializer("shift", Tensor::scalar<float>(0.3f));
  NodeId sub = graph.add_node("Sub", "sub", {x, shift});
  NodeId relu = graph.add_node("Relu", "relu", {graph.node(sub).outputs[0]});
  graph.outputs = graph.node(relu).outputs;
  graph.value(graph.node(sub).outputs[0]).shape = Shape{batch, 1, 1, 1};
  graph.value(graph.node(relu).outputs[0]).shape = Shape{batch, 1, 1, 1};
  return graph;
}

Preprocessing one_pixel() {
  Preprocessing preprocessing;
  preprocessing.channels = preprocessing.height = preprocessing.width = 1;
  return preprocessing;
}

TEST(MeasureActivationRanges, InputsAndIntermediatesOverEveryExampleButNotThePadding) {
  Graph graph = shifted_relu(4);
  ValueId shifted = graph.node(graph.find_node("sub")).outputs[0];
  ValueId relu = graph.outputs[0];
  auto ranges =
      measure_activation_ranges(graph, {graph.inputs[0], shifted, relu}, images(), one_pixel(), 64, false);
  EXPECT_NEAR(ranges.at("x").min, 10 / 255.0, 1e-6);
  EXPECT_NEAR(ranges.at("x").max, 160 / 255.0, 1e-6);
  EXPECT_NEAR(ranges.at(graph.value(shifted).name).min, 10 / 255.0 - 0.3, 1e-6);  // padding would give -0.3
  EXPECT_NEAR(ranges.at(graph.value(relu).name).min, 0.0, 1e-6);
  EXPECT_NEAR(ranges.at(graph.value(relu).name).max, 160 / 255.0 - 0.3, 1e-6);
}

TEST(MeasureActivationRanges, DynamicBatchGivesTheSameRanges) {
  Graph graph = shifted_relu(-1);
  ValueId relu = graph.outputs[0];
  auto ranges = measure_activation_ranges(graph, {relu}, images(), one_pixel(), 4, false);
  EXPECT_NEAR(ranges.at(graph.value(relu).name).max, 160 / 255.0 - 0.3, 1e-6);
}

TEST(MeasureActivationRanges, DataThatDoesNotFitIsAnError) {
  Graph graph = shifted_relu(4);
  Preprocessing three_channels = one_pixel();
  three_channels.channels = 3;
  EXPECT_THROW(measure_activation_ranges(graph, {graph.outputs[0]}, images(), three_channels, 4, false),
               Error);
}

}  // namespace
}  // namespace nacre
