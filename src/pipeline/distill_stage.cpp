#include "pipeline/distill_stage.h"

#include <cstdio>

#include "io/data/npy.h"
#include "io/onnx/load_model.h"
#include "io/onnx/onnx_export.h"
#include "train/distill_block.h"
#include "train/teacher_activations.h"
#include "util/progress.h"

namespace nacre {

namespace {

// The teacher's activations at every cut (block inputs, then the last block's output), cached as .npy.
std::vector<Tensor> cut_activations(OptimizeContext& context) {
  const Segmentation& segmentation = context.space.segmentation;
  std::vector<ValueId> cuts;
  for (const Block& block : segmentation.blocks) cuts.push_back(block.input);
  cuts.push_back(segmentation.blocks.back().output);
  std::vector<Tensor> activations;
  bool cached = true;
  for (size_t i = 0; i < cuts.size(); ++i)
    cached = cached && context.run.has("cache/cut_" + std::to_string(i) + ".npy");
  if (cached) {
    for (size_t i = 0; i < cuts.size(); ++i) {
      activations.push_back(read_npy(context.run.path("cache/cut_" + std::to_string(i) + ".npy")));
    }
    return activations;
  }
  int64_t count = std::min<int64_t>(context.plan.distill_examples, context.train_inputs.shape()[0]);
  const Tensor& inputs = context.train_inputs;
  Progress progress("teacher activations", count, "examples", context.options.show_progress);
  ActivationOptions options;
  options.threads = context.train_threads();
  options.max_bytes = int64_t{6} << 30;
  options.progress = [&](int64_t done, int64_t) { progress.update(done); };
  InputBatches batches = [&](int64_t begin, int64_t end) {
    int64_t per_example = inputs.numel() / inputs.shape()[0];
    Shape shape = inputs.shape();
    shape[0] = end - begin;
    std::vector<std::byte> bytes(inputs.raw() + begin * per_example * 4,
                                 inputs.raw() + end * per_example * 4);
    return Tensor(DataType::kFloat32, shape, std::move(bytes));
  };
  activations = teacher_activations(context.space.model, cuts, count, batches, options);
  progress.finish();
  for (size_t i = 0; i < cuts.size(); ++i) {
    write_npy(context.run.path("cache/cut_" + std::to_string(i) + ".npy"), activations[i]);
  }
  return activations;
}

int64_t count_units(const SearchSpace& space) {
  int64_t units = 0;
  for (const auto& candidates : space.candidates) units += static_cast<int64_t>(candidates.size()) - 1;
  return units;
}

}  // namespace

std::vector<std::vector<double>> distill_candidates(OptimizeContext& context) {
  std::vector<Tensor> activations = cut_activations(context);
  std::vector<std::vector<double>> nsr(context.space.candidates.size());
  Progress progress("distil candidates", count_units(context.space), "candidates",
                    context.options.show_progress);
  int64_t done = 0;
  for (size_t b = 0; b < context.space.candidates.size(); ++b) {
    auto& candidates = context.space.candidates[b];
    nsr[b].assign(candidates.size(), 0.0);
    for (size_t c = 1; c < candidates.size(); ++c) {
      Candidate& candidate = candidates[c];
      std::string unit = "distill/" + file_name_for(candidate.id);
      if (context.run.has(unit + ".json") && context.run.has(unit + ".onnx")) {
        candidate.graph = load_model(context.run.path(unit + ".onnx"));
        nsr[b][c] = context.run.read_json(unit + ".json").at("nsr_after").get<double>();
      } else {
        DistillOptions options;
        options.time_budget_seconds = context.plan.distill_seconds_per_candidate;
        options.max_steps = 2000;
        options.threads = context.train_threads();
        options.seed = context.options.seed + done;
        DistillResult result = distill_block(candidate.graph, activations[b], activations[b + 1], options);
        nsr[b][c] = result.nsr_after;
        export_onnx(result.trained, context.run.path(unit + ".onnx"));
        // The run goes on with the file a resumed run would read: the graph trained in memory exports to
        // other bytes than its reloaded copy, so the latency table (keyed by those bytes) of a run killed
        // during distillation missed these entries on resume and measured them again, moving its predictions.
        candidate.graph = load_model(context.run.path(unit + ".onnx"));
        context.run.write_json(unit + ".json", {{"candidate", candidate.id},
                                                {"nsr_before", result.nsr_before},
                                                {"nsr_after", result.nsr_after},
                                                {"steps", result.steps},
                                                {"seconds", result.seconds},
                                                {"diverged", result.diverged}});
      }
      progress.update(++done);
    }
  }
  progress.finish();
  return nsr;
}

}  // namespace nacre
