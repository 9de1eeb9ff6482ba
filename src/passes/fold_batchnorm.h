// Folds BatchNormalization (inference form, running statistics) into the Conv or Gemm that feeds it.
#pragma once

#include "ir/graph.h"

namespace nacre {

int fold_batchnorm(Graph& graph);  // returns the number of BatchNormalization nodes folded

}  // namespace nacre
