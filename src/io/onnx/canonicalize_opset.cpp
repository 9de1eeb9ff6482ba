#include "io/onnx/canonicalize_opset.h"

#include <optional>

#include "ir/shape_inference.h"
#include "util/error.h"

namespace nacre {

namespace {

void set_input(Node& node, size_t index, ValueId value) {
  if (node.inputs.size() <= index) node.inputs.resize(index + 1, kNoValue);
  node.inputs[index] = value;
}

ValueId add_int64s(Graph& graph, const std::string& name, const std::vector<int64_t>& values) {
  Shape shape = {static_cast<int64_t>(values.size())};
  return graph.add_initializer(graph.unique_name(name), Tensor::from_vector<int64_t>(shape, values));
}

ValueId add_float_scalar(Graph& graph, const std::string& name, double value) {
  return graph.add_initializer(graph.unique_name(name), Tensor::scalar<float>(static_cast<float>(value)));
}

// Moves an INTS attribute into input slot `index` as an int64 constant, if the attribute is present.
void move_ints_to_input(Graph& graph, NodeId id, const std::string& attribute, size_t index) {
  if (!graph.node(id).has(attribute)) return;
  std::vector<int64_t> values = graph.node(id).get_ints(attribute);
  ValueId constant = add_int64s(graph, graph.node(id).name + "_" + attribute, values);
  Node& node = graph.node(id);
  node.attributes.erase(attribute);
  set_input(node, index, constant);
}

void move_float_to_input(Graph& graph, NodeId id, const std::string& attribute, size_t index) {
  if (!graph.node(id).has(attribute)) return;
  double value = graph.node(id).get_float(attribute, 0.0);
  ValueId constant = add_float_scalar(graph, graph.node(id).name + "_" + attribute, value);
  Node& node = graph.node(id);
  node.attributes.erase(attribute);
  set_input(node, index, constant);
}

// Node `id` now writes a fresh intermediate value; a new `op_type` node reads it (plus `extra_inputs`) and
// writes the node's original first output, so consumers are untouched.
NodeId route_output_through(Graph& graph, NodeId id, const std::string& op_type,
                            const std::vector<ValueId>& extra_inputs,
                            std::map<std::string, AttributeValue> attributes = {}) {
  ValueId original = graph.node(id).outputs[0];
  Value intermediate;
  intermediate.name = graph.unique_name(graph.value(original).name + "_before_" + op_type);
  ValueId intermediate_id = graph.add_value(std::move(intermediate));
  graph.node(id).outputs[0] = intermediate_id;
  graph.value(intermediate_id).producer = id;
  graph.value(original).producer = kNoNode;

  Node next;
  next.op_type = op_type;
  next.name = graph.unique_name(graph.node(id).name + "_" + op_type);
  next.inputs = {intermediate_id};
  next.inputs.insert(next.inputs.end(), extra_inputs.begin(), extra_inputs.end());
  next.outputs = {original};
  next.attributes = std::move(attributes);
  return graph.add_node(std::move(next));
}

// Ranks of values, from the graph, from the model's value_info, or else from shape inference on a copy.
class RankLookup {
 public:
  RankLookup(const Graph& graph, const std::map<std::string, int64_t>& declared_ranks)
      : graph_(graph), declared_ranks_(declared_ranks) {}

  int64_t rank(ValueId id) {
    const Value& value = graph_.value(id);
    if (value.shape) return static_cast<int64_t>(value.shape->size());
    auto declared = declared_ranks_.find(value.name);
    if (declared != declared_ranks_.end()) return declared->second;
    if (!inferred_) infer();
    const Value& inferred_value = inferred_->value(id);
    return inferred_value.shape ? static_cast<int64_t>(inferred_value.shape->size()) : -1;
  }

 private:
  void infer() {
    inferred_ = graph_.clone();
    try {
      inferred_->topological_sort();  // keeps value ids
      infer_shapes(*inferred_);
    } catch (const std::exception&) {
      inferred_ = graph_.clone();  // no ranks known: callers fall back to a rank-independent rewrite
    }
  }

  const Graph& graph_;
  const std::map<std::string, int64_t>& declared_ranks_;
  std::optional<Graph> inferred_;
};

// Before opset 13, Softmax flattened the input to 2-D at `axis`; that equals opset 13 when axis is the last.
// Otherwise it becomes Flatten, Softmax over the last axis, and Reshape back to the input's shape.
void canonicalize_softmax(Graph& graph, NodeId id, RankLookup& ranks) {
  int64_t axis = graph.node(id).get_int("axis", 1);
  ValueId input = graph.node(id).inputs.at(0);
  int64_t rank = axis == -1 ? -1 : ranks.rank(input);
  if (axis == -1 || (rank > 0 && axis == rank - 1)) {
    graph.node(id).attributes["axis"] = axis;
    return;
  }
  const std::string name = graph.node(id).name;  // a copy: adding nodes moves them
  NodeId shape = graph.add_node("Shape", graph.unique_name(name + "_input_shape"), {input});
  NodeId flatten =
      graph.add_node("Flatten", graph.unique_name(name + "_flatten"), {input}, 1, {{"axis", axis}});
  ValueId shape_value = graph.node(shape).outputs[0];
  graph.node(id).inputs[0] = graph.node(flatten).outputs[0];
  graph.node(id).attributes["axis"] = int64_t{-1};
  route_output_through(graph, id, "Reshape", {shape_value});
}

// Opset 18 moved ReduceMean's axes from an attribute to an (optional) input.
void canonicalize_reduce_mean(Graph& graph, NodeId id) {
  Node& node = graph.node(id);
  if (node.get_int("noop_with_empty_axes", 0) != 0 && node.input_or_none(1) == kNoValue) {
    throw make_error("node '", node.name,
                     "' (ReduceMean): noop_with_empty_axes=1 without axes is not supported");
  }
  node.attributes.erase("noop_with_empty_axes");
  ValueId axes = node.input_or_none(1);
  if (axes == kNoValue) return;
  if (!graph.is_constant(axes)) {
    throw make_error("node '", node.name, "' (ReduceMean): axes must be a constant, but '",
                     graph.value(axes).name, "' is computed at run time");
  }
  node.attributes["axes"] = graph.constant(axes).as_int64s();
  node.inputs.resize(1);
}

// Opset 15 added start/end to Shape; opset 13 expresses them as a Slice of the full shape.
void canonicalize_shape(Graph& graph, NodeId id) {
  Node& node = graph.node(id);
  if (!node.has("start") && !node.has("end")) return;
  int64_t start = node.get_int("start", 0);
  int64_t end = node.get_int("end", INT64_MAX);
  node.attributes.erase("start");
  node.attributes.erase("end");
  std::string name = node.name;
  ValueId starts = add_int64s(graph, name + "_start", {start});
  ValueId ends = add_int64s(graph, name + "_end", {end});
  ValueId axes = add_int64s(graph, name + "_axes", {0});
  route_output_through(graph, id, "Slice", {starts, ends, axes});
}

void canonicalize_pad(Graph& graph, NodeId id, int64_t opset) {
  if (opset < 11) {
    move_ints_to_input(graph, id, "paddings", 1);  // opset 1 name
    move_ints_to_input(graph, id, "pads", 1);
    move_float_to_input(graph, id, "value", 2);
  }
  const Node& node = graph.node(id);
  if (node.input_or_none(3) != kNoValue) {
    throw make_error("node '", node.name,
                     "' (Pad): the opset-18 axes input is not supported; re-export the model "
                     "with opset 13-17");
  }
}

void canonicalize_batch_normalization(Graph& graph, NodeId id) {
  Node& node = graph.node(id);
  if (node.get_int("spatial", 1) != 1) {
    throw make_error("node '", node.name, "' (BatchNormalization): spatial=0 is not supported");
  }
  for (const char* legacy : {"spatial", "is_test", "consumed_inputs"}) node.attributes.erase(legacy);
}

void canonicalize_node(Graph& graph, NodeId id, int64_t opset) {
  const std::string op_type = graph.node(id).op_type;
  if ((op_type == "Squeeze" || op_type == "Unsqueeze") && opset < 13) {
    move_ints_to_input(graph, id, "axes", 1);
  } else if (op_type == "Split") {
    if (opset < 13) move_ints_to_input(graph, id, "split", 1);
    graph.node(id).attributes.erase("num_outputs");  // opset 18: implied by the number of outputs
  } else if (op_type == "Clip" && opset < 11) {
    move_float_to_input(graph, id, "min", 1);
    move_float_to_input(graph, id, "max", 2);
  } else if (op_type == "Pad") {
    canonicalize_pad(graph, id, opset);
  } else if (op_type == "Slice" && opset < 10) {
    move_ints_to_input(graph, id, "starts", 1);
    move_ints_to_input(graph, id, "ends", 2);
    move_ints_to_input(graph, id, "axes", 3);
  } else if (op_type == "ReduceMean" && opset >= 18) {
    canonicalize_reduce_mean(graph, id);
  } else if (op_type == "Shape" && opset >= 15) {
    canonicalize_shape(graph, id);
  } else if (op_type == "BatchNormalization") {
    canonicalize_batch_normalization(graph, id);
  }
}

}  // namespace

void canonicalize_to_opset13(Graph& graph, int64_t opset,
                             const std::map<std::string, int64_t>& declared_ranks) {
  if (opset < kOldestImportedOpset || opset > kNewestImportedOpset) {
    throw make_error("opset ", opset, " is outside the range nacre imports (", kOldestImportedOpset, "-",
                     kNewestImportedOpset, "); re-export the model with opset 13");
  }
  // Rewrites may append nodes; those are already canonical, so only the original ones are visited.
  const NodeId original_count = static_cast<NodeId>(graph.node_count());
  for (NodeId id = 0; id < original_count; ++id) canonicalize_node(graph, id, opset);
  // Softmax last: telling its old form from the new needs ranks, which need the other nodes canonical.
  if (opset < 13) {
    RankLookup ranks(graph, declared_ranks);
    for (NodeId id = 0; id < original_count; ++id) {
      if (graph.node(id).op_type == "Softmax") canonicalize_softmax(graph, id, ranks);
    }
  }
  graph.opset = 13;
}

}  // namespace nacre
