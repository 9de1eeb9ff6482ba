#include "latency/target.h"

#include <algorithm>

namespace nacre {

std::vector<std::string> unsupported_nodes(const Target& target, const Graph& graph) {
  std::vector<std::string> supported = target.supported_op_types();
  std::vector<std::string> problems;
  for (const Node& node : graph.nodes()) {
    if (std::find(supported.begin(), supported.end(), node.op_type) == supported.end()) {
      problems.push_back(node.name + " (" + node.op_type + ")");
    }
  }
  return problems;
}

}  // namespace nacre
