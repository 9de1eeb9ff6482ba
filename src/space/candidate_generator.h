// The interface every candidate generator implements (STYLE 4): the ops it needs, a cheap applicability
// check, then generation. Generators are listed in one function, all_candidate_generators().
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "space/block.h"
#include "space/candidate.h"

namespace nacre {

struct GeneratorContext {
  const Graph& block;  // the block as a standalone graph (extract_block), trained weights included
  const Block& info;   // where it sits in the model, shapes, MACs
};

class CandidateGenerator {
 public:
  virtual ~CandidateGenerator() = default;
  virtual std::string name() const = 0;
  // Op types its candidates may contain; a target lacking any of them gets no candidates from it.
  virtual std::vector<std::string> required_ops() const = 0;
  virtual bool applies_to(const GeneratorContext& context) const = 0;  // cheap
  // Candidates with finish_candidate() already applied.
  virtual std::vector<Candidate> generate(const GeneratorContext& context) const = 0;
};

std::vector<std::unique_ptr<CandidateGenerator>> all_candidate_generators();

}  // namespace nacre
