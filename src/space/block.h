// Segmentation of a model into a chain of blocks: cut at tensors where the whole forward pass narrows to one
// live tensor, so every block has one input and one output of fixed shape, and any replacement with the same
// shapes can stand in for it (DESIGN step 3).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ir/graph.h"

namespace nacre {

struct Block {
  int index = 0;
  std::string name;           // e.g. "layer1.0", from the exporter's name scopes where present, else "block3"
  ValueId input = kNoValue;   // the cut value entering the block (the model input for the first block)
  ValueId output = kNoValue;  // the cut value leaving it (the model output for the last block)
  std::vector<NodeId> nodes;  // the model's nodes in this block, in graph order
  Shape input_shape, output_shape;
  int64_t macs = 0;
  bool replaceable = true;          // false: nacre keeps it as it is (only the "keep" candidate)
  std::string why_not_replaceable;  // when !replaceable, for the user
};

struct Segmentation {
  std::vector<Block> blocks;  // a chain: blocks[i].output == blocks[i + 1].input
};

// Deterministic for a given graph. The graph must be shape-inferred with a single input and output.
Segmentation segment_into_blocks(const Graph& model);
// The block as a standalone graph: one graph input (the cut, same name and shape), the nodes, the constants
// they read, one graph output.
Graph extract_block(const Graph& model, const Block& block);
// Chains standalone block graphs (each one input, one output) into one model graph; names are made unique.
Graph concatenate_blocks(const std::vector<const Graph*>& blocks, const std::string& name = "nacre");
// One line per block: index, name, input -> output shapes, MACs, node count, ops.
std::string to_text(const Segmentation& segmentation, const Graph& model);

}  // namespace nacre
