// Importing the fixture models exported by PyTorch: structure, shapes, and one canonical form across opsets.
#include <gtest/gtest.h>

#include <set>

#include "io/data/npy.h"
#include "io/onnx/onnx_import.h"
#include "io/onnx/onnx_test_support.h"
#include "ir/op_registry.h"
#include "test_paths.h"

namespace nacre {
namespace {

using testing::fixture;
using testing::op_histogram;

struct FixtureModel {
  std::string name;
  int conv_count;
};

class ImportFixture : public ::testing::TestWithParam<FixtureModel> {};

TEST_P(ImportFixture, HasExpectedStructureAndShapes) {
  const FixtureModel& model = GetParam();
  Graph graph = import_onnx(fixture(model.name + ".onnx"));
  auto histogram = op_histogram(graph);
  EXPECT_EQ(histogram["Conv"], model.conv_count) << model.name;
  EXPECT_EQ(histogram.count("Constant"), 0u) << "Constant nodes become initializers";
  for (const Node& node : graph.nodes()) {
    EXPECT_TRUE(is_supported_op(node.op_type)) << node.op_type;
    EXPECT_FALSE(node.name.empty());
  }
  EXPECT_EQ(graph.opset, 13);

  ASSERT_EQ(graph.inputs.size(), 1u);
  ASSERT_EQ(graph.outputs.size(), 1u);
  const Value& input = graph.value(graph.inputs[0]);
  const Value& output = graph.value(graph.outputs[0]);
  EXPECT_FALSE(input.initializer.has_value());
  EXPECT_EQ(input.dtype, DataType::kFloat32);
  ASSERT_TRUE(input.shape.has_value());
  ASSERT_TRUE(output.shape.has_value());
  // The fixture's files were made with the model's own input and output shapes.
  EXPECT_EQ(*input.shape, read_npy(fixture(model.name + ".input.npy")).shape());
  EXPECT_EQ(*output.shape, read_npy(fixture(model.name + ".output.npy")).shape());
}

TEST_P(ImportFixture, NodesAreTopologicallySortedAndNamedUniquely) {
  Graph graph = import_onnx(fixture(GetParam().name + ".onnx"));
  std::vector<bool> defined(graph.value_count(), false);
  for (ValueId input : graph.inputs) defined[input] = true;
  for (size_t id = 0; id < graph.value_count(); ++id) {
    if (graph.value(static_cast<ValueId>(id)).initializer) defined[id] = true;
  }
  std::set<std::string> names;
  for (const Node& node : graph.nodes()) {
    for (ValueId input : node.inputs) {
      if (input == kNoValue) continue;
      EXPECT_TRUE(defined[input]) << node.name << " reads an undefined value";
    }
    for (ValueId output : node.outputs) defined[output] = true;
    EXPECT_TRUE(names.insert(node.name).second) << "duplicate node name " << node.name;
  }
}

INSTANTIATE_TEST_SUITE_P(Fixtures, ImportFixture,
                         ::testing::Values(FixtureModel{"resnet18", 20}, FixtureModel{"mobilenet_v2", 52},
                                           FixtureModel{"squeezenet1_1", 26},
                                           FixtureModel{"mobilenet_v3_small", 52},
                                           FixtureModel{"shufflenet_v2_x0_5", 56},
                                           FixtureModel{"tiny_cnn", 2}, FixtureModel{"resnet18_opset11", 20},
                                           FixtureModel{"resnet18_opset17", 20}),
                         [](const auto& info) { return info.param.name; });

TEST(ImportOnnx, OpsetsElevenAndSeventeenGiveTheOpsetThirteenForm) {
  auto reference = op_histogram(import_onnx(fixture("resnet18.onnx")));
  EXPECT_EQ(op_histogram(import_onnx(fixture("resnet18_opset11.onnx"))), reference);
  EXPECT_EQ(op_histogram(import_onnx(fixture("resnet18_opset17.onnx"))), reference);
}

TEST(ImportOnnx, OpsZooKeepsItsUnfusedBatchNormalization) {
  auto histogram = op_histogram(import_onnx(fixture("ops_zoo.onnx")));
  for (const char* op : {"BatchNormalization", "Gemm", "MatMul", "Pad", "Slice", "Softmax", "ReduceMean",
                         "Concat", "Split", "Transpose", "Reshape"}) {
    EXPECT_GE(histogram[op], 1) << op;
  }
}

TEST(ImportOnnx, DynamicBatchIsUnknownAndCanBeFixed) {
  Graph dynamic = import_onnx(fixture("resnet18_dynamic_batch.onnx"));
  const Shape& shape = *dynamic.value(dynamic.inputs[0]).shape;
  ASSERT_EQ(shape.size(), 4u);
  EXPECT_LT(shape[0], 0);
  EXPECT_GT(shape[1], 0);

  ImportOptions options;
  options.input_shape = Shape{5, shape[1], shape[2], shape[3]};
  Graph fixed = import_onnx(fixture("resnet18_dynamic_batch.onnx"), options);
  EXPECT_EQ(*fixed.value(fixed.inputs[0]).shape, *options.input_shape);
}

TEST(ImportOnnx, InputShapeOfAnotherRankIsAClearError) {
  ImportOptions options;
  options.input_shape = Shape{1, 3, 32};
  try {
    import_onnx(fixture("resnet18.onnx"), options);
    FAIL() << "expected an error";
  } catch (const Error& error) {
    std::string message = error.what();
    EXPECT_NE(message.find("rank 3"), std::string::npos) << message;
    EXPECT_NE(message.find("rank 4"), std::string::npos) << message;
    EXPECT_NE(message.find("resnet18.onnx"), std::string::npos) << message;
  }
}

TEST(ImportOnnx, ExternalDataIsLoaded) {
  Graph external = import_onnx(fixture("mobilenet_v2_external/model.onnx"));
  Graph inline_model = import_onnx(fixture("mobilenet_v2.onnx"));
  EXPECT_EQ(op_histogram(external), op_histogram(inline_model));
  size_t float_weights = 0;
  for (size_t id = 0; id < external.value_count(); ++id) {
    const Value& value = external.value(static_cast<ValueId>(id));
    if (!value.initializer || value.dtype != DataType::kFloat32) continue;
    EXPECT_EQ(value.initializer->byte_size(), value.initializer->numel() * sizeof(float)) << value.name;
    ++float_weights;
  }
  EXPECT_GT(float_weights, 50u);
}

}  // namespace
}  // namespace nacre
