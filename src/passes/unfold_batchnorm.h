// Re-introduces a BatchNormalization after every Conv that has none, initialised to the identity
// (scale 1, bias 0, mean 0, var 1 - epsilon), so a model exported with BN folded can be trained with BN.
#pragma once

#include "ir/graph.h"

namespace nacre {

int unfold_batchnorm(Graph& graph, double epsilon = 1e-5);  // returns the number of nodes inserted

}  // namespace nacre
