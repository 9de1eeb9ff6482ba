// The evolutionary search over a subset of each block's options (e.g. every option but skipping the block):
// the search runs on the subset's indices and its results are mapped back to the full space's choices.
#pragma once

#include <vector>

#include "search/evolutionary_search.h"

namespace nacre {

using AllowedOptions = std::vector<std::vector<int>>;  // per block, the full-space options the search may use

// Every option of every block, for options_per_block.
AllowedOptions all_options(const std::vector<int>& options_per_block);

// Runs evolutionary_search on `problem` restricted to `allowed`: the objectives see full-space choices, and
// the result's front, fastest point and history hold full-space choices; seeds in
// options.initial_architectures that use an option outside `allowed` are left out. Throws Error when
// `allowed` does not match the problem's blocks, names an option out of range, or leaves out option 0 of a
// block (the all-zeros seed must stay in the space).
SearchResult restricted_search(const SearchProblem& problem, const AllowedOptions& allowed,
                               const SearchOptions& options);

}  // namespace nacre
