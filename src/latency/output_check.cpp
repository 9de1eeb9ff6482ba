#include "latency/output_check.h"

#include <algorithm>
#include <cmath>

#include "exec/inference_session.h"
#include "passes/insert_qdq.h"
#include "util/error.h"

namespace nacre {

namespace {

void compare_output(const std::string& target_name, const std::string& output_name, const Tensor& got,
                    const Tensor& want, const OutputTolerance& tolerance) {
  if (got.shape() != want.shape()) {
    throw make_error("target '", target_name, "' gives output '", output_name, "' shape ",
                     to_string(got.shape()), " but nacre's executor gives ", to_string(want.shape()),
                     "; the target does not compute this model correctly");
  }
  std::vector<double> got_values = got.as_doubles();
  std::vector<double> want_values = want.as_doubles();
  double scale = 0;
  for (double value : want_values) scale = std::max(scale, std::abs(value));
  for (size_t i = 0; i < want_values.size(); ++i) {
    double allowed = tolerance.relative * (std::abs(want_values[i]) + scale);
    double difference = std::abs(got_values[i] - want_values[i]);
    if (!(difference <= allowed)) {  // also catches NaN
      throw make_error("target '", target_name, "' computes output '", output_name, "' wrongly: element ", i,
                       " is ", got_values[i], " but nacre's executor gives ", want_values[i],
                       " (allowed difference ", allowed, "); its latency would not be of this model");
    }
  }
}

}  // namespace

bool check_outputs_against_executor(const Graph& graph, PreparedModel& model,
                                    const std::vector<Tensor>& inputs, const std::string& target_name,
                                    const OutputTolerance& tolerance) {
  std::optional<std::vector<Tensor>> got = model.compute_outputs();
  if (!got) return false;
  std::vector<Tensor> want = InferenceSession(graph).run(inputs);
  OutputTolerance allowed = tolerance;
  if (is_quantized(graph)) allowed.relative = std::max(allowed.relative, allowed.quantized_relative);
  if (got->size() != want.size()) {
    throw make_error("target '", target_name, "' returned ", got->size(), " outputs, the graph has ",
                     want.size());
  }
  for (size_t i = 0; i < want.size(); ++i) {
    compare_output(target_name, graph.value(graph.outputs[i]).name, (*got)[i], want[i], allowed);
  }
  return true;
}

}  // namespace nacre
