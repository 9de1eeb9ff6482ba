// GraphModule's parameters and buffers, train-mode BatchNormalization, write-back, and InferenceSession.
#include <gtest/gtest.h>

#include <set>

#include "exec/graph_test_helpers.h"
#include "exec/inference_session.h"
#include "util/error.h"

namespace nacre {
namespace {

// x [2,3,6,6] -> Conv(conv.weight, conv.bias) -> BatchNormalization(bn.*) -> y
Graph conv_bn_graph() {
  Graph graph;
  ValueId x = graph.add_input("x", DataType::kFloat32, {2, 3, 6, 6});
  ValueId w = graph.add_initializer("conv.weight", testing::random_weights({4, 3, 3, 3}));
  ValueId b = graph.add_initializer("conv.bias", testing::random_weights({4}));
  ValueId conv = graph.node(graph.add_node("Conv", "conv", {x, w, b})).outputs[0];
  std::vector<ValueId> bn_inputs = {conv};
  bn_inputs.push_back(graph.add_initializer("bn.scale", Tensor::from_vector<float>({4}, {1, 2, 1, 0.5})));
  bn_inputs.push_back(graph.add_initializer("bn.bias", Tensor::from_vector<float>({4}, {0, 1, 0, -1})));
  bn_inputs.push_back(graph.add_initializer("bn.mean", Tensor::from_vector<float>({4}, {0, 0, 0, 0})));
  bn_inputs.push_back(graph.add_initializer("bn.var", Tensor::from_vector<float>({4}, {1, 1, 1, 1})));
  NodeId bn = graph.add_node("BatchNormalization", "bn", bn_inputs, 1, {{"momentum", 0.9}});
  graph.outputs = graph.node(bn).outputs;
  return graph;
}

TEST(GraphModule, WeightsAreParametersAndStatisticsAreBuffersUnderSanitisedNames) {
  GraphModule module(conv_bn_graph());
  std::set<std::string> parameters, buffers;
  for (const auto& item : module.named_parameters()) {
    parameters.insert(item.key());
    EXPECT_TRUE(item.value().requires_grad()) << item.key();
  }
  for (const auto& item : module.named_buffers()) buffers.insert(item.key());
  EXPECT_EQ(parameters, (std::set<std::string>{"conv_weight", "conv_bias", "bn_scale", "bn_bias"}));
  EXPECT_EQ(buffers, (std::set<std::string>{"bn_mean", "bn_var"}));
  EXPECT_EQ(module.graph().value(module.value_for_torch_name("bn_mean")).name, "bn.mean");
  EXPECT_EQ(module.value_for_torch_name("missing"), kNoValue);
}

TEST(GraphModule, MatMulWeightAndTheBiasAddedToItAreParameters) {
  Graph graph;
  ValueId x = graph.add_input("x", DataType::kFloat32, {2, 5, 3});
  ValueId w = graph.add_initializer("linear.weight", testing::random_weights({3, 4}));
  ValueId b = graph.add_initializer("linear.bias", testing::random_weights({4}));
  ValueId scale = graph.add_initializer("scale", testing::random_weights({4}));
  ValueId product = graph.node(graph.add_node("MatMul", "matmul", {x, w})).outputs[0];
  ValueId biased = graph.node(graph.add_node("Add", "add", {b, product})).outputs[0];
  graph.outputs = graph.node(graph.add_node("Add", "other_add", {biased, scale})).outputs;
  GraphModule module(graph);
  std::set<std::string> parameters;
  for (const auto& item : module.named_parameters()) parameters.insert(item.key());
  EXPECT_EQ(parameters, (std::set<std::string>{"linear_weight", "linear_bias"}));
  EXPECT_EQ(module.named_buffers().size(), 1u);
}

TEST(GraphModule, TrainModeUsesBatchStatisticsAndUpdatesRunningOnesWithOnnxMomentum) {
  torch::manual_seed(7);
  Graph graph = conv_bn_graph();
  GraphModule module(graph);
  torch::Tensor x = torch::randn({2, 3, 6, 6});
  module.train();
  torch::Tensor y = module.forward({x}).at(0);
  // Channel 0 has scale 1, bias 0: batch-normalised output has mean 0 and (biased) variance 1.
  EXPECT_NEAR(y.select(1, 0).mean().item<double>(), 0.0, 1e-5);
  EXPECT_NEAR(y.select(1, 0).var(false).item<double>(), 1.0, 1e-3);

  Graph trained = module.to_graph();
  torch::Tensor conv_out = torch::conv2d(x, to_torch(graph.constant(graph.find_value("conv.weight"))),
                                         to_torch(graph.constant(graph.find_value("conv.bias"))));
  torch::Tensor batch_mean = conv_out.mean({0, 2, 3});
  torch::Tensor running_mean = to_torch(trained.constant(trained.find_value("bn.mean")));
  EXPECT_TRUE(torch::allclose(running_mean, 0.1 * batch_mean, 1e-5, 1e-5));  // 0.9 * 0 + 0.1 * batch

  module.eval();
  torch::Tensor eval_output = module.forward({x}).at(0);
  EXPECT_FALSE(torch::allclose(eval_output, y, 1e-3, 1e-3));  // eval reads the running statistics
}

TEST(GraphModule, ToGraphWritesBackChangedParameters) {
  GraphModule module(conv_bn_graph());
  {
    torch::NoGradGuard no_grad;
    for (auto& parameter : module.parameters()) parameter.fill_(0.25);
  }
  Graph written = module.to_graph();
  std::vector<float> weights = written.constant(written.find_value("conv.weight")).to_vector<float>();
  ASSERT_EQ(weights.size(), 4u * 3 * 3 * 3);
  for (float weight : weights) EXPECT_EQ(weight, 0.25f);
  EXPECT_EQ(written.constant(written.find_value("bn.var")).to_vector<float>(),
            (std::vector<float>{1, 1, 1, 1}));
}

TEST(GraphModule, ToDoubleConvertsFloatConstantsOnlyAndStillRuns) {
  Graph graph = conv_bn_graph();
  ValueId shape = graph.add_initializer("target.shape", Tensor::from_vector<int64_t>({2}, {0, -1}));
  NodeId reshape = graph.add_node("Reshape", "flatten", {graph.outputs[0], shape});
  graph.outputs = graph.node(reshape).outputs;
  GraphModule module(graph);
  module.to(torch::kDouble);
  for (const auto& item : module.named_parameters()) EXPECT_EQ(item.value().scalar_type(), torch::kDouble);
  EXPECT_EQ(module.named_buffers()["target_shape"].scalar_type(), torch::kLong);
  module.eval();
  torch::Tensor output = module.forward({torch::randn({2, 3, 6, 6}, torch::kDouble)}).at(0);
  EXPECT_EQ(output.sizes(), torch::IntArrayRef({2, 4 * 4 * 4}));
  EXPECT_EQ(module.to_graph().constant(module.graph().find_value("conv.weight")).dtype(), DataType::kFloat64);
}

TEST(InferenceSession, MatchesTheModuleInEvalModeAndChecksInputs) {
  torch::manual_seed(8);
  Graph graph = conv_bn_graph();
  torch::Tensor x = torch::randn({2, 3, 6, 6});
  torch::Tensor expected = testing::run_graph(graph, {x});
  set_compute_threads(1);
  InferenceSession session(graph);
  std::vector<Tensor> outputs = session.run({from_torch(x)});
  ASSERT_EQ(outputs.size(), 1u);
  EXPECT_TRUE(torch::allclose(to_torch(outputs[0]), expected));
  EXPECT_THROW(session.run({}), Error);
  EXPECT_THROW(session.run({from_torch(x.to(torch::kDouble))}), Error);
  InferenceSession moved = std::move(session);
  EXPECT_EQ(moved.run({from_torch(x)}).size(), 1u);
}

TEST(TensorConversion, RoundTripsEveryDataType) {
  for (DataType dtype : {DataType::kFloat32, DataType::kFloat64, DataType::kInt64, DataType::kInt32,
                         DataType::kInt8, DataType::kUInt8, DataType::kBool}) {
    torch::Tensor source = torch::arange(6).remainder(2).to(to_scalar_type(dtype)).reshape({2, 3});
    Tensor converted = from_torch(source.t());  // non-contiguous on purpose
    EXPECT_EQ(converted.dtype(), dtype);
    EXPECT_EQ(converted.shape(), (Shape{3, 2}));
    EXPECT_TRUE(torch::equal(to_torch(converted), source.t())) << to_string(dtype);
  }
  EXPECT_THROW(from_torch(torch::zeros({2}, torch::kHalf)), Error);
}

}  // namespace
}  // namespace nacre
