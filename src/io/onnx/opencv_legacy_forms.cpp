#include "io/onnx/opencv_legacy_forms.h"

#include <map>

#include "util/error.h"

namespace nacre {

namespace {

struct AttributeOperand {
  size_t input;
  const char* attribute;
  bool is_float;
};

const std::map<std::string, std::vector<AttributeOperand>>& legacy_forms() {
  static const std::map<std::string, std::vector<AttributeOperand>> forms = {
      {"Clip", {{1, "min", true}, {2, "max", true}}},
      {"Squeeze", {{1, "axes", false}}},
      {"Unsqueeze", {{1, "axes", false}}},
      {"Split", {{1, "split", false}}},
  };
  return forms;
}

void move_operands_to_attributes(Graph& graph, Node& node, const std::vector<AttributeOperand>& operands) {
  for (const AttributeOperand& operand : operands) {
    ValueId id = node.input_or_none(operand.input);
    if (id == kNoValue) continue;
    if (!graph.is_constant(id)) {
      throw make_error("OpenCV DNN needs a constant '", operand.attribute, "' operand on node '", node.name,
                       "' (", node.op_type, ")");
    }
    const Tensor& value = graph.constant(id);
    if (operand.is_float) {
      node.attributes[operand.attribute] = value.as_doubles().at(0);
    } else {
      node.attributes[operand.attribute] = value.as_int64s();
    }
  }
  node.inputs.resize(1);
}

}  // namespace

Graph with_legacy_attribute_forms(const Graph& graph) {
  Graph legacy = graph.clone();
  for (NodeId id = 0; id < static_cast<NodeId>(legacy.node_count()); ++id) {
    auto form = legacy_forms().find(legacy.node(id).op_type);
    if (form != legacy_forms().end() && legacy.node(id).inputs.size() > 1) {
      move_operands_to_attributes(legacy, legacy.node(id), form->second);
    }
  }
  legacy.prune();
  return legacy;
}

}  // namespace nacre
