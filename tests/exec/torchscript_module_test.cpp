// The IR as a frozen, optimised TorchScript module: the ONNX forms LibTorch cannot express directly match the
// executor, the weights are folded into the graph (frozen) and fused by oneDNN, and refusals name the node.
#include <gtest/gtest.h>

#include "exec/graph_test_helpers.h"
#include "exec/inference_session.h"
#include "exec/torchscript_module.h"
#include "ir/shape_inference.h"
#include "util/error.h"

namespace nacre {
namespace {

using testing::random_weights;

// One node over graph inputs (given tensors) and constants (given as initializers), shapes inferred.
struct OneNodeGraph {
  Graph graph;
  std::vector<Tensor> inputs;
};

OneNodeGraph one_node(const std::string& op_type, const std::vector<Tensor>& inputs,
                      const std::vector<Tensor>& constants, std::map<std::string, AttributeValue> attributes,
                      size_t output_count = 1, int64_t opset = 13) {
  OneNodeGraph result;
  result.graph.opset = opset;
  std::vector<ValueId> node_inputs;
  for (size_t i = 0; i < inputs.size(); ++i) {
    node_inputs.push_back(
        result.graph.add_input("in" + std::to_string(i), inputs[i].dtype(), inputs[i].shape()));
  }
  for (size_t i = 0; i < constants.size(); ++i) {
    node_inputs.push_back(constants[i].empty()
                              ? kNoValue
                              : result.graph.add_initializer("c" + std::to_string(i), constants[i]));
  }
  NodeId node = result.graph.add_node(op_type, "op", node_inputs, output_count, std::move(attributes));
  result.graph.outputs = result.graph.node(node).outputs;
  infer_shapes(result.graph);
  result.inputs = inputs;
  return result;
}

void expect_matches_executor(const OneNodeGraph& model, double tolerance = 1e-5) {
  FrozenTorchScriptModule module(model.graph);
  module.set_inputs(model.inputs);
  std::vector<Tensor> actual = module.run();
  std::vector<Tensor> expected = InferenceSession(model.graph).run(model.inputs);
  ASSERT_EQ(actual.size(), expected.size()) << module.source();
  for (size_t i = 0; i < actual.size(); ++i) {
    torch::Tensor got = to_torch(actual[i]).to(torch::kDouble);
    torch::Tensor want = to_torch(expected[i]).to(torch::kDouble);
    ASSERT_EQ(got.sizes(), want.sizes()) << module.source();
    EXPECT_TRUE(torch::allclose(got, want, tolerance, tolerance)) << module.source() << "\ngot\n"
                                                                  << got << "\nwant\n"
                                                                  << want;
  }
}

Tensor input(Shape shape) { return random_weights(std::move(shape), DataType::kFloat32, 1.0); }
Tensor ints(std::vector<int64_t> values) {
  return Tensor::from_vector<int64_t>({static_cast<int64_t>(values.size())}, values);
}

TEST(TorchScriptModule, ConvBatchNormReluIsFrozenFoldedAndFused) {
  torch::manual_seed(1);
  Graph graph;
  ValueId x = graph.add_input("x", DataType::kFloat32, {2, 3, 9, 9});
  ValueId w = graph.add_initializer("w", random_weights({8, 3, 3, 3}));
  NodeId conv = graph.add_node("Conv", "conv", {x, w}, 1, {{"pads", std::vector<int64_t>{1, 1, 1, 1}}});
  std::vector<ValueId> bn_inputs = {graph.node(conv).outputs[0]};
  for (const char* name : {"scale", "bias", "mean"})
    bn_inputs.push_back(graph.add_initializer(name, random_weights({8})));
  Tensor variance = from_torch(torch::rand({8}) + 0.5);
  bn_inputs.push_back(graph.add_initializer("var", variance));
  NodeId bn = graph.add_node("BatchNormalization", "bn", bn_inputs);
  NodeId relu = graph.add_node("Relu", "relu", {graph.node(bn).outputs[0]});
  graph.outputs = graph.node(relu).outputs;
  infer_shapes(graph);
  FrozenTorchScriptModule module(graph);
  std::string optimized = module.optimized_graph();
  EXPECT_EQ(optimized.find("prim::GetAttr"), std::string::npos) << optimized;       // weights are constants
  EXPECT_EQ(optimized.find("aten::batch_norm"), std::string::npos) << optimized;    // folded into the conv
  EXPECT_NE(optimized.find("mkldnn_convolution"), std::string::npos) << optimized;  // oneDNN's conv
  EXPECT_NE(module.source().find("torch.batch_norm"), std::string::npos) << module.source();
  expect_matches_executor({graph, {input({2, 3, 9, 9})}});
}

TEST(TorchScriptModule, ConvWithAsymmetricPadsAndSameUpper) {
  torch::manual_seed(2);
  expect_matches_executor(one_node("Conv", {input({1, 4, 7, 8})}, {random_weights({6, 2, 3, 3})},
                                   {{"group", int64_t{2}},
                                    {"pads", std::vector<int64_t>{0, 1, 2, 1}},
                                    {"strides", std::vector<int64_t>{2, 1}},
                                    {"dilations", std::vector<int64_t>{1, 2}}}));
  expect_matches_executor(
      one_node("Conv", {input({1, 2, 8})}, {random_weights({3, 2, 2})},
               {{"auto_pad", std::string("SAME_LOWER")}, {"strides", std::vector<int64_t>{3}}}));
}

TEST(TorchScriptModule, PoolsWithCeilModeAndPaddingLibTorchCannotExpress) {
  torch::manual_seed(3);
  const std::vector<int64_t> k3 = {3, 3}, s2 = {2, 2};
  expect_matches_executor(one_node("MaxPool", {input({1, 2, 8, 7})}, {},
                                   {{"kernel_shape", k3},
                                    {"strides", s2},
                                    {"ceil_mode", int64_t{1}},
                                    {"pads", std::vector<int64_t>{0, 1, 1, 0}}}));
  for (int64_t count_include_pad : {0, 1}) {
    expect_matches_executor(one_node("AveragePool", {input({1, 2, 7, 7})}, {},
                                     {{"kernel_shape", k3},
                                      {"strides", s2},
                                      {"count_include_pad", count_include_pad},
                                      {"pads", std::vector<int64_t>{2, 0, 1, 2}}}));
  }
  expect_matches_executor(one_node("AveragePool", {input({1, 2, 6, 6})}, {},
                                   {{"kernel_shape", k3},
                                    {"strides", s2},
                                    {"ceil_mode", int64_t{1}},
                                    {"pads", std::vector<int64_t>{1, 1, 1, 1}}}));
  expect_matches_executor(one_node("GlobalAveragePool", {input({2, 3, 5, 4})}, {}, {}));
}

TEST(TorchScriptModule, GemmFormsFollowOnnx) {
  torch::manual_seed(4);
  expect_matches_executor(one_node("Gemm", {input({3, 5})}, {random_weights({4, 5}), random_weights({4})},
                                   {{"transB", int64_t{1}}}));
  expect_matches_executor(one_node("Gemm", {input({5, 3})}, {random_weights({5, 4}), random_weights({3, 4})},
                                   {{"transA", int64_t{1}}, {"alpha", 0.5}, {"beta", 2.0}}));
  expect_matches_executor(one_node("Gemm", {input({3, 5})}, {random_weights({5, 4})}, {{"alpha", 3.0}}));
}

TEST(TorchScriptModule, SliceSplitPadGatherAndSoftmaxFollowOnnx) {
  torch::manual_seed(5);
  expect_matches_executor(
      one_node("Slice", {input({4, 6})}, {ints({-1, 5}), ints({-100, 1}), ints({0, 1}), ints({-1, -2})}, {}));
  expect_matches_executor(one_node("Split", {input({2, 9})}, {}, {{"axis", int64_t{1}}}, 3));
  for (const char* mode : {"reflect", "edge", "constant"}) {
    expect_matches_executor(one_node("Pad", {input({1, 2, 3, 4})}, {ints({0, 0, 2, -1, 0, 0, 1, 3})},
                                     {{"mode", std::string(mode)}}));
  }
  expect_matches_executor(one_node("Gather", {input({3, 5})}, {ints({-1, 0, 2})}, {{"axis", int64_t{1}}}));
  expect_matches_executor(one_node("Softmax", {input({2, 3, 4})}, {}, {{"axis", int64_t{1}}}, 1, 11));
  expect_matches_executor(one_node("HardSigmoid", {input({2, 3})}, {}, {{"alpha", 0.3}, {"beta", 0.4}}));
  expect_matches_executor(one_node("Clip", {input({2, 3})}, {Tensor(), Tensor::scalar<float>(0.25f)}, {}));
}

// MobileNetV3's squeeze-excitation: a conv's output times a per-channel gate computed from its own pooled
// value (Mul broadcasting [N, C, 1, 1] over [N, C, H, W]), as torch.onnx.export writes it.
TEST(TorchScriptModule, SqueezeExcitationGateMatchesExecutor) {
  torch::manual_seed(3);
  Graph graph;
  ValueId x = graph.add_input("x", DataType::kFloat32, {1, 8, 6, 6});
  NodeId conv = graph.add_node("Conv", "conv", {x, graph.add_initializer("w", random_weights({8, 8, 3, 3}))},
                               1, {{"pads", std::vector<int64_t>{1, 1, 1, 1}}});
  ValueId features = graph.node(conv).outputs[0];
  NodeId pool = graph.add_node("GlobalAveragePool", "pool", {features});
  NodeId squeeze =
      graph.add_node("Conv", "squeeze",
                     {graph.node(pool).outputs[0], graph.add_initializer("ws", random_weights({4, 8, 1, 1})),
                      graph.add_initializer("bs", random_weights({4}))});
  NodeId relu = graph.add_node("Relu", "relu", {graph.node(squeeze).outputs[0]});
  NodeId excite =
      graph.add_node("Conv", "excite",
                     {graph.node(relu).outputs[0], graph.add_initializer("we", random_weights({8, 4, 1, 1})),
                      graph.add_initializer("be", random_weights({8}))});
  NodeId gate = graph.add_node("HardSigmoid", "gate", {graph.node(excite).outputs[0]}, 1,
                               {{"alpha", 1.0f / 6.0f}, {"beta", 0.5f}});
  NodeId mul = graph.add_node(
      "Mul", "scale", {graph.node(gate).outputs[0], features});  // gate first, as torchvision writes it
  NodeId project =
      graph.add_node("Conv", "project",
                     {graph.node(mul).outputs[0], graph.add_initializer("wp", random_weights({8, 8, 1, 1}))});
  graph.outputs = graph.node(project).outputs;
  infer_shapes(graph);
  expect_matches_executor({graph, {input({1, 8, 6, 6})}});
}

// MobileNetV3's expansion conv and hard swish (as torch.onnx.export writes it: x * HardSigmoid(x), and as the
// HardSwish op) with channel counts that fill oneDNN's channel blocks (96, 128) and that do not (72, 120):
// LibTorch's own frozen hardswish and hardsigmoid were wrong on the latter.
TEST(TorchScriptModule, HardSwishAfterAConvMatchesExecutorWhateverTheChannelCount) {
  torch::manual_seed(6);
  for (int64_t channels : {72, 96, 120, 128}) {
    for (bool as_exported : {true, false}) {
      Graph graph;
      ValueId x = graph.add_input("x", DataType::kFloat32, {1, 40, 2, 2});
      NodeId conv = graph.add_node("Conv", "expand",
                                   {x, graph.add_initializer("w", random_weights({channels, 40, 1, 1})),
                                    graph.add_initializer("b", random_weights({channels}))});
      ValueId features = graph.node(conv).outputs[0];
      if (as_exported) {
        NodeId gate =
            graph.add_node("HardSigmoid", "gate", {features}, 1, {{"alpha", 1.0f / 6.0f}, {"beta", 0.5f}});
        NodeId mul = graph.add_node("Mul", "swish", {features, graph.node(gate).outputs[0]});
        graph.outputs = {graph.node(mul).outputs[0], graph.node(gate).outputs[0]};
      } else {
        graph.outputs = graph.node(graph.add_node("HardSwish", "swish", {features})).outputs;
      }
      infer_shapes(graph);
      SCOPED_TRACE(std::to_string(channels) +
                   (as_exported ? " channels, x * HardSigmoid(x)" : " channels, HardSwish"));
      expect_matches_executor({graph, {input({1, 40, 2, 2})}});
    }
  }
}

TEST(TorchScriptModule, AnOpFormItCannotExpressIsRefusedByNodeName) {
  OneNodeGraph model =
      one_node("MaxPool", {input({1, 1, 4, 4})}, {}, {{"kernel_shape", std::vector<int64_t>{2, 2}}}, 2);
  try {
    FrozenTorchScriptModule module(model.graph);
    FAIL() << "a MaxPool returning indices must be refused";
  } catch (const Error& error) {
    std::string message = error.what();
    EXPECT_NE(message.find("node 'op' (MaxPool)"), std::string::npos) << message;
    EXPECT_NE(message.find("indices"), std::string::npos) << message;
  }
}

}  // namespace
}  // namespace nacre
