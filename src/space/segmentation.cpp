// Groups the fine segments (fine_segments.h) into blocks that follow the model's building blocks: the
// exporter's name scopes where present, else one block per convolution-bearing segment.
#include <algorithm>
#include <cstdio>
#include <map>
#include <set>
#include <sstream>

#include "ir/cost.h"
#include "space/block.h"
#include "space/fine_segments.h"
#include "util/error.h"

namespace nacre {

namespace {

using Scope = std::vector<std::string>;

// "/layer1/layer1.0/conv1/Conv" -> {layer1, layer1.0, conv1}; names without a leading '/' have none.
Scope scope_of(const std::string& node_name) {
  Scope scope;
  if (node_name.empty() || node_name[0] != '/') return scope;
  std::stringstream stream(node_name.substr(1));
  std::string part;
  while (std::getline(stream, part, '/')) scope.push_back(part);
  if (!scope.empty()) scope.pop_back();  // the node's own name
  return scope;
}

struct SegmentFacts {
  Scope common_scope;        // longest scope prefix shared by its dynamic nodes
  bool merges = false;       // a node joins two computed tensors (residual add, concat, SE multiply)
  bool computes = false;     // holds a Conv, Gemm or MatMul
  bool head_like = false;    // output has no spatial extent left (rank < 3, or every spatial dimension 1)
  bool flat = false;         // output is [N, features] (or less)
  bool global_pool = false;  // only global pooling
};

bool is_global_pool(const Node& node) {
  static const std::set<std::string> ops = {"GlobalAveragePool", "GlobalMaxPool", "ReduceMean", "ReduceMax"};
  return ops.count(node.op_type) > 0;
}

SegmentFacts describe_segment(const Graph& model, const FineSegments& fine, size_t k) {
  SegmentFacts facts;
  bool first = true, first_pool = true;
  for (NodeId id : fine.segments[k]) {
    const Node& node = model.node(id);
    if (fine.constant_like[node.outputs[0]]) continue;
    Scope scope = scope_of(node.name);
    if (first) {
      facts.common_scope = scope;
      first = false;
    } else {
      size_t shared = 0;
      while (shared < scope.size() && shared < facts.common_scope.size() &&
             scope[shared] == facts.common_scope[shared]) {
        ++shared;
      }
      facts.common_scope.resize(shared);
    }
    std::set<ValueId> computed_inputs;
    for (ValueId input : node.inputs) {
      if (input != kNoValue && !fine.constant_like[input]) computed_inputs.insert(input);
    }
    facts.global_pool = (first_pool || facts.global_pool) && is_global_pool(node);
    first_pool = false;
    facts.merges = facts.merges || computed_inputs.size() >= 2;
    facts.computes =
        facts.computes || node.op_type == "Conv" || node.op_type == "Gemm" || node.op_type == "MatMul";
  }
  const std::optional<Shape>& shape = model.value(fine.cuts[k + 1]).shape;
  facts.flat = shape && shape->size() <= 2;
  facts.head_like = shape && (shape->size() < 3 || std::all_of(shape->begin() + 2, shape->end(),
                                                               [](int64_t d) { return d == 1; }));
  return facts;
}

// The scope depth of the model's building blocks: the most common depth of segments that merge branches.
size_t building_block_depth(const Graph& model, const FineSegments& fine,
                            const std::vector<SegmentFacts>& facts) {
  std::map<size_t, int> votes;
  for (const SegmentFacts& segment : facts) {
    if (segment.merges) ++votes[segment.common_scope.size()];
  }
  if (votes.empty()) {  // a plain chain: the deepest scope names each layer
    size_t deepest = 0;
    for (const Node& node : model.nodes()) deepest = std::max(deepest, scope_of(node.name).size());
    return deepest;
  }
  auto best = std::max_element(votes.begin(), votes.end(),
                               [](const auto& a, const auto& b) { return a.second < b.second; });
  return best->first;
}

struct Group {
  std::vector<size_t> segments;
  std::string key;  // the shared scope at building-block depth; empty when unscoped
  bool computes = false;
};

std::vector<Group> group_by_scope(const std::vector<SegmentFacts>& facts, size_t body_end, size_t depth) {
  std::vector<Group> groups;
  for (size_t k = 0; k < body_end; ++k) {
    std::string key;
    if (facts[k].common_scope.size() >= depth && depth > 0) {
      for (size_t i = 0; i < depth; ++i) key += (i ? "/" : "") + facts[k].common_scope[i];
    } else if (!facts[k].common_scope.empty()) {
      for (size_t i = 0; i < facts[k].common_scope.size(); ++i)
        key += (i ? "/" : "") + facts[k].common_scope[i];
    }
    if (groups.empty() || key.empty() || groups.back().key != key) groups.push_back(Group{{}, key, false});
    groups.back().segments.push_back(k);
    groups.back().computes = groups.back().computes || facts[k].computes;
  }
  return groups;
}

// A group without Conv/Gemm/MatMul (an activation, a pooling, a shuffle) joins the previous group.
std::vector<Group> attach_light_groups(std::vector<Group> groups) {
  std::vector<Group> merged;
  for (Group& group : groups) {
    if (!merged.empty() && (!group.computes || !merged.back().computes)) {
      Group& previous = merged.back();
      previous.segments.insert(previous.segments.end(), group.segments.begin(), group.segments.end());
      if (previous.key.empty() || !previous.computes)
        previous.key = group.computes ? group.key : previous.key;
      previous.computes = previous.computes || group.computes;
    } else {
      merged.push_back(std::move(group));
    }
  }
  return merged;
}

std::string last_component(const std::string& key) {
  size_t slash = key.rfind('/');
  return slash == std::string::npos ? key : key.substr(slash + 1);
}

bool replaceable_shape(const std::optional<Shape>& shape) {
  if (!shape || shape->empty()) return false;
  return std::all_of(shape->begin() + 1, shape->end(), [](int64_t d) { return d > 0; });
}

Block make_block(const Graph& model, const FineSegments& fine, const std::vector<size_t>& segments) {
  Block block;
  block.input = fine.cuts[segments.front()];
  block.output = fine.cuts[segments.back() + 1];
  for (size_t k : segments)
    block.nodes.insert(block.nodes.end(), fine.segments[k].begin(), fine.segments[k].end());
  block.input_shape = model.value(block.input).shape.value_or(Shape{});
  block.output_shape = model.value(block.output).shape.value_or(Shape{});
  for (NodeId id : block.nodes) block.macs += node_macs(model, id);
  const Value& input = model.value(block.input);
  const Value& output = model.value(block.output);
  if (!replaceable_shape(input.shape) || !replaceable_shape(output.shape)) {
    block.replaceable = false;
    block.why_not_replaceable = "its input or output shape is not static (beyond the batch dimension)";
  } else if (input.dtype != DataType::kFloat32 || output.dtype != DataType::kFloat32) {
    block.replaceable = false;
    block.why_not_replaceable = "its input or output is not float32";
  }
  return block;
}

// The classifier head: within the trailing run of segments with no spatial extent left, from the first one
// producing [N, features], with the global pooling right before it. None (facts.size()) when that would
// leave no body (an MLP).
size_t head_start(const std::vector<SegmentFacts>& facts) {
  size_t start = facts.size();
  while (start > 0 && facts[start - 1].head_like) --start;
  while (start < facts.size() && !facts[start].flat) ++start;
  if (start > 0 && start < facts.size() && facts[start - 1].global_pool) --start;
  return start == 0 ? facts.size() : start;
}

}  // namespace

Segmentation segment_into_blocks(const Graph& model) {
  FineSegments fine = find_fine_segments(model);
  std::vector<SegmentFacts> facts;
  for (size_t k = 0; k < fine.segments.size(); ++k) facts.push_back(describe_segment(model, fine, k));
  size_t body_end = head_start(facts);

  std::vector<Group> groups =
      attach_light_groups(group_by_scope(facts, body_end, building_block_depth(model, fine, facts)));
  Segmentation segmentation;
  std::set<std::string> names;
  for (const Group& group : groups) {
    Block block = make_block(model, fine, group.segments);
    block.index = static_cast<int>(segmentation.blocks.size());
    block.name = group.key.empty() ? "block" + std::to_string(block.index) : last_component(group.key);
    if (!names.insert(block.name).second) block.name += "_" + std::to_string(block.index);
    names.insert(block.name);
    segmentation.blocks.push_back(std::move(block));
  }
  if (body_end < facts.size()) {
    std::vector<size_t> head;
    for (size_t k = body_end; k < facts.size(); ++k) head.push_back(k);
    Block block = make_block(model, fine, head);
    block.index = static_cast<int>(segmentation.blocks.size());
    block.name = names.count("head") ? "head_" + std::to_string(block.index) : "head";
    block.replaceable = false;
    block.why_not_replaceable = "classifier head (pooling, flatten and final layers make the model's output)";
    segmentation.blocks.push_back(std::move(block));
  }
  return segmentation;
}

std::string to_text(const Segmentation& segmentation, const Graph& model) {
  std::ostringstream out;
  for (const Block& block : segmentation.blocks) {
    std::map<std::string, int> ops;
    for (NodeId id : block.nodes) ++ops[model.node(id).op_type];
    char line[256];
    std::snprintf(line, sizeof line, "%3d %-16s %-18s -> %-18s %12lld MACs %4zu nodes ", block.index,
                  block.name.c_str(), to_string(block.input_shape).c_str(),
                  to_string(block.output_shape).c_str(), static_cast<long long>(block.macs),
                  block.nodes.size());
    out << line;
    bool first = true;
    for (const auto& [op, count] : ops) {
      out << (first ? "" : " ") << op << (count > 1 ? "x" + std::to_string(count) : "");
      first = false;
    }
    if (!block.replaceable) out << "  [kept: " << block.why_not_replaceable << "]";
    out << "\n";
  }
  return out.str();
}

}  // namespace nacre
