// kernel_shrink: every 5x5 and 7x7 convolution of the block (depthwise included) becomes 3x3 with the
// centre of its trained kernel; pads shrink with the kernel so every shape stays the same.
#include "space/conv_builder.h"
#include "space/generators.h"

namespace nacre {

namespace {

constexpr int64_t kShrunkKernel = 3;

bool shrinkable(const Graph& graph, const Node& node) {
  std::optional<SquareConv> conv = read_square_conv(graph, node);
  return conv && (conv->kernel == 5 || conv->kernel == 7) && conv->pad >= (conv->kernel - kShrunkKernel) / 2;
}

// Returns "5x5" / "7x7" descriptions of what was shrunk.
std::string shrink(Graph& graph, NodeId id) {
  SquareConv conv = *read_square_conv(graph, graph.node(id));
  Tensor cropped = resize_kernel(conv_weight(graph, graph.node(id)), kShrunkKernel);
  ValueId weight = graph.add_initializer(graph.unique_name(graph.node(id).name + ".weight_3x3"), cropped);
  int64_t pad =
      conv.pad - (conv.kernel - kShrunkKernel) / 2;  // keeps (2 pad - kernel), hence the output size
  Node& node = graph.node(id);
  node.inputs[1] = weight;
  node.attributes["kernel_shape"] = std::vector<int64_t>{kShrunkKernel, kShrunkKernel};
  node.attributes["pads"] = std::vector<int64_t>{pad, pad, pad, pad};
  return std::to_string(conv.kernel) + "x" + std::to_string(conv.kernel);
}

class KernelShrinkGenerator : public CandidateGenerator {
 public:
  std::string name() const override { return "kernel_shrink"; }
  std::vector<std::string> required_ops() const override { return {"Conv"}; }
  bool applies_to(const GeneratorContext& context) const override {
    for (const Node& node : context.block.nodes()) {
      if (shrinkable(context.block, node)) return true;
    }
    return false;
  }
  std::vector<Candidate> generate(const GeneratorContext& context) const override {
    if (!applies_to(context)) return {};
    Candidate candidate;
    candidate.graph = context.block.clone();
    std::string shrunk;
    for (NodeId id = 0; id < static_cast<NodeId>(candidate.graph.node_count()); ++id) {
      if (!shrinkable(candidate.graph, candidate.graph.node(id))) continue;
      shrunk +=
          (shrunk.empty() ? "" : ", ") + candidate.graph.node(id).name + " " + shrink(candidate.graph, id);
    }
    candidate.graph.prune();
    candidate.id = context.info.name + "/kernel3";
    candidate.generator = name();
    candidate.description = "kernels shrunk to 3x3: " + shrunk;
    candidate.weight_origin = "inherited: centre 3x3 of the trained kernels; other weights original";
    finish_candidate(candidate, context.info.input_shape, context.info.output_shape);
    return {std::move(candidate)};
  }
};

}  // namespace

std::unique_ptr<CandidateGenerator> make_kernel_shrink_generator() {
  return std::make_unique<KernelShrinkGenerator>();
}

}  // namespace nacre
