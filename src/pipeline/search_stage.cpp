#include "pipeline/search_stage.h"

#include <cstring>
#include <random>

#include "pipeline/evaluate_classifier.h"
#include "search/accuracy_predictor.h"
#include "search/evolutionary_search.h"
#include "util/progress.h"

namespace nacre {

LabeledImages strided_subset(const LabeledImages& data, int64_t count) {
  if (count <= 0 || count >= data.size()) return data;
  LabeledImages subset;
  subset.class_names = data.class_names;
  subset.description = data.description + " (every " + std::to_string(data.size() / count) + "th example)";
  int64_t stride = data.size() / count;
  Shape shape = data.images.shape();
  int64_t per_example = data.images.numel() / shape[0];
  shape[0] = count;
  subset.images = Tensor(DataType::kUInt8, shape);
  for (int64_t i = 0; i < count; ++i) {
    std::memcpy(subset.images.mutable_data<uint8_t>() + i * per_example,
                data.images.data<uint8_t>() + i * stride * per_example, per_example);
    subset.labels.push_back(data.labels[i * stride]);
  }
  return subset;
}

namespace {

std::vector<CalibrationSample> calibrate(OptimizeContext& context,
                                         const std::vector<std::vector<double>>& nsr,
                                         double& baseline_accuracy, nlohmann::json& samples_json) {
  LabeledImages subset = strided_subset(context.val, context.plan.calibration_val_examples);
  EvaluationOptions evaluation;
  evaluation.show_progress = false;
  std::mt19937_64 random(context.options.seed + 29);
  std::vector<CalibrationSample> samples;
  int count = context.plan.accuracy_calibration_architectures;
  Progress progress("calibrate accuracy predictor", count + 1, "architectures",
                    context.options.show_progress);
  for (int i = 0; i <= count; ++i) {
    Architecture architecture = keep_everything(context.space);
    // Sample with a varying share of changed blocks, so the calibration covers mild and drastic changes.
    double change_probability = i == 0 ? 0.0 : static_cast<double>(i) / count;
    for (size_t b = 0; b < architecture.choices.size(); ++b) {
      int options = static_cast<int>(context.space.candidates[b].size());
      if (options > 1 && std::bernoulli_distribution(change_probability)(random)) {
        architecture.choices[b] = std::uniform_int_distribution<int>(1, options - 1)(random);
      }
    }
    double accuracy = evaluate_classifier(materialize(context.space, architecture), subset,
                                          context.preprocessing, evaluation)
                          .top1;
    if (i == 0) baseline_accuracy = accuracy;
    samples.push_back({architecture_signals(architecture.choices, nsr), accuracy});
    samples_json.push_back({{"architecture", architecture.encode()}, {"stitched_val_accuracy", accuracy}});
    progress.update(i + 1);
  }
  progress.finish();
  return samples;
}

}  // namespace

SearchOutcome search_architectures(OptimizeContext& context, const std::vector<std::vector<double>>& nsr,
                                   const SpaceLatencyModel& latency) {
  SearchOutcome outcome;
  nlohmann::json samples_json = nlohmann::json::array();
  std::vector<CalibrationSample> samples =
      calibrate(context, nsr, outcome.calibration_baseline_accuracy, samples_json);
  PredictorOptions predictor_options;
  predictor_options.baseline_accuracy = outcome.calibration_baseline_accuracy;
  AccuracyPredictor predictor = AccuracyPredictor::fit(samples, predictor_options);

  SearchProblem problem;
  for (const auto& candidates : context.space.candidates)
    problem.options_per_block.push_back(candidates.size());
  problem.latency = [&](const Choices& choices) { return latency.predict(Architecture{choices}); };
  problem.accuracy = [&](const Choices& choices) {
    return predictor.predict(architecture_signals(choices, nsr));
  };
  problem.min_accuracy = 0;  // the front is kept whole; the accuracy constraint is checked on measurements
  SearchOptions options;
  options.seed = context.options.seed + 1;
  options.time_budget_seconds = context.plan.search_seconds;
  SearchResult result = evolutionary_search(problem, options);
  outcome.front = result.front;
  outcome.report = {{"predictor", predictor.to_json()},
                    {"calibration_samples", samples_json},
                    {"calibration_target", "stitched accuracy before fine-tuning, validation subset"},
                    {"evaluated_architectures", result.history.size()},
                    {"generations", result.generations_run},
                    {"front_size", result.front.size()}};
  return outcome;
}

}  // namespace nacre
