// The torchscript target: every fixture model runs frozen and optimised, checked against the executor; it is
// the default target; ops it cannot express are refused by node name.
#include <gtest/gtest.h>

#include <algorithm>

#include "io/onnx/load_model.h"
#include "latency/model_inputs.h"
#include "latency/target_registry.h"
#include "latency_test_helpers.h"
#include "test_paths.h"
#include "util/error.h"

namespace nacre {
namespace {

class TorchScriptRunsFixtures : public ::testing::TestWithParam<std::string> {};

TEST_P(TorchScriptRunsFixtures, OutputsMatchTheExecutorAndAreTimed) {
  std::unique_ptr<Target> target = find_target("torchscript");
  Graph graph = load_model(testing::fixture(GetParam()));
  LatencyMeasurement measurement = measure_latency(graph, *target, testing::quick_request(2));
  EXPECT_TRUE(measurement.outputs_checked);
  EXPECT_GT(measurement.stats.median_ms, 0);
  EXPECT_GE(measurement.stats.runs, 6);
}

// ops_zoo included: the torchscript target runs every op nacre knows.
INSTANTIATE_TEST_SUITE_P(Fixtures, TorchScriptRunsFixtures,
                         ::testing::Values("tiny_cnn.onnx", "resnet18.onnx", "mobilenet_v2.onnx",
                                           "squeezenet1_1.onnx", "mobilenet_v3_small.onnx",
                                           "shufflenet_v2_x0_5.onnx", "resnet18_dynamic_batch.onnx",
                                           "resnet18_opset11.onnx", "resnet18_opset17.onnx",
                                           "mobilenet_v2_external/model.onnx", "ops_zoo.onnx"),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string name = info.param.substr(0, info.param.find('.'));
                           std::replace(name.begin(), name.end(), '/', '_');
                           return name;
                         });

TEST(TorchScriptTarget, IsTheFirstAndDefaultTarget) {
  EXPECT_EQ(all_targets().front()->name(), "torchscript");
  EXPECT_EQ(default_target()->name(), "torchscript");
  std::unique_ptr<Target> target = find_target("torchscript");
  std::vector<std::string> ops = target->supported_op_types();
  EXPECT_NE(std::find(ops.begin(), ops.end(), "Conv"), ops.end());
  EXPECT_EQ(std::find(ops.begin(), ops.end(), "Einsum"), ops.end());
}

TEST(TorchScriptTarget, PreparedModelComputesTheSameOutputsAtAnotherBatch) {
  Graph graph = graph_with_batch(load_model(testing::fixture("resnet18_dynamic_batch.onnx")), 3);
  std::unique_ptr<PreparedModel> model = find_target("torchscript")->prepare(graph, 3, 1);
  std::vector<Tensor> inputs = random_inputs(graph, 7);
  model->set_inputs(inputs);
  std::optional<std::vector<Tensor>> outputs = model->compute_outputs();
  ASSERT_TRUE(outputs.has_value());
  ASSERT_EQ(outputs->size(), 1u);
  EXPECT_EQ(outputs->at(0).shape(), *graph.value(graph.outputs[0]).shape);
  EXPECT_EQ(model->time_runs(3).size(), 3u);
}

Graph graph_with_einsum() {
  Graph graph;
  graph.name = "einsum_graph";
  ValueId x = graph.add_input("x", DataType::kFloat32, {1, 4});
  NodeId relu = graph.add_node("Relu", "my_relu", {x});
  NodeId einsum = graph.add_node("Einsum", "my_einsum", {graph.node(relu).outputs[0]}, 1,
                                 {{"equation", std::string("ij->ji")}});
  graph.value(graph.node(relu).outputs[0]).shape = Shape{1, 4};
  graph.value(graph.node(einsum).outputs[0]).shape = Shape{4, 1};
  graph.outputs = graph.node(einsum).outputs;
  return graph;
}

TEST(TorchScriptTarget, AnUnsupportedOpIsRefusedByNodeName) {
  std::unique_ptr<Target> target = find_target("torchscript");
  Graph graph = graph_with_einsum();
  EXPECT_EQ(unsupported_nodes(*target, graph), std::vector<std::string>{"my_einsum (Einsum)"});
  try {
    target->prepare(graph, 1, 1);
    FAIL() << "preparing a graph with an Einsum must throw";
  } catch (const Error& error) {
    std::string message = error.what();
    EXPECT_NE(message.find("'my_einsum' (Einsum)"), std::string::npos) << message;
    EXPECT_NE(message.find("torchscript target cannot express"), std::string::npos) << message;
    EXPECT_EQ(message.find("my_relu"), std::string::npos) << message;
  }
}

}  // namespace
}  // namespace nacre
