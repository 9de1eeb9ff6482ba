#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <numeric>

#include "io/data/dataset.h"
#include "test_paths.h"

namespace nacre {
namespace {

DatasetOptions split_options(Split split, int64_t limit = -1) {
  DatasetOptions options;
  options.split = split;
  options.limit = limit;
  return options;
}

int64_t pixel_sum(const LabeledImages& data, int64_t index) {
  const int64_t size = data.images.numel() / data.size();
  const uint8_t* pixels = data.images.data<uint8_t>() + index * size;
  return std::accumulate(pixels, pixels + size, int64_t{0});
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

// Expected values below were read from the files with numpy.
TEST(IdxDataset, FashionMnistTrainSplitHoldsTheFirstNinetyPercentOfEachClass) {
  LabeledImages train = load_dataset(testing::fashion_mnist_dir(), split_options(Split::kTrain));
  EXPECT_EQ(train.size(), 54000);
  EXPECT_EQ(train.images.dtype(), DataType::kUInt8);
  EXPECT_EQ(train.images.shape(), (Shape{54000, 1, 28, 28}));
  EXPECT_EQ(train.class_names, (std::vector<std::string>{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"}));
  EXPECT_EQ(std::vector<int64_t>(train.labels.begin(), train.labels.begin() + 10),
            (std::vector<int64_t>{9, 0, 0, 3, 0, 2, 7, 2, 5, 5}));
  EXPECT_EQ(pixel_sum(train, 0), 76247);
  EXPECT_EQ(train.images.data<uint8_t>()[14 * 28 + 14], 217);  // row 14, column 14 of the first image
  EXPECT_EQ(class_counts(train), std::vector<int64_t>(10, 5400));
}

TEST(IdxDataset, FashionMnistValSplitIsTheLastTenPercentOfEachClassInFileOrder) {
  LabeledImages val = load_dataset(testing::fashion_mnist_dir(), split_options(Split::kVal));
  EXPECT_EQ(val.size(), 6000);
  EXPECT_EQ(class_counts(val), std::vector<int64_t>(10, 600));
  // The first val example is training example 53491 (the 5401st of class 7).
  EXPECT_EQ(val.labels[0], 7);
  EXPECT_EQ(pixel_sum(val, 0), 30067);
  EXPECT_EQ(std::vector<int64_t>(val.labels.end() - 4, val.labels.end()), (std::vector<int64_t>{1, 3, 0, 5}));
  EXPECT_NE(val.description.find("split val"), std::string::npos);
}

TEST(IdxDataset, FashionMnistTestSplitAndLimit) {
  LabeledImages test = load_dataset(testing::fashion_mnist_dir(), split_options(Split::kTest));
  EXPECT_EQ(test.size(), 10000);
  EXPECT_EQ(std::vector<int64_t>(test.labels.begin(), test.labels.begin() + 10),
            (std::vector<int64_t>{9, 2, 1, 1, 6, 1, 4, 6, 5, 7}));
  EXPECT_EQ(pixel_sum(test, 0), 33456);

  LabeledImages first = load_dataset(testing::fashion_mnist_dir(), split_options(Split::kTest, 5));
  EXPECT_EQ(first.images.shape(), (Shape{5, 1, 28, 28}));
  EXPECT_EQ(first.labels, (std::vector<int64_t>{9, 2, 1, 1, 6}));
  EXPECT_EQ(pixel_sum(first, 0), 33456);
}

TEST(IdxDataset, ReportsProgress) {
  int64_t last_done = -1;
  DatasetOptions options = split_options(Split::kTest, 3);
  options.progress_context = &last_done;
  options.progress = [](int64_t done, int64_t total, void* context) {
    EXPECT_EQ(total, 3);
    *static_cast<int64_t*>(context) = done;
  };
  load_dataset(testing::fashion_mnist_dir(), options);
  EXPECT_EQ(last_done, 3);
}

// Writes a plain (not gzipped) IDX pair of `count` images of 2x2 pixels with the given labels.
void write_idx(const std::string& dir, const std::string& prefix, const std::vector<uint8_t>& labels,
               int64_t image_count) {
  std::ofstream images(dir + "/" + prefix + "-images-idx3-ubyte", std::ios::binary);
  images.write("\0\0\x08\x03", 4);
  unsigned char dims[12] = {0, 0, 0, static_cast<unsigned char>(image_count), 0, 0, 0, 2, 0, 0, 0, 2};
  images.write(reinterpret_cast<char*>(dims), 12);
  for (int64_t i = 0; i < image_count * 4; ++i) images.put(static_cast<char>(i));
  std::ofstream label_file(dir + "/" + prefix + "-labels-idx1-ubyte", std::ios::binary);
  unsigned char header[8] = {0, 0, 8, 1, 0, 0, 0, static_cast<unsigned char>(labels.size())};
  label_file.write(reinterpret_cast<char*>(header), 8);
  label_file.write(reinterpret_cast<const char*>(labels.data()), static_cast<std::streamsize>(labels.size()));
}

TEST(IdxDataset, ReadsPlainUncompressedFiles) {
  std::string dir = testing::scratch_dir("IdxDataset.ReadsPlainUncompressedFiles");
  write_idx(dir, "train", {0, 1, 2}, 3);
  write_idx(dir, "t10k", {2, 0}, 2);
  LabeledImages test = load_dataset(dir, split_options(Split::kTest));
  EXPECT_EQ(test.images.shape(), (Shape{2, 1, 2, 2}));
  EXPECT_EQ(test.images.to_vector<uint8_t>(), (std::vector<uint8_t>{0, 1, 2, 3, 4, 5, 6, 7}));
  EXPECT_EQ(test.labels, (std::vector<int64_t>{2, 0}));
  // Fewer than 10 examples per class: nothing is carved out for validation.
  EXPECT_EQ(load_dataset(dir, split_options(Split::kTrain)).size(), 3);
  EXPECT_NE(error_of(dir, split_options(Split::kVal)).find("empty"), std::string::npos);
}

TEST(IdxDataset, RejectsBrokenFilesWithClearErrors) {
  std::string dir = testing::scratch_dir("IdxDataset.RejectsBrokenFiles");
  write_idx(dir, "train", {0, 1, 2}, 3);
  write_idx(dir, "t10k", {0, 1, 2}, 2);  // one label too many
  EXPECT_NE(error_of(dir, split_options(Split::kTest)).find("holds 2 images but"), std::string::npos);

  write_idx(dir, "t10k", {0, 12}, 2);  // 12 is no training class (classes 0..9)
  EXPECT_NE(error_of(dir, split_options(Split::kTest)).find("label 12 of example 1"), std::string::npos);

  std::filesystem::resize_file(dir + "/train-images-idx3-ubyte", 16 + 5);  // truncated image data
  EXPECT_NE(error_of(dir, split_options(Split::kTrain)).find("truncated"), std::string::npos);

  std::ofstream(dir + "/train-images-idx3-ubyte", std::ios::binary) << std::string("\0\0\x08\x01 labels", 11);
  EXPECT_NE(error_of(dir, split_options(Split::kTrain)).find("magic number"), std::string::npos);
}

TEST(IdxDataset, RejectsTruncatedGzipFile) {
  std::string dir = testing::scratch_dir("IdxDataset.RejectsTruncatedGzipFile");
  std::string source = testing::fashion_mnist_dir() + "/t10k-images-idx3-ubyte.gz";
  std::filesystem::copy_file(source, dir + "/t10k-images-idx3-ubyte.gz");
  std::filesystem::copy_file(testing::fashion_mnist_dir() + "/t10k-labels-idx1-ubyte.gz",
                             dir + "/t10k-labels-idx1-ubyte.gz");
  std::filesystem::copy_file(testing::fashion_mnist_dir() + "/train-labels-idx1-ubyte.gz",
                             dir + "/train-labels-idx1-ubyte.gz");
  std::filesystem::resize_file(dir + "/t10k-images-idx3-ubyte.gz", std::filesystem::file_size(source) / 2);
  std::string error = error_of(dir, split_options(Split::kTest));
  EXPECT_NE(error.find("truncated or corrupt IDX file"), std::string::npos) << error;
  EXPECT_NE(error.find("t10k-images-idx3-ubyte.gz"), std::string::npos) << error;
}

}  // namespace
}  // namespace nacre
