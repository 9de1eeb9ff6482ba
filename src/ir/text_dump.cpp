#include "ir/text_dump.h"

#include <sstream>

namespace nacre {

namespace {

constexpr int64_t kMostValuesShown = 8;

bool is_integer(DataType dtype) { return dtype != DataType::kFloat32 && dtype != DataType::kFloat64; }

// "(1,-1)" for small integer tensors (shapes, axes, pads) and scalars; nothing for weights.
std::string small_values(const Tensor& tensor, bool any_type) {
  bool shown =
      tensor.numel() <= kMostValuesShown && (any_type || is_integer(tensor.dtype()) || tensor.rank() == 0);
  if (!shown || tensor.empty()) return "";
  std::ostringstream out;
  out << "(";
  if (is_integer(tensor.dtype())) {
    std::vector<int64_t> values = tensor.as_int64s();
    for (size_t i = 0; i < values.size(); ++i) out << (i ? "," : "") << values[i];
  } else {
    std::vector<double> values = tensor.as_doubles();
    for (size_t i = 0; i < values.size(); ++i) out << (i ? "," : "") << values[i];
  }
  out << ")";
  return out.str();
}

std::string operand(const Graph& graph, ValueId id) {
  if (id == kNoValue) return "_";
  if (id < 0 || static_cast<size_t>(id) >= graph.value_count())
    return "<bad value " + std::to_string(id) + ">";
  const Value& value = graph.value(id);
  if (value.initializer) {
    return value.name + to_string(value.initializer->shape()) + small_values(*value.initializer, false);
  }
  return value.producer == kNoNode ? value.name : "%" + value.name;
}

std::string declaration(const Graph& graph, ValueId id) {
  std::string text = operand(graph, id);
  if (id == kNoValue || id < 0 || static_cast<size_t>(id) >= graph.value_count()) return text;
  const Value& value = graph.value(id);
  if (value.initializer || !value.shape) return text;
  return text + ": " + to_string(value.dtype) + to_string(*value.shape);
}

template <typename T>
std::string list(const std::vector<T>& values, bool quoted = false) {
  std::ostringstream out;
  out << "[";
  for (size_t i = 0; i < values.size(); ++i) {
    out << (i ? "," : "");
    if (quoted) out << '"';
    out << values[i];
    if (quoted) out << '"';
  }
  out << "]";
  return out.str();
}

std::string attribute_text(const AttributeValue& attribute) {
  std::ostringstream out;
  if (auto* integer = std::get_if<int64_t>(&attribute)) out << *integer;
  if (auto* real = std::get_if<double>(&attribute)) out << *real;
  if (auto* text = std::get_if<std::string>(&attribute)) out << '"' << *text << '"';
  if (auto* integers = std::get_if<std::vector<int64_t>>(&attribute)) out << list(*integers);
  if (auto* reals = std::get_if<std::vector<double>>(&attribute)) out << list(*reals);
  if (auto* texts = std::get_if<std::vector<std::string>>(&attribute)) out << list(*texts, true);
  if (auto* tensor = std::get_if<Tensor>(&attribute)) {
    out << to_string(tensor->dtype()) << to_string(tensor->shape()) << small_values(*tensor, true);
  }
  return out.str();
}

// The node's name, shown only where its first output's name does not already tell it.
std::string name_comment(const Graph& graph, const Node& node) {
  if (node.name.empty()) return "";
  if (!node.outputs.empty() && node.outputs[0] >= 0 &&
      static_cast<size_t>(node.outputs[0]) < graph.value_count() &&
      graph.value(node.outputs[0]).name.rfind(node.name, 0) == 0) {
    return "";
  }
  return "  # " + node.name;
}

}  // namespace

std::string to_text(const Graph& graph, NodeId id) {
  const Node& node = graph.node(id);
  std::ostringstream out;
  for (size_t i = 0; i < node.outputs.size(); ++i)
    out << (i ? ", " : "") << declaration(graph, node.outputs[i]);
  out << " = " << (node.domain.empty() ? "" : node.domain + "::") << node.op_type << "(";
  for (size_t i = 0; i < node.inputs.size(); ++i) out << (i ? ", " : "") << operand(graph, node.inputs[i]);
  out << ")";
  if (!node.attributes.empty()) {
    out << " {";
    bool first = true;
    for (const auto& [key, attribute] : node.attributes) {
      out << (first ? "" : ", ") << key << "=" << attribute_text(attribute);
      first = false;
    }
    out << "}";
  }
  out << name_comment(graph, node);
  return out.str();
}

std::string to_text(const Graph& graph) {
  std::ostringstream out;
  for (ValueId input : graph.inputs) out << "input " << declaration(graph, input) << "\n";
  for (size_t i = 0; i < graph.node_count(); ++i) out << to_text(graph, static_cast<NodeId>(i)) << "\n";
  for (ValueId output : graph.outputs) out << "output " << operand(graph, output) << "\n";
  return out.str();
}

}  // namespace nacre
