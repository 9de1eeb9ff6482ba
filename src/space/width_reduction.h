// Narrowing a block's inner channels without changing its input or output: each group of channel-aligned
// tensors between Convs (e.g. the hidden channels of a ResNet basic block, the expanded channels of an
// inverted residual, SE included) keeps its most important channels, by the L1 norm of the trained filters
// that produce them. Producers lose output channels, depthwise convs lose channels, consumers lose input
// channels: the tensors are physically smaller.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ir/graph.h"

namespace nacre {

struct ChannelGroup {
  std::vector<NodeId> producers;  // full Convs writing the group's channels
  std::vector<NodeId> members;  // channel-wise nodes inside it: activations, depthwise convs, pools, products
  std::vector<NodeId> consumers;  // full Convs (and with through_classifier, Gemms) reading them
  int64_t channels = 0;
};

struct ChannelGroupOptions {
  // Also follow a group through Flatten of a 1x1 map into the Gemm that reads it (the classifier of a whole
  // model), so the last stage's channels can be narrowed too. Off for blocks: their width candidates stay
  // what the space has always held.
  bool through_classifier = false;
};

// The groups that can be narrowed; empty when none can. On a whole model (not one block), the groups
// joined by residual Adds are the residual streams.
std::vector<ChannelGroup> find_channel_groups(const Graph& block, const ChannelGroupOptions& options = {});

struct WidthReduction {
  Graph graph;
  std::vector<std::pair<int64_t, int64_t>> channels;  // per group: before, after
};

// Keeps max(1, round(fraction * channels)) channels of every group. fraction 1.0 gives the block unchanged.
WidthReduction reduce_width(const Graph& block, const std::vector<ChannelGroup>& groups, double fraction);

}  // namespace nacre
