#include "io/data/dataset.h"

#include <filesystem>

#include "io/data/idx_dataset.h"
#include "io/data/image_folder_dataset.h"
#include "util/error.h"

namespace fs = std::filesystem;

namespace nacre {

Split split_from_string(const std::string& name) {
  if (name == "train") return Split::kTrain;
  if (name == "val") return Split::kVal;
  if (name == "test") return Split::kTest;
  throw make_error("unknown split '", name, "'; use train, val or test");
}

std::string to_string(Split split) {
  switch (split) {
    case Split::kTrain:
      return "train";
    case Split::kVal:
      return "val";
    case Split::kTest:
      return "test";
  }
  return "?";
}

LabeledImages load_dataset(const std::string& root, const DatasetOptions& options) {
  if (!fs::is_directory(root))
    throw make_error("data directory ", root, " does not exist or is not a directory");
  if (options.limit == 0 || options.limit < -1) {
    throw make_error("dataset limit ", options.limit,
                     " keeps no examples; give a positive limit, or -1 for all");
  }
  if (options.val_dir && !fs::is_directory(*options.val_dir)) {
    throw make_error("validation directory ", *options.val_dir, " does not exist or is not a directory");
  }
  if (is_idx_layout(root)) return load_idx_dataset(root, options);
  if (is_image_folder_layout(root)) return load_image_folder_dataset(root, options);
  throw make_error(
      "data directory ", root, " is neither an IDX dataset (train-images-idx3-ubyte[.gz], ",
      "train-labels-idx1-ubyte[.gz], t10k-images-idx3-ubyte[.gz], t10k-labels-idx1-ubyte[.gz]) ",
      "nor an image folder tree (train/<class>/*.jpg and test/<class>/*.jpg; also .jpeg, .png, .bmp)");
}

LabeledImages load_split(const std::string& root, const std::string& val_dir, Split split, int64_t limit) {
  DatasetOptions options;
  options.split = split;
  options.limit = limit;
  if (!val_dir.empty()) options.val_dir = val_dir;
  return load_dataset(root, options);
}

}  // namespace nacre
