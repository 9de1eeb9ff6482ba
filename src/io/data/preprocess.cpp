#include "io/data/preprocess.h"

#include <algorithm>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "util/error.h"

namespace nacre {
namespace {

float channel_value(const std::vector<float>& values, int64_t channel, float fallback) {
  if (values.empty()) return fallback;
  return values.size() == 1 ? values[0] : values[static_cast<size_t>(channel)];
}

void check_per_channel(const std::vector<float>& values, const char* name, int64_t channels) {
  if (values.size() > 1 && static_cast<int64_t>(values.size()) != channels) {
    throw make_error("preprocessing ", name, " has ", values.size(), " values but the model takes ", channels,
                     " channels; give one value per channel or a single value for all");
  }
}

enum class Placement { kCopy, kPad, kResize };

Placement choose_placement(int64_t height, int64_t width, const Preprocessing& pre) {
  if (height == pre.height && width == pre.width) return Placement::kCopy;
  bool fits = height <= pre.height && width <= pre.width;
  switch (pre.fit) {
    case Preprocessing::Fit::kResize:
      return Placement::kResize;
    case Preprocessing::Fit::kAuto:
      return fits ? Placement::kPad : Placement::kResize;
    case Preprocessing::Fit::kPad:
      if (fits) return Placement::kPad;
      throw make_error("images of ", height, "x", width, " are larger than the model's input ", pre.height,
                       "x", pre.width, " and cannot be padded to it; resize them instead");
  }
  return Placement::kResize;
}

// One channel of one image: normalised, then copied, centre padded or resized into `out` (H x W floats).
// Padding is zero in the raw image (as torchvision's Pad before Normalize), so (0 - mean) / std here.
void fit_plane(const uint8_t* pixels, int height, int width, float mean, float std, Placement placement,
               const Preprocessing& pre, float* out) {
  cv::Mat normalised(height, width, CV_32F);
  cv::Mat(height, width, CV_8U, const_cast<uint8_t*>(pixels))
      .convertTo(normalised, CV_32F, 1.0 / (255.0 * std), -mean / std);
  cv::Mat target(static_cast<int>(pre.height), static_cast<int>(pre.width), CV_32F, out);
  if (placement == Placement::kCopy) {
    normalised.copyTo(target);
  } else if (placement == Placement::kResize) {
    cv::resize(normalised, target, target.size(), 0, 0, cv::INTER_LINEAR);
  } else {
    target.setTo(-mean / std);
    int top = static_cast<int>(pre.height - height) / 2, left = static_cast<int>(pre.width - width) / 2;
    normalised.copyTo(target(cv::Rect(left, top, width, height)));
  }
}

}  // namespace

void check_fits(const LabeledImages& data, const Preprocessing& pre) {
  const Shape& shape = data.images.shape();
  if (data.images.dtype() != DataType::kUInt8 || shape.size() != 4) {
    throw make_error("dataset ", data.description, " holds ", to_string(data.images.dtype()), " ",
                     to_string(shape), " images; expected uint8 [N, C, H, W]");
  }
  if (pre.channels <= 0 || pre.height <= 0 || pre.width <= 0) {
    throw make_error("the model's input size [", pre.channels, ",", pre.height, ",", pre.width,
                     "] is not known; preprocessing needs a static [C, H, W]");
  }
  if (shape[1] != pre.channels) {
    throw make_error("dataset ", data.description, " has ", shape[1], "-channel images but the model takes ",
                     pre.channels, " channels; use a dataset or model whose channels agree");
  }
  check_per_channel(pre.mean, "mean", pre.channels);
  check_per_channel(pre.std, "std", pre.channels);
  for (float value : pre.std) {
    if (value == 0.0f) throw Error("preprocessing std contains 0; every std value must be non-zero");
  }
}

Tensor preprocess_batch(const LabeledImages& data, int64_t begin, int64_t end, const Preprocessing& pre) {
  check_fits(data, pre);
  if (begin < 0 || end > data.size() || begin > end) {
    throw make_error("batch [", begin, ", ", end, ") is outside dataset ", data.description, " of ",
                     data.size(), " examples");
  }
  const Shape& shape = data.images.shape();
  const int height = static_cast<int>(shape[2]), width = static_cast<int>(shape[3]);
  const Placement placement = choose_placement(height, width, pre);
  const size_t in_plane = static_cast<size_t>(height) * width;
  const size_t out_plane = static_cast<size_t>(pre.height * pre.width);
  Tensor batch(DataType::kFloat32, {end - begin, pre.channels, pre.height, pre.width});
  float* out = batch.mutable_data<float>();
  const uint8_t* pixels = data.images.data<uint8_t>();
  for (int64_t n = begin; n < end; ++n) {
    for (int64_t c = 0; c < pre.channels; ++c) {
      size_t plane = static_cast<size_t>(n * pre.channels + c);
      fit_plane(pixels + plane * in_plane, height, width, channel_value(pre.mean, c, 0.0f),
                channel_value(pre.std, c, 1.0f), placement, pre,
                out + static_cast<size_t>((n - begin) * pre.channels + c) * out_plane);
    }
  }
  return batch;
}

Tensor preprocess_padded_batch(const LabeledImages& data, int64_t begin, int64_t end,
                               const Preprocessing& preprocessing, int64_t rows) {
  Tensor batch = preprocess_batch(data, begin, end, preprocessing);
  if (end - begin >= rows) return batch;
  Tensor padded(DataType::kFloat32, {rows, batch.shape()[1], batch.shape()[2], batch.shape()[3]});
  std::copy(batch.data<float>(), batch.data<float>() + batch.numel(), padded.mutable_data<float>());
  return padded;
}

}  // namespace nacre
