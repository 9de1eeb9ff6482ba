#include "space/uniform_width.h"

#include <cstdio>

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

}  // namespace nacre
