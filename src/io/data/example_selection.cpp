#include "io/data/example_selection.h"

#include <cstring>

#include "util/error.h"

namespace nacre {

Tensor gather_images(const Tensor& images, const std::vector<int64_t>& indices) {
  Shape shape = images.shape();
  const size_t image_bytes = images.byte_size() / static_cast<size_t>(shape[0]);
  shape[0] = static_cast<int64_t>(indices.size());
  Tensor out(DataType::kUInt8, shape);
  std::byte* destination = out.mutable_raw();
  for (size_t i = 0; i < indices.size(); ++i) {
    std::memcpy(destination + i * image_bytes, images.raw() + static_cast<size_t>(indices[i]) * image_bytes,
                image_bytes);
  }
  return out;
}

std::vector<int64_t> gather_labels(const std::vector<int64_t>& labels, const std::vector<int64_t>& indices) {
  std::vector<int64_t> out;
  out.reserve(indices.size());
  for (int64_t index : indices) out.push_back(labels[static_cast<size_t>(index)]);
  return out;
}

void check_split_not_empty(const std::vector<int64_t>& indices, const std::string& root, Split split) {
  if (!indices.empty()) return;
  throw make_error("the ", to_string(split), " split of ", root, " is empty",
                   split == Split::kVal
                       ? ": every class has fewer than 10 training examples, so none is carved "
                         "out for validation; name a validation folder instead"
                       : "");
}

std::string describe_split(const std::string& kind, const std::string& root, const DatasetOptions& options) {
  std::string text = kind + " " + root + ", split " + to_string(options.split);
  if (options.val_dir && options.split == Split::kVal) text += " (from " + *options.val_dir + ")";
  if (options.val_dir && options.split == Split::kTrain) text += " (all training examples)";
  if (options.limit > 0) text += ", limit " + std::to_string(options.limit);
  return text;
}

void report_loaded(const DatasetOptions& options, int64_t count) {
  if (options.progress) options.progress(count, count, options.progress_context);
}

}  // namespace nacre
