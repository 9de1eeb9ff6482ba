#include "io/data/idx_dataset.h"

#include <algorithm>
#include <filesystem>
#include <numeric>

#include "io/data/example_selection.h"
#include "io/data/idx_reader.h"
#include "io/data/image_folder_dataset.h"
#include "io/data/split_selection.h"
#include "util/error.h"

namespace fs = std::filesystem;

namespace nacre {
namespace {

constexpr char kKind[] = "IDX";

// ROOT/STEM or ROOT/STEM.gz, whichever exists; empty if neither.
std::string find_idx_file(const std::string& root, const std::string& stem) {
  for (const std::string& name : {stem, stem + ".gz"}) {
    fs::path path = fs::path(root) / name;
    if (fs::is_regular_file(path)) return path.string();
  }
  return "";
}

std::string require_idx_file(const std::string& root, const std::string& stem) {
  std::string path = find_idx_file(root, stem);
  if (path.empty()) throw make_error("IDX dataset ", root, " lacks ", stem, " (or ", stem, ".gz)");
  return path;
}

std::vector<std::string> idx_class_names(const std::vector<int64_t>& train_labels) {
  int64_t largest = train_labels.empty() ? 0 : *std::max_element(train_labels.begin(), train_labels.end());
  std::vector<std::string> names;
  for (int64_t label = 0; label < std::max<int64_t>(10, largest + 1); ++label)
    names.push_back(std::to_string(label));
  return names;
}

struct IdxPart {
  Tensor images;
  std::vector<int64_t> labels;
};

// Reads "train" or "t10k" images and labels, checking that they agree and that labels are known classes.
IdxPart read_idx_part(const std::string& root, const std::string& prefix, size_t class_count) {
  std::string images_path = require_idx_file(root, prefix + "-images-idx3-ubyte");
  std::string labels_path = require_idx_file(root, prefix + "-labels-idx1-ubyte");
  IdxPart part{read_idx_images(images_path), read_idx_labels(labels_path)};
  if (part.images.shape()[0] != static_cast<int64_t>(part.labels.size())) {
    throw make_error("IDX dataset ", root, ": ", images_path, " holds ", part.images.shape()[0],
                     " images but ", labels_path, " holds ", part.labels.size(), " labels");
  }
  for (size_t i = 0; i < part.labels.size(); ++i) {
    if (part.labels[i] >= static_cast<int64_t>(class_count)) {
      throw make_error(labels_path, ": label ", part.labels[i], " of example ", i,
                       " is not a training class (0..", class_count - 1, ")");
    }
  }
  return part;
}

}  // namespace

bool is_idx_layout(const std::string& root) {
  return !find_idx_file(root, "train-images-idx3-ubyte").empty() ||
         !find_idx_file(root, "t10k-images-idx3-ubyte").empty();
}

LabeledImages load_idx_dataset(const std::string& root, const DatasetOptions& options) {
  std::vector<int64_t> train_labels = read_idx_labels(require_idx_file(root, "train-labels-idx1-ubyte"));
  std::vector<std::string> class_names = idx_class_names(train_labels);
  if (options.val_dir && options.split == Split::kVal) {
    return load_validation_folder(kKind, root, class_names, options);
  }
  IdxPart part = read_idx_part(root, options.split == Split::kTest ? "t10k" : "train", class_names.size());
  std::vector<int64_t> indices(part.labels.size());
  std::iota(indices.begin(), indices.end(), 0);
  if (options.split != Split::kTest && !options.val_dir) indices = carve_split(part.labels, options.split);
  check_split_not_empty(indices, root, options.split);
  indices = keep_first(indices, options.limit);

  LabeledImages data;
  data.images = gather_images(part.images, indices);
  data.labels = gather_labels(part.labels, indices);
  data.class_names = std::move(class_names);
  data.description = describe_split(kKind, root, options);
  report_loaded(options, data.size());
  return data;
}

}  // namespace nacre
