// load_split: the one-call form of load_dataset used by optimize and finetune.
#include <gtest/gtest.h>

#include "io/data/dataset.h"
#include "test_paths.h"
#include "util/error.h"

namespace nacre {
namespace {

TEST(LoadSplit, SameExamplesAsLoadDatasetWithTheseOptions) {
  DatasetOptions options;
  options.split = Split::kVal;
  options.limit = 7;
  LabeledImages expected = load_dataset(testing::fashion_mnist_dir(), options);
  LabeledImages split = load_split(testing::fashion_mnist_dir(), "", Split::kVal, 7);
  EXPECT_EQ(split.labels, expected.labels);
  EXPECT_EQ(split.description, expected.description);
  EXPECT_EQ(split.images.shape(), expected.images.shape());
}

TEST(LoadSplit, ReadsTheValidationSplitFromValDirWhenGiven) {
  try {
    load_split(testing::fashion_mnist_dir(), "/nonexistent/val", Split::kVal, 7);
    FAIL() << "a missing validation directory was accepted";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("/nonexistent/val"), std::string::npos) << error.what();
  }
}

}  // namespace
}  // namespace nacre
