// Blocks as standalone graphs, and standalone block graphs chained back into one model.
#include <algorithm>
#include <map>
#include <set>

#include "ir/topological_order.h"
#include "space/block.h"
#include "util/error.h"

namespace nacre {

namespace {

bool computed_from_constants(const Graph& model, ValueId value) {
  if (model.is_constant(value)) return true;
  NodeId producer = model.value(value).producer;
  if (producer == kNoNode) return false;
  const std::vector<ValueId>& inputs = model.node(producer).inputs;
  return std::all_of(inputs.begin(), inputs.end(), [&](ValueId input) {
    return input == kNoValue || computed_from_constants(model, input);
  });
}

// The block's nodes plus the constant-only producers they read (which may sit in another block).
std::vector<NodeId> nodes_to_copy(const Graph& model, const Block& block) {
  std::set<NodeId> chosen(block.nodes.begin(), block.nodes.end());
  std::vector<NodeId> stack(block.nodes.begin(), block.nodes.end());
  while (!stack.empty()) {
    NodeId id = stack.back();
    stack.pop_back();
    for (ValueId input : model.node(id).inputs) {
      if (input == kNoValue || input == block.input) continue;
      NodeId producer = model.value(input).producer;
      if (producer == kNoNode || chosen.count(producer)) continue;
      if (!computed_from_constants(model, input)) {
        throw make_error("block '", block.name, "': node '", model.node(id).name, "' reads '",
                         model.value(input).name,
                         "' from outside the block; the segmentation is inconsistent");
      }
      chosen.insert(producer);
      stack.push_back(producer);
    }
  }
  std::vector<NodeId> order = topological_order(model).value();
  std::vector<NodeId> result;
  for (NodeId id : order) {
    if (chosen.count(id)) result.push_back(id);
  }
  return result;
}

Value copy_of(const Value& value, const std::string& name) {
  Value copy;
  copy.name = name;
  copy.dtype = value.dtype;
  copy.shape = value.shape;
  copy.initializer = value.initializer;
  return copy;
}

// A name not yet used by a value in `graph`: the original where free, else with a numeric suffix.
std::string free_value_name(const Graph& graph, const std::string& wanted) {
  if (graph.find_value(wanted) == kNoValue) return wanted;
  for (int suffix = 1;; ++suffix) {
    std::string name = wanted + "_" + std::to_string(suffix);
    if (graph.find_value(name) == kNoValue) return name;
  }
}

std::string free_node_name(std::set<std::string>& used, const std::string& wanted) {
  std::string name = wanted;
  for (int suffix = 1; used.count(name); ++suffix) name = wanted + "_" + std::to_string(suffix);
  used.insert(name);
  return name;
}

// Copies `source`'s nodes into `target`, its input bound to `input`; returns the value its output became.
ValueId append_graph(Graph& target, const Graph& source, ValueId input, std::set<std::string>& node_names) {
  std::map<ValueId, ValueId> mapped = {{source.inputs[0], input}};
  auto map_value = [&](ValueId id) {
    if (id == kNoValue) return kNoValue;
    auto found = mapped.find(id);
    if (found != mapped.end()) return found->second;
    const Value& value = source.value(id);
    if (!value.initializer && value.producer == kNoNode) {
      throw make_error("graph '", source.name, "': value '", value.name,
                       "' has no producer and is not its input");
    }
    ValueId copy = target.add_value(copy_of(value, free_value_name(target, value.name)));
    mapped[id] = copy;
    return copy;
  };
  std::optional<std::vector<NodeId>> order = topological_order(source);
  if (!order) throw make_error("graph '", source.name, "' has a cycle");
  for (NodeId id : *order) {
    Node node = source.node(id);
    for (ValueId& value : node.inputs) value = map_value(value);
    for (ValueId& value : node.outputs) value = map_value(value);
    node.name = free_node_name(node_names, node.name);
    target.add_node(std::move(node));
  }
  return map_value(source.outputs[0]);
}

}  // namespace

Graph extract_block(const Graph& model, const Block& block) {
  Graph graph;
  graph.name = block.name;
  graph.opset = model.opset;
  std::map<ValueId, ValueId> mapped;
  const Value& input = model.value(block.input);
  mapped[block.input] = graph.add_input(input.name, input.dtype, input.shape.value_or(Shape{}));
  auto map_value = [&](ValueId id) {
    if (id == kNoValue) return kNoValue;
    auto found = mapped.find(id);
    if (found != mapped.end()) return found->second;
    return mapped[id] = graph.add_value(copy_of(model.value(id), model.value(id).name));
  };
  for (NodeId id : nodes_to_copy(model, block)) {
    Node node = model.node(id);
    for (ValueId& value : node.inputs) value = map_value(value);
    for (ValueId& value : node.outputs) value = map_value(value);
    graph.add_node(std::move(node));
  }
  if (!mapped.count(block.output)) {
    throw make_error("block '", block.name, "': its output '", model.value(block.output).name,
                     "' is not produced by its nodes");
  }
  graph.outputs = {mapped[block.output]};
  return graph;
}

Graph concatenate_blocks(const std::vector<const Graph*>& blocks, const std::string& name) {
  if (blocks.empty()) throw make_error("concatenate_blocks: no blocks given");
  Graph model;
  model.name = name;
  model.opset = blocks.front()->opset;
  std::set<std::string> node_names;
  ValueId carried = kNoValue;
  for (const Graph* block : blocks) {
    if (block->inputs.size() != 1 || block->outputs.size() != 1) {
      throw make_error("concatenate_blocks: block graph '", block->name, "' has ", block->inputs.size(),
                       " inputs and ", block->outputs.size(), " outputs; each needs exactly one of each");
    }
    model.opset = std::max(model.opset, block->opset);
    if (carried == kNoValue) {
      const Value& input = block->value(block->inputs[0]);
      carried = model.add_input(input.name, input.dtype, input.shape.value_or(Shape{}));
    }
    carried = append_graph(model, *block, carried, node_names);
  }
  model.outputs = {carried};
  return model;
}

}  // namespace nacre
