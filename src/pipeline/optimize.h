// nacre optimize: the main job. A trained model, the user's data and a target in; the fastest model whose
// measured validation accuracy is within the tolerance of the baseline's out (the baseline itself when no
// candidate qualifies). DESIGN steps 2-10; every stage writes into the run directory, so a stopped run
// resumes.
#pragma once

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

namespace nacre {

struct OptimizeOptions {
  std::string model_path;
  std::string data_dir;
  std::string val_dir;  // the user's own validation folder (optional)
  std::string out_dir;
  std::string target = "torchscript";
  std::string input_shape;  // "1,3,32,32" for models with symbolic input dimensions
  std::vector<float> mean, std;
  double tolerance = 0;  // accuracy the result may lose, as a fraction (0.01 = one point)
  double time_budget_seconds = 3600;
  int batch = 1;            // latency measured at this batch size ...
  int threads = 1;          // ... and this many threads
  int train_threads = 0;    // threads for training (0: all cores)
  int fine_tune_slots = 0;  // architectures fine-tuned end to end (0: as many as the budget plans)
  uint64_t seed = 0;
  int64_t train_limit = -1;  // training examples used at most (-1: as the budget allows)
  int64_t val_limit = -1;    // validation examples (-1: all); for quick trials and tests
  int64_t test_limit = -1;   // test examples (-1: all)
  bool show_progress = true;
  // The nacre executable, to measure the final comparison in a fresh `nacre latency` process when the target
  // runs in-process (empty: measured in this process, as the slots' verifications are).
  std::string nacre_binary;
};

// Runs (or resumes) the optimisation and returns the summary also written to OUT/summary.json.
nlohmann::json optimize(const OptimizeOptions& options);

// (Re)writes OUT/report.html from OUT/summary.json; returns the report's path.
std::string write_report(const std::string& out_dir);

}  // namespace nacre
