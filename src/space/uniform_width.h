// Uniform width pruning, the alternative a user would reach for first, as one architecture of nacre's space:
// every block's inner channels scaled by one factor, filters chosen by the L1 norm of the trained weights
// (the width generator's candidates).
#pragma once

#include <string>

#include "space/search_space.h"

namespace nacre {

// The id suffix of a width candidate keeping `fraction` of its block's inner channels: "/width0.50".
std::string width_suffix(double fraction);

// Every block with a width candidate of `fraction` takes it, the others keep the original block. Throws
// Error when no block has one (the factors the width generator makes are 0.25, 0.5 and 0.75).
Architecture uniform_width(const SearchSpace& space, double fraction);

}  // namespace nacre
