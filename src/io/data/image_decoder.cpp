#include "io/data/image_decoder.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include "util/error.h"

namespace nacre {
namespace {

struct ImageShape {
  int channels = 0, height = 0, width = 0;
  bool operator==(const ImageShape& other) const {
    return channels == other.channels && height == other.height && width == other.width;
  }
};

std::string describe(const ImageShape& shape) {
  return std::to_string(shape.channels) + "x" + std::to_string(shape.height) + "x" +
         std::to_string(shape.width) + " (channels x height x width)";
}

// Reads one file as 8-bit gray (1 channel) or 8-bit BGR/BGRA (3 or 4 channels).
cv::Mat read_image(const std::string& file) {
  cv::Mat image = cv::imread(file, cv::IMREAD_UNCHANGED);
  if (image.empty()) throw make_error("cannot decode image ", file, " (missing, unreadable or corrupt)");
  if (image.depth() == CV_16U) image.convertTo(image, CV_8U, 1.0 / 257.0);
  if (image.depth() != CV_8U) throw make_error("image ", file, " is not 8- or 16-bit; convert it to 8 bits");
  return image;
}

ImageShape shape_of(const cv::Mat& image) {
  int channels = image.channels() >= 3 ? 3 : 1;  // drop alpha; gray+alpha stays gray
  return {channels, image.rows, image.cols};
}

// Writes `image` as planar RGB (or gray) into `out`, which holds C*H*W bytes.
void copy_planar(const cv::Mat& image, const ImageShape& shape, uint8_t* out) {
  const int stride = image.channels();
  const size_t plane = static_cast<size_t>(shape.height) * shape.width;
  for (int y = 0; y < shape.height; ++y) {
    const uint8_t* row = image.ptr<uint8_t>(y);
    for (int x = 0; x < shape.width; ++x) {
      const uint8_t* pixel = row + static_cast<size_t>(x) * stride;
      size_t at = static_cast<size_t>(y) * shape.width + x;
      if (shape.channels == 1) {
        out[at] = pixel[0];
      } else {
        out[at] = pixel[2];  // OpenCV holds BGR
        out[plane + at] = pixel[1];
        out[2 * plane + at] = pixel[0];
      }
    }
  }
}

// Shared state of the decoding threads; the failure kept is the one of the lowest file index.
class DecodeJob {
 public:
  DecodeJob(const std::vector<std::string>& files, const ImageShape& shape, uint8_t* out)
      : files_(files), shape_(shape), out_(out) {}

  void run_worker() {
    const size_t image_bytes = static_cast<size_t>(shape_.channels) * shape_.height * shape_.width;
    for (size_t i = next_++; i < files_.size() && !failed_; i = next_++) {
      try {
        cv::Mat image = read_image(files_[i]);
        if (!(shape_of(image) == shape_)) {
          throw make_error("image ", files_[i], " is ", describe(shape_of(image)), " but ", files_[0], " is ",
                           describe(shape_),
                           "; all images of a dataset must have the same size and channels");
        }
        copy_planar(image, shape_, out_ + i * image_bytes);
        ++done_;
      } catch (const Error& error) {
        record_failure(i, error.what());
      } catch (const std::exception& error) {  // OpenCV's or out of memory: must not escape the thread
        record_failure(i, "cannot decode image " + files_[i] + ": " + error.what());
      }
    }
    std::lock_guard<std::mutex> lock(mutex_);
    ++finished_workers_;
    wake_.notify_all();
  }

  // Waits for `workers` threads, reporting progress (without holding the lock); then throws the first
  // failure.
  void wait(int workers, const DecodeProgress& progress) {
    const int64_t total = static_cast<int64_t>(files_.size());
    std::unique_lock<std::mutex> lock(mutex_);
    while (
        !wake_.wait_for(lock, std::chrono::milliseconds(100), [&] { return finished_workers_ == workers; })) {
      lock.unlock();
      if (progress.callback) progress.callback(done_, total, progress.context);
      lock.lock();
    }
    if (failure_) throw Error(failure_->second);
    if (progress.callback) progress.callback(total, total, progress.context);
  }

  void cancel() { failed_ = true; }

 private:
  void record_failure(size_t index, const std::string& message) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!failure_ || index < failure_->first) failure_ = {index, message};
    failed_ = true;
  }

  const std::vector<std::string>& files_;
  const ImageShape shape_;
  uint8_t* const out_;
  std::atomic<size_t> next_{1};  // the caller decodes file 0 to learn the shape
  std::atomic<int64_t> done_{1};
  std::atomic<bool> failed_{false};
  std::mutex mutex_;
  std::condition_variable wake_;
  int finished_workers_ = 0;
  std::optional<std::pair<size_t, std::string>> failure_;
};

}  // namespace

Tensor decode_images(const std::vector<std::string>& files, DecodeProgress progress, int threads) {
  if (files.empty()) throw Error("decode_images: no image files given");
  cv::Mat first = read_image(files[0]);  // its shape is the one every other image must have
  ImageShape shape = shape_of(first);
  Tensor images(DataType::kUInt8,
                {static_cast<int64_t>(files.size()), shape.channels, shape.height, shape.width});
  uint8_t* out = reinterpret_cast<uint8_t*>(images.mutable_raw());
  copy_planar(first, shape, out);

  DecodeJob job(files, shape, out);
  std::vector<std::thread> workers;
  for (int i = 0; i < std::max(1, threads); ++i) workers.emplace_back([&job] { job.run_worker(); });
  try {
    job.wait(static_cast<int>(workers.size()), progress);
  } catch (...) {  // a failed image, or a progress callback that threw
    job.cancel();
    for (std::thread& worker : workers) worker.join();
    throw;
  }
  for (std::thread& worker : workers) worker.join();
  return images;
}

}  // namespace nacre
