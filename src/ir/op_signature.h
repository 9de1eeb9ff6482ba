// What each supported op needs: how many inputs and outputs, which attributes (checked by verify).
#pragma once

#include <string>
#include <vector>

namespace nacre {

struct OpSignature {
  size_t min_inputs = 1, max_inputs = 1;  // the first min_inputs may not be omitted
  size_t min_outputs = 1, max_outputs = 1;
  std::vector<std::string> required_attributes;
};

constexpr size_t kAnyCount = static_cast<size_t>(-1);

// nullptr for ops outside supported_op_types().
const OpSignature* find_op_signature(const std::string& op_type);

}  // namespace nacre
