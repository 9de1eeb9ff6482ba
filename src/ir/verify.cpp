#include "ir/verify.h"

#include <set>
#include <sstream>

#include "ir/op_registry.h"
#include "ir/op_signature.h"
#include "ir/topological_order.h"
#include "util/error.h"

namespace nacre {

namespace {

// Collects problems while walking the graph; knows which node produces each value.
class Checker {
 public:
  explicit Checker(const Graph& graph) : graph_(graph), producers_(graph.value_count()) {
    for (size_t i = 0; i < graph.node_count(); ++i) {
      for (ValueId output : graph.node(static_cast<NodeId>(i)).outputs) {
        if (in_range(output)) producers_[output].push_back(static_cast<NodeId>(i));
      }
    }
  }

  std::vector<std::string> run() {
    check_values();
    check_graph_inputs();
    for (size_t i = 0; i < graph_.node_count(); ++i) check_node(static_cast<NodeId>(i));
    check_producers();
    check_order();
    check_graph_outputs();
    return problems_;
  }

 private:
  template <typename... Parts>
  void report(const Parts&... parts) {
    problems_.push_back(make_error(parts...).what());
  }

  bool in_range(ValueId id) const { return id >= 0 && static_cast<size_t>(id) < graph_.value_count(); }
  std::string node_label(NodeId id) const {
    const Node& node = graph_.node(id);
    return "node '" + node.name + "' (" + node.op_type + ")";
  }
  bool is_graph_input(ValueId id) const {
    for (ValueId input : graph_.inputs) {
      if (input == id) return true;
    }
    return false;
  }
  bool is_defined(ValueId id) const {
    return graph_.value(id).initializer || is_graph_input(id) || !producers_[id].empty();
  }

  void check_values() {
    std::set<std::string> names;
    for (size_t i = 0; i < graph_.value_count(); ++i) {
      const Value& value = graph_.value(static_cast<ValueId>(i));
      if (!names.insert(value.name).second) report("two values are named '", value.name, "'");
      if (value.initializer && !producers_[i].empty()) {
        report("initializer '", value.name, "' is also produced by ", node_label(producers_[i][0]));
      }
    }
  }

  void check_graph_inputs() {
    for (ValueId input : graph_.inputs) {
      if (!in_range(input)) {
        report("graph input refers to value id ", input, ", which does not exist");
      } else if (graph_.value(input).initializer) {
        report("graph input '", graph_.value(input).name, "' is an initializer");
      } else if (!producers_[input].empty()) {
        report("graph input '", graph_.value(input).name, "' is also produced by ",
               node_label(producers_[input][0]));
      }
    }
  }

  void check_node(NodeId id) {
    const Node& node = graph_.node(id);
    const OpSignature* signature = find_op_signature(node.op_type);
    bool default_domain = node.domain.empty() || node.domain == "ai.onnx";
    if (!default_domain || !is_supported_op(node.op_type) || !signature) {
      report(node_label(id), ": unsupported op '", default_domain ? "" : node.domain + "::", node.op_type,
             "'; supported ops are listed by supported_op_types()");
    } else {
      check_signature(id, *signature);
    }
    for (size_t i = 0; i < node.inputs.size(); ++i) {
      ValueId input = node.inputs[i];
      if (input == kNoValue) continue;
      if (!in_range(input)) {
        report(node_label(id), ": input ", i, " refers to value id ", input, ", which does not exist");
      } else if (!is_defined(input)) {
        report(node_label(id), ": input '", graph_.value(input).name,
               "' is not defined (not a graph input, an initializer or the output of any node)");
      }
    }
    for (size_t i = 0; i < node.outputs.size(); ++i) {
      ValueId output = node.outputs[i];
      if (output == kNoValue && i == 0) report(node_label(id), ": its first output is omitted");
      if (output != kNoValue && !in_range(output)) {
        report(node_label(id), ": output ", i, " refers to value id ", output, ", which does not exist");
      }
    }
  }

  void check_signature(NodeId id, const OpSignature& signature) {
    const Node& node = graph_.node(id);
    size_t inputs = node.input_count(), outputs = node.outputs.size();
    if (inputs < signature.min_inputs ||
        (signature.max_inputs != kAnyCount && inputs > signature.max_inputs)) {
      report(node_label(id), ": has ", inputs, " inputs, expected ",
             count_range(signature.min_inputs, signature.max_inputs));
    }
    for (size_t i = 0; i < std::min(signature.min_inputs, node.inputs.size()); ++i) {
      if (node.inputs[i] == kNoValue) report(node_label(id), ": required input ", i, " is omitted");
    }
    if (outputs < signature.min_outputs ||
        (signature.max_outputs != kAnyCount && outputs > signature.max_outputs)) {
      report(node_label(id), ": has ", outputs, " outputs, expected ",
             count_range(signature.min_outputs, signature.max_outputs));
    }
    for (const std::string& attribute : signature.required_attributes) {
      if (!node.has(attribute)) report(node_label(id), ": missing required attribute '", attribute, "'");
    }
    if (node.op_type == "Constant" && !node.has("value") && !node.has("value_float") &&
        !node.has("value_floats") && !node.has("value_int") && !node.has("value_ints")) {
      report(node_label(id), ": missing attribute 'value'");
    }
  }

  static std::string count_range(size_t min, size_t max) {
    if (max == kAnyCount) return std::to_string(min) + " or more";
    if (min == max) return std::to_string(min);
    return std::to_string(min) + " to " + std::to_string(max);
  }

  void check_producers() {
    for (size_t i = 0; i < graph_.value_count(); ++i) {
      const Value& value = graph_.value(static_cast<ValueId>(i));
      const std::vector<NodeId>& producers = producers_[i];
      if (producers.size() > 1) {
        report("value '", value.name, "' is produced by more than one node: '",
               graph_.node(producers[0]).name, "' and '", graph_.node(producers[1]).name, "'");
      }
      NodeId actual = producers.empty() ? kNoNode : producers[0];
      if (producers.size() <= 1 && value.producer != actual) {
        report("value '", value.name, "' records producer ", value.producer, " but is produced by ",
               actual == kNoNode ? std::string("no node") : node_label(actual), " (stale graph indexes)");
      }
    }
  }

  // Nodes must run in their stored order: every input is produced by an earlier node.
  void check_order() {
    bool has_cycle = !topological_order(graph_).has_value();
    if (has_cycle) report("graph '", graph_.name, "' has a cycle");
    for (size_t i = 0; i < graph_.node_count(); ++i) {
      for (ValueId input : graph_.node(static_cast<NodeId>(i)).inputs) {
        if (!in_range(input) || producers_[input].empty()) continue;
        NodeId producer = producers_[input][0];
        if (producer < static_cast<NodeId>(i)) continue;
        report(node_label(static_cast<NodeId>(i)), ": uses '", graph_.value(input).name,
               "' before its producer ", node_label(producer),
               has_cycle ? "" : " (nodes are not in topological order; call topological_sort)");
      }
    }
  }

  void check_graph_outputs() {
    if (graph_.outputs.empty()) report("graph '", graph_.name, "' has no outputs");
    for (ValueId output : graph_.outputs) {
      if (!in_range(output)) {
        report("graph output refers to value id ", output, ", which does not exist");
      } else if (!is_defined(output)) {
        report("graph output '", graph_.value(output).name, "' is not produced by any node");
      }
    }
  }

  const Graph& graph_;
  std::vector<std::vector<NodeId>> producers_;
  std::vector<std::string> problems_;
};

}  // namespace

std::vector<std::string> find_problems(const Graph& graph) { return Checker(graph).run(); }

void verify(const Graph& graph) {
  std::vector<std::string> problems = find_problems(graph);
  if (problems.empty()) return;
  std::ostringstream message;
  message << "graph '" << graph.name << "' is invalid (" << problems.size()
          << (problems.size() == 1 ? " problem" : " problems") << "):";
  for (const std::string& problem : problems) message << "\n  - " << problem;
  throw Error(message.str());
}

}  // namespace nacre
