// nacre's IR: a graph of ONNX-named ops over values, owning its weights. Plain C++, no LibTorch or protobuf.
//
// Values and nodes live in vectors and refer to each other by index, so a Graph is copied (cloned) by value;
// weight bytes are shared between copies until one is written (see Tensor).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "ir/tensor.h"

namespace nacre {

using ValueId = int32_t;
using NodeId = int32_t;
constexpr ValueId kNoValue = -1;  // an omitted optional input
constexpr NodeId kNoNode = -1;

struct Value {
  std::string name;
  DataType dtype = DataType::kFloat32;
  std::optional<Shape> shape;         // unknown until shape inference when absent
  std::optional<Tensor> initializer;  // a constant (weights, shapes); such values have no producer
  NodeId producer = kNoNode;          // maintained by Graph
};

using AttributeValue = std::variant<int64_t, double, std::string, std::vector<int64_t>, std::vector<double>,
                                    Tensor, std::vector<std::string>>;

struct Node {
  std::string name;
  std::string op_type;  // ONNX op name, e.g. "Conv"
  std::string domain;   // "" for the default ONNX domain
  std::vector<ValueId> inputs;
  std::vector<ValueId> outputs;
  std::map<std::string, AttributeValue> attributes;

  bool has(const std::string& attribute) const { return attributes.count(attribute) > 0; }
  int64_t get_int(const std::string& attribute, int64_t fallback) const;
  double get_float(const std::string& attribute, double fallback) const;
  std::string get_string(const std::string& attribute, const std::string& fallback) const;
  std::vector<int64_t> get_ints(const std::string& attribute, std::vector<int64_t> fallback = {}) const;
  std::vector<double> get_floats(const std::string& attribute, std::vector<double> fallback = {}) const;
  const Tensor& get_tensor(const std::string& attribute) const;
  // The number of inputs actually given (trailing omitted optional inputs not counted).
  size_t input_count() const;
  ValueId input_or_none(size_t index) const { return index < inputs.size() ? inputs[index] : kNoValue; }
};

class Graph {
 public:
  std::string name = "graph";
  std::vector<ValueId> inputs;   // runtime inputs (never initializers)
  std::vector<ValueId> outputs;  // model outputs, in order
  int64_t opset = 13;

  // Adding: names are unique; a node's outputs must be fresh values without a producer.
  ValueId add_value(Value value);
  ValueId add_input(const std::string& name, DataType dtype, Shape shape);
  ValueId add_initializer(const std::string& name, Tensor tensor);
  NodeId add_node(Node node);
  // Convenience: adds a node named `name` whose outputs are new values named after it.
  NodeId add_node(const std::string& op_type, const std::string& name, std::vector<ValueId> inputs,
                  size_t output_count = 1, std::map<std::string, AttributeValue> attributes = {});
  std::string unique_name(const std::string& prefix) const;

  // Access.
  size_t value_count() const { return values_.size(); }
  size_t node_count() const { return nodes_.size(); }
  const Value& value(ValueId id) const;
  Value& value(ValueId id);
  const Node& node(NodeId id) const;
  Node& node(NodeId id);
  const std::vector<Node>& nodes() const { return nodes_; }
  ValueId find_value(const std::string& name) const;  // kNoValue when absent
  NodeId find_node(const std::string& name) const;    // kNoNode when absent
  std::vector<NodeId> consumers(ValueId id) const;
  bool is_graph_output(ValueId id) const;
  bool is_constant(ValueId id) const { return id != kNoValue && value(id).initializer.has_value(); }
  const Tensor& constant(ValueId id) const;  // throws when the value is not a constant

  // Mutation.
  void replace_all_uses(ValueId from, ValueId to);  // node inputs and graph outputs
  void remove_nodes(const std::vector<NodeId>& ids);
  void topological_sort();  // throws on a cycle
  // Drops nodes that do not contribute to the outputs, then values nothing refers to; renumbers ids.
  void prune();

  Graph clone() const { return *this; }

 private:
  void rebuild_indexes();

  std::vector<Value> values_;
  std::vector<Node> nodes_;
  std::map<std::string, ValueId> value_by_name_;
};

}  // namespace nacre
