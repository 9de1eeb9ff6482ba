// What the optimize stages share: the options, the run directory, the data, the target, the space, the plan.
#pragma once

#include <memory>
#include <string>

#include "io/data/dataset.h"
#include "io/data/preprocess.h"
#include "ir/graph.h"
#include "latency/latency_cache.h"
#include "latency/target.h"
#include "pipeline/budget_plan.h"
#include "pipeline/optimize.h"
#include "pipeline/run_clock.h"
#include "pipeline/run_directory.h"
#include "space/search_space.h"

namespace nacre {

struct OptimizeContext {
  OptimizeContext(OptimizeOptions run_options, RunDirectory run_directory)
      : options(std::move(run_options)), run(std::move(run_directory)), clock(run.path("clock.json")) {}

  OptimizeOptions options;
  RunDirectory run;
  Graph model;  // the baseline as loaded (BatchNorm folded, shapes inferred)
  Preprocessing preprocessing;
  LabeledImages train, val;
  Tensor train_inputs;  // preprocessed training examples, float32 [N, C, H, W]
  std::unique_ptr<Target> target;
  std::unique_ptr<LatencyCache> latency_cache;
  BudgetPlan plan;
  SearchSpace space;
  double baseline_val_accuracy = 0;
  RunClock clock;  // counts the time of earlier processes of a resumed run too

  double elapsed_seconds() const { return clock.elapsed_seconds(); }
  double seconds_left() const { return options.time_budget_seconds - elapsed_seconds(); }
  // The validation accuracy a result must reach: the baseline's less the tolerance.
  double accuracy_needed() const { return baseline_val_accuracy - options.tolerance; }
  void announce(int stage, const std::string& name) const;  // "[3/8] distil candidates (12:04 left)"
  int train_threads() const;
};

// Candidate ids become file names in the run directory.
std::string file_name_for(const std::string& id);

}  // namespace nacre
