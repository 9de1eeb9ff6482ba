// Uniform width pruning, the alternative a user would reach for first: every block's inner channels scaled
// by one factor, filters chosen by the L1 norm of the trained weights, as one architecture of nacre's space
// (the width generator's candidates); or every layer's channels, the residual streams and the classifier's
// inputs included, on the whole model.
#pragma once

#include <string>

#include "space/search_space.h"
#include "space/width_reduction.h"

namespace nacre {

// The id suffix of a width candidate keeping `fraction` of its block's inner channels: "/width0.50".
std::string width_suffix(double fraction);

// Every block with a width candidate of `fraction` takes it, the others keep the original block. Throws
// Error when no block has one (the factors the width generator makes are 0.25, 0.5 and 0.75).
Architecture uniform_width(const SearchSpace& space, double fraction);

// Every channel group of the whole model (keep-everything, with the space's exact rewrites) keeps
// max(1, round(fraction * channels)) channels: inner channels, residual streams (every conv writing into
// one stream keeps the same channels, by their summed L1 norms) and the channels the classifier reads.
// Shapes are inferred again. Throws Error when the model has no group to narrow.
WidthReduction uniform_channels(const SearchSpace& space, double fraction);

}  // namespace nacre
