// shallower: the block with one layer fewer, keeping the trained weights of the layers that remain:
// a conv whose input and output shapes agree is dropped from the main path (a ResNet basic block becomes
// one conv plus its skip), and an inverted residual loses its expansion.
#include "space/generators.h"
#include "space/inverted_residual.h"

namespace nacre {

namespace {

// A main-path conv that keeps its input's shape, so the path is whole without it.
bool removable(const Graph& block, const ConvChain& chain, size_t index) {
  if (chain.convs.size() < 2) return false;
  std::optional<SquareConv> conv = read_square_conv(block, block.node(chain.convs[index]));
  return conv && conv->stride == 1 && conv->pad == same_pad(conv->kernel) &&
         conv->in_channels == conv->out_channels;
}

bool has_expansion(const Graph& block, const ConvChain& chain) {
  std::optional<InvertedResidual> ir = match_inverted_residual(block, chain);
  return ir && ir->expand != kNoNode;
}

// Drops conv `index` and the activation between it and the previous conv, so the previous conv takes over
// the dropped conv's trailing activation (a last conv that was linear leaves the path linear).
Graph without_conv(const Graph& block, const ConvChain& chain, size_t index) {
  Graph graph = block.clone();
  const Node& conv = graph.node(chain.convs[index]);
  if (index == 0) {
    NodeId last = chain.activations[0] != kNoNode ? chain.activations[0] : chain.convs[0];
    graph.replace_all_uses(graph.node(last).outputs[0], graph.inputs[0]);
  } else {
    graph.replace_all_uses(conv.outputs[0], graph.node(chain.convs[index - 1]).outputs[0]);
  }
  graph.prune();
  return graph;
}

class ShallowerGenerator : public CandidateGenerator {
 public:
  std::string name() const override { return "shallower"; }
  std::vector<std::string> required_ops() const override { return {"Conv"}; }
  bool applies_to(const GeneratorContext& context) const override {
    std::optional<ConvChain> chain = match_conv_chain(context.block);
    if (!chain) return false;
    if (has_expansion(context.block, *chain)) return true;
    for (size_t i = 0; i < chain->convs.size(); ++i) {
      if (removable(context.block, *chain, i)) return true;
    }
    return false;
  }
  std::vector<Candidate> generate(const GeneratorContext& context) const override {
    std::optional<ConvChain> chain = match_conv_chain(context.block);
    if (!chain) return {};
    std::vector<Candidate> candidates;
    if (has_expansion(context.block, *chain)) candidates.push_back(drop_expansion(context, *chain));
    for (size_t i = 0; i < chain->convs.size(); ++i) {
      if (!removable(context.block, *chain, i)) continue;
      Candidate candidate;
      candidate.graph = without_conv(context.block, *chain, i);
      candidate.id = context.info.name + "/drop_conv" + std::to_string(i + 1);
      candidate.generator = name();
      candidate.description = "main path without '" + context.block.node(chain->convs[i]).name + "' (conv " +
                              std::to_string(i + 1) + " of " + std::to_string(chain->convs.size()) + ")";
      candidate.weight_origin = "original: the remaining layers keep their trained weights";
      finish_candidate(candidate, context.info.input_shape, context.info.output_shape);
      candidates.push_back(std::move(candidate));
    }
    return candidates;
  }

 private:
  Candidate drop_expansion(const GeneratorContext& context, const ConvChain& chain) const {
    const Graph& block = context.block;
    InvertedResidual ir = *match_inverted_residual(block, chain);
    SquareConv depthwise = *read_square_conv(block, block.node(ir.depthwise));
    const Shape &in = context.info.input_shape, &out = context.info.output_shape;
    Candidate candidate;
    candidate.id = context.info.name + "/drop_expand";
    InvertedResidualWeights weights =
        inherit_inverted_residual(block, ir, /*with_expand=*/false, in[1], depthwise.kernel, candidate.id);
    bool residual = chain.add != kNoNode && chain.shortcut_conv == kNoNode && in == out;
    candidate.graph =
        build_inverted_residual(block.value(block.inputs[0]).name, in, depthwise.stride, weights,
                                dominant_activation(block), residual, block_output_activation(block));
    candidate.graph.name = candidate.id;
    candidate.generator = name();
    candidate.description = "inverted residual without its expansion (" + std::to_string(ir.hidden) + " -> " +
                            std::to_string(in[1]) + " depthwise channels)";
    candidate.weight_origin = weights.origin;
    finish_candidate(candidate, in, out);
    return candidate;
  }
};

}  // namespace

std::unique_ptr<CandidateGenerator> make_shallower_generator() {
  return std::make_unique<ShallowerGenerator>();
}

}  // namespace nacre
