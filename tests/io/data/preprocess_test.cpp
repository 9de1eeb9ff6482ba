#include "io/data/preprocess.h"

#include <gtest/gtest.h>

namespace nacre {
namespace {

// Two 2-channel 2x2 images with pixel values 0, 51, 102, ... (multiples of 0.2 after /255).
LabeledImages two_tiny_images() {
  LabeledImages data;
  std::vector<uint8_t> pixels;
  for (int i = 0; i < 16; ++i) pixels.push_back(static_cast<uint8_t>((i % 6) * 51));
  data.images = Tensor::from_vector<uint8_t>({2, 2, 2, 2}, pixels);
  data.labels = {0, 1};
  data.class_names = {"a", "b"};
  data.description = "two tiny images";
  return data;
}

Preprocessing model_input(int64_t channels, int64_t height, int64_t width) {
  Preprocessing pre;
  pre.channels = channels;
  pre.height = height;
  pre.width = width;
  return pre;
}

TEST(Preprocess, ScalesAndNormalisesPerChannel) {
  Preprocessing pre = model_input(2, 2, 2);
  pre.mean = {0.5f, 0.0f};
  pre.std = {0.5f, 2.0f};
  Tensor batch = preprocess_batch(two_tiny_images(), 1, 2, pre);
  EXPECT_EQ(batch.dtype(), DataType::kFloat32);
  ASSERT_EQ(batch.shape(), (Shape{1, 2, 2, 2}));
  // Example 1 holds pixels 8..15: (i % 6) * 0.2 = 0.4 0.6 0.8 1.0 | 0 0.2 0.4 0.6.
  std::vector<float> expected = {-0.2f, 0.2f, 0.6f, 1.0f, 0.0f, 0.1f, 0.2f, 0.3f};
  std::vector<float> values = batch.to_vector<float>();
  for (size_t i = 0; i < expected.size(); ++i) EXPECT_NEAR(values[i], expected[i], 1e-6) << i;
}

TEST(Preprocess, SingleMeanAndStdApplyToAllChannels) {
  Preprocessing pre = model_input(2, 2, 2);
  pre.mean = {0.2f};
  pre.std = {0.1f};
  std::vector<float> values = preprocess_batch(two_tiny_images(), 0, 1, pre).to_vector<float>();
  // Example 0: 0 0.2 0.4 0.6 | 0.8 1.0 0 0.2.
  std::vector<float> expected = {-2, 0, 2, 4, 6, 8, -2, 0};
  for (size_t i = 0; i < expected.size(); ++i) EXPECT_NEAR(values[i], expected[i], 1e-5) << i;
}

TEST(Preprocess, CentrePadsSmallerImagesWithNormalisedZero) {
  Preprocessing pre = model_input(2, 4, 5);
  pre.mean = {0.5f};
  pre.std = {0.25f};
  Tensor batch = preprocess_batch(two_tiny_images(), 0, 2, pre);
  ASSERT_EQ(batch.shape(), (Shape{2, 2, 4, 5}));
  const float* values = batch.data<float>();
  // The 2x2 image sits at rows 1-2, columns 1-2; everything else is (0 - 0.5) / 0.25 = -2.
  for (int y = 0; y < 4; ++y) {
    for (int x = 0; x < 5; ++x) {
      bool inside = y >= 1 && y <= 2 && x >= 1 && x <= 2;
      if (inside) continue;
      EXPECT_FLOAT_EQ(values[y * 5 + x], -2.0f) << y << "," << x;
    }
  }
  // Channel 0 of example 0 is 0 0.2 / 0.4 0.6.
  EXPECT_NEAR(values[1 * 5 + 1], (0.0f - 0.5f) / 0.25f, 1e-5);
  EXPECT_NEAR(values[1 * 5 + 2], (0.2f - 0.5f) / 0.25f, 1e-5);
  EXPECT_NEAR(values[2 * 5 + 1], (0.4f - 0.5f) / 0.25f, 1e-5);
  EXPECT_NEAR(values[2 * 5 + 2], (0.6f - 0.5f) / 0.25f, 1e-5);
  // Channel 1 of example 1 (pixels 12..15) is 0 0.2 / 0.4 0.6 too, at the same place.
  EXPECT_NEAR(values[3 * 20 + 2 * 5 + 2], (0.6f - 0.5f) / 0.25f, 1e-5);
  EXPECT_FLOAT_EQ(values[3 * 20 + 3 * 5 + 2], -2.0f);
}

TEST(Preprocess, ResizesLargerImagesBilinearly) {
  LabeledImages data;
  data.images = Tensor::from_vector<uint8_t>({1, 1, 2, 4}, {0, 0, 255, 255, 0, 0, 255, 255});
  data.labels = {0};
  Tensor batch = preprocess_batch(data, 0, 1, model_input(1, 1, 2));
  // Halving keeps each half's average with INTER_LINEAR's pixel-centre alignment.
  EXPECT_EQ(batch.to_vector<float>(), (std::vector<float>{0.0f, 1.0f}));

  Preprocessing upscale = model_input(1, 4, 8);
  upscale.fit = Preprocessing::Fit::kResize;
  std::vector<float> values = preprocess_batch(data, 0, 1, upscale).to_vector<float>();
  EXPECT_FLOAT_EQ(values[0], 0.0f);
  EXPECT_FLOAT_EQ(values[7], 1.0f);
  EXPECT_NEAR(values[3], 0.25f, 1e-6);  // output x=3 samples input x=1.25, between 0 and 1
  EXPECT_NEAR(values[4], 0.75f, 1e-6);
}

TEST(Preprocess, PadFitRejectsLargerImages) {
  Preprocessing pre = model_input(2, 1, 1);
  pre.fit = Preprocessing::Fit::kPad;
  EXPECT_THROW(preprocess_batch(two_tiny_images(), 0, 1, pre), Error);
}

TEST(Preprocess, CheckFitsSaysWhatDiffers) {
  LabeledImages data = two_tiny_images();
  EXPECT_NO_THROW(check_fits(data, model_input(2, 8, 8)));
  try {
    check_fits(data, model_input(3, 2, 2));
    ADD_FAILURE() << "no error for 2 vs 3 channels";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("2-channel images but the model takes 3"), std::string::npos)
        << error.what();
  }
  Preprocessing wrong_mean = model_input(2, 2, 2);
  wrong_mean.mean = {0.1f, 0.2f, 0.3f};
  EXPECT_THROW(check_fits(data, wrong_mean), Error);
  Preprocessing zero_std = model_input(2, 2, 2);
  zero_std.std = {1.0f, 0.0f};
  EXPECT_THROW(check_fits(data, zero_std), Error);
  EXPECT_THROW(check_fits(data, model_input(2, -1, 2)), Error);
  EXPECT_THROW(preprocess_batch(data, 1, 3, model_input(2, 2, 2)), Error);
}

}  // namespace
}  // namespace nacre
