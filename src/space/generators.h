// Factory functions for the candidate generators, one per file; all_candidate_generators() lists them.
#pragma once

#include <memory>

#include "space/candidate_generator.h"

namespace nacre {

std::unique_ptr<CandidateGenerator> make_keep_generator();
std::unique_ptr<CandidateGenerator> make_width_generator();
std::unique_ptr<CandidateGenerator> make_skip_generator();
std::unique_ptr<CandidateGenerator> make_depthwise_separable_generator();
std::unique_ptr<CandidateGenerator> make_inverted_bottleneck_generator();
std::unique_ptr<CandidateGenerator> make_shallower_generator();
std::unique_ptr<CandidateGenerator> make_kernel_shrink_generator();
std::unique_ptr<CandidateGenerator> make_cheaper_activation_generator();

}  // namespace nacre
