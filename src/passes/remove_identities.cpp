#include "passes/remove_identities.h"

#include <algorithm>

namespace nacre {

namespace {

// Identity always; Dropout when it runs in inference mode and nothing reads its mask.
bool is_removable(const Graph& graph, const Node& node) {
  if (!node.domain.empty() || node.outputs.empty() || node.input_or_none(0) == kNoValue) return false;
  if (node.op_type == "Identity") return true;
  if (node.op_type != "Dropout") return false;
  ValueId training_mode = node.input_or_none(2);
  if (training_mode != kNoValue) {
    if (!graph.is_constant(training_mode)) return false;
    std::vector<int64_t> flag = graph.constant(training_mode).as_int64s();
    if (!flag.empty() && flag[0] != 0) return false;
  }
  ValueId mask = node.outputs.size() > 1 ? node.outputs[1] : kNoValue;
  return mask == kNoValue || (graph.consumers(mask).empty() && !graph.is_graph_output(mask));
}

bool is_graph_input(const Graph& graph, ValueId id) {
  return std::find(graph.inputs.begin(), graph.inputs.end(), id) != graph.inputs.end();
}

// Rewires the node's consumers to its input. When its output is a model output, the input takes over the
// output's name instead, so the model's interface keeps its names; returns false when that cannot be done
// (the input is itself a graph input, a constant, or another model output) and the node must stay.
bool bypass(Graph& graph, NodeId id) {
  ValueId input = graph.node(id).inputs[0], output = graph.node(id).outputs[0];
  if (graph.is_graph_output(output)) {
    if (is_graph_input(graph, input) || graph.is_constant(input) || graph.is_graph_output(input))
      return false;
    std::string output_name = graph.value(output).name;
    graph.value(output).name = graph.unique_name(output_name + "_removed");
    graph.value(input).name = output_name;
  }
  graph.replace_all_uses(output, input);
  return true;
}

}  // namespace

int remove_identities(Graph& graph) {
  int removed = 0;
  // One node at a time: remove_nodes rebuilds the name index after each rename.
  for (NodeId id = 0; id < static_cast<NodeId>(graph.node_count());) {
    if (is_removable(graph, graph.node(id)) && bypass(graph, id)) {
      graph.remove_nodes({id});
      ++removed;
    } else {
      ++id;
    }
  }
  return removed;
}

}  // namespace nacre
