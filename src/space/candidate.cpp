#include "space/candidate.h"

#include "ir/cost.h"
#include "ir/shape_inference.h"
#include "ir/verify.h"
#include "passes/trim_dead_taps.h"
#include "util/error.h"

namespace nacre {

namespace {

// Shapes agree when every dimension matches; a symbolic (negative) batch dimension matches any batch.
bool same_shape(const Shape& actual, const Shape& expected) {
  if (actual.size() != expected.size()) return false;
  for (size_t i = 0; i < actual.size(); ++i) {
    bool symbolic = actual[i] < 0 || expected[i] < 0;
    if (actual[i] != expected[i] && !(i == 0 && symbolic)) return false;
  }
  return true;
}

}  // namespace

void finish_candidate(Candidate& candidate, const Shape& input_shape, const Shape& output_shape) {
  Graph& graph = candidate.graph;
  if (graph.inputs.size() != 1 || graph.outputs.size() != 1) {
    throw make_error("candidate '", candidate.id, "' has ", graph.inputs.size(), " inputs and ",
                     graph.outputs.size(), " outputs; a candidate needs exactly one of each");
  }
  try {
    graph.prune();  // weights a generator replaced (e.g. by narrower slices) are not part of the candidate
    infer_shapes(graph);
    verify(graph);
  } catch (const Error& error) {
    throw make_error("candidate '", candidate.id, "' (", candidate.generator,
                     ") is not a valid graph: ", error.what());
  }
  Shape actual_input = graph.value(graph.inputs[0]).shape.value_or(Shape{});
  Shape actual_output = graph.value(graph.outputs[0]).shape.value_or(Shape{});
  if (!same_shape(actual_input, input_shape) || !same_shape(actual_output, output_shape)) {
    throw make_error("candidate '", candidate.id, "' (", candidate.generator, ") maps ",
                     to_string(actual_input), " -> ", to_string(actual_output), " but its block maps ",
                     to_string(input_shape), " -> ", to_string(output_shape), "; a generator bug");
  }
  trim_dead_taps(graph);  // exact: weights that only ever multiply padding are not worth loading
  candidate.macs = total_macs(graph);
  candidate.parameters = parameter_count(graph);
}

}  // namespace nacre
