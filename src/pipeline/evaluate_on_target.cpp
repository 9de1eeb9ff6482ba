#include "pipeline/evaluate_on_target.h"

#include <optional>

#include "latency/measure_latency.h"
#include "latency/model_inputs.h"
#include "util/error.h"

namespace nacre {

EvaluationResult evaluate_on_target(const Graph& graph, const LabeledImages& data,
                                    const Preprocessing& preprocessing, Target& target, int64_t batch,
                                    int threads, const EvaluationOptions& options) {
  if (batch < 1) throw make_error("batch size must be at least 1, got ", batch);
  require_available(target);
  Graph batched = graph_with_batch(graph, batch);
  require_supported(target, batched);
  std::unique_ptr<PreparedModel> prepared = target.prepare(batched, static_cast<int>(batch), threads);
  return evaluate_classifier(batched, data, preprocessing, options, batch, [&](const Tensor& input) {
    prepared->set_inputs({input});
    std::optional<std::vector<Tensor>> outputs = prepared->compute_outputs();
    if (!outputs || outputs->empty())
      throw make_error("target '", target.name(),
                       "' returns no outputs (it only reports times): evaluate without --target to use "
                       "nacre's executor");
    return std::move(outputs->front());
  });
}

}  // namespace nacre
