// Datasets stored as ROOT/{train,test}/<class>/<image> folders (see dataset.h for the splits).
#pragma once

#include <string>
#include <vector>

#include "io/data/dataset.h"

namespace nacre {

bool is_image_folder_layout(const std::string& root);
// With a limit, the examples are taken round-robin over classes (one of each class in turn, in file order),
// so that a small limit still covers every class; the result is in that interleaved order.
LabeledImages load_image_folder_dataset(const std::string& root, const DatasetOptions& options);
// The val split from the folder options.val_dir, labelled with the training `class_names`.
// `kind` and `root` name the dataset in the description.
LabeledImages load_validation_folder(const std::string& kind, const std::string& root,
                                     const std::vector<std::string>& class_names,
                                     const DatasetOptions& options);

}  // namespace nacre
