#include "pipeline/optimize.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "io/onnx/load_model.h"
#include "io/onnx/onnx_export.h"
#include "latency/fresh_process_comparison.h"
#include "latency/measure_latency.h"
#include "latency/target_registry.h"
#include "latency/temp_dir.h"
#include "pipeline/distill_stage.h"
#include "pipeline/evaluate_classifier.h"
#include "pipeline/finetune_stage.h"
#include "pipeline/latency_stage.h"
#include "pipeline/model_preprocessing.h"
#include "pipeline/optimize_context.h"
#include "pipeline/search_stage.h"
#include "report/html_report.h"
#include "util/error.h"
#include "util/parse.h"
#include "util/progress.h"

namespace nacre {

namespace fs = std::filesystem;

namespace {

// FNV-1a of the model file: a run directory belongs to exactly one model.
std::string file_fingerprint(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) throw make_error("cannot read the model ", path);
  uint64_t hash = 1469598103934665603ull;
  char buffer[1 << 16];
  while (file.read(buffer, sizeof buffer) || file.gcount() > 0) {
    for (std::streamsize i = 0; i < file.gcount(); ++i)
      hash = (hash ^ static_cast<unsigned char>(buffer[i])) * 1099511628211ull;
  }
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(hash));
  return text;
}

nlohmann::json run_identity(const OptimizeOptions& options) {
  return {{"model", fs::absolute(options.model_path).string()},
          {"model_fingerprint", file_fingerprint(options.model_path)},
          {"data", fs::absolute(options.data_dir).string()},
          {"val_dir", options.val_dir},
          {"target", options.target},
          {"batch", options.batch},
          {"threads", options.threads},
          {"tolerance", options.tolerance},
          {"seed", options.seed},
          {"input_shape", options.input_shape},
          {"mean", options.mean},
          {"std", options.std},
          {"limits", {options.train_limit, options.val_limit, options.test_limit}}};
}

// Times a stage on the run's clock.
template <typename Work>
auto timed(OptimizeContext& context, const std::string& stage, Work work) {
  context.clock.start_stage(stage);
  if constexpr (std::is_void_v<decltype(work())>) {
    work();
    context.clock.stop_stage();
  } else {
    auto result = work();
    context.clock.stop_stage();
    return result;
  }
}

void load_inputs(OptimizeContext& context) {
  const OptimizeOptions& options = context.options;
  ImportOptions import_options;
  if (!options.input_shape.empty())
    import_options.input_shape = parse_int_list(options.input_shape, "--input-shape");
  context.model = load_model(options.model_path, import_options);
  context.preprocessing =
      preprocessing_for_model(context.model, options.model_path, options.mean, options.std).preprocessing;
  context.train =
      load_split(context.options.data_dir, context.options.val_dir, Split::kTrain, options.train_limit);
  context.val = load_split(context.options.data_dir, context.options.val_dir, Split::kVal, options.val_limit);
  check_fits(context.train, context.preprocessing);
  context.train_inputs = preprocess_batch(context.train, 0, context.train.size(), context.preprocessing);
  context.latency_cache =
      std::make_unique<LatencyCache>((fs::path(context.run.root()) / "latency-cache").string());
}

double baseline_val_accuracy(OptimizeContext& context) {
  if (context.run.has("baseline.json"))
    return context.run.read_json("baseline.json").at("val_accuracy").get<double>();
  EvaluationOptions evaluation;
  evaluation.show_progress = context.options.show_progress;
  double accuracy = evaluate_classifier(context.model, context.val, context.preprocessing, evaluation).top1;
  context.run.write_json("baseline.json", {{"val_accuracy", accuracy}, {"val_examples", context.val.size()}});
  return accuracy;
}

int64_t count_candidates(const SearchSpace& space) {
  int64_t count = 0;
  for (const auto& candidates : space.candidates) count += static_cast<int64_t>(candidates.size()) - 1;
  return count;
}

struct Selection {
  Graph model;
  std::string architecture;
  double val_accuracy = 0;
  bool is_baseline = true;
  bool fine_tuned = false;
};

Selection select_result(const OptimizeContext& context, const std::vector<VerifiedArchitecture>& verified) {
  Selection selection{context.model, keep_everything(context.space).encode(), context.baseline_val_accuracy,
                      true};
  double best_ratio = 1.0;  // a candidate must be measured faster than the baseline to replace it
  for (const VerifiedArchitecture& candidate : verified) {
    double ratio = candidate.latency_ms / candidate.baseline_latency_ms;
    if (candidate.meets_constraint && ratio < best_ratio) {
      best_ratio = ratio;
      selection = {candidate.model, candidate.architecture, candidate.val_accuracy, false,
                   candidate.fine_tuned};
    }
  }
  return selection;
}

nlohmann::json block_decisions(const OptimizeContext& context, const Architecture& architecture,
                               const std::vector<std::vector<double>>& nsr,
                               const SpaceLatencyModel& latency) {
  nlohmann::json blocks = nlohmann::json::array();
  for (size_t b = 0; b < architecture.choices.size(); ++b) {
    const Candidate& original = context.space.candidates[b][0];
    const Candidate& chosen = context.space.candidates[b][architecture.choices[b]];
    blocks.push_back({{"name", context.space.segmentation.blocks[b].name},
                      {"chosen", chosen.id},
                      {"generator", chosen.generator},
                      {"description", chosen.description},
                      {"weight_origin", chosen.weight_origin},
                      {"nsr", nsr[b][architecture.choices[b]]},
                      {"baseline_macs", original.macs},
                      {"chosen_macs", chosen.macs},
                      {"baseline_latency_ms", latency.block_ms(b, 0)},
                      {"chosen_latency_ms", latency.block_ms(b, architecture.choices[b])},
                      {"candidates", context.space.candidates[b].size()}});
  }
  return blocks;
}

nlohmann::json front_json(const std::vector<ParetoPoint>& front) {
  nlohmann::json points = nlohmann::json::array();
  for (const ParetoPoint& point : front) {
    points.push_back({{"architecture", Architecture{point.choices}.encode()},
                      {"predicted_latency_ms", point.latency},
                      {"predicted_accuracy", point.accuracy}});
  }
  return points;
}

// The final comparison of the result with the baseline, both as exported. A target that runs in this
// process is measured by a fresh nacre process (latency/fresh_process_comparison.h) when the executable is
// known; `measured_in` says where it was measured.
LatencyComparison final_comparison(OptimizeContext& context, const std::string& result_path,
                                   const Graph& result, std::string& measured_in) {
  const OptimizeOptions& options = context.options;
  LatencyRequest request;
  request.batch = options.batch;
  request.threads = options.threads;
  request.protocol.max_seconds = 2 * context.plan.verify_seconds;
  if (context.target->runs_in_this_process() && !options.nacre_binary.empty()) {
    TempDir scratch("nacre-baseline");
    std::string baseline_path = scratch.file("baseline.onnx");
    export_onnx(context.model, baseline_path);
    measured_in = "a fresh process";
    return compare_latency_in_fresh_process(options.nacre_binary, result_path, baseline_path, *context.target,
                                            request);
  }
  measured_in = "this process";
  return compare_latency(result, context.model, *context.target, request);
}

}  // namespace

nlohmann::json optimize(const OptimizeOptions& options) {
  if (options.time_budget_seconds <= 0) throw Error("--time-budget must be positive, e.g. 60m");
  std::unique_ptr<Target> target = find_target(options.target);
  require_available(*target);  // before anything is written
  OptimizeContext context{options, RunDirectory::open(options.out_dir, run_identity(options))};
  context.target = std::move(target);
  if (context.run.has("summary.json")) {
    std::fprintf(stderr, "%s holds a finished run; showing its summary (delete the folder to start over)\n",
                 options.out_dir.c_str());
    return context.run.read_json("summary.json");
  }
  if (context.run.resumed() && context.clock.resumed())
    std::fprintf(stderr, "resuming the run in %s, which has spent %s of its budget\n",
                 options.out_dir.c_str(), format_duration(context.clock.seconds_before()).c_str());
  else if (context.run.resumed())  // a folder from before run clocks
    std::fprintf(stderr, "resuming the run in %s (no record of the time it spent: the budget starts now)\n",
                 options.out_dir.c_str());

  context.announce(1, "load the model and the data, check the target");
  timed(context, "load", [&] { load_inputs(context); });
  context.announce(2, "baseline validation accuracy");
  context.baseline_val_accuracy = timed(context, "baseline", [&] { return baseline_val_accuracy(context); });
  std::fprintf(stderr, "  baseline: %.2f%% on %lld validation examples\n",
               100 * context.baseline_val_accuracy, static_cast<long long>(context.val.size()));

  context.announce(3, "build the search space");
  timed(context, "space", [&] {
    SpaceOptions space_options;
    space_options.supported_ops = context.target->supported_op_types();
    context.space = build_search_space(context.model, space_options);
  });
  context.plan = plan_budget(options.time_budget_seconds, count_candidates(context.space),
                             context.train.size(), options.fine_tune_slots);
  context.run.write_json("plan.json", to_json(context.plan));
  std::fprintf(stderr, "  %zu blocks, %lld candidates, %.3g architectures\n",
               context.space.segmentation.blocks.size(),
               static_cast<long long>(count_candidates(context.space)), context.space.size());

  context.announce(4, "distil candidate blocks from the baseline");
  auto nsr = timed(context, "distill", [&] { return distill_candidates(context); });
  context.announce(5, "measure candidates on " + context.target->name());
  SpaceLatencyModel latency = timed(context, "latency", [&] { return build_latency_model(context); });
  context.announce(6, "calibrate the accuracy predictor and search");
  SearchOutcome search =
      timed(context, "search", [&] { return search_architectures(context, nsr, latency); });
  context.announce(7, "fine-tune and verify the most promising architectures");
  auto verified = timed(context, "finetune", [&] {
    return finetune_and_verify(context, search.front, latency.predict(keep_everything(context.space)),
                               search.briefly_fine_tuned, search.predictions);
  });

  context.announce(8, "select, measure, report");
  Selection selection = select_result(context, verified);
  nlohmann::json summary;
  timed(context, "verify", [&] {
    std::string result_path = context.run.path("model.onnx");
    export_onnx(selection.model, result_path);
    std::string measured_in;
    LatencyComparison comparison = final_comparison(context, result_path, selection.model, measured_in);
    LabeledImages test =
        load_split(context.options.data_dir, context.options.val_dir, Split::kTest, options.test_limit);
    EvaluationOptions evaluation;
    evaluation.show_progress = options.show_progress;
    double baseline_test = evaluate_classifier(context.model, test, context.preprocessing, evaluation).top1;
    double result_test =
        selection.is_baseline
            ? baseline_test
            : evaluate_classifier(selection.model, test, context.preprocessing, evaluation).top1;
    Architecture chosen = Architecture::decode(selection.architecture);
    summary = {{"model", options.model_path},
               {"data", options.data_dir},
               {"target", context.target->name()},
               {"batch", options.batch},
               {"threads", options.threads},
               {"tolerance", options.tolerance},
               {"baseline",
                {{"val_accuracy", context.baseline_val_accuracy},
                 {"test_accuracy", baseline_test},
                 {"latency_ms", comparison.b.stats.median_ms},
                 {"latency", to_json(comparison.b.stats)}}},
               {"result",
                {{"val_accuracy", selection.val_accuracy},
                 {"test_accuracy", result_test},
                 {"latency_ms", comparison.a.stats.median_ms},
                 {"latency", to_json(comparison.a.stats)},
                 {"architecture", selection.architecture},
                 {"is_baseline", selection.is_baseline},
                 {"fine_tuned", selection.fine_tuned}}},
               {"speedup", 1.0 / comparison.ratio.ratio},
               {"speedup_ci95", {1.0 / comparison.ratio.interval.high, 1.0 / comparison.ratio.interval.low}},
               {"latency_measured_in", measured_in},
               {"constraint_met", selection.val_accuracy >= context.accuracy_needed()},
               {"val_examples", context.val.size()},
               {"test_examples", test.size()},
               {"train_examples", context.train.size()},
               {"blocks", block_decisions(context, chosen, nsr, latency)},
               {"search", {{"pareto_front", front_json(search.front)}, {"details", search.report}}},
               {"latency_model",
                {{"predictor", to_json(latency.predictor)}, {"baseline_end_to_end_ms", latency.baseline_ms}}},
               {"candidates_verified", nlohmann::json::array()},
               {"plan", to_json(context.plan)}};
    for (const auto& candidate : verified) summary["candidates_verified"].push_back(to_json(candidate));
    if (!selection.is_baseline && !selection.fine_tuned) {
      summary["note"] =
          "the result is the baseline with exact rewrites only (dead kernel taps trimmed); no "
          "fine-tuned architecture met the accuracy constraint and ran faster";
    }
    if (selection.is_baseline) {
      summary["note"] = verified.empty() ? "no architecture was promising enough to fine-tune within the "
                                           "budget; the output is the baseline"
                                         : "no fine-tuned architecture met the accuracy constraint and ran "
                                           "faster; the output is the baseline";
    }
  });
  summary["stage_seconds"] = context.clock.stage_seconds();
  summary["wall_seconds"] = context.elapsed_seconds();
  context.run.write_json("summary.json", summary);
  write_report(options.out_dir);
  return summary;
}

std::string write_report(const std::string& out_dir) {
  fs::path summary_path = fs::path(out_dir) / "summary.json";
  if (!fs::exists(summary_path)) {
    throw make_error(out_dir, " has no summary.json: run `nacre optimize ... --out ", out_dir,
                     "` first (or let it finish)");
  }
  std::ifstream file(summary_path);
  nlohmann::json summary = nlohmann::json::parse(file);
  std::string report_path = (fs::path(out_dir) / "report.html").string();
  write_file_atomically(report_path, render_html_report(summary));
  return report_path;
}

}  // namespace nacre
