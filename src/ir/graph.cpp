#include "ir/graph.h"

#include <algorithm>
#include <set>

#include "util/error.h"

namespace nacre {

namespace {

template <typename T>
const T* find_attribute(const Node& node, const std::string& attribute) {
  auto it = node.attributes.find(attribute);
  if (it == node.attributes.end()) return nullptr;
  const T* value = std::get_if<T>(&it->second);
  if (!value)
    throw make_error("node '", node.name, "' (", node.op_type, "): attribute '", attribute,
                     "' has an unexpected type");
  return value;
}

}  // namespace

int64_t Node::get_int(const std::string& attribute, int64_t fallback) const {
  const int64_t* value = find_attribute<int64_t>(*this, attribute);
  return value ? *value : fallback;
}

double Node::get_float(const std::string& attribute, double fallback) const {
  auto it = attributes.find(attribute);
  if (it != attributes.end() && std::holds_alternative<int64_t>(it->second)) {
    return static_cast<double>(std::get<int64_t>(it->second));
  }
  const double* value = find_attribute<double>(*this, attribute);
  return value ? *value : fallback;
}

std::string Node::get_string(const std::string& attribute, const std::string& fallback) const {
  const std::string* value = find_attribute<std::string>(*this, attribute);
  return value ? *value : fallback;
}

std::vector<int64_t> Node::get_ints(const std::string& attribute, std::vector<int64_t> fallback) const {
  const auto* value = find_attribute<std::vector<int64_t>>(*this, attribute);
  return value ? *value : fallback;
}

std::vector<double> Node::get_floats(const std::string& attribute, std::vector<double> fallback) const {
  const auto* value = find_attribute<std::vector<double>>(*this, attribute);
  return value ? *value : fallback;
}

const Tensor& Node::get_tensor(const std::string& attribute) const {
  const Tensor* value = find_attribute<Tensor>(*this, attribute);
  if (!value)
    throw make_error("node '", name, "' (", op_type, "): missing tensor attribute '", attribute, "'");
  return *value;
}

size_t Node::input_count() const {
  size_t count = inputs.size();
  while (count > 0 && inputs[count - 1] == kNoValue) --count;
  return count;
}

ValueId Graph::add_value(Value value) {
  if (value.name.empty()) value.name = unique_name("v");
  if (value_by_name_.count(value.name)) throw make_error("duplicate value name '", value.name, "'");
  if (value.initializer) {
    value.dtype = value.initializer->dtype();
    value.shape = value.initializer->shape();
  }
  value.producer = kNoNode;
  ValueId id = static_cast<ValueId>(values_.size());
  value_by_name_[value.name] = id;
  values_.push_back(std::move(value));
  return id;
}

ValueId Graph::add_input(const std::string& name, DataType dtype, Shape shape) {
  Value value;
  value.name = name;
  value.dtype = dtype;
  value.shape = std::move(shape);
  ValueId id = add_value(std::move(value));
  inputs.push_back(id);
  return id;
}

ValueId Graph::add_initializer(const std::string& name, Tensor tensor) {
  Value value;
  value.name = name;
  value.initializer = std::move(tensor);
  return add_value(std::move(value));
}

NodeId Graph::add_node(Node node) {
  NodeId id = static_cast<NodeId>(nodes_.size());
  if (node.name.empty()) node.name = unique_name(node.op_type);
  for (ValueId input : node.inputs) {
    if (input != kNoValue) this->value(input);  // bounds check
  }
  for (ValueId output : node.outputs) {
    Value& produced = this->value(output);
    if (produced.producer != kNoNode || produced.initializer) {
      throw make_error("node '", node.name, "': value '", produced.name, "' already has a producer");
    }
    produced.producer = id;
  }
  nodes_.push_back(std::move(node));
  return id;
}

NodeId Graph::add_node(const std::string& op_type, const std::string& name, std::vector<ValueId> inputs,
                       size_t output_count, std::map<std::string, AttributeValue> attributes) {
  Node node;
  node.op_type = op_type;
  node.name = name.empty() ? unique_name(op_type) : name;
  node.inputs = std::move(inputs);
  node.attributes = std::move(attributes);
  for (size_t i = 0; i < output_count; ++i) {
    Value value;
    value.name = unique_name(output_count == 1 ? node.name + "_out" : node.name + "_out" + std::to_string(i));
    node.outputs.push_back(add_value(std::move(value)));
  }
  return add_node(std::move(node));
}

std::string Graph::unique_name(const std::string& prefix) const {
  if (!value_by_name_.count(prefix) && find_node(prefix) == kNoNode) return prefix;
  for (size_t suffix = 1;; ++suffix) {
    std::string candidate = prefix + "_" + std::to_string(suffix);
    if (!value_by_name_.count(candidate) && find_node(candidate) == kNoNode) return candidate;
  }
}

const Value& Graph::value(ValueId id) const {
  if (id < 0 || static_cast<size_t>(id) >= values_.size()) throw make_error("no value with id ", id);
  return values_[id];
}

Value& Graph::value(ValueId id) {
  if (id < 0 || static_cast<size_t>(id) >= values_.size()) throw make_error("no value with id ", id);
  return values_[id];
}

const Node& Graph::node(NodeId id) const {
  if (id < 0 || static_cast<size_t>(id) >= nodes_.size()) throw make_error("no node with id ", id);
  return nodes_[id];
}

Node& Graph::node(NodeId id) {
  if (id < 0 || static_cast<size_t>(id) >= nodes_.size()) throw make_error("no node with id ", id);
  return nodes_[id];
}

ValueId Graph::find_value(const std::string& name) const {
  auto it = value_by_name_.find(name);
  return it == value_by_name_.end() ? kNoValue : it->second;
}

NodeId Graph::find_node(const std::string& name) const {
  for (size_t i = 0; i < nodes_.size(); ++i) {
    if (nodes_[i].name == name) return static_cast<NodeId>(i);
  }
  return kNoNode;
}

std::vector<NodeId> Graph::consumers(ValueId id) const {
  std::vector<NodeId> result;
  for (size_t i = 0; i < nodes_.size(); ++i) {
    const auto& node_inputs = nodes_[i].inputs;
    if (std::find(node_inputs.begin(), node_inputs.end(), id) != node_inputs.end()) {
      result.push_back(static_cast<NodeId>(i));
    }
  }
  return result;
}

bool Graph::is_graph_output(ValueId id) const {
  return std::find(outputs.begin(), outputs.end(), id) != outputs.end();
}

const Tensor& Graph::constant(ValueId id) const {
  const Value& constant_value = value(id);
  if (!constant_value.initializer) throw make_error("value '", constant_value.name, "' is not a constant");
  return *constant_value.initializer;
}

void Graph::replace_all_uses(ValueId from, ValueId to) {
  for (Node& node : nodes_) {
    std::replace(node.inputs.begin(), node.inputs.end(), from, to);
  }
  std::replace(outputs.begin(), outputs.end(), from, to);
}

void Graph::remove_nodes(const std::vector<NodeId>& ids) {
  std::set<NodeId> doomed(ids.begin(), ids.end());
  std::vector<Node> kept;
  kept.reserve(nodes_.size());
  for (size_t i = 0; i < nodes_.size(); ++i) {
    if (!doomed.count(static_cast<NodeId>(i))) kept.push_back(std::move(nodes_[i]));
  }
  nodes_ = std::move(kept);
  rebuild_indexes();
}

void Graph::topological_sort() {
  std::vector<int> pending(nodes_.size(), 0);
  std::vector<std::vector<NodeId>> users(values_.size());
  for (size_t i = 0; i < nodes_.size(); ++i) {
    for (ValueId input : nodes_[i].inputs) {
      if (input == kNoValue || values_[input].producer == kNoNode) continue;
      ++pending[i];
      users[input].push_back(static_cast<NodeId>(i));
    }
  }
  std::vector<NodeId> ready, order;
  for (size_t i = 0; i < nodes_.size(); ++i) {
    if (pending[i] == 0) ready.push_back(static_cast<NodeId>(i));
  }
  // Keep the original order among ready nodes, so a sorted graph stays as the exporter wrote it.
  while (!ready.empty()) {
    auto smallest = std::min_element(ready.begin(), ready.end());
    NodeId next = *smallest;
    ready.erase(smallest);
    order.push_back(next);
    for (ValueId output : nodes_[next].outputs) {
      for (NodeId user : users[output]) {
        if (--pending[user] == 0) ready.push_back(user);
      }
    }
  }
  if (order.size() != nodes_.size()) throw make_error("graph '", name, "' has a cycle");
  std::vector<Node> sorted;
  sorted.reserve(nodes_.size());
  for (NodeId id : order) sorted.push_back(std::move(nodes_[id]));
  nodes_ = std::move(sorted);
  rebuild_indexes();
}

void Graph::prune() {
  std::vector<bool> live_value(values_.size(), false), live_node(nodes_.size(), false);
  std::vector<ValueId> stack(outputs.begin(), outputs.end());
  while (!stack.empty()) {
    ValueId id = stack.back();
    stack.pop_back();
    if (id == kNoValue || live_value[id]) continue;
    live_value[id] = true;
    NodeId producer = values_[id].producer;
    if (producer == kNoNode || live_node[producer]) continue;
    live_node[producer] = true;
    for (ValueId input : nodes_[producer].inputs) stack.push_back(input);
    for (ValueId output : nodes_[producer].outputs) live_value[output] = true;
  }
  for (ValueId input : inputs) live_value[input] = true;

  std::vector<ValueId> new_id(values_.size(), kNoValue);
  std::vector<Value> kept_values;
  for (size_t i = 0; i < values_.size(); ++i) {
    if (!live_value[i]) continue;
    new_id[i] = static_cast<ValueId>(kept_values.size());
    kept_values.push_back(std::move(values_[i]));
  }
  std::vector<Node> kept_nodes;
  for (size_t i = 0; i < nodes_.size(); ++i) {
    if (!live_node[i]) continue;
    Node node = std::move(nodes_[i]);
    for (ValueId& input : node.inputs) input = input == kNoValue ? kNoValue : new_id[input];
    for (ValueId& output : node.outputs) output = new_id[output];
    kept_nodes.push_back(std::move(node));
  }
  for (ValueId& input : inputs) input = new_id[input];
  for (ValueId& output : outputs) output = new_id[output];
  values_ = std::move(kept_values);
  nodes_ = std::move(kept_nodes);
  rebuild_indexes();
}

void Graph::rebuild_indexes() {
  value_by_name_.clear();
  for (size_t i = 0; i < values_.size(); ++i) {
    values_[i].producer = kNoNode;
    value_by_name_[values_[i].name] = static_cast<ValueId>(i);
  }
  for (size_t i = 0; i < nodes_.size(); ++i) {
    for (ValueId output : nodes_[i].outputs) {
      if (output != kNoValue) values_[output].producer = static_cast<NodeId>(i);
    }
  }
}

}  // namespace nacre
