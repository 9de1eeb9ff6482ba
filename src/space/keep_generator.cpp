// keep: the original block with its trained weights; always the first candidate of every block.
#include "space/generators.h"

namespace nacre {

namespace {

class KeepGenerator : public CandidateGenerator {
 public:
  std::string name() const override { return "keep"; }
  std::vector<std::string> required_ops() const override { return {}; }  // the block's own ops
  bool applies_to(const GeneratorContext&) const override { return true; }
  std::vector<Candidate> generate(const GeneratorContext& context) const override {
    Candidate candidate;
    candidate.id = context.info.name + "/keep";
    candidate.generator = name();
    candidate.description = "the original block";
    candidate.weight_origin = "original";
    candidate.graph = context.block.clone();
    finish_candidate(candidate, context.info.input_shape, context.info.output_shape);
    return {std::move(candidate)};
  }
};

}  // namespace

std::unique_ptr<CandidateGenerator> make_keep_generator() { return std::make_unique<KeepGenerator>(); }

}  // namespace nacre
