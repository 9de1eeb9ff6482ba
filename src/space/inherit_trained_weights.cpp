#include "space/inherit_trained_weights.h"

#include <set>
#include <string>

#include "util/error.h"

namespace nacre {

namespace {

// The names of the nodes of the blocks both architectures chose alike. A name also found in a block they
// chose differently is left out: materialize renames one of two equal names, so it may not be this node.
std::set<std::string> nodes_of_shared_blocks(const SearchSpace& space, const Architecture& a,
                                             const Architecture& b) {
  std::set<std::string> shared;
  std::set<std::string> elsewhere;
  for (size_t block = 0; block < a.choices.size(); ++block) {
    bool alike = a.choices[block] == b.choices[block];
    for (int choice : {a.choices[block], b.choices[block]}) {
      for (const Node& node : space.candidates[block][choice].graph.nodes()) {
        (alike ? shared : elsewhere).insert(node.name);
      }
    }
  }
  for (const std::string& name : elsewhere) shared.erase(name);
  return shared;
}

bool same_layout(const Tensor& a, const Tensor& b) {
  return a.dtype() == b.dtype() && a.shape() == b.shape();
}

bool takes_bias(const std::string& op_type) { return op_type == "Conv" || op_type == "Gemm"; }

}  // namespace

int shared_blocks(const Architecture& a, const Architecture& b) {
  if (a.choices.size() != b.choices.size()) return 0;
  int shared = 0;
  for (size_t block = 0; block < a.choices.size(); ++block) shared += a.choices[block] == b.choices[block];
  return shared;
}

bool nearer_than_keep_everything(const Architecture& architecture, const Architecture& donor) {
  if (architecture.choices.size() != donor.choices.size()) return false;
  int replaced = 0;
  for (int choice : architecture.choices) replaced += choice != 0;
  int differing = static_cast<int>(architecture.choices.size()) - shared_blocks(architecture, donor);
  return differing < replaced;
}

int inherit_trained_weights(Graph& graph, const SearchSpace& space, const Architecture& architecture,
                            const Graph& trained, const Architecture& trained_architecture) {
  if (architecture.choices.size() != space.candidates.size() ||
      trained_architecture.choices.size() != space.candidates.size()) {
    throw make_error("inherit_trained_weights: architectures '", architecture.encode(), "' and '",
                     trained_architecture.encode(), "' do not both have one choice per block of the space (",
                     space.candidates.size(), ")");
  }
  int taken = 0;
  for (const std::string& name : nodes_of_shared_blocks(space, architecture, trained_architecture)) {
    NodeId id = graph.find_node(name);
    NodeId donor_id = trained.find_node(name);
    if (id == kNoNode || donor_id == kNoNode) continue;
    const Node& donor = trained.node(donor_id);
    if (graph.node(id).op_type != donor.op_type) continue;
    for (size_t slot = 0; slot < donor.inputs.size(); ++slot) {
      ValueId from = donor.inputs[slot];
      if (!trained.is_constant(from)) continue;
      ValueId to = graph.node(id).input_or_none(slot);
      if (to != kNoValue && graph.is_constant(to)) {
        if (!same_layout(graph.constant(to), trained.constant(from))) continue;
        graph.value(to).initializer = trained.constant(from);
        ++taken;
      } else if (to == kNoValue && slot == 2 && takes_bias(donor.op_type) &&
                 graph.node(id).inputs.size() == 2) {
        ValueId bias = graph.add_initializer(graph.unique_name(name + ".bias"), trained.constant(from));
        graph.node(id).inputs.push_back(bias);
        ++taken;
      }
    }
  }
  return taken;
}

}  // namespace nacre
