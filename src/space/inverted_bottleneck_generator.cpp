// inverted_bottleneck: the block replaced by a MobileNetV2 inverted residual (expansion 1, 3, 6; depthwise
// kernel 3, 5) with the block's stride and channels, a residual when its input and output shapes match, and
// the block's activation (ReLU6 or ReLU). Weights are inherited where the block is itself an inverted
// residual (channels chosen by importance, kernels centre-cropped or zero-padded), otherwise new.
#include "space/generators.h"
#include "space/inverted_residual.h"

namespace nacre {

namespace {

constexpr int64_t kExpansions[] = {1, 3, 6};
constexpr int64_t kKernels[] = {3, 5};

// The stride (1 or 2) a "same"-padded depthwise convolution needs to map the block's input to its output
// spatial size; 0 when neither does or the shapes are not [N, C, H, W].
int64_t block_stride(const Block& info) {
  const Shape &in = info.input_shape, &out = info.output_shape;
  if (in.size() != 4 || out.size() != 4 || !is_static({in[1], in[2], in[3], out[1], out[2], out[3]}))
    return 0;
  for (int64_t stride : {1, 2}) {
    if ((in[2] + stride - 1) / stride == out[2] && (in[3] + stride - 1) / stride == out[3]) return stride;
  }
  return 0;
}

bool has_conv(const Graph& block) {
  for (const Node& node : block.nodes()) {
    if (node.op_type == "Conv") return true;
  }
  return false;
}

class InvertedBottleneckGenerator : public CandidateGenerator {
 public:
  std::string name() const override { return "inverted_bottleneck"; }
  std::vector<std::string> required_ops() const override { return {"Conv", "Relu", "Clip", "Add"}; }
  bool applies_to(const GeneratorContext& context) const override {
    return block_stride(context.info) > 0 && has_conv(context.block);
  }
  std::vector<Candidate> generate(const GeneratorContext& context) const override {
    if (!applies_to(context)) return {};
    std::optional<InvertedResidual> original;
    if (std::optional<ConvChain> chain = match_conv_chain(context.block)) {
      original = match_inverted_residual(context.block, *chain);
    }
    std::vector<Candidate> candidates;
    for (int64_t expansion : kExpansions) {
      for (int64_t kernel : kKernels) {
        if (original && repeats_existing(context.block, *original, expansion, kernel)) continue;
        Candidate candidate = make_candidate(context, original, expansion, kernel);
        // A replacement costing more than the block is never the faster choice.
        if (candidate.macs <= context.info.macs) candidates.push_back(std::move(candidate));
      }
    }
    return candidates;
  }

 private:
  // True for the original block itself, and for the expansion-free form "shallower" already offers.
  static bool repeats_existing(const Graph& block, const InvertedResidual& original, int64_t expansion,
                               int64_t kernel) {
    const Node& depthwise = block.node(original.depthwise);
    if (kernel != conv_weight(block, depthwise).shape()[2]) return false;
    int64_t inputs = block.value(block.inputs[0]).shape.value()[1];
    bool same_expansion =
        (original.expand != kNoNode) == (expansion > 1) && original.hidden == expansion * inputs;
    return same_expansion || expansion == 1;
  }

  Candidate make_candidate(const GeneratorContext& context, const std::optional<InvertedResidual>& original,
                           int64_t expansion, int64_t kernel) const {
    const Shape &in = context.info.input_shape, &out = context.info.output_shape;
    std::string tag = "ib_t" + std::to_string(expansion) + "_k" + std::to_string(kernel);
    std::string seed = context.info.name + "/" + tag;
    bool with_expand = expansion > 1;
    int64_t hidden = expansion * in[1];
    InvertedResidualWeights weights =
        original ? inherit_inverted_residual(context.block, *original, with_expand, hidden, kernel, seed)
                 : new_inverted_residual(in[1], hidden, out[1], with_expand, kernel, seed);
    std::string activation = dominant_activation(context.block);
    bool residual = in == out;
    Candidate candidate;
    candidate.graph = build_inverted_residual(context.block.value(context.block.inputs[0]).name, in,
                                              block_stride(context.info), weights, activation, residual,
                                              block_output_activation(context.block));
    candidate.graph.name = seed;
    candidate.id = seed;
    candidate.generator = name();
    candidate.description = "inverted residual: expansion " + std::to_string(expansion) + " (" +
                            std::to_string(hidden) + " channels), depthwise " + std::to_string(kernel) + "x" +
                            std::to_string(kernel) + ", " + (activation == "Clip" ? "ReLU6" : "ReLU") +
                            (residual ? ", residual" : "");
    candidate.weight_origin = weights.origin;
    finish_candidate(candidate, in, out);
    return candidate;
  }
};

}  // namespace

std::unique_ptr<CandidateGenerator> make_inverted_bottleneck_generator() {
  return std::make_unique<InvertedBottleneckGenerator>();
}

}  // namespace nacre
