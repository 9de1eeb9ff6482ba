#include "io/data/image_folder_dataset.h"

#include <filesystem>
#include <numeric>

#include "io/data/example_selection.h"
#include "io/data/image_decoder.h"
#include "io/data/image_folder.h"
#include "io/data/split_selection.h"
#include "util/error.h"

namespace fs = std::filesystem;

namespace nacre {
namespace {

constexpr char kKind[] = "image folder";

std::vector<int64_t> all_indices(size_t count) {
  std::vector<int64_t> indices(count);
  std::iota(indices.begin(), indices.end(), 0);
  return indices;
}

// Decodes the selected files of `listing`, in the order of `indices`.
LabeledImages decode_selection(const ImageFolderListing& listing, const std::vector<int64_t>& indices,
                               const DatasetOptions& options, std::string description) {
  std::vector<std::string> files;
  files.reserve(indices.size());
  for (int64_t index : indices) files.push_back(listing.files[static_cast<size_t>(index)]);
  LabeledImages data;
  data.images = decode_images(files, DecodeProgress{options.progress, options.progress_context});
  data.labels = gather_labels(listing.labels, indices);
  data.class_names = listing.class_names;
  data.description = std::move(description);
  return data;
}

ImageFolderListing list_test_folder(const fs::path& root) {
  ImageFolderListing listing = list_image_folder((root / "test").string());
  if (fs::is_directory(root / "train")) {
    // Test labels must be the training class indices, whatever folders the test split holds.
    adopt_class_names(listing, list_image_folder((root / "train").string()).class_names,
                      "test folder " + (root / "test").string());
  }
  return listing;
}

}  // namespace

bool is_image_folder_layout(const std::string& root) {
  return fs::is_directory(fs::path(root) / "train") || fs::is_directory(fs::path(root) / "test");
}

LabeledImages load_image_folder_dataset(const std::string& root, const DatasetOptions& options) {
  const fs::path root_path(root);
  if (options.split == Split::kTest) {
    ImageFolderListing listing = list_test_folder(root_path);
    std::vector<int64_t> indices =
        keep_round_robin(all_indices(listing.files.size()), listing.labels, options.limit);
    return decode_selection(listing, indices, options, describe_split(kKind, root, options));
  }
  ImageFolderListing listing = list_image_folder((root_path / "train").string());
  if (options.val_dir && options.split == Split::kVal) {
    return load_validation_folder(kKind, root, listing.class_names, options);
  }
  std::vector<int64_t> indices =
      options.val_dir ? all_indices(listing.files.size()) : carve_split(listing.labels, options.split);
  check_split_not_empty(indices, root, options.split);
  indices = keep_round_robin(indices, listing.labels, options.limit);
  return decode_selection(listing, indices, options, describe_split(kKind, root, options));
}

LabeledImages load_validation_folder(const std::string& kind, const std::string& root,
                                     const std::vector<std::string>& class_names,
                                     const DatasetOptions& options) {
  ImageFolderListing listing = list_image_folder(*options.val_dir);
  adopt_class_names(listing, class_names, "validation folder " + *options.val_dir);
  std::vector<int64_t> indices =
      keep_round_robin(all_indices(listing.files.size()), listing.labels, options.limit);
  return decode_selection(listing, indices, options, describe_split(kind, root, options));
}

}  // namespace nacre
