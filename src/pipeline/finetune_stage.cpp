#include "pipeline/finetune_stage.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>

#include "io/data/npy.h"
#include "io/onnx/load_model.h"
#include "io/onnx/onnx_export.h"
#include "ir/cost.h"
#include "latency/measure_latency.h"
#include "pipeline/evaluate_classifier.h"
#include "train/fine_tune.h"
#include "train/teacher_activations.h"
#include "util/progress.h"

namespace nacre {

namespace {

// The predicted speed-ups over the keep-everything architecture that the fine-tuned architectures aim at,
// boldest first: one architecture aims at 2x; more spread geometrically from 4x down to 1.5x, so that one
// bold bet and progressively safer ones share the budget (fine-tuning decides which keep their accuracy).
std::vector<double> speedup_ladder(int count) {
  if (count <= 1) return {2.0};
  std::vector<double> ladder;
  for (int i = 0; i < count; ++i)
    ladder.push_back(4.0 * std::pow(1.5 / 4.0, static_cast<double>(i) / (count - 1)));
  return ladder;
}

bool changes_nothing(const ParetoPoint& point) {
  return std::all_of(point.choices.begin(), point.choices.end(), [](int c) { return c == 0; });
}

// For each rung of the ladder, the front point the accuracy predictor rates highest among those predicted
// at least that much faster than keep-everything. When no point reaches a rung, the most accurate changed
// architecture is tried instead.
std::vector<ParetoPoint> choose_architectures(const OptimizeContext& context,
                                              const std::vector<ParetoPoint>& front, double keep_latency_ms) {
  std::vector<ParetoPoint> chosen;
  auto already_chosen = [&](const ParetoPoint& point) {
    return std::any_of(chosen.begin(), chosen.end(),
                       [&](const ParetoPoint& c) { return c.choices == point.choices; });
  };
  for (double speedup : speedup_ladder(context.plan.finetune_architectures)) {
    const ParetoPoint* best = nullptr;
    for (const ParetoPoint& point : front) {
      if (changes_nothing(point) || already_chosen(point) || point.latency * speedup > keep_latency_ms)
        continue;
      if (!best || point.accuracy > best->accuracy) best = &point;
    }
    if (best) chosen.push_back(*best);
  }
  if (chosen.empty()) {
    const ParetoPoint* mildest = nullptr;
    for (const ParetoPoint& point : front) {
      if (!changes_nothing(point) && (!mildest || point.accuracy > mildest->accuracy)) mildest = &point;
    }
    if (mildest) chosen.push_back(*mildest);
  }
  return chosen;
}

Tensor teacher_logits(OptimizeContext& context) {
  const char* file = "cache/teacher_logits.npy";
  if (context.run.has(file)) return read_npy(context.run.path(file));
  ActivationOptions options;
  options.threads = context.train_threads();
  Tensor logits =
      teacher_activations(context.model, {context.model.outputs[0]}, context.train_inputs, options)[0];
  write_npy(context.run.path(file), logits);
  return logits;
}

Graph fine_tuned(OptimizeContext& context, const Architecture& architecture, const Tensor& logits,
                 const std::string& unit) {
  if (context.run.has(unit + ".onnx") && context.run.has(unit + ".json"))
    return load_model(context.run.path(unit + ".onnx"));
  FineTuneData data{context.train_inputs, logits, context.train.labels};
  FineTuneOptions options;
  options.epochs = 1000;  // the time budget decides
  options.time_budget_seconds =
      std::min(context.plan.finetune_seconds_per_architecture, std::max(1.0, context.seconds_left() * 0.8));
  options.augment = context.preprocessing.height >= 16;
  options.threads = context.train_threads();
  options.seed = context.options.seed + 7;
  // The time budget ends training long before the nominal epochs: progress is shown in seconds of it.
  Progress progress("fine-tune " + architecture.encode(), static_cast<int64_t>(options.time_budget_seconds),
                    "s", context.options.show_progress);
  auto start = std::chrono::steady_clock::now();
  options.progress = [&](int64_t, int64_t, double) {
    progress.update(static_cast<int64_t>(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count()));
  };
  FineTuneResult result = fine_tune(materialize(context.space, architecture), data, options);
  progress.finish();
  export_onnx(result.trained, context.run.path(unit + ".onnx"));
  context.run.write_json(unit + ".json",
                         {{"architecture", architecture.encode()},
                          {"steps", result.steps},
                          {"seconds", result.seconds},
                          {"rollbacks", result.rollbacks},
                          {"diverged", result.diverged},
                          {"final_loss", result.loss_history.empty() ? 0.0 : result.loss_history.back()}});
  return result.trained;
}

}  // namespace

namespace {

// Validation accuracy on the whole split and latency interleaved with the baseline.
void verify(OptimizeContext& context, VerifiedArchitecture& result) {
  EvaluationOptions evaluation;
  evaluation.show_progress = context.options.show_progress;
  result.val_accuracy =
      evaluate_classifier(result.model, context.val, context.preprocessing, evaluation).top1;
  LatencyRequest request;
  request.batch = context.options.batch;
  request.threads = context.options.threads;
  request.protocol.max_seconds = context.plan.verify_seconds;
  LatencyComparison comparison = compare_latency(result.model, context.model, *context.target, request);
  result.latency_ms = comparison.a.stats.median_ms;
  result.baseline_latency_ms = comparison.b.stats.median_ms;
  result.meets_constraint = result.val_accuracy >= context.baseline_val_accuracy - context.options.tolerance;
  std::fprintf(stderr, "  %s%s: validation accuracy %.2f%% (baseline %.2f%%), %.3f ms vs %.3f ms: %s\n",
               result.architecture.c_str(), result.fine_tuned ? "" : " (exact rewrites, not trained)",
               100 * result.val_accuracy, 100 * context.baseline_val_accuracy, result.latency_ms,
               result.baseline_latency_ms,
               result.meets_constraint ? "meets the constraint" : "below the constraint");
}

}  // namespace

std::vector<VerifiedArchitecture> finetune_and_verify(OptimizeContext& context,
                                                      const std::vector<ParetoPoint>& front,
                                                      double keep_latency_ms) {
  std::vector<VerifiedArchitecture> verified;
  // Keep-everything differs from the baseline only by exact rewrites (trimmed dead taps): verified as is.
  Architecture keep = keep_everything(context.space);
  Graph rewritten = materialize(context.space, keep);
  if (parameter_count(rewritten) < parameter_count(context.model)) {
    VerifiedArchitecture result;
    result.architecture = keep.encode();
    result.predicted_latency_ms = keep_latency_ms;
    result.model = std::move(rewritten);
    result.fine_tuned = false;
    verify(context, result);
    verified.push_back(std::move(result));
  }
  std::vector<ParetoPoint> chosen = choose_architectures(context, front, keep_latency_ms);
  if (chosen.empty()) return verified;
  Tensor logits = teacher_logits(context);
  for (const ParetoPoint& point : chosen) {
    Architecture architecture{point.choices};
    VerifiedArchitecture result;
    result.architecture = architecture.encode();
    result.predicted_latency_ms = point.latency;
    result.predicted_accuracy = point.accuracy;
    result.model =
        fine_tuned(context, architecture, logits, "finetune/" + file_name_for(architecture.encode()));
    verify(context, result);
    verified.push_back(std::move(result));
  }
  return verified;
}

nlohmann::json to_json(const VerifiedArchitecture& verified) {
  return {{"architecture", verified.architecture},
          {"val_accuracy", verified.val_accuracy},
          {"latency_ms", verified.latency_ms},
          {"baseline_latency_ms_same_session", verified.baseline_latency_ms},
          {"predicted_latency_ms", verified.predicted_latency_ms},
          {"predicted_accuracy", verified.predicted_accuracy},
          {"meets_constraint", verified.meets_constraint},
          {"fine_tuned", verified.fine_tuned}};
}

}  // namespace nacre
