// cheaper_activation: HardSwish (or x * HardSigmoid(x)) -> Relu, Clip(0, 6) -> Relu, Sigmoid -> HardSigmoid
// (squeeze-excitation gates keep their gating, only cheaper); weights stay the original ones.
#include <cmath>

#include "space/conv_builder.h"
#include "space/generators.h"

namespace nacre {

namespace {

constexpr double kHardSigmoidAlpha = 1.0 / 6.0;  // PyTorch's hardsigmoid: relu6(x + 3) / 6

// x * HardSigmoid(x) with PyTorch's constants: HardSwish as exporters write it for opsets below 14.
// Returns x, or kNoValue when `node` is not such a product.
ValueId hard_swish_operand(const Graph& graph, const Node& node) {
  if (node.op_type != "Mul" || node.inputs.size() != 2) return kNoValue;
  for (size_t gate = 0; gate < 2; ++gate) {
    ValueId x = node.inputs[1 - gate];
    NodeId producer = graph.value(node.inputs[gate]).producer;
    if (producer == kNoNode || graph.consumers(node.inputs[gate]).size() != 1) continue;
    const Node& sigmoid = graph.node(producer);
    if (sigmoid.op_type == "HardSigmoid" && sigmoid.inputs[0] == x &&
        std::abs(sigmoid.get_float("alpha", 0.2) - kHardSigmoidAlpha) < 1e-6 &&
        sigmoid.get_float("beta", 0.5) == 0.5) {
      return x;
    }
  }
  return kNoValue;
}

// The cheaper op for a node, or "" when it has none.
std::string cheaper_op(const Graph& graph, const Node& node) {
  if (node.op_type == "HardSwish" || is_relu6(graph, node)) return "Relu";
  if (hard_swish_operand(graph, node) != kNoValue) return "Relu";
  if (node.op_type == "Sigmoid") return "HardSigmoid";
  return "";
}

std::string what_it_was(const Node& node) {
  if (node.op_type == "Clip") return "Clip(0,6)";
  if (node.op_type == "Mul") return "x*HardSigmoid(x)";
  return node.op_type;
}

void make_cheaper(const Graph& graph, Node& node, const std::string& op_type) {
  ValueId hard_swish_input = hard_swish_operand(graph, node);
  if (hard_swish_input != kNoValue) node.inputs = {hard_swish_input};  // its HardSigmoid is pruned
  node.inputs.resize(1);                                               // Clip's bounds are dropped
  node.attributes.clear();
  node.op_type = op_type;
  if (op_type == "HardSigmoid") {
    node.attributes["alpha"] = kHardSigmoidAlpha;
    node.attributes["beta"] = 0.5;
  }
}

class CheaperActivationGenerator : public CandidateGenerator {
 public:
  std::string name() const override { return "cheaper_activation"; }
  std::vector<std::string> required_ops() const override { return {"Relu", "HardSigmoid"}; }
  bool applies_to(const GeneratorContext& context) const override {
    for (const Node& node : context.block.nodes()) {
      if (!cheaper_op(context.block, node).empty()) return true;
    }
    return false;
  }
  std::vector<Candidate> generate(const GeneratorContext& context) const override {
    Candidate candidate;
    candidate.graph = context.block.clone();
    std::map<std::string, int> replaced;  // "HardSwish -> Relu" -> count
    for (NodeId id = 0; id < static_cast<NodeId>(candidate.graph.node_count()); ++id) {
      Node& node = candidate.graph.node(id);
      std::string cheaper = cheaper_op(candidate.graph, node);
      if (cheaper.empty()) continue;
      ++replaced[what_it_was(node) + " -> " + cheaper];
      make_cheaper(candidate.graph, node, cheaper);
    }
    if (replaced.empty()) return {};
    candidate.graph.prune();
    std::string description;
    for (const auto& [change, count] : replaced) {
      description += (description.empty() ? "" : ", ") + change + " (" + std::to_string(count) + ")";
    }
    candidate.id = context.info.name + "/cheaper_act";
    candidate.generator = name();
    candidate.description = description;
    candidate.weight_origin = "original";
    finish_candidate(candidate, context.info.input_shape, context.info.output_shape);
    return {std::move(candidate)};
  }
};

}  // namespace

std::unique_ptr<CandidateGenerator> make_cheaper_activation_generator() {
  return std::make_unique<CheaperActivationGenerator>();
}

}  // namespace nacre
