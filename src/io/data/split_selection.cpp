#include "io/data/split_selection.h"

#include <algorithm>
#include <map>

namespace nacre {

std::vector<int64_t> carve_split(const std::vector<int64_t>& labels, Split split) {
  std::map<int64_t, int64_t> class_counts;
  for (int64_t label : labels) ++class_counts[label];
  // Walk backwards: a class's first floor(n/10) examples seen from the end are its val examples.
  std::map<int64_t, int64_t> val_left;
  for (const auto& [label, count] : class_counts) val_left[label] = count / 10;
  std::vector<int64_t> kept;
  for (int64_t i = static_cast<int64_t>(labels.size()) - 1; i >= 0; --i) {
    int64_t& left = val_left[labels[static_cast<size_t>(i)]];
    bool is_val = left > 0;
    if (is_val) --left;
    if (split == Split::kTest || is_val == (split == Split::kVal)) kept.push_back(i);
  }
  std::reverse(kept.begin(), kept.end());
  return kept;
}

std::vector<int64_t> keep_first(const std::vector<int64_t>& indices, int64_t limit) {
  if (limit < 0 || limit >= static_cast<int64_t>(indices.size())) return indices;
  return std::vector<int64_t>(indices.begin(), indices.begin() + limit);
}

std::vector<int64_t> keep_round_robin(const std::vector<int64_t>& indices, const std::vector<int64_t>& labels,
                                      int64_t limit) {
  if (limit < 0) return indices;
  std::map<int64_t, std::vector<int64_t>> by_class;  // ordered by class index
  for (int64_t index : indices) by_class[labels[static_cast<size_t>(index)]].push_back(index);
  std::vector<int64_t> kept;
  const size_t wanted = std::min(static_cast<size_t>(limit), indices.size());
  for (size_t round = 0; kept.size() < wanted; ++round) {
    for (const auto& [label, members] : by_class) {
      if (round < members.size() && kept.size() < wanted) kept.push_back(members[round]);
    }
  }
  return kept;
}

}  // namespace nacre
