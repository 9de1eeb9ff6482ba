#include "ir/shape_inference.h"

#include <gtest/gtest.h>

#include "util/error.h"

namespace nacre {
namespace {

using Attributes = std::map<std::string, AttributeValue>;
using Ints = std::vector<int64_t>;

ValueId ints(Graph& graph, const std::string& name, const Ints& values) {
  return graph.add_initializer(name,
                               Tensor::from_vector<int64_t>({static_cast<int64_t>(values.size())}, values));
}

ValueId weights(Graph& graph, const std::string& name, Shape shape) {
  return graph.add_initializer(name, Tensor(DataType::kFloat32, std::move(shape)));
}

ValueId output_of(const Graph& graph, NodeId node, size_t index = 0) {
  return graph.node(node).outputs[index];
}

// Infers the graph and returns the shape of the node's output.
Shape inferred(Graph& graph, NodeId node, size_t index = 0) {
  infer_shapes(graph);
  const Value& value = graph.value(output_of(graph, node, index));
  EXPECT_TRUE(value.shape.has_value()) << value.name;
  return value.shape.value_or(Shape{});
}

std::string error_of(Graph& graph) {
  try {
    infer_shapes(graph);
  } catch (const Error& error) {
    return error.what();
  }
  return "no error";
}

// A conv from `input_shape` with a [16,3,3,3] weight and the given attributes.
Shape conv_shape(Shape input_shape, Attributes attributes, Shape weight_shape = {16, 3, 3, 3}) {
  Graph graph;
  ValueId x = graph.add_input("x", DataType::kFloat32, std::move(input_shape));
  ValueId w = weights(graph, "w", std::move(weight_shape));
  NodeId conv = graph.add_node("Conv", "conv", {x, w}, 1, std::move(attributes));
  return inferred(graph, conv);
}

TEST(ShapeInference, ConvPadsStridesAndDilations) {
  EXPECT_EQ(conv_shape({1, 3, 32, 32}, {{"pads", Ints{1, 1, 1, 1}}}), (Shape{1, 16, 32, 32}));
  EXPECT_EQ(conv_shape({1, 3, 32, 32}, {{"pads", Ints{1, 1, 1, 1}}, {"strides", Ints{2, 2}}}),
            (Shape{1, 16, 16, 16}));
  EXPECT_EQ(conv_shape({1, 3, 32, 32}, {{"dilations", Ints{2, 2}}}), (Shape{1, 16, 28, 28}));
  EXPECT_EQ(conv_shape({2, 3, 9, 12}, {{"pads", Ints{0, 1, 0, 2}}, {"strides", Ints{1, 3}}}),
            (Shape{2, 16, 7, 5}));
}

TEST(ShapeInference, ConvAutoPad) {
  EXPECT_EQ(conv_shape({1, 3, 7, 7}, {{"auto_pad", std::string("SAME_UPPER")}, {"strides", Ints{2, 2}}}),
            (Shape{1, 16, 4, 4}));
  EXPECT_EQ(conv_shape({1, 3, 7, 8}, {{"auto_pad", std::string("SAME_LOWER")}}), (Shape{1, 16, 7, 8}));
  EXPECT_EQ(conv_shape({1, 3, 7, 7}, {{"auto_pad", std::string("VALID")}, {"strides", Ints{2, 2}}}),
            (Shape{1, 16, 3, 3}));
}

TEST(ShapeInference, ConvGroupsAndUnknownBatch) {
  EXPECT_EQ(conv_shape({-1, 8, 10, 10}, {{"group", int64_t{8}}, {"pads", Ints{1, 1, 1, 1}}}, {8, 1, 3, 3}),
            (Shape{-1, 8, 10, 10}));
  EXPECT_EQ(conv_shape({1, 3, 10, 10}, {}, {4, 3, 1, 1}), (Shape{1, 4, 10, 10}));
}

TEST(ShapeInference, ConvChannelMismatchNamesNodeAndChannels) {
  Graph graph;
  ValueId x = graph.add_input("x", DataType::kFloat32, {1, 3, 32, 32});
  graph.add_node("Conv", "stem_conv", {x, weights(graph, "w", {8, 16, 3, 3})});
  std::string message = error_of(graph);
  EXPECT_NE(message.find("'stem_conv' (Conv)"), std::string::npos) << message;
  EXPECT_NE(message.find("weight has 16 input channels but the input has 3"), std::string::npos) << message;
}

TEST(ShapeInference, ConvBiasSizeMismatch) {
  Graph graph;
  ValueId x = graph.add_input("x", DataType::kFloat32, {1, 3, 8, 8});
  graph.add_node("Conv", "conv", {x, weights(graph, "w", {16, 3, 3, 3}), weights(graph, "b", {8})});
  EXPECT_NE(error_of(graph).find("bias size does not match"), std::string::npos);
}

Shape pool_shape(const std::string& op, Shape input_shape, Attributes attributes) {
  Graph graph;
  ValueId x = graph.add_input("x", DataType::kFloat32, std::move(input_shape));
  NodeId pool = graph.add_node(op, "pool", {x}, 1, std::move(attributes));
  return inferred(graph, pool);
}

TEST(ShapeInference, PoolCeilMode) {
  Attributes floor_mode = {{"kernel_shape", Ints{3, 3}}, {"strides", Ints{2, 2}}};
  Attributes ceil_mode = floor_mode;
  ceil_mode["ceil_mode"] = int64_t{1};
  EXPECT_EQ(pool_shape("MaxPool", {1, 4, 6, 6}, floor_mode), (Shape{1, 4, 2, 2}));
  EXPECT_EQ(pool_shape("MaxPool", {1, 4, 6, 6}, ceil_mode), (Shape{1, 4, 3, 3}));
  // PyTorch's rule: a last window that would start inside the end padding is dropped (5 -> 3, not 4).
  Attributes padded = {{"kernel_shape", Ints{2, 2}},
                       {"strides", Ints{2, 2}},
                       {"pads", Ints{1, 1, 1, 1}},
                       {"ceil_mode", int64_t{1}}};
  EXPECT_EQ(pool_shape("AveragePool", {1, 4, 5, 5}, padded), (Shape{1, 4, 3, 3}));
}

TEST(ShapeInference, PoolAutoPadAndGlobalPool) {
  EXPECT_EQ(
      pool_shape(
          "AveragePool", {1, 4, 7, 7},
          {{"kernel_shape", Ints{3, 3}}, {"strides", Ints{2, 2}}, {"auto_pad", std::string("SAME_LOWER")}}),
      (Shape{1, 4, 4, 4}));
  EXPECT_EQ(
      pool_shape("MaxPool", {1, 4, 7, 7}, {{"kernel_shape", Ints{3, 3}}, {"auto_pad", std::string("VALID")}}),
      (Shape{1, 4, 5, 5}));
  EXPECT_EQ(pool_shape("GlobalAveragePool", {2, 4, 7, 7}, {}), (Shape{2, 4, 1, 1}));
  EXPECT_EQ(pool_shape("GlobalMaxPool", {-1, 4, 7, 7}, {}), (Shape{-1, 4, 1, 1}));
}

Shape binary_shape(Shape a, Shape b, std::string* error = nullptr) {
  Graph graph;
  ValueId x = graph.add_input("a", DataType::kFloat32, std::move(a));
  ValueId y = graph.add_input("b", DataType::kFloat32, std::move(b));
  NodeId add = graph.add_node("Add", "add", {x, y});
  if (error) {
    *error = error_of(graph);
    return {};
  }
  return inferred(graph, add);
}

TEST(ShapeInference, Broadcasting) {
  EXPECT_EQ(binary_shape({2, 3, 4}, {3, 1}), (Shape{2, 3, 4}));
  EXPECT_EQ(binary_shape({-1, 3}, {1, 3}), (Shape{-1, 3}));
  EXPECT_EQ(binary_shape({-1, 1}, {1, 5}), (Shape{-1, 5}));
  EXPECT_EQ(binary_shape({}, {2, 2}), (Shape{2, 2}));
  std::string error;
  binary_shape({2, 3}, {4, 3}, &error);
  EXPECT_NE(error.find("cannot broadcast shapes [2,3] and [4,3]"), std::string::npos) << error;
}

TEST(ShapeInference, GemmAndMatMul) {
  Graph graph;
  ValueId x = graph.add_input("x", DataType::kFloat32, {2, 512});
  NodeId fc =
      graph.add_node("Gemm", "fc", {x, weights(graph, "fc.w", {10, 512}), weights(graph, "fc.b", {10})}, 1,
                     {{"transB", int64_t{1}}});
  ValueId batched = graph.add_input("batched", DataType::kFloat32, {2, 3, 4, 5});
  NodeId mm = graph.add_node("MatMul", "mm", {batched, weights(graph, "m", {5, 6})});
  NodeId dot = graph.add_node("MatMul", "dot", {weights(graph, "v", {5}), weights(graph, "m2", {3, 5, 2})});
  infer_shapes(graph);
  EXPECT_EQ(*graph.value(output_of(graph, fc)).shape, (Shape{2, 10}));
  EXPECT_EQ(*graph.value(output_of(graph, mm)).shape, (Shape{2, 3, 4, 6}));
  EXPECT_EQ(*graph.value(output_of(graph, dot)).shape, (Shape{3, 2}));

  Graph bad;
  ValueId y = bad.add_input("y", DataType::kFloat32, {2, 256});
  bad.add_node("Gemm", "head", {y, weights(bad, "w", {10, 512})}, 1, {{"transB", int64_t{1}}});
  EXPECT_NE(error_of(bad).find("'head' (Gemm): A has 256 columns but B has 512 rows (transposed)"),
            std::string::npos)
      << error_of(bad);
}

TEST(ShapeInference, ReshapeWithZeroAndMinusOne) {
  Graph graph;
  ValueId x = graph.add_input("x", DataType::kFloat32, {2, 3, 4});
  NodeId keep_batch = graph.add_node("Reshape", "r1", {x, ints(graph, "s1", {0, -1})});
  NodeId explicit_shape = graph.add_node("Reshape", "r2", {x, ints(graph, "s2", {4, 3, 2})});
  infer_shapes(graph);
  EXPECT_EQ(*graph.value(output_of(graph, keep_batch)).shape, (Shape{2, 12}));
  EXPECT_EQ(*graph.value(output_of(graph, explicit_shape)).shape, (Shape{4, 3, 2}));

  Graph dynamic;
  ValueId y = dynamic.add_input("y", DataType::kFloat32, {-1, 3, 4});
  NodeId flat = dynamic.add_node("Reshape", "flat", {y, ints(dynamic, "s", {0, -1})});
  EXPECT_EQ(inferred(dynamic, flat), (Shape{-1, 12}));

  Graph bad;
  ValueId z = bad.add_input("z", DataType::kFloat32, {2, 3, 4});
  bad.add_node("Reshape", "r", {z, ints(bad, "s", {5, 5})});
  EXPECT_NE(error_of(bad).find("cannot reshape [2,3,4] (24 elements) to [5,5] (25 elements)"),
            std::string::npos);
}

TEST(ShapeInference, ReshapeWithComputedShapeKnowsOnlyTheRank) {
  Graph graph;
  ValueId x = graph.add_input("x", DataType::kFloat32, {2, 3, 4});
  ValueId target = graph.add_input("target", DataType::kInt64, {3});
  NodeId reshape = graph.add_node("Reshape", "r", {x, target});
  EXPECT_EQ(inferred(graph, reshape), (Shape{-1, -1, -1}));
}

TEST(ShapeInference, ReshapeUsesPartlyKnownShapeValues) {
  // x.view(x.size(0), x.size(1) * 2, -1) with a dynamic batch: Shape -> Gather/Mul -> Concat -> Reshape.
  Graph graph;
  ValueId x = graph.add_input("x", DataType::kFloat32, {-1, 4, 6});
  NodeId shape = graph.add_node("Shape", "shape", {x});
  NodeId dims = graph.add_node("Gather", "dims", {output_of(graph, shape), ints(graph, "first_two", {0, 1})});
  NodeId doubled = graph.add_node("Mul", "doubled", {output_of(graph, dims), ints(graph, "factors", {1, 2})});
  NodeId target = graph.add_node("Concat", "target", {output_of(graph, doubled), ints(graph, "rest", {-1})},
                                 1, {{"axis", int64_t{0}}});
  NodeId reshape = graph.add_node("Reshape", "view", {x, output_of(graph, target)});
  EXPECT_EQ(inferred(graph, reshape), (Shape{-1, 8, -1}));  // the batch is unknown, so the -1 is too
  NodeId filled = graph.add_node("ConstantOfShape", "fill", {output_of(graph, doubled)});
  EXPECT_EQ(inferred(graph, filled), (Shape{-1, 8}));
}

TEST(ShapeInference, LayoutOps) {
  Graph graph;
  ValueId x = graph.add_input("x", DataType::kFloat32, {2, 3, 4, 5});
  NodeId flatten = graph.add_node("Flatten", "flatten", {x}, 1, {{"axis", int64_t{2}}});
  NodeId transpose = graph.add_node("Transpose", "t", {x}, 1, {{"perm", Ints{0, 2, 3, 1}}});
  NodeId reversed = graph.add_node("Transpose", "t2", {x});
  NodeId unsqueeze = graph.add_node("Unsqueeze", "u", {x, ints(graph, "ua", {0, -1})});
  NodeId squeeze = graph.add_node("Squeeze", "s", {output_of(graph, unsqueeze), ints(graph, "sa", {0})});
  NodeId concat = graph.add_node("Concat", "c", {x, x}, 1, {{"axis", int64_t{-3}}});
  NodeId split =
      graph.add_node("Split", "split", {x, ints(graph, "sizes", {1, 3})}, 2, {{"axis", int64_t{2}}});
  NodeId halves = graph.add_node("Split", "halves", {x}, 2);
  infer_shapes(graph);
  auto shape_of = [&](NodeId node, size_t index = 0) {
    return *graph.value(output_of(graph, node, index)).shape;
  };
  EXPECT_EQ(shape_of(flatten), (Shape{6, 20}));
  EXPECT_EQ(shape_of(transpose), (Shape{2, 4, 5, 3}));
  EXPECT_EQ(shape_of(reversed), (Shape{5, 4, 3, 2}));
  EXPECT_EQ(shape_of(unsqueeze), (Shape{1, 2, 3, 4, 5, 1}));
  EXPECT_EQ(shape_of(squeeze), (Shape{2, 3, 4, 5, 1}));
  EXPECT_EQ(shape_of(concat), (Shape{2, 6, 4, 5}));
  EXPECT_EQ(shape_of(split, 0), (Shape{2, 3, 1, 5}));
  EXPECT_EQ(shape_of(split, 1), (Shape{2, 3, 3, 5}));
  EXPECT_EQ(shape_of(halves, 1), (Shape{1, 3, 4, 5}));
}

TEST(ShapeInference, SqueezeOfSizeGreaterThanOneFails) {
  Graph graph;
  ValueId x = graph.add_input("x", DataType::kFloat32, {2, 3});
  graph.add_node("Squeeze", "sq", {x, ints(graph, "axes", {1})});
  EXPECT_NE(error_of(graph).find("cannot squeeze axis 1 of size 3"), std::string::npos);
}

TEST(ShapeInference, SliceGatherAndPad) {
  Graph graph;
  ValueId x = graph.add_input("x", DataType::kFloat32, {2, 10, 8});
  NodeId tail = graph.add_node(
      "Slice", "tail", {x, ints(graph, "st", {-3}), ints(graph, "en", {INT64_MAX}), ints(graph, "ax", {1})});
  NodeId stepped = graph.add_node("Slice", "stepped",
                                  {x, ints(graph, "st2", {1, 7}), ints(graph, "en2", {100, 0}),
                                   ints(graph, "ax2", {2, 1}), ints(graph, "sp2", {3, -2})});
  ValueId scalar_index = graph.add_initializer("i", Tensor::scalar<int64_t>(1));
  NodeId gather = graph.add_node("Gather", "g", {x, scalar_index}, 1, {{"axis", int64_t{1}}});
  NodeId gather_many = graph.add_node("Gather", "g2", {x, ints(graph, "is", {0, 1, 0})});
  NodeId pad = graph.add_node("Pad", "pad", {x, ints(graph, "pads", {0, 1, 2, 0, 3, 4})});
  ValueId runtime_pads = graph.add_input("p", DataType::kInt64, {6});
  NodeId dynamic_pad = graph.add_node("Pad", "pad2", {x, runtime_pads});
  infer_shapes(graph);
  auto shape_of = [&](NodeId node) { return *graph.value(output_of(graph, node)).shape; };
  EXPECT_EQ(shape_of(tail), (Shape{2, 3, 8}));
  EXPECT_EQ(shape_of(stepped), (Shape{2, 4, 3}));  // axis 1: 7,5,3,1; axis 2: 1,4,7
  EXPECT_EQ(shape_of(gather), (Shape{2, 8}));
  EXPECT_EQ(shape_of(gather_many), (Shape{3, 10, 8}));
  EXPECT_EQ(shape_of(pad), (Shape{2, 14, 14}));
  EXPECT_EQ(shape_of(dynamic_pad), (Shape{-1, -1, -1}));
}

TEST(ShapeInference, ShapeCastAndConstantOfShape) {
  Graph graph;
  ValueId x = graph.add_input("x", DataType::kFloat32, {-1, 3, 4});
  NodeId shape = graph.add_node("Shape", "shape", {x});
  NodeId cast = graph.add_node("Cast", "cast", {x}, 1, {{"to", int64_t{7}}});
  NodeId filled = graph.add_node("ConstantOfShape", "fill", {ints(graph, "dims", {2, 5})}, 1,
                                 {{"value", Tensor::from_vector<int64_t>({1}, {3})}});
  NodeId constant =
      graph.add_node("Constant", "k", {}, 1, {{"value", Tensor::from_vector<float>({2, 2}, {1, 2, 3, 4})}});
  infer_shapes(graph);
  EXPECT_EQ(graph.value(output_of(graph, shape)).dtype, DataType::kInt64);
  EXPECT_EQ(*graph.value(output_of(graph, shape)).shape, (Shape{3}));
  EXPECT_EQ(graph.value(output_of(graph, cast)).dtype, DataType::kInt64);
  EXPECT_EQ(*graph.value(output_of(graph, cast)).shape, (Shape{-1, 3, 4}));
  EXPECT_EQ(graph.value(output_of(graph, filled)).dtype, DataType::kInt64);
  EXPECT_EQ(*graph.value(output_of(graph, filled)).shape, (Shape{2, 5}));
  EXPECT_EQ(*graph.value(output_of(graph, constant)).shape, (Shape{2, 2}));
}

TEST(ShapeInference, NormalisationReductionAndActivations) {
  Graph graph;
  ValueId x = graph.add_input("x", DataType::kFloat32, {2, 4, 6, 6});
  std::vector<ValueId> bn_inputs = {x};
  for (const char* name : {"scale", "bias", "mean", "var"}) bn_inputs.push_back(weights(graph, name, {4}));
  NodeId bn = graph.add_node("BatchNormalization", "bn", bn_inputs);
  NodeId mean =
      graph.add_node("ReduceMean", "mean", {x}, 1, {{"axes", Ints{2, 3}}, {"keepdims", int64_t{0}}});
  NodeId kept = graph.add_node("ReduceMean", "kept", {x}, 1, {{"axes", Ints{-1}}});
  NodeId softmax = graph.add_node("Softmax", "softmax", {x}, 1, {{"axis", int64_t{1}}});
  NodeId dropout = graph.add_node("Dropout", "drop", {x}, 2);
  NodeId hardswish = graph.add_node("HardSwish", "hs", {output_of(graph, dropout)});
  infer_shapes(graph);
  auto shape_of = [&](NodeId node, size_t index = 0) {
    return *graph.value(output_of(graph, node, index)).shape;
  };
  EXPECT_EQ(shape_of(bn), (Shape{2, 4, 6, 6}));
  EXPECT_EQ(shape_of(mean), (Shape{2, 4}));
  EXPECT_EQ(shape_of(kept), (Shape{2, 4, 6, 1}));
  EXPECT_EQ(shape_of(softmax), (Shape{2, 4, 6, 6}));
  EXPECT_EQ(graph.value(output_of(graph, dropout, 1)).dtype, DataType::kBool);
  EXPECT_EQ(shape_of(hardswish), (Shape{2, 4, 6, 6}));

  Graph bad;
  ValueId y = bad.add_input("y", DataType::kFloat32, {2, 4, 6, 6});
  std::vector<ValueId> wrong = {y};
  for (const char* name : {"scale", "bias", "mean", "var"}) wrong.push_back(weights(bad, name, {8}));
  bad.add_node("BatchNormalization", "bn1", wrong);
  EXPECT_NE(error_of(bad).find(
                "'bn1' (BatchNormalization): scale size does not match the input's channels: 4 vs 8"),
            std::string::npos)
      << error_of(bad);
}

TEST(ShapeInference, UnknownRankPropagatesAndInitializersTakeTensorShapes) {
  Graph graph;
  Value unknown;
  unknown.name = "x";
  ValueId x = graph.add_value(unknown);
  graph.inputs.push_back(x);
  NodeId relu = graph.add_node("Relu", "relu", {x});
  NodeId shape = graph.add_node("Shape", "shape", {output_of(graph, relu)});
  ValueId w = weights(graph, "w", {3, 5});
  graph.value(w).shape.reset();
  infer_shapes(graph);
  EXPECT_FALSE(graph.value(output_of(graph, relu)).shape.has_value());
  EXPECT_EQ(*graph.value(output_of(graph, shape)).shape, (Shape{-1}));
  EXPECT_EQ(*graph.value(w).shape, (Shape{3, 5}));
}

TEST(ShapeInference, UnsupportedCastTypeIsReported) {
  Graph graph;
  ValueId x = graph.add_input("x", DataType::kFloat32, {1});
  graph.add_node("Cast", "to_half", {x}, 1, {{"to", int64_t{10}}});
  EXPECT_NE(error_of(graph).find("'to_half' (Cast): unsupported data type 10"), std::string::npos);
}

TEST(ShapeInference, QuantizeLinearTakesTheZeroPointsTypeOrUint8) {
  Graph graph;
  ValueId x = graph.add_input("x", DataType::kFloat32, {1, 4, 3, 3});
  ValueId scale = graph.add_initializer("scale", Tensor::scalar<float>(0.1f));
  ValueId signed_zero = graph.add_initializer("zero", Tensor::scalar<int8_t>(0));
  NodeId to_uint8 = graph.add_node("QuantizeLinear", "q8", {x, scale});
  NodeId to_int8 = graph.add_node("QuantizeLinear", "qs8", {x, scale, signed_zero});
  NodeId back = graph.add_node("DequantizeLinear", "dq", {output_of(graph, to_int8), scale, signed_zero});
  EXPECT_EQ(inferred(graph, to_uint8), (Shape{1, 4, 3, 3}));
  EXPECT_EQ(graph.value(output_of(graph, to_uint8)).dtype, DataType::kUInt8);
  EXPECT_EQ(graph.value(output_of(graph, to_int8)).dtype, DataType::kInt8);
  EXPECT_EQ(graph.value(output_of(graph, back)).dtype, DataType::kFloat32);
  EXPECT_EQ(graph.value(output_of(graph, back)).shape, (Shape{1, 4, 3, 3}));
}

TEST(ShapeInference, PerAxisScaleMustMatchTheAxis) {
  Graph graph;
  ValueId w = graph.add_initializer("w", Tensor(DataType::kInt8, {4, 2, 3, 3}));
  ValueId scale = graph.add_initializer("scale", Tensor(DataType::kFloat32, {3}));
  graph.add_node("DequantizeLinear", "dq", {w, scale}, 1, {{"axis", int64_t{0}}});
  EXPECT_NE(error_of(graph).find("scale size does not match"), std::string::npos) << error_of(graph);
}

TEST(ShapeInference, DequantizeLinearRejectsAFloatInput) {
  Graph graph;
  ValueId x = graph.add_input("x", DataType::kFloat32, {2});
  ValueId scale = graph.add_initializer("scale", Tensor::scalar<float>(1.0f));
  graph.add_node("DequantizeLinear", "dq", {x, scale});
  EXPECT_NE(error_of(graph).find("expected uint8, int8 or int32"), std::string::npos) << error_of(graph);
}

}  // namespace
}  // namespace nacre
