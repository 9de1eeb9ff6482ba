// Propagation of partly known shape values (ONNX's "data propagation"): Shape of [?,8,16,16] is [?,8,16,16],
// and Gather/Unsqueeze/Concat/Slice/arithmetic on it keep what is known.
#include <algorithm>

#include "ir/shape_rules.h"

namespace nacre::shape_rules {

namespace {

constexpr int64_t kMostTrackedValues = 16;  // shape vectors, not data

std::optional<std::vector<int64_t>> values_of(const Graph& graph, const KnownValues& known, ValueId id) {
  if (id == kNoValue) return std::nullopt;
  const Value& value = graph.value(id);
  if (value.initializer) {
    DataType dtype = value.initializer->dtype();
    bool is_integer = dtype == DataType::kInt64 || dtype == DataType::kInt32;
    if (!is_integer || value.initializer->rank() > 1 || value.initializer->numel() > kMostTrackedValues) {
      return std::nullopt;
    }
    return value.initializer->as_int64s();
  }
  auto it = known.find(id);
  if (it == known.end()) return std::nullopt;
  return it->second;
}

std::vector<int64_t> shape_values(const Node& node, const Shape& shape) {
  int64_t rank = static_cast<int64_t>(shape.size());
  auto clamp_index = [rank](int64_t index) {
    return std::clamp<int64_t>(index < 0 ? index + rank : index, 0, rank);
  };
  int64_t start = clamp_index(node.get_int("start", 0)), end = clamp_index(node.get_int("end", rank));
  std::vector<int64_t> values;
  for (int64_t i = start; i < end; ++i) values.push_back(shape[i] < 0 ? kUnknownValue : shape[i]);
  return values;
}

std::optional<std::vector<int64_t>> arithmetic(const Node& node, const std::vector<int64_t>& a,
                                               const std::vector<int64_t>& b) {
  if (a.size() != b.size() && a.size() != 1 && b.size() != 1) return std::nullopt;
  std::vector<int64_t> out(std::max(a.size(), b.size()));
  for (size_t i = 0; i < out.size(); ++i) {
    int64_t x = a[a.size() == 1 ? 0 : i], y = b[b.size() == 1 ? 0 : i];
    if (x == kUnknownValue || y == kUnknownValue || (node.op_type == "Div" && y == 0)) {
      out[i] = kUnknownValue;
    } else if (node.op_type == "Add") {
      out[i] = x + y;
    } else if (node.op_type == "Sub") {
      out[i] = x - y;
    } else if (node.op_type == "Mul") {
      out[i] = x * y;
    } else {
      out[i] = x / y;
    }
  }
  return out;
}

std::optional<std::vector<int64_t>> sliced(const Graph& graph, const Node& node,
                                           const std::vector<int64_t>& data, const KnownValues& known) {
  auto starts = values_of(graph, known, node.input_or_none(1));
  auto ends = values_of(graph, known, node.input_or_none(2));
  auto steps =
      node.input_or_none(4) == kNoValue ? std::vector<int64_t>{1} : values_of(graph, known, node.inputs[4]);
  if (!starts || !ends || !steps || starts->size() != 1 || ends->size() != 1 || steps->size() != 1) {
    return std::nullopt;
  }
  if ((*starts)[0] == kUnknownValue || (*ends)[0] == kUnknownValue || (*steps)[0] == kUnknownValue) {
    return std::nullopt;
  }
  int64_t dim = static_cast<int64_t>(data.size());
  SliceRange range = slice_range(node, dim, (*starts)[0], (*ends)[0], (*steps)[0]);
  std::vector<int64_t> out;
  for (int64_t i = 0; i < range.count; ++i) out.push_back(data[range.start + i * range.step]);
  return out;
}

}  // namespace

std::optional<std::vector<int64_t>> propagate_values(const Graph& graph, const Node& node,
                                                     const KnownValues& known) {
  const std::string& op = node.op_type;
  auto input = [&](size_t index) { return values_of(graph, known, node.input_or_none(index)); };
  if (op == "Shape") {
    const Value& x = graph.value(node.inputs.at(0));
    std::optional<Shape> shape = x.initializer ? x.initializer->shape() : x.shape;
    if (!shape) return std::nullopt;
    return shape_values(node, *shape);
  }
  if (op == "Identity" || op == "Unsqueeze" || op == "Squeeze" || op == "Cast" || op == "Reshape") {
    return input(0);  // a 0-d or 1-d value keeps its elements in order
  }
  if (op == "Concat") {
    std::vector<int64_t> out;
    for (size_t i = 0; i < node.inputs.size(); ++i) {
      std::optional<std::vector<int64_t>> part = input(i);
      if (!part) return std::nullopt;
      out.insert(out.end(), part->begin(), part->end());
    }
    return out;
  }
  if (op == "Gather") {
    std::optional<std::vector<int64_t>> data = input(0), indices = input(1);
    if (!data || !indices || node.get_int("axis", 0) != 0) return std::nullopt;
    std::vector<int64_t> out;
    for (int64_t index : *indices) {
      int64_t size = static_cast<int64_t>(data->size());
      if (index == kUnknownValue || index < -size || index >= size) return std::nullopt;
      out.push_back((*data)[index < 0 ? index + size : index]);
    }
    return out;
  }
  if (op == "Slice") {
    std::optional<std::vector<int64_t>> data = input(0);
    return data ? sliced(graph, node, *data, known) : std::nullopt;
  }
  if (op == "Add" || op == "Sub" || op == "Mul" || op == "Div") {
    std::optional<std::vector<int64_t>> a = input(0), b = input(1);
    return a && b ? arithmetic(node, *a, *b) : std::nullopt;
  }
  return std::nullopt;
}

}  // namespace nacre::shape_rules
