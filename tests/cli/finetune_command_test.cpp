// nacre finetune on the small_fmnist fixture and small Fashion-MNIST subsets: the uniformly pruned model
// exported by `nacre space --uniform-width` is trained by distillation, its output is a model nacre and the
// targets run; existing files are never overwritten and a student that does not fit the data is refused.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "test_paths.h"

namespace nacre {
namespace {

namespace fs = std::filesystem;
using testing::run_nacre;

std::string teacher() { return testing::fixture("small_fmnist.onnx"); }

std::string finetune_command(const std::string& student, const std::string& out,
                             const std::string& extra = "") {
  return "finetune " + student + " --teacher " + teacher() + " --data " + testing::fashion_mnist_dir() +
         " --out " + out + " --train-limit 512 --val-limit 300 --time-budget 5m --max-steps 60 " + extra;
}

// `nacre evaluate` on the examples the finetune command validates on.
double validation_accuracy(const std::string& model, const std::string& json) {
  auto evaluation = run_nacre("evaluate " + model + " --data " + testing::fashion_mnist_dir() +
                              " --split val --limit 300 --mean 0.286 --std 0.353 --json " + json);
  EXPECT_EQ(evaluation.exit_code, 0) << evaluation.output;
  return testing::read_json_file(json)["accuracy"].get<double>();
}

// The uniform width 0.5 architecture of small_fmnist, exported into `dir`; returns its file.
std::string pruned_student(const std::string& dir) {
  auto exported = run_nacre("space " + teacher() + " --uniform-width 0.5 --export " + dir + " --json " + dir +
                            "/space.json");
  EXPECT_EQ(exported.exit_code, 0) << exported.output;
  nlohmann::json space = testing::read_json_file(dir + "/space.json");
  EXPECT_EQ(space["samples"].size(), 1u);
  return space["samples"].at(0)["file"].get<std::string>();
}

TEST(FinetuneCommand, TrainsTheUniformlyPrunedModelByDistillation) {
  std::string dir = testing::scratch_dir("finetune_pruned");
  std::string student = pruned_student(dir);
  auto result = run_nacre(finetune_command(student, dir + "/trained.onnx", "--json " + dir + "/result.json"));
  ASSERT_EQ(result.exit_code, 0) << result.output;
  nlohmann::json json = testing::read_json_file(dir + "/result.json");
  EXPECT_EQ(json["steps"].get<int64_t>(), 60);
  EXPECT_GT(json["teacher_val_accuracy"].get<double>(), 0.3);
  // Half the inner channels cut out of a trained model loses most of its accuracy (3% on these examples);
  // distillation brings it back far above chance.
  double before = validation_accuracy(student, dir + "/before.json");
  EXPECT_GT(json["val_accuracy"].get<double>(), std::max(0.3, before + 0.1));
  EXPECT_DOUBLE_EQ(validation_accuracy(dir + "/trained.onnx", dir + "/check.json"),
                   json["val_accuracy"].get<double>());
}

TEST(FinetuneCommand, TrainsInTheMemoryLayoutAskedForOrTheFasterOne) {
  std::string dir = testing::scratch_dir("finetune_layout");
  std::string student = pruned_student(dir);
  auto forced = run_nacre(finetune_command(student, dir + "/channels_last.onnx",
                                           "--memory-layout channels_last --json " + dir + "/forced.json"));
  ASSERT_EQ(forced.exit_code, 0) << forced.output;
  EXPECT_EQ(testing::read_json_file(dir + "/forced.json")["memory_layout"], "channels_last");
  auto measured =
      run_nacre(finetune_command(student, dir + "/measured.onnx", "--json " + dir + "/measured.json"));
  ASSERT_EQ(measured.exit_code, 0) << measured.output;
  std::string kept = testing::read_json_file(dir + "/measured.json")["memory_layout"];
  EXPECT_TRUE(kept == "contiguous" || kept == "channels_last") << kept;
  auto unknown = run_nacre(finetune_command(student, dir + "/nhwc.onnx", "--memory-layout nhwc"));
  EXPECT_NE(unknown.exit_code, 0);
  EXPECT_NE(unknown.output.find("--memory-layout"), std::string::npos) << unknown.output;
}

TEST(FinetuneCommand, NeverOverwritesAnExistingFile) {
  std::string dir = testing::scratch_dir("finetune_existing");
  std::string student = pruned_student(dir);
  std::string out = dir + "/mine.onnx";
  fs::copy_file(teacher(), out);
  auto size = fs::file_size(out);
  auto result = run_nacre(finetune_command(student, out));
  EXPECT_EQ(result.exit_code, 1) << result.output;
  EXPECT_NE(result.output.find("already exists"), std::string::npos) << result.output;
  EXPECT_EQ(fs::file_size(out), size);
}

TEST(FinetuneCommand, AStudentThatDoesNotFitTheDataIsRefused) {
  std::string dir = testing::scratch_dir("finetune_mismatch");
  // resnet18 takes 3x32x32 images; the teacher and the data are 1x28x28
  auto result =
      run_nacre(finetune_command(testing::fixture("resnet18_dynamic_batch.onnx"), dir + "/out.onnx"));
  EXPECT_EQ(result.exit_code, 1) << result.output;
  EXPECT_FALSE(fs::exists(dir + "/out.onnx"));
}

TEST(SpaceCommand, UniformWidthNeedsAnExportFolder) {
  auto result = run_nacre("space " + teacher() + " --uniform-width 0.5");
  EXPECT_EQ(result.exit_code, 1) << result.output;
  EXPECT_NE(result.output.find("--export"), std::string::npos) << result.output;
}

}  // namespace
}  // namespace nacre
