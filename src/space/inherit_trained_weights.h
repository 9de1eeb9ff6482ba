// Weight sharing between fine-tuned architectures: an architecture about to be fine-tuned starts, in every
// block where it made the same choice as an architecture already fine-tuned, from that model's trained
// weights instead of the distilled ones (the earlier fine-tune's epochs are not thrown away).
#pragma once

#include "space/search_space.h"

namespace nacre {

// How many blocks two architectures of one space have in common (same candidate at the same block).
int shared_blocks(const Architecture& a, const Architecture& b);

// Whether a model fine-tuned as `donor` is a nearer start for `architecture` than the original network: it
// differs from `architecture` in fewer blocks than keep-everything does. A model's weights were trained
// together with its other blocks; mobilenet_v2_cifar10 run 6's third slot changed 2 of 20 blocks yet took 8
// of its kept blocks from a brief fine-tune that changed 12 (62.55% on the calibration subset), and
// ended 1.10 points below the baseline.
bool nearer_than_keep_everything(const Architecture& architecture, const Architecture& donor);

// Copies into `graph` (materialize(space, architecture)) the weights of `trained` (a fine-tuned
// materialize(space, trained_architecture)) for every block both architectures chose alike. Nodes are
// matched by name and op type; a weight is taken when its shape and type match, and a Conv or Gemm bias the
// trained node gained (BatchNorm folded after training) is added. Returns the number of tensors taken.
int inherit_trained_weights(Graph& graph, const SearchSpace& space, const Architecture& architecture,
                            const Graph& trained, const Architecture& trained_architecture);

}  // namespace nacre
