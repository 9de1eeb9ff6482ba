// Shape rules of Gemm and MatMul.
#include <algorithm>

#include "ir/shape_rules.h"

namespace nacre::shape_rules {

namespace {

Shape matrix_shape(const Node& node, const std::optional<Shape>& shape, const char* which) {
  if (!shape) return {-1, -1};
  if (shape->size() != 2)
    fail(node, "input ", which, " has shape ", to_string(*shape), ", expected a matrix");
  return *shape;
}

void check_gemm_bias(const Node& node, const Shape& bias, int64_t rows, int64_t columns) {
  if (bias.size() > 2) fail(node, "C has shape ", to_string(bias), ", expected rank 2 or less");
  Shape target = {rows, columns};
  for (size_t i = 0; i < bias.size(); ++i) {
    int64_t dim = bias[i], wanted = target[target.size() - bias.size() + i];
    if (dim != 1 && dim >= 0 && wanted >= 0 && dim != wanted) {
      fail(node, "C has shape ", to_string(bias), ", which does not broadcast to [", rows, ",", columns, "]");
    }
  }
}

// Batch dimensions of MatMul broadcast like elementwise ops.
Shape broadcast_batch(const Node& node, const Shape& a, const Shape& b) {
  size_t rank = std::max(a.size(), b.size());
  Shape out(rank);
  for (size_t i = 0; i < rank; ++i) {
    int64_t da = i < rank - a.size() ? 1 : a[i - (rank - a.size())];
    int64_t db = i < rank - b.size() ? 1 : b[i - (rank - b.size())];
    out[i] = da == 1 ? db : db == 1 ? da : merge_dims(node, da, db, "batch dimensions do not broadcast");
  }
  return out;
}

}  // namespace

std::vector<ValueType> gemm(const Graph& graph, const Node& node) {
  ValueType a_type = input_type(graph, node, 0);
  Shape a = matrix_shape(node, a_type.shape, "A");
  Shape b = matrix_shape(node, input_type(graph, node, 1).shape, "B");
  bool trans_a = node.get_int("transA", 0) != 0, trans_b = node.get_int("transB", 0) != 0;
  int64_t rows = trans_a ? a[1] : a[0], inner_a = trans_a ? a[0] : a[1];
  int64_t inner_b = trans_b ? b[1] : b[0], columns = trans_b ? b[0] : b[1];
  if (inner_a >= 0 && inner_b >= 0 && inner_a != inner_b) {
    fail(node, "A has ", inner_a, " columns", trans_a ? " (transposed)" : "", " but B has ", inner_b, " rows",
         trans_b ? " (transposed)" : "", "; check transA/transB and the input size");
  }
  if (node.input_or_none(2) != kNoValue) {
    ValueType bias = input_type(graph, node, 2);
    if (bias.shape) check_gemm_bias(node, *bias.shape, rows, columns);
  }
  return {{a_type.dtype, Shape{rows, columns}}};
}

std::vector<ValueType> matmul(const Graph& graph, const Node& node) {
  ValueType a_type = input_type(graph, node, 0);
  ValueType b_type = input_type(graph, node, 1);
  if (!a_type.shape || !b_type.shape) return {{a_type.dtype, std::nullopt}};
  Shape a = *a_type.shape, b = *b_type.shape;
  if (a.empty() || b.empty()) fail(node, "inputs must have rank 1 or more");
  bool vector_a = a.size() == 1, vector_b = b.size() == 1;
  if (vector_a) a.insert(a.begin(), 1);
  if (vector_b) b.push_back(1);
  int64_t inner_a = a.back(), inner_b = b[b.size() - 2];
  if (inner_a >= 0 && inner_b >= 0 && inner_a != inner_b) {
    fail(node, "A has shape ", to_string(*a_type.shape), " and B has shape ", to_string(*b_type.shape),
         ": inner dimensions ", inner_a, " and ", inner_b, " differ");
  }
  Shape out = broadcast_batch(node, Shape(a.begin(), a.end() - 2), Shape(b.begin(), b.end() - 2));
  if (!vector_a) out.push_back(a[a.size() - 2]);
  if (!vector_b) out.push_back(b.back());
  return {{a_type.dtype, out}};
}

}  // namespace nacre::shape_rules
