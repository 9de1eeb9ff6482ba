#include "latency/target.h"

#include <algorithm>

#include "util/error.h"

namespace nacre {

namespace {

struct Unsupported {
  std::vector<std::string> nodes;     // "name (OpType)"
  std::vector<std::string> op_types;  // each once, in order of first appearance
};

Unsupported find_unsupported(const Target& target, const Graph& graph) {
  std::vector<std::string> supported = target.supported_op_types();
  Unsupported found;
  for (const Node& node : graph.nodes()) {
    if (std::find(supported.begin(), supported.end(), node.op_type) != supported.end()) continue;
    found.nodes.push_back(node.name + " (" + node.op_type + ")");
    if (std::find(found.op_types.begin(), found.op_types.end(), node.op_type) == found.op_types.end())
      found.op_types.push_back(node.op_type);
  }
  return found;
}

}  // namespace

std::vector<std::string> unsupported_nodes(const Target& target, const Graph& graph) {
  return find_unsupported(target, graph).nodes;
}

void require_supported(const Target& target, const Graph& graph) {
  Unsupported unsupported = find_unsupported(target, graph);
  if (unsupported.nodes.empty()) return;
  // Every op type, but only the first few nodes: a quantized model has a hundred of them.
  constexpr size_t kNodesListed = 8;
  std::string ops, nodes;
  for (const std::string& op : unsupported.op_types) ops += (ops.empty() ? " " : ", ") + op;
  for (size_t i = 0; i < std::min(unsupported.nodes.size(), kNodesListed); ++i)
    nodes += (nodes.empty() ? "" : ", ") + unsupported.nodes[i];
  if (unsupported.nodes.size() > kNodesListed)
    nodes += " and " + std::to_string(unsupported.nodes.size() - kNodesListed) + " more";
  throw make_error("target '", target.name(), "' does not support", ops, ": ", unsupported.nodes.size(),
                   " node(s) of graph '", graph.name, "': ", nodes,
                   " (see 'nacre targets' for each target's ops)");
}

}  // namespace nacre
