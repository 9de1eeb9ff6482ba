#include "pipeline/search_stage.h"

#include <cstdio>
#include <limits>
#include <random>

#include "io/data/strided_subset.h"
#include "pipeline/evaluate_classifier.h"
#include "pipeline/fine_tuned_calibration.h"
#include "search/accuracy_predictor.h"
#include "search/restricted_search.h"
#include "util/progress.h"

namespace nacre {

namespace {

// The speed-ups over keep-everything (predicted) at which architectures are fine-tuned briefly to calibrate
// the accuracy predictor: on either side of where the first fine-tuning slot aims (finetune_stage.cpp).
const std::vector<double> kCalibrationSpeedups = {3.0, 4.5};

// Stitched accuracy (before fine-tuning) on `subset` of keep-everything, then of architectures with a
// growing share of changed blocks, so the samples cover mild and drastic changes.
std::vector<CalibrationSample> calibrate_on_stitched(OptimizeContext& context,
                                                     const std::vector<std::vector<double>>& nsr,
                                                     const LabeledImages& subset, double& keep_accuracy,
                                                     nlohmann::json& samples_json) {
  EvaluationOptions evaluation;
  evaluation.show_progress = false;
  std::mt19937_64 random(context.options.seed + 29);
  std::vector<CalibrationSample> samples;
  int count = context.plan.accuracy_calibration_architectures;
  Progress progress("calibrate on stitched accuracy", count + 1, "architectures",
                    context.options.show_progress);
  for (int i = 0; i <= count; ++i) {
    Architecture architecture = keep_everything(context.space);
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
    if (i == 0) keep_accuracy = accuracy;
    samples.push_back({architecture_signals(architecture.choices, nsr), accuracy});
    samples_json.push_back({{"architecture", architecture.encode()}, {"stitched_val_accuracy", accuracy}});
    progress.update(i + 1);
  }
  progress.finish();
  return samples;
}

// Per block, every option except those the generator `left_out` made.
AllowedOptions options_without(const SearchSpace& space, const std::string& left_out) {
  AllowedOptions allowed;
  for (const std::vector<Candidate>& candidates : space.candidates) {
    std::vector<int> options;
    for (size_t o = 0; o < candidates.size(); ++o)
      if (candidates[o].generator != left_out) options.push_back(static_cast<int>(o));
    allowed.push_back(std::move(options));
  }
  return allowed;
}

// Predicted latency and accuracy over the space, the objectives holding copies of the predictors. The
// accuracy floor is left open: the constraint is checked on measurements, and a predictor fitted to a few
// points may extrapolate below 0 for drastic architectures, which must still rank among themselves.
SearchProblem predictions(const OptimizeContext& context, const std::vector<std::vector<double>>& nsr,
                          const SpaceLatencyModel& latency, const AccuracyPredictor& predictor) {
  SearchProblem problem;
  for (const auto& candidates : context.space.candidates)
    problem.options_per_block.push_back(candidates.size());
  problem.latency = [latency](const Choices& choices) { return latency.predict(Architecture{choices}); };
  problem.accuracy = [predictor, nsr](const Choices& choices) {
    return predictor.predict(architecture_signals(choices, nsr));
  };
  problem.min_accuracy = std::numeric_limits<double>::lowest();
  return problem;
}

// The Pareto front of `problem`'s predicted latency against predicted accuracy over the blocks' `allowed`
// options.
SearchResult search_over(const OptimizeContext& context, const SearchProblem& problem,
                         const AllowedOptions& allowed) {
  SearchOptions options;
  options.seed = context.options.seed + 1;
  options.time_budget_seconds = context.plan.search_seconds;
  return restricted_search(problem, allowed, options);
}

SearchResult search_with(const OptimizeContext& context, const std::vector<std::vector<double>>& nsr,
                         const SpaceLatencyModel& latency, const AccuracyPredictor& predictor,
                         const AllowedOptions& allowed) {
  return search_over(context, predictions(context, nsr, latency, predictor), allowed);
}

SearchResult search_with(const OptimizeContext& context, const std::vector<std::vector<double>>& nsr,
                         const SpaceLatencyModel& latency, const AccuracyPredictor& predictor) {
  return search_with(context, nsr, latency, predictor, options_without(context.space, ""));
}

// The architectures to fine-tune briefly, picked once per run (kept in search/calibration_architectures.json,
// so a resumed run trains the same ones) from the fronts of the stitched predictor, of the distillation error
// alone, and of the distillation error alone with no block skipped. Both predictors favour skipped blocks
// (stitched accuracy falls with every changed block, so one skip beats narrowing several blocks), and a run
// whose brief fine-tunes were all skip-heavy learned nothing about narrowed blocks, which recover well.
std::vector<std::vector<int>> calibration_architectures(OptimizeContext& context,
                                                        const std::vector<std::vector<double>>& nsr,
                                                        const SpaceLatencyModel& latency,
                                                        const AccuracyPredictor& stitched,
                                                        double keep_accuracy) {
  const char* file = "search/calibration_architectures.json";
  std::vector<std::vector<int>> picked;
  if (context.run.has(file)) {
    for (const auto& encoded : context.run.read_json(file))
      picked.push_back(Architecture::decode(encoded.get<std::string>()).choices);
    return picked;
  }
  PredictorOptions error_alone;
  error_alone.baseline_accuracy = keep_accuracy;
  std::vector<std::vector<ParetoPoint>> fronts = {
      search_with(context, nsr, latency, stitched).front,
      search_with(context, nsr, latency, AccuracyPredictor::fit({}, error_alone)).front,
      search_with(context, nsr, latency, AccuracyPredictor::fit({}, error_alone),
                  options_without(context.space, "skip"))
          .front};
  picked = pick_calibration_architectures(fronts, latency.predict(keep_everything(context.space)),
                                          kCalibrationSpeedups, context.plan.accuracy_finetune_architectures);
  nlohmann::json encoded = nlohmann::json::array();
  for (const auto& choices : picked) encoded.push_back(Architecture{choices}.encode());
  context.run.write_json(file, encoded);
  return picked;
}

}  // namespace

SearchOutcome search_architectures(OptimizeContext& context, const std::vector<std::vector<double>>& nsr,
                                   const SpaceLatencyModel& latency) {
  SearchOutcome outcome;
  LabeledImages subset = strided_subset(context.val, context.plan.calibration_val_examples);
  nlohmann::json stitched_json = nlohmann::json::array();
  std::vector<CalibrationSample> stitched_samples =
      calibrate_on_stitched(context, nsr, subset, outcome.calibration_baseline_accuracy, stitched_json);
  PredictorOptions predictor_options;
  predictor_options.baseline_accuracy = outcome.calibration_baseline_accuracy;
  AccuracyPredictor stitched = AccuracyPredictor::fit(stitched_samples, predictor_options);
  outcome.report = {{"stitched_predictor", stitched.to_json()}, {"stitched_samples", stitched_json}};

  AccuracyPredictor predictor = stitched;
  std::string target = "stitched accuracy before fine-tuning, validation subset";
  if (context.plan.accuracy_finetune_architectures > 0) {
    FineTunedCalibration calibration = calibrate_on_fine_tuned(
        context,
        calibration_architectures(context, nsr, latency, stitched, outcome.calibration_baseline_accuracy),
        nsr, subset, outcome.calibration_baseline_accuracy, context.plan.accuracy_finetune_seconds);
    AccuracyPredictor refit = AccuracyPredictor::fit(calibration.samples, predictor_options);
    outcome.report["refit_predictor"] = refit.to_json();
    if (refit_may_replace_stitched(refit)) {
      predictor = refit;
      target = "accuracy after " + std::to_string(static_cast<int>(context.plan.accuracy_finetune_seconds)) +
               " s of fine-tuning, validation subset";
    } else {
      outcome.report["refit_rejected"] =
          "the refit on the brief fine-tunes ranks its own held-out samples no better than chance";
      std::fprintf(stderr,
                   "  the refit on the brief fine-tunes ranks no better than chance (leave-one-out "
                   "Kendall %.2f): the search keeps the stitched predictor\n",
                   refit.validation()->kendall);
    }
    // How well stitched accuracy alone would have ranked what fine-tuning reached (held out from its fit).
    if (calibration.samples.size() >= 3) {
      RankValidation held_out = stitched.evaluate(calibration.samples);
      outcome.report["stitched_predictor_on_fine_tuned"] = {
          {"samples", held_out.samples}, {"kendall", held_out.kendall}, {"spearman", held_out.spearman}};
    }
    // Their predicted latencies place them beside the front's points when the slots choose (finetune_stage).
    for (size_t i = 0; i < calibration.trained.size(); ++i) {
      VerifiedArchitecture& trained = calibration.trained[i];
      trained.predicted_latency_ms = latency.predict(Architecture::decode(trained.architecture));
      if (i < calibration.report.size())
        calibration.report[i]["predicted_latency_ms"] = trained.predicted_latency_ms;
    }
    outcome.report["fine_tuned_samples"] = calibration.report;
    outcome.briefly_fine_tuned = std::move(calibration.trained);
  }

  outcome.predictions = predictions(context, nsr, latency, predictor);
  SearchResult result = search_over(context, outcome.predictions, options_without(context.space, ""));
  outcome.front = result.front;
  outcome.report["predictor"] = predictor.to_json();
  outcome.report["calibration_target"] = target;
  outcome.report["evaluated_architectures"] = result.history.size();
  outcome.report["generations"] = result.generations_run;
  outcome.report["front_size"] = result.front.size();
  return outcome;
}

}  // namespace nacre
