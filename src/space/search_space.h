// The search space read out of a trained model: its segmentation and, per block, the candidates that can
// stand in for it (candidates[b][0] is always "keep", the original block).
#pragma once

#include <string>
#include <vector>

#include "space/block.h"
#include "space/candidate.h"

namespace nacre {

struct SpaceOptions {
  std::vector<std::string> supported_ops;  // the target's ops; empty = all nacre ops
  std::vector<std::string> generators;     // generator names to use; empty = all
};

struct SearchSpace {
  Graph model;
  Segmentation segmentation;
  std::vector<std::vector<Candidate>> candidates;  // per block
  double size() const;                             // number of architectures (product of choices)
};

// One choice per block: an index into candidates[b].
struct Architecture {
  std::vector<int> choices;
  std::string encode() const;                           // "0.3.1.0.2" (compact, stable)
  static Architecture decode(const std::string& text);  // throws Error on malformed text
};

SearchSpace build_search_space(const Graph& model, const SpaceOptions& options = {});
Architecture keep_everything(const SearchSpace& space);
// The complete model graph of an architecture, weights included; checks choices are in range.
Graph materialize(const SearchSpace& space, const Architecture& architecture);

}  // namespace nacre
