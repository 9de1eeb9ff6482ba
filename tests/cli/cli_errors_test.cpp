// Bad input through the command line: a specific message and a non-zero exit, never a crash.
#include <gtest/gtest.h>

#include <filesystem>
#include <opencv2/imgcodecs.hpp>

#include "test_paths.h"

namespace nacre {
namespace {

using testing::run_nacre;

std::string baseline(const std::string& name) { return testing::shared_dir() + "/baselines/" + name; }

// Exit code 1 is nacre's "your input is wrong"; anything else (crash, internal error) fails the test.
void expect_user_error(const testing::CommandResult& result, const std::vector<std::string>& fragments) {
  EXPECT_EQ(result.exit_code, 1) << result.output;
  EXPECT_NE(result.output.find("nacre: error:"), std::string::npos) << result.output;
  for (const std::string& fragment : fragments) {
    EXPECT_NE(result.output.find(fragment), std::string::npos) << "missing '" << fragment << "' in:\n"
                                                               << result.output;
  }
}

TEST(CliErrors, TruncatedModel) {
  expect_user_error(run_nacre("inspect " + testing::fixture("bad_truncated.onnx")), {"bad_truncated.onnx"});
}

TEST(CliErrors, RandomBytes) {
  expect_user_error(run_nacre("inspect " + testing::fixture("bad_random.onnx")), {"bad_random.onnx"});
}

TEST(CliErrors, MissingModel) {
  auto result = run_nacre("inspect /nonexistent/model.onnx");
  EXPECT_NE(result.exit_code, 0);
  EXPECT_NE(result.output.find("/nonexistent/model.onnx"), std::string::npos) << result.output;
}

TEST(CliErrors, UnsupportedOpsAreAllListedWithTheirNodes) {
  expect_user_error(run_nacre("inspect " + testing::fixture("bad_unsupported.onnx")),
                    {"Einsum", "my_einsum", "GRU", "my_gru"});
}

TEST(CliErrors, ModelInputDoesNotFitTheData) {
  // A 1-channel Fashion-MNIST model on 3-channel CIFAR-10 images.
  expect_user_error(run_nacre("evaluate " + baseline("resnet18_fmnist.onnx") + " --data " +
                              testing::cifar10_dir() + " --split test --limit 8"),
                    {"channel"});
}

TEST(CliErrors, MissingDataDirectory) {
  expect_user_error(
      run_nacre("evaluate " + baseline("resnet18_fmnist.onnx") + " --data /nonexistent/data --limit 8"),
      {"/nonexistent/data"});
}

TEST(CliErrors, LabelOutsideTheModelsClasses) {
  // Twelve classes of 28x28 gray images against a 10-class model.
  std::string root = testing::scratch_dir("label_outside_classes");
  for (const char* split : {"train", "test"}) {
    for (int label = 0; label < 12; ++label) {
      std::string folder = root + "/" + split + "/class" + (label < 10 ? "0" : "") + std::to_string(label);
      std::filesystem::create_directories(folder);
      cv::imwrite(folder + "/0.png", cv::Mat(28, 28, CV_8UC1, cv::Scalar(label * 20)));
    }
  }
  expect_user_error(
      run_nacre("evaluate " + baseline("resnet18_fmnist.onnx") + " --data " + root + " --split test"),
      {"label 10", "10 classes"});
}

TEST(CliErrors, RunWithAnInputOfTheWrongShape) {
  // tiny_cnn takes 1x28x28 images; resnet18's input is 3-channel.
  std::string out = testing::scratch_dir("run_wrong_shape") + "/y.npy";
  expect_user_error(run_nacre("run " + testing::fixture("tiny_cnn.onnx") + " --input " +
                              testing::fixture("resnet18.input.npy") + " --output " + out),
                    {"resnet18.input.npy", "takes"});
  EXPECT_FALSE(std::filesystem::exists(out));
}

TEST(CliErrors, UnknownSplitIsRejectedByTheParser) {
  auto result = run_nacre("evaluate " + baseline("resnet18_fmnist.onnx") + " --data /tmp --split validation");
  EXPECT_NE(result.exit_code, 0);
  EXPECT_NE(result.output.find("--split"), std::string::npos) << result.output;
}

}  // namespace
}  // namespace nacre
