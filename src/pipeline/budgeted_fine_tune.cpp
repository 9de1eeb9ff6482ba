#include "pipeline/budgeted_fine_tune.h"

#include <chrono>

#include "util/progress.h"

namespace nacre {

FineTuneResult fine_tune_for_budget(const Graph& start, const FineTuneData& data,
                                    const BudgetedFineTune& plan) {
  FineTuneOptions options;
  options.epochs = 1000;  // the time budget decides
  options.time_budget_seconds = plan.seconds;
  options.max_steps = plan.max_steps;
  options.augment = plan.image_height >= 16;
  options.threads = plan.threads;
  options.seed = plan.seed;
  options.learning_rate = plan.learning_rate;
  options.alpha = plan.teacher_weight;
  options.memory_layout = plan.memory_layout;
  // The time budget ends training long before the nominal epochs: progress is shown in seconds of it.
  Progress progress(plan.label, static_cast<int64_t>(plan.seconds), "s", plan.show_progress);
  auto started = std::chrono::steady_clock::now();
  options.progress = [&](int64_t, int64_t, double) {
    progress.update(static_cast<int64_t>(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count()));
  };
  FineTuneResult result = fine_tune(start, data, options);
  progress.finish();
  return result;
}

}  // namespace nacre
