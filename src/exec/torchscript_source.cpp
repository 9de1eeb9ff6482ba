#include "exec/torchscript_source.h"

#include <map>
#include <sstream>

#include "exec/torchscript_op_writers.h"
#include "util/error.h"

namespace nacre {

namespace {

std::string variable(ValueId id) { return "v" + std::to_string(id); }

// Writes the forward function node by node; constants become attributes the first time code reads them.
class ProgramWriter {
 public:
  explicit ProgramWriter(const Graph& graph) : graph_(graph) {
    for (size_t id = 0; id < graph.value_count(); ++id) {
      const Value& value = graph.value(static_cast<ValueId>(id));
      if (value.initializer) constants_[static_cast<ValueId>(id)] = *value.initializer;
    }
  }

  TorchScriptProgram write();

  const Graph& graph() const { return graph_; }
  std::string operand(ValueId id);
  std::optional<Tensor> constant(ValueId id) const {
    auto it = constants_.find(id);
    return it == constants_.end() ? std::nullopt : std::optional<Tensor>(it->second);
  }
  std::string add_attribute(const std::string& name, const Tensor& tensor) {
    program_.attributes.emplace_back(name, tensor);
    return "self." + name;
  }
  std::string add_constant(const Tensor& tensor) {
    return add_attribute("k" + std::to_string(generated_count_++), tensor);
  }

 private:
  void check_all_ops_have_writers() const;
  void write_node(const Node& node);
  bool is_used(ValueId id) const { return !graph_.consumers(id).empty() || graph_.is_graph_output(id); }

  const Graph& graph_;
  std::map<ValueId, Tensor> constants_;
  std::map<ValueId, std::string> attribute_of_;
  int generated_count_ = 0;
  std::ostringstream body_;
  TorchScriptProgram program_;
};

class WriterNodeContext : public torchscript::NodeContext {
 public:
  WriterNodeContext(ProgramWriter& writer, const Node& node) : writer_(writer), node_(node) {}

  const Node& node() const override { return node_; }
  const Graph& graph() const override { return writer_.graph(); }
  int64_t opset() const override { return writer_.graph().opset; }
  std::string operand(size_t index) const override {
    if (!has_input(index)) fail("input " + std::to_string(index) + " is required but was omitted");
    return writer_.operand(node_.inputs[index]);
  }
  DataType input_dtype(size_t index) const override { return value(node_.input_or_none(index)).dtype; }
  const Shape& input_shape(size_t index) const override {
    return static_shape(node_.input_or_none(index), "input " + std::to_string(index));
  }
  const Shape& output_shape(size_t index) const override {
    return static_shape(index < node_.outputs.size() ? node_.outputs[index] : kNoValue,
                        "output " + std::to_string(index));
  }
  std::optional<Tensor> constant_input(size_t index) const override {
    return has_input(index) ? writer_.constant(node_.inputs[index]) : std::nullopt;
  }
  std::string add_constant(const Tensor& tensor) const override { return writer_.add_constant(tensor); }
  [[noreturn]] void fail(const std::string& why) const override {
    throw make_error("node '", node_.name, "' (", node_.op_type, ") of graph '", writer_.graph().name,
                     "' cannot be written as TorchScript: ", why);
  }

 private:
  const Value& value(ValueId id) const {
    if (id == kNoValue) fail("a required input or output is missing");
    return writer_.graph().value(id);
  }
  const Shape& static_shape(ValueId id, const std::string& what) const {
    const Value& v = value(id);
    if (!v.shape || !is_static(*v.shape)) {
      fail(what + " '" + v.name + "' has no static shape; apply a batch size and infer shapes first");
    }
    return *v.shape;
  }

  ProgramWriter& writer_;
  const Node& node_;
};

std::string ProgramWriter::operand(ValueId id) {
  auto constant_it = constants_.find(id);
  if (constant_it == constants_.end()) return variable(id);
  auto it = attribute_of_.find(id);
  if (it != attribute_of_.end()) return it->second;
  return attribute_of_[id] = add_attribute("w" + std::to_string(id), constant_it->second);
}

void ProgramWriter::check_all_ops_have_writers() const {
  std::string missing;
  for (const Node& node : graph_.nodes()) {
    if (!torchscript::find_op_writer(node.op_type)) missing += " '" + node.name + "' (" + node.op_type + ")";
  }
  if (!missing.empty()) {
    throw make_error("graph '", graph_.name, "' has nodes the torchscript target cannot express:", missing,
                     "; use a target that supports these ops, or replace them");
  }
}

void ProgramWriter::write_node(const Node& node) {
  WriterNodeContext context(*this, node);
  torchscript::NodeCode code = torchscript::find_op_writer(node.op_type)(context);
  if (!code.constants.empty()) {
    for (size_t i = 0; i < node.outputs.size() && i < code.constants.size(); ++i) {
      constants_[node.outputs[i]] = code.constants[i];
    }
    return;
  }
  if (code.expressions.size() < node.outputs.size()) context.fail("nacre wrote too few outputs (a bug)");
  for (size_t i = 0; i < node.outputs.size(); ++i) {
    if (!is_used(node.outputs[i])) continue;
    body_ << "    " << variable(node.outputs[i]) << " = " << code.expressions[i] << "  # " << node.name
          << " (" << node.op_type << ")\n";
  }
}

TorchScriptProgram ProgramWriter::write() {
  check_all_ops_have_writers();
  for (const Node& node : graph_.nodes()) write_node(node);
  std::ostringstream source;
  source << "def forward(self";
  for (ValueId id : graph_.inputs) source << ", " << variable(id);
  source << "):\n" << body_.str();
  std::vector<std::string> outputs;
  for (ValueId id : graph_.outputs) outputs.push_back(operand(id));
  if (outputs.size() == 1) {
    source << "    return " << outputs[0] << "\n";
  } else {
    source << "    return (";
    for (size_t i = 0; i < outputs.size(); ++i) source << (i ? ", " : "") << outputs[i];
    source << ")\n";
  }
  program_.source = source.str();
  return std::move(program_);
}

}  // namespace

TorchScriptProgram torchscript_program(const Graph& graph) {
  Graph sorted = graph.clone();
  sorted.topological_sort();
  return ProgramWriter(sorted).write();
}

const std::vector<std::string>& torchscript_op_types() { return torchscript::op_types_with_writers(); }

}  // namespace nacre
