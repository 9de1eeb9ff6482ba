#include "space/fine_segments.h"

#include <algorithm>

#include "ir/topological_order.h"
#include "util/error.h"

namespace nacre {

namespace {

struct GraphIndex {
  std::vector<NodeId> order;
  std::vector<int> position;                   // per node: its index in order
  std::vector<bool> constant_like;             // per value
  std::vector<std::vector<NodeId>> consumers;  // per value
};

GraphIndex index_graph(const Graph& model) {
  GraphIndex index;
  std::optional<std::vector<NodeId>> order = topological_order(model);
  if (!order) throw make_error("graph '", model.name, "' has a cycle; cannot segment it");
  index.order = *order;
  index.position.assign(model.node_count(), 0);
  for (size_t i = 0; i < index.order.size(); ++i) index.position[index.order[i]] = static_cast<int>(i);
  index.constant_like.assign(model.value_count(), false);
  index.consumers.assign(model.value_count(), {});
  for (size_t v = 0; v < model.value_count(); ++v) {
    index.constant_like[v] = model.is_constant(static_cast<ValueId>(v));
  }
  for (NodeId id : index.order) {
    const Node& node = model.node(id);
    bool all_constant = true;
    for (ValueId input : node.inputs) {
      if (input == kNoValue) continue;
      all_constant = all_constant && index.constant_like[input];
      index.consumers[input].push_back(id);
    }
    for (ValueId output : node.outputs) index.constant_like[output] = all_constant;
  }
  return index;
}

bool is_dynamic_node(const Graph& model, const GraphIndex& index, NodeId id) {
  const Node& node = model.node(id);
  return !node.outputs.empty() && !index.constant_like[node.outputs[0]];
}

// The dynamic nodes from which `value` is reachable (its producer included).
std::vector<bool> dynamic_ancestors(const Graph& model, const GraphIndex& index, ValueId value) {
  std::vector<bool> ancestor(model.node_count(), false);
  std::vector<ValueId> stack = {value};
  while (!stack.empty()) {
    ValueId current = stack.back();
    stack.pop_back();
    NodeId producer = model.value(current).producer;
    if (producer == kNoNode || ancestor[producer] || index.constant_like[current]) continue;
    ancestor[producer] = true;
    for (ValueId input : model.node(producer).inputs) {
      if (input != kNoValue) stack.push_back(input);
    }
  }
  return ancestor;
}

// A cut: nothing computed before `value` (the input included) is needed after it except `value` itself.
bool is_cut(const Graph& model, const GraphIndex& index, ValueId value, const std::vector<bool>& ancestor) {
  auto escapes = [&](ValueId produced) {
    if (produced == value) return false;
    if (model.is_graph_output(produced)) return true;
    for (NodeId consumer : index.consumers[produced]) {
      if (!ancestor[consumer]) return true;
    }
    return false;
  };
  if (escapes(model.inputs[0])) return false;
  for (size_t n = 0; n < model.node_count(); ++n) {
    if (!ancestor[n]) continue;
    for (ValueId output : model.node(static_cast<NodeId>(n)).outputs) {
      if (escapes(output)) return false;
    }
  }
  return true;
}

// Constant-like nodes go with their first consumer, latest producers first so chains follow their users.
void place_constant_nodes(const Graph& model, const GraphIndex& index, std::vector<int>& segment_of) {
  for (auto it = index.order.rbegin(); it != index.order.rend(); ++it) {
    if (is_dynamic_node(model, index, *it)) continue;
    int first = -1;
    for (ValueId output : model.node(*it).outputs) {
      for (NodeId consumer : index.consumers[output]) {
        int segment = segment_of[consumer];
        if (segment >= 0 && (first < 0 || segment < first)) first = segment;
      }
    }
    segment_of[*it] = first;
  }
}

}  // namespace

FineSegments find_fine_segments(const Graph& model) {
  if (model.inputs.size() != 1 || model.outputs.size() != 1) {
    throw make_error("graph '", model.name, "' has ", model.inputs.size(), " inputs and ",
                     model.outputs.size(), " outputs; segmentation needs exactly one of each");
  }
  GraphIndex index = index_graph(model);
  FineSegments result;
  result.cuts.push_back(model.inputs[0]);
  std::vector<int> segment_of(model.node_count(), -1);
  for (NodeId id : index.order) {
    if (!is_dynamic_node(model, index, id)) continue;
    for (ValueId output : model.node(id).outputs) {
      if (index.consumers[output].empty() && !model.is_graph_output(output)) continue;
      std::vector<bool> ancestor = dynamic_ancestors(model, index, output);
      if (!is_cut(model, index, output, ancestor)) continue;
      for (size_t n = 0; n < model.node_count(); ++n) {
        if (ancestor[n] && segment_of[n] < 0) segment_of[n] = static_cast<int>(result.cuts.size()) - 1;
      }
      result.cuts.push_back(output);
    }
  }
  if (result.cuts.back() != model.outputs[0]) {
    throw make_error("graph '", model.name, "': its output '", model.value(model.outputs[0]).name,
                     "' is not computed from its input; cannot segment it");
  }
  place_constant_nodes(model, index, segment_of);
  result.segments.assign(result.cuts.size() - 1, {});
  for (NodeId id : index.order) {
    int segment = segment_of[id] < 0 ? static_cast<int>(result.segments.size()) - 1 : segment_of[id];
    result.segments[segment].push_back(id);
  }
  result.order = index.order;
  result.constant_like = index.constant_like;
  return result;
}

}  // namespace nacre
