#include "train/fine_tune.h"

#include <chrono>
#include <cmath>
#include <numeric>

#include "exec/graph_module_torch.h"
#include "train/augmentation_torch.h"
#include "train/example_split.h"
#include "train/losses.h"
#include "train/lr_schedule.h"
#include "train/training_graph.h"
#include "train/training_state_torch.h"
#include "util/error.h"

namespace nacre {

namespace {

constexpr int64_t kCalibrationExamples = 256;
constexpr double kLossFloor = 0.1;  // below this a start is "nearly perfect" for divergence detection

void check_data(const Graph& student, const FineTuneData& data, const FineTuneOptions& options) {
  const std::string where = "fine_tune (student '" + student.name + "')";
  if (student.inputs.size() != 1 || student.outputs.size() != 1) {
    throw make_error(where, ": the student must have one runtime input and one output, it has ",
                     student.inputs.size(), " and ", student.outputs.size());
  }
  if (data.inputs.dtype() != DataType::kFloat32 || data.teacher_logits.dtype() != DataType::kFloat32 ||
      data.inputs.rank() < 1 || data.teacher_logits.rank() != 2 ||
      data.inputs.shape()[0] != data.teacher_logits.shape()[0] || data.inputs.shape()[0] < 1) {
    throw make_error(where, ": inputs (float32 [N, ...]) and teacher logits (float32 [N, K]) must hold the ",
                     "same examples; got ", to_string(data.inputs.shape()), " and ",
                     to_string(data.teacher_logits.shape()));
  }
  const int64_t count = data.inputs.shape()[0], classes = data.teacher_logits.shape()[1];
  if (!data.labels.empty() && static_cast<int64_t>(data.labels.size()) != count) {
    throw make_error(where, ": ", data.labels.size(), " labels for ", count, " examples");
  }
  for (int64_t label : data.labels) {
    if (label < 0 || label >= classes) {
      throw make_error(where, ": label ", label, " is outside the teacher's ", classes, " classes");
    }
  }
  if (options.max_steps <= 0 && options.epochs <= 0 && options.time_budget_seconds <= 0) {
    throw make_error(where, ": give a budget (max_steps, epochs or a time budget)");
  }
}

class FineTuner {
 public:
  FineTuner(const Graph& student, const FineTuneData& data, const FineTuneOptions& options);
  FineTuneResult run();

 private:
  torch::Tensor loss_on(const std::vector<int64_t>& batch, MemoryLayout layout);
  bool recover_from_divergence();
  int64_t step_budget() const;
  double elapsed() const;

  const FineTuneOptions& options_;
  torch::Tensor inputs_, teacher_logits_, labels_;
  std::shared_ptr<GraphModule> module_;
  std::unique_ptr<torch::optim::Optimizer> optimizer_;
  ModuleSnapshot last_good_;
  FineTuneResult result_;
  double lr_scale_ = 1.0;
  LayoutTrial layout_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

FineTuner::FineTuner(const Graph& student, const FineTuneData& data, const FineTuneOptions& options)
    : options_(options),
      inputs_(to_torch(data.inputs)),
      teacher_logits_(to_torch(data.teacher_logits)),
      layout_(inputs_.dim() == 4 ? options.memory_layout : MemoryLayout::kContiguous) {
  if (!data.labels.empty()) labels_ = torch::tensor(data.labels, torch::kLong);
  Graph training_graph = student;
  if (options.train_with_batchnorm) {
    const int64_t calibration = std::min<int64_t>(kCalibrationExamples, inputs_.size(0));
    training_graph = add_training_batchnorm(student, from_torch(inputs_.slice(0, 0, calibration)));
  }
  module_ = std::make_shared<GraphModule>(training_graph);
}

double FineTuner::elapsed() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

int64_t FineTuner::step_budget() const {
  if (options_.max_steps > 0) return options_.max_steps;
  if (options_.epochs <= 0) return 0;
  const int64_t batch = std::clamp<int64_t>(options_.batch_size, 1, inputs_.size(0));
  return static_cast<int64_t>(std::ceil(options_.epochs * inputs_.size(0) / batch));
}

torch::Tensor FineTuner::loss_on(const std::vector<int64_t>& batch, MemoryLayout layout) {
  torch::Tensor inputs = take_rows(inputs_, batch);
  if (options_.augment) inputs = augment_images(inputs, options_.crop_padding, options_.horizontal_flip);
  torch::Tensor logits = module_->forward({in_layout(inputs, layout)})[0];
  torch::Tensor teacher = take_rows(teacher_logits_, batch);
  if (logits.sizes() != teacher.sizes()) {
    throw make_error("fine_tune (student '", module_->graph().name, "'): the student's output ",
                     logits.sizes(), " does not match the teacher's logits ", teacher.sizes());
  }
  torch::Tensor distill = distillation_loss(logits, teacher, options_.temperature);
  if (!labels_.defined()) return distill;
  torch::Tensor hard = label_cross_entropy(logits, take_rows(labels_, batch));
  return options_.alpha * distill + (1.0 - options_.alpha) * hard;
}

// Rolls back to the last good weights at half the rate; false when no rollbacks are left.
bool FineTuner::recover_from_divergence() {
  last_good_.restore_into(*module_);
  if (result_.rollbacks >= options_.max_rollbacks) {
    result_.diverged = true;
    return false;
  }
  ++result_.rollbacks;
  lr_scale_ *= 0.5;
  optimizer_ = make_optimizer(options_.optimizer, module_->parameters(), options_.learning_rate * lr_scale_,
                              options_.momentum, options_.weight_decay);
  return true;
}

FineTuneResult FineTuner::run() {
  optimizer_ = make_optimizer(options_.optimizer, module_->parameters(), options_.learning_rate,
                              options_.momentum, options_.weight_decay);
  last_good_ = ModuleSnapshot(*module_);
  const CosineSchedule schedule{options_.learning_rate};
  DivergenceDetector detector(options_.divergence_factor, kLossFloor);
  std::vector<int64_t> all(inputs_.size(0));
  std::iota(all.begin(), all.end(), 0);
  MinibatchSampler sampler(all, options_.batch_size, options_.seed + 1);
  const int64_t total = step_budget();

  while (true) {
    const double seconds = elapsed();
    if (options_.time_budget_seconds > 0 && seconds >= options_.time_budget_seconds) {
      result_.stopped_by_time = total <= 0 || result_.steps < total;
      break;
    }
    const double progress = budget_progress(result_.steps, total, seconds, options_.time_budget_seconds);
    if (progress >= 1.0) break;
    set_learning_rate(*optimizer_, lr_scale_ * schedule.at(progress));
    module_->train();
    const double step_start = elapsed();
    torch::Tensor loss = loss_on(sampler.next(), layout_.next());
    const double loss_value = loss.item<double>();
    if (detector.diverged(loss_value)) {
      if (!recover_from_divergence()) break;
      continue;
    }
    // These weights just gave a sound loss: a place to roll back to.
    if (result_.steps % std::max<int64_t>(1, options_.checkpoint_every) == 0)
      last_good_ = ModuleSnapshot(*module_);
    optimizer_->zero_grad();
    loss.backward();
    optimizer_->step();
    layout_.record(elapsed() - step_start);
    ++result_.steps;
    result_.loss_history.push_back(loss_value);
    if (options_.progress) options_.progress(result_.steps, total, loss_value);
  }

  if (!all_finite(*module_)) {  // the last step broke the weights after its loss was checked
    last_good_.restore_into(*module_);
    ++result_.rollbacks;
  }
  result_.trained = module_->to_graph();
  if (options_.train_with_batchnorm) result_.trained = fold_training_batchnorm(std::move(result_.trained));
  result_.seconds = elapsed();
  result_.memory_layout = layout_.next();
  return result_;
}

}  // namespace

FineTuneResult fine_tune(const Graph& student, const FineTuneData& data, const FineTuneOptions& options) {
  check_data(student, data, options);
  ThreadCountScope threads(options.threads);
  torch::manual_seed(options.seed);
  try {
    FineTuner tuner(student, data, options);
    return tuner.run();
  } catch (const c10::Error& error) {
    throw make_error("fine_tune (student '", student.name, "'): ", error.what_without_backtrace());
  }
}

}  // namespace nacre
