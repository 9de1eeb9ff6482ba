#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include "io/data/dataset.h"
#include "test_paths.h"

namespace nacre {
namespace {

namespace fs = std::filesystem;

const std::vector<std::string> kCifarClasses = {"airplane", "automobile", "bird",  "cat",  "deer",
                                                "dog",      "frog",       "horse", "ship", "truck"};

DatasetOptions split_options(Split split, int64_t limit = -1) {
  DatasetOptions options;
  options.split = split;
  options.limit = limit;
  return options;
}

std::vector<int64_t> class_counts(const LabeledImages& data) {
  std::vector<int64_t> counts(data.class_names.size());
  for (int64_t label : data.labels) ++counts[static_cast<size_t>(label)];
  return counts;
}

std::string error_of(const std::string& root, const DatasetOptions& options) {
  try {
    load_dataset(root, options);
  } catch (const Error& error) {
    return error.what();
  }
  return "(no error)";
}

// Expects `data`'s example `index` to hold the RGB pixels of `file` as OpenCV decodes it (BGR).
void expect_image_equals_file(const LabeledImages& data, int64_t index, const std::string& file) {
  cv::Mat bgr = cv::imread(file, cv::IMREAD_COLOR);
  ASSERT_FALSE(bgr.empty()) << file;
  const int64_t plane = bgr.rows * bgr.cols;
  const uint8_t* image = data.images.data<uint8_t>() + index * 3 * plane;
  int mismatches = 0;
  for (int y = 0; y < bgr.rows; ++y) {
    for (int x = 0; x < bgr.cols; ++x) {
      cv::Vec3b pixel = bgr.at<cv::Vec3b>(y, x);
      for (int c = 0; c < 3; ++c) mismatches += image[c * plane + y * bgr.cols + x] != pixel[2 - c];
    }
  }
  EXPECT_EQ(mismatches, 0) << file;
}

TEST(ImageFolderDataset, Cifar10ValSplitIsTheLastTenPercentOfEachClass) {
  LabeledImages val = load_dataset(testing::cifar10_dir(), split_options(Split::kVal));
  EXPECT_EQ(val.images.shape(), (Shape{5000, 3, 32, 32}));
  EXPECT_EQ(val.class_names, kCifarClasses);
  EXPECT_EQ(class_counts(val), std::vector<int64_t>(10, 500));
  EXPECT_EQ(val.labels.front(), 0);
  EXPECT_EQ(val.labels.back(), 9);
  std::string train_dir = testing::cifar10_dir() + "/train";
  expect_image_equals_file(val, 0, train_dir + "/airplane/4500.jpg");
  expect_image_equals_file(val, 501, train_dir + "/automobile/4501.jpg");
  expect_image_equals_file(val, 4999, train_dir + "/truck/4999.jpg");
}

TEST(ImageFolderDataset, Cifar10TestSplitIsOrderedByClassThenFileName) {
  int64_t calls = 0;
  DatasetOptions options = split_options(Split::kTest);
  options.progress_context = &calls;
  options.progress = [](int64_t done, int64_t total, void* context) {
    EXPECT_EQ(total, 10000);
    EXPECT_LE(done, total);
    ++*static_cast<int64_t*>(context);
  };
  LabeledImages test = load_dataset(testing::cifar10_dir(), options);
  EXPECT_GE(calls, 1);
  EXPECT_EQ(test.images.shape(), (Shape{10000, 3, 32, 32}));
  EXPECT_EQ(class_counts(test), std::vector<int64_t>(10, 1000));
  EXPECT_TRUE(std::is_sorted(test.labels.begin(), test.labels.end()));
  expect_image_equals_file(test, 0, testing::cifar10_dir() + "/test/airplane/0000.jpg");
  expect_image_equals_file(test, 3999, testing::cifar10_dir() + "/test/cat/0999.jpg");
}

// The one test that decodes every training JPEG (a few seconds with two threads).
TEST(ImageFolderDataset, Cifar10TrainSplitIsNinetyPercentOfEachClass) {
  LabeledImages train = load_dataset(testing::cifar10_dir(), split_options(Split::kTrain));
  EXPECT_EQ(train.images.shape(), (Shape{45000, 3, 32, 32}));
  EXPECT_EQ(class_counts(train), std::vector<int64_t>(10, 4500));
  std::string train_dir = testing::cifar10_dir() + "/train";
  expect_image_equals_file(train, 4499, train_dir + "/airplane/4499.jpg");
  expect_image_equals_file(train, 4500, train_dir + "/automobile/0000.jpg");
}

TEST(ImageFolderDataset, Cifar10LimitTakesExamplesRoundRobinOverClasses) {
  LabeledImages train = load_dataset(testing::cifar10_dir(), split_options(Split::kTrain, 25));
  EXPECT_EQ(train.size(), 25);
  for (int64_t i = 0; i < 25; ++i) EXPECT_EQ(train.labels[static_cast<size_t>(i)], i % 10) << i;
  std::string train_dir = testing::cifar10_dir() + "/train";
  expect_image_equals_file(train, 0, train_dir + "/airplane/0000.jpg");
  expect_image_equals_file(train, 1, train_dir + "/automobile/0000.jpg");
  expect_image_equals_file(train, 12, train_dir + "/bird/0001.jpg");
  EXPECT_NE(train.description.find("limit 25"), std::string::npos);
}

// A folder tree of small PNG images (lossless, so the pixels read back exactly).
class TinyFolders : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = testing::scratch_dir(std::string("TinyFolders.") +
                                 ::testing::UnitTest::GetInstance()->current_test_info()->name());
  }
  // Writes ROOT/relative_path as a 2x3 image whose pixels are `value` + their index, in `channels`.
  std::string write_image(const std::string& relative_path, int value, int channels = 3, int height = 2,
                          int width = 3) {
    fs::path path = fs::path(root_) / relative_path;
    fs::create_directories(path.parent_path());
    cv::Mat image(height, width, CV_8UC(channels));
    for (int i = 0; i < height * width * channels; ++i) image.data[i] = static_cast<uint8_t>(value + i);
    EXPECT_TRUE(cv::imwrite(path.string(), image)) << path;
    return path.string();
  }
  std::string root_;
};

TEST_F(TinyFolders, DecodesColourAsRgbAndKeepsFileOrder) {
  write_image("train/b_class/x.png", 100);
  write_image("train/a_class/2.png", 20);
  write_image("train/a_class/1.PNG", 10);  // upper-case extension
  std::ofstream(root_ + "/train/a_class/notes.txt") << "not an image";
  LabeledImages data = load_dataset(root_, split_options(Split::kTrain));
  EXPECT_EQ(data.class_names, (std::vector<std::string>{"a_class", "b_class"}));
  EXPECT_EQ(data.labels, (std::vector<int64_t>{0, 0, 1}));
  EXPECT_EQ(data.images.shape(), (Shape{3, 3, 2, 3}));
  const uint8_t* pixels = data.images.data<uint8_t>();
  // File 1.PNG first; its pixel (0,0) was written as B=10, G=11, R=12 and its pixel (0,1) as B=13.
  EXPECT_EQ(pixels[0], 12);       // R plane, pixel (0,0)
  EXPECT_EQ(pixels[6], 11);       // G plane
  EXPECT_EQ(pixels[12], 10);      // B plane
  EXPECT_EQ(pixels[13], 13);      // B plane, pixel (0,1)
  EXPECT_EQ(pixels[18 + 0], 22);  // second file, R of pixel (0,0)
}

TEST_F(TinyFolders, KeepsGrayImagesGrayAndDropsAlpha) {
  write_image("train/gray/a.png", 50, 1);
  write_image("test/gray/a.png", 60, 1);
  LabeledImages gray = load_dataset(root_, split_options(Split::kTest));
  EXPECT_EQ(gray.images.shape(), (Shape{1, 1, 2, 3}));
  EXPECT_EQ(gray.images.to_vector<uint8_t>(), (std::vector<uint8_t>{60, 61, 62, 63, 64, 65}));

  std::string alpha_root = testing::scratch_dir("TinyFolders.KeepsGrayImagesGrayAndDropsAlpha.alpha");
  root_ = alpha_root;
  write_image("test/c/a.png", 0, 4);
  LabeledImages rgba = load_dataset(alpha_root, split_options(Split::kTest));
  EXPECT_EQ(rgba.images.shape(), (Shape{1, 3, 2, 3}));
  EXPECT_EQ(rgba.images.data<uint8_t>()[0], 2);  // R of pixel (0,0), written as B=0 G=1 R=2 A=3
  EXPECT_EQ(rgba.images.data<uint8_t>()[1], 6);  // R of pixel (0,1)
}

TEST_F(TinyFolders, CarvesTheLastTenPercentOfEachClassForValidation) {
  for (int i = 0; i < 20; ++i) write_image("train/a/" + std::to_string(10 + i) + ".png", i);
  for (int i = 0; i < 10; ++i) write_image("train/b/" + std::to_string(10 + i) + ".png", 100 + i);
  LabeledImages val = load_dataset(root_, split_options(Split::kVal));
  EXPECT_EQ(val.labels, (std::vector<int64_t>{0, 0, 1}));
  // a/28.png, a/29.png and b/19.png; pixel (0,0) R channel is value + 2.
  EXPECT_EQ(val.images.data<uint8_t>()[0], 18 + 2);
  EXPECT_EQ(val.images.data<uint8_t>()[18], 19 + 2);
  EXPECT_EQ(val.images.data<uint8_t>()[36], 109 + 2);
  LabeledImages train = load_dataset(root_, split_options(Split::kTrain));
  EXPECT_EQ(train.size(), 27);
  EXPECT_EQ(train.images.data<uint8_t>()[0], 0 + 2);
}

TEST_F(TinyFolders, ValidationFolderReplacesTheCarvedSplit) {
  for (int i = 0; i < 10; ++i) write_image("train/cat/" + std::to_string(i) + ".png", i);
  for (int i = 0; i < 10; ++i) write_image("train/dog/" + std::to_string(i) + ".png", 50 + i);
  write_image("myval/dog/only.png", 200);
  write_image("myval/cat/only.png", 150);
  DatasetOptions options = split_options(Split::kVal);
  options.val_dir = root_ + "/myval";
  LabeledImages val = load_dataset(root_, options);
  EXPECT_EQ(val.labels, (std::vector<int64_t>{0, 1}));
  EXPECT_EQ(val.images.data<uint8_t>()[0], 152);
  EXPECT_EQ(val.images.data<uint8_t>()[18], 202);
  EXPECT_NE(val.description.find("myval"), std::string::npos);
  options.split = Split::kTrain;
  EXPECT_EQ(load_dataset(root_, options).size(), 20);  // nothing carved out

  write_image("otherval/cat/a.png", 0);
  write_image("otherval/cow/a.png", 0);
  options.split = Split::kVal;
  options.val_dir = root_ + "/otherval";
  std::string error = error_of(root_, options);
  EXPECT_NE(error.find("missing [dog]"), std::string::npos) << error;
  EXPECT_NE(error.find("not in training [cow]"), std::string::npos) << error;
}

TEST_F(TinyFolders, ValidationFolderWorksForIdxDatasets) {
  for (int i = 0; i < 10; ++i) write_image("val/" + std::to_string(i) + "/a.png", i, 1, 28, 28);
  DatasetOptions options = split_options(Split::kVal, 4);
  options.val_dir = root_ + "/val";
  LabeledImages val = load_dataset(testing::fashion_mnist_dir(), options);
  EXPECT_EQ(val.images.shape(), (Shape{4, 1, 28, 28}));
  EXPECT_EQ(val.labels, (std::vector<int64_t>{0, 1, 2, 3}));
  EXPECT_EQ(val.images.data<uint8_t>()[28 * 28], 1);
}

TEST_F(TinyFolders, TestFolderMustHaveTheTrainingClasses) {
  write_image("train/a/1.png", 0);
  write_image("train/b/1.png", 0);
  write_image("test/b/1.png", 0);
  std::string error = error_of(root_, split_options(Split::kTest));
  EXPECT_NE(error.find("missing [a]"), std::string::npos) << error;
}

TEST_F(TinyFolders, NamesTheFirstImageOfAnotherSizeOrChannelCount) {
  for (int i = 0; i < 40; ++i) write_image("train/a/" + std::to_string(100 + i) + ".png", i);
  write_image("train/a/120.png", 0, 3, 4, 4);
  write_image("train/a/130.png", 0, 3, 5, 5);
  std::string error = error_of(root_, split_options(Split::kTrain));
  EXPECT_NE(error.find("120.png is 3x4x4"), std::string::npos) << error;
  EXPECT_NE(error.find("100.png is 3x2x3"), std::string::npos) << error;

  write_image("train/a/120.png", 0, 1);
  write_image("train/a/130.png", 0);
  error = error_of(root_, split_options(Split::kTrain));
  EXPECT_NE(error.find("120.png is 1x2x3"), std::string::npos) << error;
}

TEST_F(TinyFolders, NamesAnImageThatCannotBeDecoded) {
  write_image("train/a/1.png", 0);
  write_image("train/a/2.png", 0);
  std::ofstream(root_ + "/train/a/3.jpg") << "this is not a JPEG";
  std::string error = error_of(root_, split_options(Split::kTrain));
  EXPECT_NE(error.find("cannot decode image"), std::string::npos) << error;
  EXPECT_NE(error.find("3.jpg"), std::string::npos) << error;
}

TEST_F(TinyFolders, RejectsMissingEmptyAndUnrecognisedFolders) {
  EXPECT_NE(error_of(root_ + "/nowhere", split_options(Split::kTest)).find("does not exist"),
            std::string::npos);
  EXPECT_NE(error_of(root_, split_options(Split::kTest)).find("neither an IDX dataset"), std::string::npos);

  write_image("train/a/1.png", 0);
  fs::create_directories(root_ + "/train/empty");
  std::string error = error_of(root_, split_options(Split::kTrain));
  EXPECT_NE(error.find("train/empty holds no images"), std::string::npos) << error;

  EXPECT_NE(error_of(root_, split_options(Split::kTest)).find("test does not exist"), std::string::npos);
  DatasetOptions zero = split_options(Split::kTrain, 0);
  EXPECT_NE(error_of(root_, zero).find("limit 0"), std::string::npos);
  DatasetOptions bad_val = split_options(Split::kVal);
  bad_val.val_dir = root_ + "/no_val";
  EXPECT_NE(error_of(root_, bad_val).find("no_val does not exist"), std::string::npos);
}

TEST(Split, ParsesAndPrintsNames) {
  for (Split split : {Split::kTrain, Split::kVal, Split::kTest})
    EXPECT_EQ(split_from_string(to_string(split)), split);
  EXPECT_THROW(split_from_string("validation"), Error);
}

}  // namespace
}  // namespace nacre
