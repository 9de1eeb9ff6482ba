// A replacement for one block: a small graph with the block's input and output shapes, its weights and
// where they came from.
#pragma once

#include <cstdint>
#include <string>

#include "ir/graph.h"

namespace nacre {

struct Candidate {
  std::string id;           // unique within the space, e.g. "layer2.0/width0.50"
  std::string generator;    // the generator that made it: "keep", "width", "skip", ...
  std::string description;  // for people: "inner channels 0.5x (128 -> 64)"
  std::string
      weight_origin;  // "original", "inherited: filters chosen by L1 importance", "new: identity init" ...
  Graph graph;        // one input with the block's input shape, one output with its output shape
  int64_t macs = 0;
  int64_t parameters = 0;
};

// Fills macs and parameters from the graph (shape inference is run on it, then trim_dead_taps, an exact
// rewrite) and checks the shapes against the block's; throws Error naming the candidate when they differ.
void finish_candidate(Candidate& candidate, const Shape& input_shape, const Shape& output_shape);

}  // namespace nacre
