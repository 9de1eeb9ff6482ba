#include "pipeline/latency_stage.h"

#include <nlohmann/json.hpp>

#include "latency/block_latency_table.h"
#include "latency/measure_latency.h"
#include "latency/predictor_validation.h"
#include "util/progress.h"

namespace nacre {

namespace {

LatencyRequest request_for(const OptimizeContext& context, double max_seconds) {
  LatencyRequest request;
  request.batch = context.options.batch;
  request.threads = context.options.threads;
  request.protocol.max_seconds = max_seconds;
  request.protocol.warmup_runs = 3;
  request.protocol.min_runs = 10;
  return request;
}

// The architectures measured end to end, interleaved with keep-everything as the table's in-place candidates
// were (the same scale, and drift of a shared machine cancels). Kept in latency_end_to_end.json: the
// predictor's correction, and so the search, come out the same when the run resumes.
std::vector<double> measured_end_to_end(OptimizeContext& context,
                                        const std::vector<Architecture>& architectures) {
  const std::string record = "latency_end_to_end.json";
  nlohmann::json encoded = nlohmann::json::array();
  for (const Architecture& architecture : architectures) encoded.push_back(architecture.encode());
  if (context.run.has(record)) {
    nlohmann::json stored = context.run.read_json(record);
    if (stored.at("architectures") == encoded) return stored.at("median_ms").get<std::vector<double>>();
  }
  Progress progress("measure sampled architectures end to end", architectures.size(), "architectures",
                    context.options.show_progress);
  std::vector<double> measured = measure_architectures_against(
      context.space, architectures, keep_everything(context.space), *context.target,
      request_for(context, 2 * context.plan.latency_seconds_per_candidate),
      [&](const EndToEndProgress& step) { progress.update(step.done); });
  progress.finish();
  context.run.write_json(record, {{"architectures", encoded}, {"median_ms", measured}});
  return measured;
}

}  // namespace

double SpaceLatencyModel::predict(const Architecture& architecture) const {
  return predictor.can_predict(architecture) ? predictor.predict_ms(architecture) : 1e9;
}

SpaceLatencyModel build_latency_model(OptimizeContext& context) {
  TableBuildOptions options;
  options.request = request_for(context, context.plan.latency_seconds_per_candidate);
  options.path = context.run.path("latency_table.json");
  options.cache = context.latency_cache.get();
  options.in_place = true;
  Progress progress("measure candidates on " + context.target->name(), 0, "candidates",
                    context.options.show_progress);
  options.on_progress = [&](const TableProgress& step) {
    progress.set_total(step.total);
    progress.update(step.done);
  };
  BlockLatencyTable table = build_block_latency_table(context.space, *context.target, options);
  progress.finish();

  SpaceLatencyModel model;
  model.predictor = make_latency_predictor(table);
  std::vector<Architecture> calibration = {keep_everything(context.space)};
  for (const Architecture& sampled : sample_architectures(
           model.predictor, context.plan.latency_calibration_architectures - 1, context.options.seed + 17)) {
    calibration.push_back(sampled);
  }
  std::vector<double> measured = measured_end_to_end(context, calibration);
  model.baseline_ms = measured.front();
  calibrate(model.predictor, calibration, measured);
  return model;
}

}  // namespace nacre
