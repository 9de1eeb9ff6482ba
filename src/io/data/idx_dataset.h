// Datasets stored as IDX files (MNIST, Fashion-MNIST; see dataset.h for the splits).
#pragma once

#include <string>

#include "io/data/dataset.h"

namespace nacre {

bool is_idx_layout(const std::string& root);
// Classes are "0" .. "K-1" with K = max(10, largest training label + 1); a limit keeps the first examples
// of the split in file order.
LabeledImages load_idx_dataset(const std::string& root, const DatasetOptions& options);

}  // namespace nacre
