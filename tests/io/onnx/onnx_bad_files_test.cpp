// Files that are not usable models give one clear Error naming the file and the problem, never a crash.
#include <gtest/gtest.h>

#include <filesystem>

#include "io/onnx/onnx_import.h"
#include "io/onnx/onnx_test_support.h"
#include "test_paths.h"

namespace nacre {
namespace {

using testing::fixture;
using testing::OnnxModelBuilder;
using testing::scratch_dir;
using testing::write_file;

// The message of the Error that importing `path` throws.
std::string import_error(const std::string& path) {
  try {
    import_onnx(path);
  } catch (const Error& error) {
    return error.what();
  } catch (const std::exception& error) {
    return std::string("not a nacre::Error: ") + error.what();
  }
  return "no error";
}

void expect_contains(const std::string& message, const std::vector<std::string>& parts) {
  for (const std::string& part : parts) EXPECT_NE(message.find(part), std::string::npos) << message;
}

TEST(BadOnnxFiles, TruncatedFile) {
  std::string path = fixture("bad_truncated.onnx");
  expect_contains(import_error(path), {path, "not a valid ONNX file"});
}

TEST(BadOnnxFiles, RandomBytes) {
  std::string path = fixture("bad_random.onnx");
  std::string message = import_error(path);
  expect_contains(message, {"cannot import ONNX model '" + path + "'"});
}

TEST(BadOnnxFiles, MissingFileAndDirectory) {
  std::string missing = scratch_dir("BadOnnxFiles_Missing") + "/absent.onnx";
  expect_contains(import_error(missing), {missing, "does not exist"});
  std::string folder = scratch_dir("BadOnnxFiles_Folder");
  expect_contains(import_error(folder), {folder, "directory"});
}

TEST(BadOnnxFiles, EmptyFile) {
  std::string path = scratch_dir("BadOnnxFiles_Empty") + "/empty.onnx";
  write_file(path, "");
  expect_contains(import_error(path), {path, "empty"});
}

TEST(BadOnnxFiles, EveryUnsupportedNodeIsListed) {
  std::string path = fixture("bad_unsupported.onnx");
  expect_contains(import_error(path),
                  {path, "Einsum", "my_einsum", "GRU", "my_gru", "nacre supports: ", "Conv"});
}

TEST(BadOnnxFiles, CustomDomainIsUnsupported) {
  OnnxModelBuilder builder(13);
  builder.input("x", {2});
  builder.node("FusedGelu", {"x"}, {"y"}, "gelu")->set_domain("com.microsoft");
  builder.output("y", {2});
  std::string path = scratch_dir("BadOnnxFiles_Domain") + "/custom.onnx";
  write_file(path, builder.bytes());
  expect_contains(import_error(path), {path, "com.microsoft.FusedGelu", "gelu"});
}

TEST(BadOnnxFiles, ModelWithoutGraphInputsOrOutputs) {
  std::string dir = scratch_dir("BadOnnxFiles_Structure");
  onnx::ModelProto no_graph;
  no_graph.set_ir_version(7);
  write_file(dir + "/no_graph.onnx", no_graph.SerializeAsString());
  expect_contains(import_error(dir + "/no_graph.onnx"), {"no_graph.onnx", "no graph"});

  OnnxModelBuilder no_inputs(13);
  no_inputs.float_initializer("c", {1}, {1.0f});
  no_inputs.node("Relu", {"c"}, {"y"});
  no_inputs.output("y", {1});
  write_file(dir + "/no_inputs.onnx", no_inputs.bytes());
  expect_contains(import_error(dir + "/no_inputs.onnx"), {"no_inputs.onnx", "no inputs"});

  OnnxModelBuilder no_outputs(13);
  no_outputs.input("x", {1});
  no_outputs.node("Relu", {"x"}, {"y"});
  write_file(dir + "/no_outputs.onnx", no_outputs.bytes());
  expect_contains(import_error(dir + "/no_outputs.onnx"), {"no_outputs.onnx", "no outputs"});
}

TEST(BadOnnxFiles, UndefinedValuesAreNamed) {
  std::string dir = scratch_dir("BadOnnxFiles_Undefined");
  OnnxModelBuilder dangling_input(13);
  dangling_input.input("x", {2});
  dangling_input.node("Add", {"x", "ghost"}, {"y"}, "add");
  dangling_input.output("y", {2});
  write_file(dir + "/dangling.onnx", dangling_input.bytes());
  expect_contains(import_error(dir + "/dangling.onnx"), {"node 'add' (Add)", "'ghost'"});

  OnnxModelBuilder dangling_output(13);
  dangling_output.input("x", {2});
  dangling_output.node("Relu", {"x"}, {"y"});
  dangling_output.output("z", {2});
  write_file(dir + "/dangling_output.onnx", dangling_output.bytes());
  expect_contains(import_error(dir + "/dangling_output.onnx"), {"graph output", "'z'"});

  OnnxModelBuilder twice(13);
  twice.input("x", {2});
  twice.node("Relu", {"x"}, {"y"});
  twice.node("Sigmoid", {"x"}, {"y"});
  twice.output("y", {2});
  write_file(dir + "/twice.onnx", twice.bytes());
  expect_contains(import_error(dir + "/twice.onnx"), {"'y'", "defined twice"});
}

TEST(BadOnnxFiles, CycleIsAnError) {
  OnnxModelBuilder builder(13);
  builder.input("x", {2});
  builder.node("Add", {"x", "b"}, {"a"});
  builder.node("Relu", {"a"}, {"b"});
  builder.output("b", {2});
  std::string path = scratch_dir("BadOnnxFiles_Cycle") + "/cycle.onnx";
  write_file(path, builder.bytes());
  expect_contains(import_error(path), {path, "cycle"});
}

TEST(BadOnnxFiles, UnsupportedElementTypeIsNamed) {
  OnnxModelBuilder builder(13);
  builder.input("x", {2}, onnx::TensorProto::FLOAT16);
  builder.node("Relu", {"x"}, {"y"});
  builder.output("y", {2}, onnx::TensorProto::FLOAT16);
  std::string path = scratch_dir("BadOnnxFiles_Float16") + "/half.onnx";
  write_file(path, builder.bytes());
  expect_contains(import_error(path), {path, "'x'", "FLOAT16"});
}

TEST(BadOnnxFiles, MissingOrShortExternalDataNamesTensorAndFile) {
  std::filesystem::path source = fixture("mobilenet_v2_external");
  std::filesystem::path data_file;
  for (const auto& entry : std::filesystem::directory_iterator(source)) {
    if (entry.path().filename() != "model.onnx") data_file = entry.path();
  }
  ASSERT_FALSE(data_file.empty()) << "the fixture has no external data file";

  std::string missing_dir = scratch_dir("BadOnnxFiles_ExternalMissing");
  std::filesystem::copy_file(source / "model.onnx", missing_dir + "/model.onnx");
  std::string message = import_error(missing_dir + "/model.onnx");
  expect_contains(message, {"tensor '", data_file.filename().string(), "cannot be opened"});

  std::string short_dir = scratch_dir("BadOnnxFiles_ExternalShort");
  std::filesystem::copy_file(source / "model.onnx", short_dir + "/model.onnx");
  std::string data = testing::read_file(data_file.string());
  write_file(short_dir + "/" + data_file.filename().string(), data.substr(0, data.size() / 2));
  expect_contains(import_error(short_dir + "/model.onnx"),
                  {"tensor '", data_file.filename().string(), "too short"});
}

}  // namespace
}  // namespace nacre
