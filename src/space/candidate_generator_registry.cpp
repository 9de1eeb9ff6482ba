// Every candidate generator, listed explicitly (STYLE 4); "keep" first, as candidates[b][0] is the original.
#include "space/generators.h"

namespace nacre {

std::vector<std::unique_ptr<CandidateGenerator>> all_candidate_generators() {
  std::vector<std::unique_ptr<CandidateGenerator>> generators;
  generators.push_back(make_keep_generator());
  generators.push_back(make_width_generator());
  generators.push_back(make_skip_generator());
  generators.push_back(make_depthwise_separable_generator());
  generators.push_back(make_inverted_bottleneck_generator());
  generators.push_back(make_shallower_generator());
  generators.push_back(make_kernel_shrink_generator());
  generators.push_back(make_cheaper_activation_generator());
  return generators;
}

}  // namespace nacre
