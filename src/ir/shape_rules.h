// Per-op shape rules behind infer_shapes, shared with passes that need one node's output types
// (constant folding). A rule reads the inputs' current dtypes, shapes and constants, never writes the graph.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "ir/graph.h"
#include "util/error.h"

namespace nacre {

struct ValueType {
  DataType dtype = DataType::kFloat32;
  std::optional<Shape> shape;  // absent when even the rank is unknown
};

// The dtype and shape of each of the node's outputs. Throws Error naming the node when inputs disagree.
std::vector<ValueType> infer_node_outputs(const Graph& graph, const Node& node);

namespace shape_rules {

using Rule = std::vector<ValueType> (*)(const Graph& graph, const Node& node);

// The rule families, one file each.
std::vector<ValueType> conv(const Graph& graph, const Node& node);
std::vector<ValueType> pool(const Graph& graph, const Node& node);
std::vector<ValueType> global_pool(const Graph& graph, const Node& node);
std::vector<ValueType> gemm(const Graph& graph, const Node& node);
std::vector<ValueType> matmul(const Graph& graph, const Node& node);
std::vector<ValueType> same_as_first_input(const Graph& graph, const Node& node);
std::vector<ValueType> broadcast_binary(const Graph& graph, const Node& node);
std::vector<ValueType> batch_normalization(const Graph& graph, const Node& node);
std::vector<ValueType> dropout(const Graph& graph, const Node& node);
std::vector<ValueType> cast(const Graph& graph, const Node& node);
std::vector<ValueType> quantize_linear(const Graph& graph, const Node& node);
std::vector<ValueType> dequantize_linear(const Graph& graph, const Node& node);
std::vector<ValueType> softmax(const Graph& graph, const Node& node);
std::vector<ValueType> reduce_mean(const Graph& graph, const Node& node);
std::vector<ValueType> reshape(const Graph& graph, const Node& node);
std::vector<ValueType> flatten(const Graph& graph, const Node& node);
std::vector<ValueType> transpose(const Graph& graph, const Node& node);
std::vector<ValueType> squeeze(const Graph& graph, const Node& node);
std::vector<ValueType> unsqueeze(const Graph& graph, const Node& node);
std::vector<ValueType> concat(const Graph& graph, const Node& node);
std::vector<ValueType> split(const Graph& graph, const Node& node);
std::vector<ValueType> slice(const Graph& graph, const Node& node);
std::vector<ValueType> gather(const Graph& graph, const Node& node);
std::vector<ValueType> pad(const Graph& graph, const Node& node);
std::vector<ValueType> shape(const Graph& graph, const Node& node);
std::vector<ValueType> constant(const Graph& graph, const Node& node);
std::vector<ValueType> constant_of_shape(const Graph& graph, const Node& node);

// Known values of small integer tensors that are computed at run time (shape arithmetic), so that Reshape can
// use a target like Concat(Shape(x)[0], [-1]) partly; kUnknownValue marks the elements not known.
constexpr int64_t kUnknownValue = INT64_MIN;
using KnownValues = std::map<ValueId, std::vector<int64_t>>;
// The values of the node's first output, when it is a small integer tensor computable from known values.
std::optional<std::vector<int64_t>> propagate_values(const Graph& graph, const Node& node,
                                                     const KnownValues& known);
// Reshape's output shape for a target that may hold kUnknownValue elements.
Shape reshape_target_shape(const Node& node, const std::optional<Shape>& input,
                           const std::vector<int64_t>& target);

// Helpers for the rules.
template <typename... Parts>
[[noreturn]] void fail(const Node& node, const Parts&... parts) {
  throw make_error("shape inference: node '", node.name, "' (", node.op_type, "): ", parts...);
}
const Value& input_value(const Graph& graph, const Node& node, size_t index);  // throws when absent
ValueType input_type(const Graph& graph, const Node& node, size_t index);
// The input's values as int64 when it is a constant; nullopt when it is computed at run time.
std::optional<std::vector<int64_t>> constant_ints(const Graph& graph, const Node& node, size_t index);
int64_t normalize_axis(const Node& node, int64_t axis, int64_t rank);  // negative axes count from the end
// Merges two dimensions that must be equal; an unknown dimension takes the other's value.
int64_t merge_dims(const Node& node, int64_t a, int64_t b, const std::string& what);
// Output types for `count` outputs that all have the same type.
std::vector<ValueType> repeat(const ValueType& type, size_t count);
DataType data_type_from_onnx(const Node& node, int64_t onnx_type);  // TensorProto::DataType numbers

// The elements one Slice axis selects, ONNX clamping applied: start, start + step, ... (count of them).
struct SliceRange {
  int64_t start = 0, step = 1, count = 0;
};
SliceRange slice_range(const Node& node, int64_t dim, int64_t start, int64_t end, int64_t step);

}  // namespace shape_rules
}  // namespace nacre
