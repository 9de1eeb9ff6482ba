#include "latency/measure_latency.h"

#include <algorithm>
#include <memory>
#include <string>

#include "latency/model_inputs.h"
#include "util/error.h"

namespace nacre {

namespace {

struct CheckedModel {
  Graph graph;
  std::unique_ptr<PreparedModel> prepared;
  bool outputs_checked = false;
};

CheckedModel prepare_checked(const Graph& graph, Target& target, const LatencyRequest& request) {
  CheckedModel model{graph_with_batch(graph, request.batch), nullptr, false};
  require_supported(target, model.graph);
  model.prepared = target.prepare(model.graph, request.batch, request.threads);
  std::vector<Tensor> inputs = random_inputs(model.graph, request.input_seed);
  model.prepared->set_inputs(inputs);
  model.outputs_checked =
      check_outputs_against_executor(model.graph, *model.prepared, inputs, target.name(), request.tolerance);
  return model;
}

LatencyMeasurement describe(const Target& target, const LatencyRequest& request) {
  LatencyMeasurement measurement;
  measurement.target = target.name();
  measurement.batch = request.batch;
  measurement.threads = request.threads;
  return measurement;
}

}  // namespace

void require_available(const Target& target) {
  TargetAvailability availability = target.availability();
  if (!availability.available) {
    throw make_error("target '", target.name(), "' is not available here: ", availability.reason, ". ",
                     availability.install_hint);
  }
}

LatencyMeasurement measure_latency(const Graph& graph, Target& target, const LatencyRequest& request,
                                   const LatencyCache* cache) {
  require_available(target);
  LatencyMeasurement measurement = describe(target, request);
  LatencyCacheKey key;
  if (cache) {
    key = {graph_content_hash(graph), target.identity(), request.batch, request.threads, machine_id()};
    if (std::optional<LatencyStats> stored = cache->find(key)) {
      measurement.stats = *stored;
      measurement.from_cache = true;
      return measurement;
    }
  }
  CheckedModel model = prepare_checked(graph, target, request);
  measurement.outputs_checked = model.outputs_checked;
  measurement.stats = measure_prepared(*model.prepared, request.protocol);
  if (cache) cache->store(key, measurement.stats);
  return measurement;
}

LatencyComparison compare_latency(const Graph& a, const Graph& b, Target& target,
                                  const LatencyRequest& request) {
  require_available(target);
  CheckedModel model_a = prepare_checked(a, target, request);
  CheckedModel model_b = prepare_checked(b, target, request);
  Comparison comparison = compare_prepared(*model_a.prepared, *model_b.prepared, request.protocol);
  LatencyComparison result{describe(target, request), describe(target, request), comparison.ratio};
  result.a.stats = comparison.a;
  result.a.outputs_checked = model_a.outputs_checked;
  result.b.stats = comparison.b;
  result.b.outputs_checked = model_b.outputs_checked;
  return result;
}

}  // namespace nacre
