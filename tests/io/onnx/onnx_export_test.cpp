// Export writes an opset-13 ONNX model that imports back to the same structure and weights.
#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>

#include "io/onnx/load_model.h"
#include "io/onnx/onnx_export.h"
#include "io/onnx/onnx_import.h"
#include "io/onnx/onnx_test_support.h"
#include "test_paths.h"

namespace nacre {
namespace {

using testing::fixture;
using testing::op_histogram;
using testing::scratch_dir;

onnx::ModelProto parse(const std::string& bytes) {
  onnx::ModelProto model;
  EXPECT_TRUE(model.ParseFromString(bytes));
  return model;
}

void expect_same_weights(const Graph& actual, const Graph& expected) {
  size_t compared = 0;
  for (size_t id = 0; id < expected.value_count(); ++id) {
    const Value& value = expected.value(static_cast<ValueId>(id));
    if (!value.initializer) continue;
    ValueId other = actual.find_value(value.name);
    ASSERT_NE(other, kNoValue) << value.name;
    const Tensor& tensor = actual.constant(other);
    EXPECT_EQ(tensor.dtype(), value.initializer->dtype()) << value.name;
    EXPECT_EQ(tensor.shape(), value.initializer->shape()) << value.name;
    ASSERT_EQ(tensor.byte_size(), value.initializer->byte_size()) << value.name;
    EXPECT_EQ(std::memcmp(tensor.raw(), value.initializer->raw(), tensor.byte_size()), 0) << value.name;
    ++compared;
  }
  EXPECT_GT(compared, 0u);
}

class ExportRoundTrip : public ::testing::TestWithParam<std::string> {};

TEST_P(ExportRoundTrip, KeepsStructureShapesAndWeights) {
  Graph original = load_model(fixture(GetParam() + ".onnx"));
  Graph reimported = import_onnx_from_bytes(export_onnx_to_bytes(original), ".");
  EXPECT_EQ(op_histogram(reimported), op_histogram(original));
  EXPECT_EQ(reimported.node_count(), original.node_count());
  expect_same_weights(reimported, original);
  ASSERT_EQ(reimported.inputs.size(), original.inputs.size());
  for (size_t i = 0; i < original.inputs.size(); ++i) {
    EXPECT_EQ(reimported.value(reimported.inputs[i]).shape, original.value(original.inputs[i]).shape);
  }
  for (size_t i = 0; i < original.outputs.size(); ++i) {
    EXPECT_EQ(reimported.value(reimported.outputs[i]).name, original.value(original.outputs[i]).name);
    EXPECT_EQ(reimported.value(reimported.outputs[i]).shape, original.value(original.outputs[i]).shape);
  }
  for (size_t i = 0; i < original.node_count(); ++i) {
    const Node& node = original.node(static_cast<NodeId>(i));
    NodeId other = reimported.find_node(node.name);
    ASSERT_NE(other, kNoNode) << node.name;
    EXPECT_EQ(reimported.node(other).attributes.size(), node.attributes.size()) << node.name;
  }
}

INSTANTIATE_TEST_SUITE_P(Fixtures, ExportRoundTrip,
                         ::testing::Values("resnet18", "mobilenet_v2", "squeezenet1_1", "mobilenet_v3_small",
                                           "shufflenet_v2_x0_5", "ops_zoo", "tiny_cnn",
                                           "resnet18_dynamic_batch"));

TEST(ExportOnnx, WritesOpset13WithInlineWeightsAndDeclaredShapes) {
  Graph graph = load_model(fixture("resnet18_dynamic_batch.onnx"));
  onnx::ModelProto model = parse(export_onnx_to_bytes(graph));
  EXPECT_GE(model.ir_version(), 7);
  EXPECT_EQ(model.producer_name(), "nacre");
  ASSERT_EQ(model.opset_import_size(), 1);
  EXPECT_EQ(model.opset_import(0).domain(), "");
  EXPECT_EQ(model.opset_import(0).version(), 13);
  for (const auto& initializer : model.graph().initializer()) {
    EXPECT_TRUE(initializer.has_raw_data()) << initializer.name();
    EXPECT_NE(initializer.data_location(), onnx::TensorProto::EXTERNAL);
  }
  ASSERT_EQ(model.graph().input_size(), 1);
  const auto& input_shape = model.graph().input(0).type().tensor_type().shape();
  ASSERT_EQ(input_shape.dim_size(), 4);
  EXPECT_FALSE(input_shape.dim(0).has_dim_value());
  EXPECT_FALSE(input_shape.dim(0).dim_param().empty());
  EXPECT_EQ(input_shape.dim(1).dim_value(), 3);
}

TEST(ExportOnnx, AllAttributeTypesRoundTrip) {
  Graph graph;
  ValueId x = graph.add_input("x", DataType::kFloat32, {2, 3});
  graph.add_node("Relu", "relu", {x}, 1,
                 {{"an_int", int64_t{7}},
                  {"a_float", 0.5},
                  {"a_string", std::string("text")},
                  {"ints", std::vector<int64_t>{1, -2}},
                  {"floats", std::vector<double>{0.25, 4.0}},
                  {"a_tensor", Tensor::from_vector<float>({2}, {1.0f, 2.0f})},
                  {"strings", std::vector<std::string>{"a", "b"}}});
  graph.outputs = {graph.node(0).outputs[0]};
  Graph back = import_onnx_from_bytes(export_onnx_to_bytes(graph), ".");
  const Node& node = back.node(back.find_node("relu"));
  EXPECT_EQ(node.attributes.size(), 7u);
  EXPECT_EQ(node.get_int("an_int", 0), 7);
  EXPECT_EQ(node.get_float("a_float", 0), 0.5);
  EXPECT_EQ(node.get_string("a_string", ""), "text");
  EXPECT_EQ(node.get_ints("ints"), (std::vector<int64_t>{1, -2}));
  EXPECT_EQ(node.get_floats("floats"), (std::vector<double>{0.25, 4.0}));
  EXPECT_EQ(node.get_tensor("a_tensor").to_vector<float>(), (std::vector<float>{1.0f, 2.0f}));
  EXPECT_EQ(std::get<std::vector<std::string>>(node.attributes.at("strings")),
            (std::vector<std::string>{"a", "b"}));
}

TEST(ExportOnnx, OmittedInputsAndUnknownShapesStayOptional) {
  Graph graph;
  ValueId x = graph.add_input("x", DataType::kFloat32, {4});
  ValueId max = graph.add_initializer("max", Tensor::scalar<float>(1.0f));
  NodeId clip = graph.add_node("Clip", "clip", {x, kNoValue, max});
  NodeId relu = graph.add_node("Relu", "relu", {graph.node(clip).outputs[0]});
  graph.outputs = {graph.node(relu).outputs[0]};
  onnx::ModelProto model = parse(export_onnx_to_bytes(graph));
  EXPECT_EQ(model.graph().value_info_size(), 0) << "no shape known for the intermediate value";
  ASSERT_EQ(model.graph().node(0).input_size(), 3);
  EXPECT_EQ(model.graph().node(0).input(1), "");
  Graph back = import_onnx_from_bytes(model.SerializeAsString(), ".");
  EXPECT_EQ(back.node(back.find_node("clip")).inputs[1], kNoValue);
}

TEST(ExportOnnx, UnreadInitializersAreLeftOut) {
  Graph graph;
  ValueId x = graph.add_input("x", DataType::kFloat32, {2});
  graph.add_initializer("unused", Tensor::scalar<float>(1.0f));
  ValueId bias = graph.add_initializer("bias", Tensor::from_vector<float>({2}, {1.0f, 2.0f}));
  graph.add_node("Add", "add", {x, bias});
  graph.outputs = {graph.node(0).outputs[0]};
  onnx::ModelProto model = parse(export_onnx_to_bytes(graph));
  ASSERT_EQ(model.graph().initializer_size(), 1);
  EXPECT_EQ(model.graph().initializer(0).name(), "bias");
}

TEST(ExportOnnx, HardSwishIsWrittenAtOpset14) {
  Graph graph;
  ValueId x = graph.add_input("x", DataType::kFloat32, {4});
  graph.add_node("HardSwish", "hs", {x});
  graph.outputs = {graph.node(0).outputs[0]};
  onnx::ModelProto model = parse(export_onnx_to_bytes(graph));
  EXPECT_EQ(model.opset_import(0).version(), 14);
}

TEST(ExportOnnx, FileIsReplacedAtomicallyAndMissingFolderIsAnError) {
  std::string dir = scratch_dir("ExportOnnx_File");
  Graph graph = import_onnx(fixture("tiny_cnn.onnx"));
  std::string path = dir + "/model.onnx";
  testing::write_file(path, "old contents");
  export_onnx(graph, path);
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
  EXPECT_EQ(op_histogram(import_onnx(path)), op_histogram(graph));

  std::string nested = dir + "/absent/model.onnx";
  try {
    export_onnx(graph, nested);
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("does not exist"), std::string::npos) << error.what();
  }
  EXPECT_FALSE(std::filesystem::exists(dir + "/absent"));
}

}  // namespace
}  // namespace nacre
