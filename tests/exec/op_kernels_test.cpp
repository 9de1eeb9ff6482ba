// ONNX semantics of the tricky ops, each checked against hand-computed values or a direct LibTorch
// expression.
#include <gtest/gtest.h>

#include <limits>

#include "exec/graph_test_helpers.h"
#include "util/error.h"

namespace nacre {
namespace {

using testing::int64s;
using testing::run_op;
using testing::run_op1;

constexpr int64_t kInt64Max = std::numeric_limits<int64_t>::max();
constexpr int64_t kInt64Min = std::numeric_limits<int64_t>::min();

torch::Tensor floats(std::vector<float> values, std::vector<int64_t> shape) {
  return torch::tensor(values, torch::kFloat).reshape(shape);
}

void expect_close(const torch::Tensor& actual, const torch::Tensor& expected, double tolerance = 1e-5) {
  ASSERT_EQ(actual.sizes(), expected.sizes());
  EXPECT_TRUE(torch::allclose(actual.to(torch::kDouble), expected.to(torch::kDouble), tolerance, tolerance))
      << "actual:\n"
      << actual << "\nexpected:\n"
      << expected;
}

TEST(ConvKernel, AsymmetricPadsGroupsStridesAndDilationsMatchLibTorch) {
  torch::manual_seed(1);
  torch::Tensor x = torch::randn({2, 4, 7, 8});
  torch::Tensor w = torch::randn({6, 2, 3, 3});
  torch::Tensor b = torch::randn({6});
  torch::Tensor y = run_op1("Conv", {x, w, b},
                            {{"group", int64_t{2}},
                             {"pads", std::vector<int64_t>{0, 1, 2, 1}},
                             {"strides", std::vector<int64_t>{2, 1}},
                             {"dilations", std::vector<int64_t>{1, 2}}});
  // pads are [h_begin, w_begin, h_end, w_end]; torch's pad list is last dimension first.
  torch::Tensor padded = torch::constant_pad_nd(x, {1, 1, 0, 2});
  torch::Tensor expected = torch::conv2d(padded, w, b, torch::IntArrayRef{2, 1}, torch::IntArrayRef{0, 0},
                                         torch::IntArrayRef{1, 2}, 2);
  expect_close(y, expected);
}

TEST(ConvKernel, OneDimensionalAsymmetricPadsByHand) {
  torch::Tensor x = floats({1, 2, 3}, {1, 1, 3});
  torch::Tensor w = floats({1, 1}, {1, 1, 2});
  torch::Tensor y = run_op1("Conv", {x, w}, {{"pads", std::vector<int64_t>{1, 0}}});
  expect_close(y, floats({1, 3, 5}, {1, 1, 3}));  // padded [0,1,2,3]
}

TEST(ConvKernel, AutoPadSameUpperAndLowerPutTheOddPixelAtOppositeEnds) {
  torch::Tensor x = floats({1, 2, 3, 4}, {1, 1, 4});
  torch::Tensor w = floats({1, 1}, {1, 1, 2});
  expect_close(run_op1("Conv", {x, w}, {{"auto_pad", std::string("SAME_UPPER")}}),
               floats({3, 5, 7, 4}, {1, 1, 4}));
  expect_close(run_op1("Conv", {x, w}, {{"auto_pad", std::string("SAME_LOWER")}}),
               floats({1, 3, 5, 7}, {1, 1, 4}));
  expect_close(run_op1("Conv", {x, w}, {{"auto_pad", std::string("VALID")}}), floats({3, 5, 7}, {1, 1, 3}));
}

TEST(GemmKernel, TransposedBWithAlphaBetaAndBroadcastBias) {
  torch::manual_seed(2);
  torch::Tensor a = torch::randn({2, 3});
  torch::Tensor b = torch::randn({4, 3});
  torch::Tensor c = torch::randn({4});
  torch::Tensor y = run_op1("Gemm", {a, b, c}, {{"transB", int64_t{1}}, {"alpha", 0.5}, {"beta", 2.0}});
  expect_close(y, 0.5 * torch::mm(a, b.t()) + 2.0 * c);
  torch::Tensor at = torch::randn({3, 2});
  expect_close(run_op1("Gemm", {at, b}, {{"transA", int64_t{1}}, {"transB", int64_t{1}}}),
               torch::mm(at.t(), b.t()));
}

TEST(SliceKernel, NegativeStepsAndClampedBounds) {
  torch::Tensor x = torch::arange(10, torch::kLong);
  auto slice = [&](int64_t start, int64_t end, int64_t step) {
    return run_op1("Slice", {x, int64s({start}), int64s({end}), int64s({0}), int64s({step})});
  };
  EXPECT_TRUE(torch::equal(slice(-1, kInt64Min, -3), int64s({9, 6, 3, 0})));
  EXPECT_TRUE(torch::equal(slice(8, 1, -2), int64s({8, 6, 4, 2})));
  EXPECT_TRUE(torch::equal(slice(kInt64Max, -100, -1), torch::arange(9, -1, -1, torch::kLong)));
  EXPECT_TRUE(torch::equal(slice(2, kInt64Max, 1), torch::arange(2, 10, torch::kLong)));
  EXPECT_TRUE(torch::equal(slice(-3, -1, 1), int64s({7, 8})));
  EXPECT_EQ(slice(3, 5, -1).numel(), 0);
}

TEST(SliceKernel, OptionalAxesAndStepsOnTwoAxes) {
  torch::Tensor x = torch::arange(24, torch::kFloat).reshape({2, 3, 4});
  torch::Tensor y = run_op1("Slice", {x, int64s({1, 0}), int64s({kInt64Max, 2}), int64s({-1, 1}), {}});
  expect_close(y, x.slice(2, 1, 4).slice(1, 0, 2));
  torch::Tensor z = run_op1("Slice", {x, int64s({0}), int64s({1})});  // axes default to 0..n-1
  expect_close(z, x.slice(0, 0, 1));
}

TEST(PadKernel, ReflectEdgeAndConstantModes) {
  torch::Tensor x = floats({1, 2, 3}, {1, 3});
  torch::Tensor pads = int64s({0, 2, 0, 1});
  expect_close(run_op1("Pad", {x, pads}, {{"mode", std::string("reflect")}}),
               floats({3, 2, 1, 2, 3, 2}, {1, 6}));
  expect_close(run_op1("Pad", {x, pads}, {{"mode", std::string("edge")}}),
               floats({1, 1, 1, 2, 3, 3}, {1, 6}));
  expect_close(run_op1("Pad", {x, pads, floats({5}, {})}), floats({5, 5, 1, 2, 3, 5}, {1, 6}));
  expect_close(run_op1("Pad", {x, int64s({1, -1, 0, 0})}), floats({0, 0, 2, 3}, {2, 2}));
}

TEST(PadKernel, ReflectOnFourDimensionsMatchesLibTorch) {
  torch::manual_seed(3);
  torch::Tensor x = torch::randn({1, 2, 4, 5});
  torch::Tensor y = run_op1("Pad", {x, int64s({0, 0, 1, 2, 0, 0, 3, 1})}, {{"mode", std::string("reflect")}});
  expect_close(y, torch::reflection_pad2d(x, {2, 1, 1, 3}));
}

TEST(AveragePoolKernel, CountIncludePadAndCeilModeByHand) {
  torch::Tensor x = floats({1, 2, 3, 4, 5}, {1, 1, 5});
  auto pool = [&](std::vector<int64_t> pads, int64_t include_pad, int64_t ceil_mode) {
    return run_op1("AveragePool", {x},
                   {{"kernel_shape", std::vector<int64_t>{2}},
                    {"strides", std::vector<int64_t>{2}},
                    {"pads", pads},
                    {"count_include_pad", include_pad},
                    {"ceil_mode", ceil_mode}});
  };
  expect_close(pool({1, 1}, 1, 0), floats({0.5, 2.5, 4.5}, {1, 1, 3}));
  expect_close(pool({1, 1}, 0, 0), floats({1, 2.5, 4.5}, {1, 1, 3}));
  expect_close(pool({0, 0}, 0, 1), floats({1.5, 3.5, 5}, {1, 1, 3}));
  expect_close(pool({1, 0}, 0, 0), floats({1, 2.5, 4.5}, {1, 1, 3}));  // asymmetric
  expect_close(pool({1, 0}, 1, 0), floats({0.5, 2.5, 4.5}, {1, 1, 3}));
}

TEST(MaxPoolKernel, AsymmetricPadsUseMinusInfinityAndDilationsWork) {
  torch::Tensor x = floats({-1, -2, -3}, {1, 1, 3});
  torch::Tensor y = run_op1(
      "MaxPool", {x}, {{"kernel_shape", std::vector<int64_t>{2}}, {"pads", std::vector<int64_t>{1, 0}}});
  expect_close(y, floats({-1, -1, -2}, {1, 1, 3}));
  torch::manual_seed(4);
  torch::Tensor image = torch::randn({1, 2, 9, 9});
  torch::Tensor pooled = run_op1("MaxPool", {image},
                                 {{"kernel_shape", std::vector<int64_t>{3, 3}},
                                  {"strides", std::vector<int64_t>{2, 2}},
                                  {"dilations", std::vector<int64_t>{2, 1}},
                                  {"pads", std::vector<int64_t>{1, 1, 1, 1}},
                                  {"ceil_mode", int64_t{1}}});
  expect_close(pooled, torch::max_pool2d(image, {3, 3}, {2, 2}, {1, 1}, {2, 1}, true));
}

TEST(ReshapeKernel, ZeroCopiesADimensionAndMinusOneInfers) {
  torch::Tensor x = torch::arange(24, torch::kFloat).reshape({2, 3, 4});
  expect_close(run_op1("Reshape", {x, int64s({0, -1})}), x.reshape({2, 12}));
  expect_close(run_op1("Reshape", {x, int64s({-1, 0, 2})}), x.reshape({4, 3, 2}));
  torch::Tensor empty = torch::zeros({0, 3});
  EXPECT_EQ(run_op1("Reshape", {empty, int64s({3, 0})}, {{"allowzero", int64_t{1}}}).sizes(),
            torch::IntArrayRef({3, 0}));
}

TEST(DivKernel, IntegerDivisionTruncatesTowardZero) {
  torch::Tensor y = run_op1("Div", {int64s({7, -7, 7, -7}), int64s({2, 2, -2, -2})});
  EXPECT_TRUE(torch::equal(y, int64s({3, -3, -3, 3})));
  expect_close(run_op1("Div", {floats({7, -7}, {2}), floats({2}, {})}), floats({3.5, -3.5}, {2}));
}

TEST(ElementwiseKernels, MatchLibTorchExpressions) {
  torch::manual_seed(5);
  torch::Tensor x = torch::randn({2, 3, 4});
  torch::Tensor y = torch::randn({3, 1});
  expect_close(run_op1("Add", {x, y}), x + y);
  expect_close(run_op1("Sub", {x, y}), x - y);
  expect_close(run_op1("Mul", {x, y}), x * y);
  expect_close(run_op1("Pow", {x.abs(), floats({2}, {})}), x.abs().pow(2));
  expect_close(run_op1("Pow", {x, int64s({3})}), x.pow(3));
  expect_close(run_op1("Sqrt", {x.abs()}), x.abs().sqrt());
  expect_close(run_op1("Erf", {x}), torch::erf(x));
  expect_close(run_op1("Tanh", {x}), torch::tanh(x));
  expect_close(run_op1("Sigmoid", {x}), torch::sigmoid(x));
  expect_close(run_op1("Relu", {x}), torch::relu(x));
  expect_close(run_op1("LeakyRelu", {x}, {{"alpha", 0.2}}), torch::leaky_relu(x, 0.2));
  expect_close(run_op1("HardSigmoid", {x}), torch::clamp(0.2 * x + 0.5, 0, 1));
  expect_close(run_op1("HardSigmoid", {x}, {{"alpha", 1.0 / 6}}), torch::hardsigmoid(x));
  expect_close(run_op1("HardSwish", {x}), x * torch::clamp(x / 6 + 0.5, 0, 1));
  expect_close(run_op1("Clip", {x, floats({-0.5}, {})}), torch::clamp_min(x, -0.5));
  expect_close(run_op1("Clip", {x, {}, floats({0.5}, {})}), torch::clamp_max(x, 0.5));
  expect_close(run_op1("Clip", {x}), x);
  expect_close(run_op1("Softmax", {x}, {{"axis", int64_t{1}}}), torch::softmax(x, 1));
  expect_close(run_op1("ReduceMean", {x}, {{"axes", std::vector<int64_t>{-1}}, {"keepdims", int64_t{0}}}),
               x.mean({2}));
  expect_close(run_op1("ReduceMean", {x}), x.mean({0, 1, 2}, true));
}

TEST(SoftmaxKernel, BeforeOpset13FlattensAtAxis) {
  torch::Tensor x = torch::randn({2, 3, 4});
  torch::Tensor y = run_op("Softmax", {x}, {{"axis", int64_t{1}}}, 1, /*opset=*/11).at(0);
  expect_close(y, torch::softmax(x.reshape({2, 12}), 1).reshape({2, 3, 4}));
}

TEST(ShapeKernels, TransposeSplitSqueezeUnsqueezeFlattenGatherCast) {
  torch::Tensor x = torch::arange(24, torch::kFloat).reshape({2, 3, 4});
  expect_close(run_op1("Transpose", {x}), x.permute({2, 1, 0}));
  expect_close(run_op1("Transpose", {x}, {{"perm", std::vector<int64_t>{0, 2, 1}}}), x.permute({0, 2, 1}));
  std::vector<torch::Tensor> halves = run_op("Split", {x}, {{"axis", int64_t{2}}}, 2);
  expect_close(halves.at(1), x.slice(2, 2, 4));
  std::vector<torch::Tensor> parts = run_op("Split", {x, int64s({1, 2})}, {{"axis", int64_t{1}}}, 2);
  expect_close(parts.at(1), x.slice(1, 1, 3));
  torch::Tensor unsqueezed = run_op1("Unsqueeze", {x, int64s({0, -1})});
  EXPECT_EQ(unsqueezed.sizes(), torch::IntArrayRef({1, 2, 3, 4, 1}));
  EXPECT_EQ(run_op1("Squeeze", {unsqueezed, int64s({-1})}).sizes(), torch::IntArrayRef({1, 2, 3, 4}));
  EXPECT_EQ(run_op1("Squeeze", {unsqueezed}).sizes(), torch::IntArrayRef({2, 3, 4}));
  EXPECT_EQ(run_op1("Flatten", {x}, {{"axis", int64_t{2}}}).sizes(), torch::IntArrayRef({6, 4}));
  EXPECT_EQ(run_op1("Flatten", {x}, {{"axis", int64_t{0}}}).sizes(), torch::IntArrayRef({1, 24}));
  expect_close(run_op1("Gather", {x, int64s({-1, 0})}, {{"axis", int64_t{1}}}),
               torch::stack({x.select(1, 2), x.select(1, 0)}, 1));
  expect_close(run_op1("Gather", {x, torch::tensor(1, torch::kLong)}), x[1]);
  torch::Tensor cast = run_op1("Cast", {floats({1.7f, -1.7f}, {2})}, {{"to", int64_t{7}}});
  EXPECT_TRUE(torch::equal(cast, int64s({1, -1})));
  torch::Tensor shape_tail = run_op1("Shape", {x}, {{"start", int64_t{-2}}});
  EXPECT_TRUE(torch::equal(shape_tail, int64s({3, 4})));
}

TEST(ConstantKernels, ConstantOfShapeAndConstant) {
  torch::Tensor filled =
      run_op1("ConstantOfShape", {int64s({2, 3})}, {{"value", Tensor::scalar<int64_t>(7)}});
  EXPECT_TRUE(torch::equal(filled, torch::full({2, 3}, 7, torch::kLong)));
  EXPECT_TRUE(torch::equal(run_op1("ConstantOfShape", {int64s({2})}), torch::zeros({2})));
  Graph graph;
  NodeId constant = graph.add_node("Constant", "c", {}, 1, {{"value_ints", std::vector<int64_t>{4, 5}}});
  graph.outputs = graph.node(constant).outputs;
  EXPECT_TRUE(torch::equal(testing::run_graph(graph, {}), int64s({4, 5})));
}

// x [N,3,4] -> Reshape(x, Concat(Unsqueeze(Gather(Shape(x), 0)), [-1])): the batch is read at run time.
TEST(DynamicShapes, ShapeGatherConcatReshapeFollowsTheBatchSize) {
  Graph graph;
  ValueId x = graph.add_input("x", DataType::kFloat32, {-1, 3, 4});
  ValueId zero = graph.add_initializer("zero", Tensor::scalar<int64_t>(0));
  ValueId axes = graph.add_initializer("axes", Tensor::from_vector<int64_t>({1}, {0}));
  ValueId minus_one = graph.add_initializer("minus_one", Tensor::from_vector<int64_t>({1}, {-1}));
  ValueId shape = graph.node(graph.add_node("Shape", "shape", {x})).outputs[0];
  ValueId batch = graph.node(graph.add_node("Gather", "batch", {shape, zero})).outputs[0];
  ValueId batch1 = graph.node(graph.add_node("Unsqueeze", "batch1", {batch, axes})).outputs[0];
  ValueId target =
      graph.node(graph.add_node("Concat", "target", {batch1, minus_one}, 1, {{"axis", int64_t{0}}}))
          .outputs[0];
  ValueId y = graph.node(graph.add_node("Reshape", "reshape", {x, target})).outputs[0];
  graph.outputs = {y};
  GraphModule module(graph);
  for (int64_t batch_size : {2, 5}) {
    torch::Tensor input = torch::randn({batch_size, 3, 4});
    torch::Tensor output = module.forward({input}).at(0);
    EXPECT_EQ(output.sizes(), torch::IntArrayRef({batch_size, 12}));
    EXPECT_TRUE(torch::equal(output, input.reshape({batch_size, 12})));
  }
}

TEST(KernelErrors, NameTheNodeItsOpAndTheInputShapes) {
  Graph graph;
  ValueId x = graph.add_input("x", DataType::kFloat32, {1, 3, 8, 8});
  ValueId w = graph.add_initializer("w", testing::random_weights({4, 5, 3, 3}));
  NodeId conv = graph.add_node("Conv", "stem_conv", {x, w});
  graph.outputs = graph.node(conv).outputs;
  GraphModule module(graph);
  try {
    module.forward({torch::randn({1, 3, 8, 8})});
    FAIL() << "a Conv with mismatched channels ran";
  } catch (const Error& error) {
    std::string message = error.what();
    EXPECT_NE(message.find("stem_conv"), std::string::npos) << message;
    EXPECT_NE(message.find("(Conv)"), std::string::npos) << message;
    EXPECT_NE(message.find("[1,3,8,8]"), std::string::npos) << message;
    EXPECT_NE(message.find("[4,5,3,3]"), std::string::npos) << message;
  }
}

TEST(KernelErrors, UnsupportedOpIsRejectedWhenTheModuleIsBuilt) {
  Graph graph;
  ValueId x = graph.add_input("x", DataType::kFloat32, {2});
  NodeId node = graph.add_node("Einsum", "my_einsum", {x});
  graph.outputs = graph.node(node).outputs;
  try {
    GraphModule module(graph);
    FAIL() << "an Einsum graph was accepted";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("my_einsum"), std::string::npos) << error.what();
  }
}

TEST(QuantizeLinearKernel, RoundsHalfToEvenAndSaturatesToUint8WithoutAZeroPoint) {
  torch::Tensor y =
      run_op1("QuantizeLinear", {floats({-1, 0, 0.5, 1.5, 2.5, 300}, {6}), torch::tensor(1.0f)});
  ASSERT_EQ(y.scalar_type(), torch::kByte);
  EXPECT_TRUE(torch::equal(y, torch::tensor({0, 0, 0, 2, 2, 255}, torch::kByte)));
}

TEST(QuantizeLinearKernel, TakesTheZeroPointsTypeAndSaturatesToInt8) {
  torch::Tensor y = run_op1(
      "QuantizeLinear", {floats({-100, 0.25, 1}, {3}), torch::tensor(0.5f), torch::tensor(-1, torch::kChar)});
  ASSERT_EQ(y.scalar_type(), torch::kChar);
  EXPECT_TRUE(torch::equal(y, torch::tensor({-128, -1, 1}, torch::kChar)));
}

TEST(QuantizeLinearKernel, PerAxisScalesAndZeroPoints) {
  torch::Tensor x = floats({1, 2, 4, -1, 6, 8}, {2, 3});
  torch::Tensor y =
      run_op1("QuantizeLinear", {x, floats({1, 2, 4}, {3}), torch::tensor({0, 10, 0}, torch::kByte)},
              {{"axis", int64_t{1}}});
  EXPECT_TRUE(torch::equal(y, torch::tensor({1, 11, 1, 0, 13, 2}, torch::kByte).reshape({2, 3})));
}

TEST(DequantizeLinearKernel, Int32WithoutZeroPointAndPerAxisInt8) {
  expect_close(run_op1("DequantizeLinear", {torch::tensor({-4, 6}, torch::kInt), torch::tensor(0.5f)}),
               floats({-2, 3}, {2}));
  torch::Tensor weights = torch::tensor({-127, 5, 3, 127}, torch::kChar).reshape({2, 2});
  expect_close(run_op1("DequantizeLinear", {weights, floats({0.1f, 1}, {2}), torch::zeros({2}, torch::kChar)},
                       {{"axis", int64_t{0}}}),
               floats({-12.7f, 0.5f, 3, 127}, {2, 2}));
}

TEST(QuantizeDequantize, RoundTripIsWithinHalfAStepInsideTheRange) {
  torch::manual_seed(3);
  torch::Tensor x = torch::rand({64}) * 4 - 1;  // [-1, 3]
  torch::Tensor scale = torch::tensor(4.0f / 255), zero_point = torch::tensor(64, torch::kByte);
  torch::Tensor q = run_op1("QuantizeLinear", {x, scale, zero_point});
  torch::Tensor back = run_op1("DequantizeLinear", {q, scale, zero_point});
  EXPECT_LE((back - x).abs().max().item<float>(), 2.0f / 255 + 1e-6f);
}

}  // namespace
}  // namespace nacre
