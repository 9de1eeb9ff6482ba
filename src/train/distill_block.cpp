#include "train/distill_block.h"

#include <chrono>
#include <cmath>
#include <limits>

#include "exec/graph_module_torch.h"
#include "train/example_split.h"
#include "train/losses.h"
#include "train/lr_schedule.h"
#include "train/training_graph.h"
#include "train/training_state_torch.h"
#include "util/error.h"

namespace nacre {

namespace {

constexpr int64_t kCalibrationExamples = 256;
constexpr int64_t kEvaluationBatch = 256;

void check_arguments(const Graph& candidate, const Tensor& inputs, const Tensor& targets,
                     const DistillOptions& options) {
  const std::string where = "distill_block (candidate '" + candidate.name + "')";
  if (candidate.inputs.size() != 1 || candidate.outputs.size() != 1) {
    throw make_error(where, ": a block has one runtime input and one output, this one has ",
                     candidate.inputs.size(), " and ", candidate.outputs.size());
  }
  if (inputs.dtype() != DataType::kFloat32 || targets.dtype() != DataType::kFloat32) {
    throw make_error(where, ": inputs and targets must be float32");
  }
  if (inputs.rank() < 1 || targets.rank() < 1 || inputs.shape()[0] != targets.shape()[0] ||
      inputs.shape()[0] < 2) {
    throw make_error(where, ": inputs ", to_string(inputs.shape()), " and targets ",
                     to_string(targets.shape()), " must hold the same number (>= 2) of examples");
  }
  if (options.max_steps <= 0 && options.time_budget_seconds <= 0) {
    throw make_error(where, ": give a step budget (max_steps) or a time budget");
  }
}

// Held-out NSR in inference mode; the output shape must match the targets'.
double evaluate_nsr(GraphModule& module, const torch::Tensor& inputs, const torch::Tensor& targets) {
  torch::NoGradGuard no_grad;
  module.eval();
  std::vector<torch::Tensor> outputs;
  for (int64_t begin = 0; begin < inputs.size(0); begin += kEvaluationBatch) {
    outputs.push_back(module.forward({inputs.slice(0, begin, begin + kEvaluationBatch)})[0]);
  }
  torch::Tensor prediction = torch::cat(outputs);
  if (prediction.sizes() != targets.sizes()) {
    throw make_error("distill_block (candidate '", module.graph().name, "'): the candidate's output ",
                     prediction.sizes(), " does not match the targets ", targets.sizes());
  }
  return noise_to_signal(prediction, targets);
}

class BlockDistiller {
 public:
  BlockDistiller(const Graph& candidate, const Tensor& inputs, const Tensor& targets,
                 const DistillOptions& options);
  DistillResult run();

 private:
  bool recover_from_divergence();
  void evaluate_and_keep_best();
  double elapsed() const;

  const DistillOptions& options_;
  torch::Tensor inputs_, targets_, holdout_inputs_, holdout_targets_;
  ExampleSplit split_;
  std::shared_ptr<GraphModule> module_;
  std::unique_ptr<torch::optim::Optimizer> optimizer_;
  ModuleSnapshot best_;  // also where a divergence rolls back to
  DistillResult result_;
  double lr_scale_ = 1.0;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

BlockDistiller::BlockDistiller(const Graph& candidate, const Tensor& inputs, const Tensor& targets,
                               const DistillOptions& options)
    : options_(options), inputs_(to_torch(inputs)), targets_(to_torch(targets)) {
  split_ = split_examples(inputs_.size(0), options.holdout_fraction, options.seed);
  const std::vector<int64_t>& measured = split_.holdout.empty() ? split_.train : split_.holdout;
  holdout_inputs_ = take_rows(inputs_, measured);
  holdout_targets_ = take_rows(targets_, measured);
  Graph training_graph = candidate;
  if (options.train_with_batchnorm) {
    std::vector<int64_t> calibration(
        split_.train.begin(),
        split_.train.begin() + std::min<int64_t>(kCalibrationExamples, split_.train.size()));
    training_graph = add_training_batchnorm(candidate, from_torch(take_rows(inputs_, calibration)));
  }
  module_ = std::make_shared<GraphModule>(training_graph);
}

double BlockDistiller::elapsed() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

// Rolls back to the best weights seen, at half the rate; false when no rollbacks are left.
bool BlockDistiller::recover_from_divergence() {
  if (result_.rollbacks >= options_.max_rollbacks) {
    result_.diverged = true;
    return false;
  }
  ++result_.rollbacks;
  best_.restore_into(*module_);
  lr_scale_ *= 0.5;
  optimizer_ = make_optimizer(OptimizerKind::kAdam, module_->parameters(), options_.learning_rate * lr_scale_,
                              0.0, 0.0);
  return true;
}

void BlockDistiller::evaluate_and_keep_best() {
  const double nsr = evaluate_nsr(*module_, holdout_inputs_, holdout_targets_);
  if (nsr < result_.nsr_after) {  // false for NaN
    result_.nsr_after = nsr;
    best_ = ModuleSnapshot(*module_);
  }
}

DistillResult BlockDistiller::run() {
  result_.nsr_before = evaluate_nsr(*module_, holdout_inputs_, holdout_targets_);
  result_.nsr_after =
      std::isfinite(result_.nsr_before) ? result_.nsr_before : std::numeric_limits<double>::infinity();
  best_ = ModuleSnapshot(*module_);
  if (module_->parameters().empty()) {  // nothing to train (an identity skip): its quality is all there is
    result_.trained = module_->to_graph();
    if (options_.train_with_batchnorm) result_.trained = fold_training_batchnorm(std::move(result_.trained));
    result_.seconds = elapsed();
    return result_;
  }
  optimizer_ = make_optimizer(OptimizerKind::kAdam, module_->parameters(), options_.learning_rate, 0.0, 0.0);
  const CosineSchedule schedule{options_.learning_rate};
  const double target_variance = targets_.var(/*unbiased=*/false).item<double>();
  DivergenceDetector detector(options_.divergence_factor, 0.1 * target_variance);
  MinibatchSampler sampler(split_.train, options_.batch_size, options_.seed + 1);
  const int64_t total = options_.max_steps > 0 ? options_.max_steps : 0;
  int64_t last_evaluated = 0;

  while (true) {
    const double progress =
        budget_progress(result_.steps, options_.max_steps, elapsed(), options_.time_budget_seconds);
    if (progress >= 1.0) break;
    set_learning_rate(*optimizer_, lr_scale_ * schedule.at(progress));
    module_->train();
    const std::vector<int64_t> batch = sampler.next();
    torch::Tensor loss =
        feature_mse_loss(module_->forward({take_rows(inputs_, batch)})[0], take_rows(targets_, batch));
    const double loss_value = loss.item<double>();
    if (detector.diverged(loss_value)) {
      if (!recover_from_divergence()) break;
      continue;
    }
    optimizer_->zero_grad();
    loss.backward();
    optimizer_->step();
    ++result_.steps;
    if (options_.progress) options_.progress(result_.steps, total, loss_value);
    if (result_.steps % std::max<int64_t>(1, options_.evaluate_every) == 0) {
      evaluate_and_keep_best();
      last_evaluated = result_.steps;
    }
  }
  if (last_evaluated != result_.steps) evaluate_and_keep_best();

  best_.restore_into(*module_);
  result_.trained = module_->to_graph();
  if (options_.train_with_batchnorm) result_.trained = fold_training_batchnorm(std::move(result_.trained));
  result_.seconds = elapsed();
  return result_;
}

}  // namespace

DistillResult distill_block(const Graph& candidate, const Tensor& inputs, const Tensor& targets,
                            const DistillOptions& options) {
  check_arguments(candidate, inputs, targets, options);
  ThreadCountScope threads(options.threads);
  torch::manual_seed(options.seed);
  try {
    BlockDistiller distiller(candidate, inputs, targets, options);
    return distiller.run();
  } catch (const c10::Error& error) {
    throw make_error("distill_block (candidate '", candidate.name, "'): ", error.what_without_backtrace());
  }
}

}  // namespace nacre
