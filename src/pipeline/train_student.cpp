#include "pipeline/train_student.h"

#include <filesystem>

#include "io/data/dataset.h"
#include "io/onnx/load_model.h"
#include "io/onnx/onnx_export.h"
#include "pipeline/budgeted_fine_tune.h"
#include "pipeline/evaluate_classifier.h"
#include "pipeline/model_preprocessing.h"
#include "train/teacher_activations.h"
#include "util/available_cores.h"
#include "util/error.h"

namespace nacre {

TrainStudentResult train_student(const TrainStudentOptions& options) {
  if (std::filesystem::exists(options.out_path)) {
    throw make_error(options.out_path, " already exists: nacre does not overwrite it; give another --out");
  }
  Graph teacher = load_model(options.teacher_path);
  Graph student = load_model(options.student_path);
  Preprocessing preprocessing =
      preprocessing_for_model(teacher, options.teacher_path, options.mean, options.std).preprocessing;
  LabeledImages train = load_split(options.data_dir, options.val_dir, Split::kTrain, options.train_limit);
  LabeledImages val = load_split(options.data_dir, options.val_dir, Split::kVal, options.val_limit);
  check_fits(train, preprocessing);
  Tensor inputs = preprocess_batch(train, 0, train.size(), preprocessing);
  int threads = options.threads > 0 ? options.threads : available_cores();

  EvaluationOptions evaluation;
  evaluation.show_progress = options.show_progress;
  TrainStudentResult result;
  result.teacher_val_accuracy = evaluate_classifier(teacher, val, preprocessing, evaluation).top1;
  ActivationOptions activation;
  activation.threads = threads;
  Tensor logits = teacher_activations(teacher, {teacher.outputs[0]}, inputs, activation)[0];

  BudgetedFineTune plan;
  plan.seconds = options.time_budget_seconds;
  plan.max_steps = options.max_steps;
  plan.learning_rate = options.learning_rate;
  plan.teacher_weight = options.teacher_weight;
  plan.memory_layout = options.memory_layout;
  plan.image_height = preprocessing.height;
  plan.threads = threads;
  plan.seed = options.seed;
  plan.label = "train " + std::filesystem::path(options.student_path).filename().string();
  plan.show_progress = options.show_progress;
  FineTuneResult trained = fine_tune_for_budget(student, {inputs, logits, train.labels}, plan);
  export_onnx(trained.trained, options.out_path);

  result.student_val_accuracy = evaluate_classifier(trained.trained, val, preprocessing, evaluation).top1;
  result.seconds = trained.seconds;
  result.steps = trained.steps;
  result.diverged = trained.diverged;
  result.memory_layout = to_string(trained.memory_layout);
  return result;
}

}  // namespace nacre
