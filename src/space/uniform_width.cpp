#include "space/uniform_width.h"

#include <cstdio>

#include "ir/shape_inference.h"
#include "util/error.h"

namespace nacre {

std::string width_suffix(double fraction) {
  char suffix[32];
  std::snprintf(suffix, sizeof suffix, "/width%.2f", fraction);
  return suffix;
}

Architecture uniform_width(const SearchSpace& space, double fraction) {
  std::string suffix = width_suffix(fraction);
  Architecture architecture = keep_everything(space);
  bool any = false;
  for (size_t block = 0; block < space.candidates.size(); ++block) {
    for (size_t choice = 0; choice < space.candidates[block].size(); ++choice) {
      const std::string& id = space.candidates[block][choice].id;
      if (id.size() >= suffix.size() && id.compare(id.size() - suffix.size(), suffix.size(), suffix) == 0) {
        architecture.choices[block] = static_cast<int>(choice);
        any = true;
      }
    }
  }
  if (!any) {
    throw make_error("no block of the model has a width candidate of ", fraction,
                     " (the width generator makes 0.25, 0.5 and 0.75 where a block has inner channels)");
  }
  return architecture;
}

WidthReduction uniform_channels(const SearchSpace& space, double fraction) {
  Graph model = materialize(space, keep_everything(space));
  std::vector<ChannelGroup> groups = find_channel_groups(model, {.through_classifier = true});
  if (groups.empty())
    throw Error("the model has no channels nacre can narrow (no Conv feeding a Conv or Gemm)");
  WidthReduction reduction = reduce_width(model, groups, fraction);
  infer_shapes(reduction.graph);
  return reduction;
}

}  // namespace nacre
