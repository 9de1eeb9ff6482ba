// Old- and new-opset forms of ops become the one opset-13 form of nacre's IR; ONNX details map onto the IR.
#include <gtest/gtest.h>

#include <set>

#include "io/onnx/onnx_import.h"
#include "io/onnx/onnx_test_support.h"

namespace nacre {
namespace {

using testing::OnnxModelBuilder;
using testing::op_histogram;
using testing::set_float;
using testing::set_int;
using testing::set_ints;

Graph import_built(const OnnxModelBuilder& builder) { return import_onnx_from_bytes(builder.bytes(), "."); }

const Node& only_node(const Graph& graph, const std::string& op_type) {
  for (const Node& node : graph.nodes()) {
    if (node.op_type == op_type) return node;
  }
  throw Error("no " + op_type + " node");
}

std::vector<int64_t> constant_input(const Graph& graph, const Node& node, size_t index) {
  return graph.constant(node.inputs.at(index)).as_int64s();
}

TEST(CanonicalForm, SqueezeAndUnsqueezeAxesAttributesBecomeInputs) {
  OnnxModelBuilder builder(11);
  builder.input("x", {1, 3, 1});
  set_ints(builder.node("Squeeze", {"x"}, {"s"}), "axes", {0, 2});
  set_ints(builder.node("Unsqueeze", {"s"}, {"y"}), "axes", {1});
  builder.output("y", {3, 1});
  Graph graph = import_built(builder);

  const Node& squeeze = only_node(graph, "Squeeze");
  EXPECT_FALSE(squeeze.has("axes"));
  ASSERT_EQ(squeeze.inputs.size(), 2u);
  EXPECT_EQ(constant_input(graph, squeeze, 1), (std::vector<int64_t>{0, 2}));
  EXPECT_EQ(graph.constant(squeeze.inputs[1]).dtype(), DataType::kInt64);
  const Node& unsqueeze = only_node(graph, "Unsqueeze");
  EXPECT_FALSE(unsqueeze.has("axes"));
  EXPECT_EQ(constant_input(graph, unsqueeze, 1), (std::vector<int64_t>{1}));
  EXPECT_EQ(graph.opset, 13);
}

TEST(CanonicalForm, OpsetThirteenSqueezeIsKeptAsIs) {
  OnnxModelBuilder builder(13);
  builder.input("x", {1, 3});
  builder.int64_initializer("axes", {0});
  builder.node("Squeeze", {"x", "axes"}, {"y"});
  builder.output("y", {3});
  Graph graph = import_built(builder);
  EXPECT_EQ(graph.value(only_node(graph, "Squeeze").inputs.at(1)).name, "axes");
}

TEST(CanonicalForm, SplitAttributeBecomesInput) {
  OnnxModelBuilder builder(11);
  builder.input("x", {6});
  auto* split = builder.node("Split", {"x"}, {"a", "b"});
  set_ints(split, "split", {2, 4});
  set_int(split, "axis", 0);
  builder.output("a", {2});
  builder.output("b", {4});
  Graph graph = import_built(builder);
  const Node& node = only_node(graph, "Split");
  EXPECT_FALSE(node.has("split"));
  EXPECT_EQ(node.get_int("axis", -1), 0);
  EXPECT_EQ(constant_input(graph, node, 1), (std::vector<int64_t>{2, 4}));
}

TEST(CanonicalForm, ClipMinMaxAttributesBecomeInputs) {
  OnnxModelBuilder builder(10);
  builder.input("x", {4});
  auto* clip = builder.node("Clip", {"x"}, {"y"});
  set_float(clip, "min", -0.5f);
  set_float(clip, "max", 6.0f);
  builder.output("y", {4});
  Graph graph = import_built(builder);
  const Node& node = only_node(graph, "Clip");
  EXPECT_TRUE(node.attributes.empty());
  ASSERT_EQ(node.inputs.size(), 3u);
  EXPECT_EQ(graph.constant(node.inputs[1]).to_vector<float>(), std::vector<float>{-0.5f});
  EXPECT_EQ(graph.constant(node.inputs[2]).to_vector<float>(), std::vector<float>{6.0f});
  EXPECT_EQ(graph.constant(node.inputs[2]).rank(), 0);
}

TEST(CanonicalForm, ClipWithOnlyMaxLeavesMinOmitted) {
  OnnxModelBuilder builder(9);
  builder.input("x", {4});
  set_float(builder.node("Clip", {"x"}, {"y"}), "max", 1.0f);
  builder.output("y", {4});
  Graph graph = import_built(builder);
  const Node& node = only_node(graph, "Clip");
  ASSERT_EQ(node.inputs.size(), 3u);
  EXPECT_EQ(node.inputs[1], kNoValue);
  EXPECT_TRUE(graph.is_constant(node.inputs[2]));
}

TEST(CanonicalForm, PadAttributesBecomeInputs) {
  OnnxModelBuilder builder(10);
  builder.input("x", {1, 2});
  auto* pad = builder.node("Pad", {"x"}, {"y"});
  set_ints(pad, "pads", {0, 1, 0, 2});
  set_float(pad, "value", 3.0f);
  auto* mode = pad->add_attribute();
  mode->set_name("mode");
  mode->set_type(onnx::AttributeProto::STRING);
  mode->set_s("constant");
  builder.output("y", {1, 5});
  Graph graph = import_built(builder);
  const Node& node = only_node(graph, "Pad");
  EXPECT_EQ(node.get_string("mode", ""), "constant");
  EXPECT_FALSE(node.has("pads"));
  EXPECT_EQ(constant_input(graph, node, 1), (std::vector<int64_t>{0, 1, 0, 2}));
  EXPECT_EQ(graph.constant(node.inputs.at(2)).to_vector<float>(), std::vector<float>{3.0f});
}

TEST(CanonicalForm, OpsetEighteenReduceMeanAxesBecomeAttribute) {
  OnnxModelBuilder builder(18);
  builder.input("x", {2, 3, 4});
  builder.int64_initializer("axes", {1, 2});
  set_int(builder.node("ReduceMean", {"x", "axes"}, {"y"}), "keepdims", 0);
  builder.output("y", {2});
  Graph graph = import_built(builder);
  const Node& node = only_node(graph, "ReduceMean");
  EXPECT_EQ(node.inputs.size(), 1u);
  EXPECT_EQ(node.get_ints("axes"), (std::vector<int64_t>{1, 2}));
  EXPECT_EQ(node.get_int("keepdims", 1), 0);
}

TEST(CanonicalForm, OldSoftmaxOverTheLastAxisIsUnchanged) {
  OnnxModelBuilder builder(11);
  builder.input("x", {2, 5});
  set_int(builder.node("Softmax", {"x"}, {"y"}), "axis", 1);
  builder.output("y", {2, 5});
  Graph graph = import_built(builder);
  EXPECT_EQ(graph.node_count(), 1u);
  EXPECT_EQ(graph.node(0).get_int("axis", 0), 1);
}

TEST(CanonicalForm, OldSoftmaxOverEarlierAxisIsFlattenedAndReshaped) {
  OnnxModelBuilder builder(11);
  builder.input("x", {2, 3, 4});
  set_int(builder.node("Softmax", {"x"}, {"y"}), "axis", 1);  // the old meaning: over axes 1 and 2 together
  builder.output("y", {2, 3, 4});
  Graph graph = import_built(builder);
  auto histogram = op_histogram(graph);
  EXPECT_EQ(histogram["Flatten"], 1);
  EXPECT_EQ(histogram["Softmax"], 1);
  EXPECT_EQ(histogram["Reshape"], 1);
  EXPECT_EQ(only_node(graph, "Flatten").get_int("axis", 0), 1);
  EXPECT_EQ(only_node(graph, "Softmax").get_int("axis", 0), -1);
  const Node& reshape = only_node(graph, "Reshape");
  EXPECT_EQ(graph.value(reshape.outputs[0]).name, "y");
  EXPECT_EQ(graph.value(graph.outputs[0]).producer, graph.find_node(reshape.name));
}

TEST(CanonicalForm, ShapeStartEndBecomeSlice) {
  OnnxModelBuilder builder(15);
  builder.input("x", {2, 3, 4});
  auto* shape = builder.node("Shape", {"x"}, {"y"});
  set_int(shape, "start", 1);
  builder.output("y", {2}, onnx::TensorProto::INT64);
  Graph graph = import_built(builder);
  auto histogram = op_histogram(graph);
  EXPECT_EQ(histogram["Shape"], 1);
  EXPECT_EQ(histogram["Slice"], 1);
  EXPECT_FALSE(only_node(graph, "Shape").has("start"));
  const Node& slice = only_node(graph, "Slice");
  EXPECT_EQ(constant_input(graph, slice, 1), std::vector<int64_t>{1});
  EXPECT_EQ(graph.value(slice.outputs[0]).name, "y");
}

TEST(CanonicalForm, OpsetOutsideTheImportedRangeIsAnError) {
  OnnxModelBuilder builder(3);
  builder.input("x", {1});
  builder.node("Relu", {"x"}, {"y"});
  builder.output("y", {1});
  EXPECT_THROW(import_built(builder), Error);
}

TEST(ImportDetails, ConstantNodesBecomeInitializers) {
  OnnxModelBuilder builder(13);
  builder.input("x", {2});
  auto* tensor_constant = builder.node("Constant", {}, {"c"});
  auto* value = tensor_constant->add_attribute();
  value->set_name("value");
  value->set_type(onnx::AttributeProto::TENSOR);
  value->mutable_t()->set_data_type(onnx::TensorProto::FLOAT);
  value->mutable_t()->add_dims(2);
  value->mutable_t()->add_float_data(1.5f);
  value->mutable_t()->add_float_data(-2.0f);
  set_float(builder.node("Constant", {}, {"f"}), "value_float", 0.25f);
  set_ints(builder.node("Constant", {}, {"shape"}), "value_ints", {1, 2});
  builder.node("Add", {"x", "c"}, {"a"});
  builder.node("Mul", {"a", "f"}, {"m"});
  builder.node("Reshape", {"m", "shape"}, {"y"});
  builder.output("y", {1, 2});
  Graph graph = import_built(builder);

  EXPECT_EQ(op_histogram(graph), (std::map<std::string, int>{{"Add", 1}, {"Mul", 1}, {"Reshape", 1}}));
  EXPECT_EQ(graph.constant(graph.find_value("c")).to_vector<float>(), (std::vector<float>{1.5f, -2.0f}));
  EXPECT_EQ(graph.constant(graph.find_value("f")).to_vector<float>(), std::vector<float>{0.25f});
  EXPECT_EQ(graph.constant(graph.find_value("f")).rank(), 0);
  EXPECT_EQ(graph.constant(graph.find_value("shape")).to_vector<int64_t>(), (std::vector<int64_t>{1, 2}));
}

TEST(ImportDetails, TypedTensorFieldsAreRead) {
  OnnxModelBuilder builder(13);
  builder.input("x", {3});
  builder.int64_initializer("i64", {7, -8, 9});
  auto* int8s = builder.graph()->add_initializer();
  int8s->set_name("i8");
  int8s->set_data_type(onnx::TensorProto::INT8);
  int8s->add_dims(2);
  int8s->add_int32_data(-5);
  int8s->add_int32_data(100);
  auto* bools = builder.graph()->add_initializer();
  bools->set_name("b");
  bools->set_data_type(onnx::TensorProto::BOOL);
  bools->add_dims(2);
  bools->add_int32_data(1);
  bools->add_int32_data(0);
  auto* doubles = builder.graph()->add_initializer();
  doubles->set_name("d");
  doubles->set_data_type(onnx::TensorProto::DOUBLE);
  doubles->add_double_data(0.5);  // a scalar: no dims
  builder.node("Relu", {"x"}, {"y"});
  builder.output("y", {3});
  Graph graph = import_built(builder);
  EXPECT_EQ(graph.constant(graph.find_value("i64")).to_vector<int64_t>(), (std::vector<int64_t>{7, -8, 9}));
  EXPECT_EQ(graph.constant(graph.find_value("i8")).to_vector<int8_t>(), (std::vector<int8_t>{-5, 100}));
  EXPECT_EQ(graph.constant(graph.find_value("b")).as_int64s(), (std::vector<int64_t>{1, 0}));
  EXPECT_EQ(graph.constant(graph.find_value("d")).to_vector<double>(), std::vector<double>{0.5});
}

TEST(ImportDetails, RawDataOfTheWrongSizeIsAnError) {
  OnnxModelBuilder builder(13);
  builder.input("x", {3});
  builder.float_initializer("w", {3}, {1, 2, 3})->mutable_raw_data()->resize(8);
  builder.node("Add", {"x", "w"}, {"y"});
  builder.output("y", {3});
  try {
    import_built(builder);
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("tensor 'w'"), std::string::npos) << error.what();
  }
}

TEST(ImportDetails, AttributesKeepTheirTypes) {
  OnnxModelBuilder builder(13);
  builder.input("x", {1, 1, 4, 4});
  builder.float_initializer("w", {1, 1, 3, 3}, std::vector<float>(9, 1.0f));
  auto* conv = builder.node("Conv", {"x", "w"}, {"y"}, "conv");
  set_ints(conv, "pads", {1, 1, 1, 1});
  set_int(conv, "group", 1);
  auto* pad_mode = conv->add_attribute();
  pad_mode->set_name("auto_pad");
  pad_mode->set_type(onnx::AttributeProto::STRING);
  pad_mode->set_s("NOTSET");
  auto* floats = conv->add_attribute();
  floats->set_name("some_floats");
  floats->set_type(onnx::AttributeProto::FLOATS);
  floats->add_floats(0.5f);
  builder.output("y", {1, 1, 4, 4});
  Graph graph = import_built(builder);
  const Node& node = graph.node(graph.find_node("conv"));
  EXPECT_EQ(node.get_ints("pads"), (std::vector<int64_t>{1, 1, 1, 1}));
  EXPECT_EQ(node.get_int("group", 0), 1);
  EXPECT_EQ(node.get_string("auto_pad", ""), "NOTSET");
  EXPECT_EQ(node.get_floats("some_floats"), std::vector<double>{0.5});
}

TEST(ImportDetails, UnnamedNodesGetUniqueNamesAndOrderIsTopological) {
  OnnxModelBuilder builder(13);
  builder.input("x", {2});
  builder.node("Relu", {"a"}, {"y"});  // written before its producer
  builder.node("Sigmoid", {"x"}, {"a"});
  builder.node("Tanh", {"x"}, {"t"}, "Sigmoid_1");  // collides with a generated name
  builder.output("y", {2});
  builder.output("t", {2});
  Graph graph = import_built(builder);
  ASSERT_EQ(graph.node_count(), 3u);
  std::set<std::string> names;
  for (const Node& node : graph.nodes()) EXPECT_TRUE(names.insert(node.name).second) << node.name;
  EXPECT_NE(graph.find_node("Relu_0"), kNoNode);
  EXPECT_LT(graph.find_node("Sigmoid_1"), graph.find_node("Relu_0"));
}

TEST(ImportDetails, InitializersListedAsInputsAreNotRuntimeInputs) {
  OnnxModelBuilder builder(9);
  builder.model().set_ir_version(3);
  builder.input("x", {3});
  builder.input("w", {3});
  builder.float_initializer("w", {3}, {1, 2, 3});
  builder.node("Add", {"x", "w"}, {"y"});
  builder.output("y", {3});
  Graph graph = import_built(builder);
  ASSERT_EQ(graph.inputs.size(), 1u);
  EXPECT_EQ(graph.value(graph.inputs[0]).name, "x");
  EXPECT_TRUE(graph.is_constant(graph.find_value("w")));
}

TEST(ImportDetails, SymbolicDimensionsAreUnknown) {
  OnnxModelBuilder builder(13);
  builder.input("x", {-1, 3});
  builder.node("Relu", {"x"}, {"y"});
  builder.output("y", {-1, 3});
  Graph graph = import_built(builder);
  EXPECT_EQ(*graph.value(graph.inputs[0]).shape, (Shape{-1, 3}));
  ImportOptions options;
  options.input_shape = Shape{4, 3};
  Graph fixed = import_onnx_from_bytes(builder.bytes(), ".", options);
  EXPECT_EQ(*fixed.value(fixed.inputs[0]).shape, (Shape{4, 3}));
}

TEST(ImportDetails, OmittedOptionalInputsStayOmitted) {
  OnnxModelBuilder builder(13);
  builder.input("x", {4});
  builder.float_initializer("max", {}, {1.0f});
  builder.node("Clip", {"x", "", "max"}, {"y"});
  builder.output("y", {4});
  Graph graph = import_built(builder);
  const Node& clip = graph.node(0);
  ASSERT_EQ(clip.inputs.size(), 3u);
  EXPECT_EQ(clip.inputs[1], kNoValue);
  EXPECT_EQ(graph.value(clip.inputs[2]).name, "max");
}

}  // namespace
}  // namespace nacre
