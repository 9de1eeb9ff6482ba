// width: the block with its inner channels scaled to 0.25, 0.5 and 0.75 (width_reduction.h), its trained
// weights sliced to the most important channels.
#include <cstdio>
#include <set>

#include "space/generators.h"
#include "space/uniform_width.h"
#include "space/width_reduction.h"

namespace nacre {

namespace {

constexpr double kWidthFractions[] = {0.25, 0.5, 0.75};

std::string describe(double fraction, const WidthReduction& reduction) {
  char text[64];
  std::snprintf(text, sizeof text, "inner channels %.2fx (", fraction);
  std::string description = text;
  for (size_t i = 0; i < reduction.channels.size(); ++i) {
    description += (i ? ", " : "") + std::to_string(reduction.channels[i].first) + " -> " +
                   std::to_string(reduction.channels[i].second);
  }
  return description + ")";
}

class WidthGenerator : public CandidateGenerator {
 public:
  std::string name() const override { return "width"; }
  std::vector<std::string> required_ops() const override { return {}; }  // the block's own ops, narrower
  bool applies_to(const GeneratorContext& context) const override {
    return context.info.replaceable && !find_channel_groups(context.block).empty();
  }

  std::vector<Candidate> generate(const GeneratorContext& context) const override {
    std::vector<ChannelGroup> groups = find_channel_groups(context.block);
    std::vector<Candidate> candidates;
    std::set<std::vector<std::pair<int64_t, int64_t>>> seen;
    for (double fraction : kWidthFractions) {
      WidthReduction reduction = reduce_width(context.block, groups, fraction);
      bool narrower = false;
      for (const auto& [before, after] : reduction.channels) narrower = narrower || after < before;
      if (!narrower || !seen.insert(reduction.channels).second) continue;
      Candidate candidate;
      candidate.id = context.info.name + width_suffix(fraction);
      candidate.generator = name();
      candidate.description = describe(fraction, reduction);
      candidate.weight_origin =
          "inherited: filters chosen by L1 norm of the trained weights; consumers' input channels sliced to "
          "match";
      candidate.graph = std::move(reduction.graph);
      candidate.graph.name = candidate.id;
      finish_candidate(candidate, context.info.input_shape, context.info.output_shape);
      candidates.push_back(std::move(candidate));
    }
    return candidates;
  }
};

}  // namespace

std::unique_ptr<CandidateGenerator> make_width_generator() { return std::make_unique<WidthGenerator>(); }

}  // namespace nacre
