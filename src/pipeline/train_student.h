// Knowledge distillation of any student model from a teacher on the user's data, the way optimize fine-tunes
// its architectures (same loss, schedule, augmentation): what `nacre finetune` runs to train the
// alternatives a user would try instead of nacre (a uniformly pruned model, a standard efficient one) with
// the same recipe and the same time.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "train/fine_tune.h"

namespace nacre {

struct TrainStudentOptions {
  std::string student_path;  // ONNX: same input as the teacher, one output per class
  std::string teacher_path;  // ONNX: the trained model; its MODEL.json gives the preprocessing
  std::string data_dir;
  std::string val_dir;   // the user's own validation folder (optional)
  std::string out_path;  // the trained student, ONNX; never overwritten
  std::vector<float> mean, std;
  double time_budget_seconds = 600;
  int64_t max_steps = 0;  // a step budget too when > 0 (whichever ends first)
  double learning_rate = 0.01;
  double teacher_weight = FineTuneOptions{}.alpha;  // of the distillation term; the rest goes to the labels
  MemoryLayout memory_layout = MemoryLayout::kMeasured;  // of the training batches
  int threads = 0;                                       // training threads (0: all cores)
  uint64_t seed = 0;
  int64_t train_limit = -1, val_limit = -1;
  bool show_progress = true;
};

struct TrainStudentResult {
  double student_val_accuracy = 0;  // after training
  double teacher_val_accuracy = 0;
  double seconds = 0;  // of training
  int64_t steps = 0;
  bool diverged = false;
  std::string memory_layout;  // of the training batches, measured (train/memory_layout.h)
};

// Throws Error for a student that does not fit the teacher's data, or an existing out_path.
TrainStudentResult train_student(const TrainStudentOptions& options);

}  // namespace nacre
