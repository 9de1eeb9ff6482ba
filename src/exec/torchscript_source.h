// The IR written as TorchScript source: one `forward` of aten calls, with the graph's constants (weights,
// folded shapes) held as module attributes, so LibTorch can freeze and optimise it as its deployment runtime.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "ir/graph.h"

namespace nacre {

struct TorchScriptProgram {
  std::string source;  // "def forward(self, v0):\n    v1 = torch.conv2d(v0, self.w1, ...)\n ..."
  // Tensor attributes the source reads as self.NAME, in order of first use.
  std::vector<std::pair<std::string, Tensor>> attributes;
};

// Shapes must be static (apply a batch size first: latency/model_inputs.h graph_with_batch), and operands
// that give shapes, axes or pads must be constants. Throws Error naming the nodes whose op, or whose form of
// an op, TorchScript source cannot express.
TorchScriptProgram torchscript_program(const Graph& graph);

// The ONNX op types torchscript_program() can write (some forms may still be refused, e.g. a MaxPool that
// returns indices).
const std::vector<std::string>& torchscript_op_types();

}  // namespace nacre
