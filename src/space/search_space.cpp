#include "space/search_space.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "ir/shape_inference.h"
#include "ir/verify.h"
#include "space/candidate_generator.h"
#include "util/error.h"

namespace nacre {

namespace {

bool contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

// Generators the options allow: named (or all), and needing only ops the target supports. keep always.
std::vector<std::unique_ptr<CandidateGenerator>> usable_generators(const SpaceOptions& options) {
  std::vector<std::unique_ptr<CandidateGenerator>> usable;
  for (auto& generator : all_candidate_generators()) {
    bool keep = generator->name() == "keep";
    bool named = options.generators.empty() || contains(options.generators, generator->name());
    bool supported = options.supported_ops.empty();
    if (!supported) {
      std::vector<std::string> needed = generator->required_ops();
      supported = std::all_of(needed.begin(), needed.end(),
                              [&](const std::string& op) { return contains(options.supported_ops, op); });
    }
    if (keep || (named && supported)) usable.push_back(std::move(generator));
  }
  return usable;
}

// Nodes a generator made get the block's name in front ("layer2.0/expand"): names stay unique when blocks
// are concatenated, so a node of a materialized architecture can be traced to its block (weight sharing
// between fine-tuned architectures relies on it). Nodes of the original block keep their names.
void scope_new_node_names(Graph& candidate, const Graph& block_graph, const std::string& block_name) {
  std::set<std::string> original;
  for (const Node& node : block_graph.nodes()) original.insert(node.name);
  for (NodeId id = 0; id < static_cast<NodeId>(candidate.node_count()); ++id) {
    Node& node = candidate.node(id);
    if (!original.count(node.name)) node.name = block_name + "/" + node.name;
  }
}

std::vector<Candidate> block_candidates(const Graph& block_graph, const Block& block,
                                        const std::vector<std::unique_ptr<CandidateGenerator>>& generators) {
  GeneratorContext context{block_graph, block};
  std::vector<Candidate> candidates;
  for (const auto& generator : generators) {
    if (!block.replaceable && generator->name() != "keep") continue;
    if (!generator->applies_to(context)) continue;
    try {
      for (Candidate& candidate : generator->generate(context)) {
        // Costlier than the (trimmed) original: never worth its accuracy risk.
        bool dearer = !candidates.empty() && candidate.macs > candidates[0].macs;
        if (dearer) continue;
        scope_new_node_names(candidate.graph, block_graph, block.name);
        candidates.push_back(std::move(candidate));
      }
    } catch (const Error& error) {
      throw make_error("block '", block.name, "', generator '", generator->name(), "': ", error.what());
    }
  }
  return candidates;
}

}  // namespace

double SearchSpace::size() const {
  double size = 1.0;
  for (const auto& choices : candidates) size *= static_cast<double>(choices.size());
  return size;
}

std::string Architecture::encode() const {
  std::string text;
  for (size_t i = 0; i < choices.size(); ++i) text += (i ? "." : "") + std::to_string(choices[i]);
  return text;
}

Architecture Architecture::decode(const std::string& text) {
  Architecture architecture;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('.', start);
    if (end == std::string::npos) end = text.size();
    std::string part = text.substr(start, end - start);
    if (part.empty() || part.size() > 6 || !std::all_of(part.begin(), part.end(), ::isdigit)) {
      throw make_error("malformed architecture '", text,
                       "': expected one candidate index per block separated by dots, e.g. 0.3.1");
    }
    architecture.choices.push_back(std::stoi(part));
    start = end + 1;
  }
  return architecture;
}

SearchSpace build_search_space(const Graph& model, const SpaceOptions& options) {
  SearchSpace space;
  space.model = model.clone();
  space.segmentation = segment_into_blocks(space.model);
  std::vector<std::unique_ptr<CandidateGenerator>> generators = usable_generators(options);
  for (const Block& block : space.segmentation.blocks) {
    Graph block_graph = extract_block(space.model, block);
    space.candidates.push_back(block_candidates(block_graph, block, generators));
  }
  return space;
}

Architecture keep_everything(const SearchSpace& space) {
  return Architecture{std::vector<int>(space.candidates.size(), 0)};
}

Graph materialize(const SearchSpace& space, const Architecture& architecture) {
  if (architecture.choices.size() != space.candidates.size()) {
    throw make_error("architecture '", architecture.encode(), "' has ", architecture.choices.size(),
                     " choices but the space has ", space.candidates.size(), " blocks");
  }
  std::vector<const Graph*> graphs;
  for (size_t b = 0; b < space.candidates.size(); ++b) {
    int choice = architecture.choices[b];
    if (choice < 0 || static_cast<size_t>(choice) >= space.candidates[b].size()) {
      throw make_error("architecture '", architecture.encode(), "': choice ", choice, " for block ", b, " ('",
                       space.segmentation.blocks[b].name, "') is out of range; it has ",
                       space.candidates[b].size(), " candidates");
    }
    graphs.push_back(&space.candidates[b][choice].graph);
  }
  Graph graph = concatenate_blocks(graphs, space.model.name);
  infer_shapes(graph);
  verify(graph);
  return graph;
}

}  // namespace nacre
