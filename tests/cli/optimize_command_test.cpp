// nacre optimize end to end on a small trained Fashion-MNIST model (the small_fmnist fixture) and small data
// subsets: the constraint holds on measured accuracy, resume works after a kill, bad input is refused.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "test_paths.h"

namespace nacre {
namespace {

namespace fs = std::filesystem;
using testing::run_nacre;

std::string optimize_command(const std::string& out, const std::string& extra = "") {
  return "optimize " + testing::fixture("small_fmnist.onnx") + " --data " + testing::fashion_mnist_dir() +
         " --out " + out + " --train-limit 1000 --val-limit 500 --test-limit 500 " + extra;
}

TEST(OptimizeCommand, MeetsTheConstraintOnMeasuredAccuracyAndWritesEverything) {
  std::string out = testing::scratch_dir("optimize_end_to_end") + "/run";
  auto result = run_nacre(optimize_command(out, "--time-budget 40s"));
  ASSERT_EQ(result.exit_code, 0) << result.output;
  nlohmann::json summary = testing::read_json_file(out + "/summary.json");
  for (const char* key : {"speedup", "constraint_met", "tolerance", "blocks", "stage_seconds"}) {
    EXPECT_TRUE(summary.contains(key)) << key;
  }
  for (const char* side : {"baseline", "result"}) {
    for (const char* key : {"val_accuracy", "test_accuracy", "latency_ms"}) {
      EXPECT_TRUE(summary[side].contains(key)) << side << "." << key;
    }
  }
  EXPECT_TRUE(summary["constraint_met"].get<bool>());
  EXPECT_GE(summary["result"]["val_accuracy"].get<double>(),
            summary["baseline"]["val_accuracy"].get<double>());
  EXPECT_GT(summary["speedup"].get<double>(), 0);
  // torchscript runs in-process, so the final comparison is a fresh `nacre latency` process's.
  EXPECT_EQ(summary["latency_measured_in"], "a fresh process");

  // The exported model is what the summary says: the same validation accuracy, measured independently.
  std::string json_path = out + "/check.json";
  auto evaluation = run_nacre("evaluate " + out + "/model.onnx --data " + testing::fashion_mnist_dir() +
                              " --split val --limit 500 --mean 0.286 --std 0.353 --json " + json_path);
  ASSERT_EQ(evaluation.exit_code, 0) << evaluation.output;
  EXPECT_DOUBLE_EQ(testing::read_json_file(json_path)["accuracy"].get<double>(),
                   summary["result"]["val_accuracy"].get<double>());
  std::ifstream report(out + "/report.html");
  std::string html((std::istreambuf_iterator<char>(report)), std::istreambuf_iterator<char>());
  EXPECT_NE(html.find("function scatter"), std::string::npos);
  EXPECT_NE(html.find("\"speedup\""), std::string::npos);

  // Rerunning a finished run shows its summary and computes nothing again.
  auto again = run_nacre(optimize_command(out, "--time-budget 40s"));
  ASSERT_EQ(again.exit_code, 0) << again.output;
  EXPECT_NE(again.output.find("holds a finished run"), std::string::npos) << again.output;
}

TEST(OptimizeCommand, AnImpossibleConstraintGivesTheBaselineAndSaysSo) {
  std::string out = testing::scratch_dir("optimize_impossible") + "/run";
  // A negative tolerance of 100 points asks for a gain no model can have.
  auto result = run_nacre(optimize_command(out, "--time-budget 20s --tolerance -100"));
  ASSERT_EQ(result.exit_code, 0) << result.output;
  nlohmann::json summary = testing::read_json_file(out + "/summary.json");
  EXPECT_TRUE(summary["result"]["is_baseline"].get<bool>());
  EXPECT_FALSE(summary["constraint_met"].get<bool>());
  EXPECT_TRUE(summary.contains("note"));
  EXPECT_EQ(summary["result"]["val_accuracy"], summary["baseline"]["val_accuracy"]);
}

TEST(OptimizeCommand, AKilledRunResumesWithoutRepeatingFinishedUnits) {
  std::string out = testing::scratch_dir("optimize_resume") + "/run";
  // SIGKILL part-way through distillation, as a crash or a power cut would: as soon as the first distilled
  // candidate is on disk (a kill at a fixed time lands elsewhere on a loaded machine).
  std::system(("(" + std::string(NACRE_BINARY) + " " + optimize_command(out, "--time-budget 75s") +
               " >/dev/null 2>&1 & pid=$!; for i in $(seq 1200); do ls " + out +
               "/distill/*.json >/dev/null 2>&1 && break; sleep 0.05; done; kill -KILL $pid; wait $pid)")
                  .c_str());
  ASSERT_TRUE(fs::exists(out + "/run.json"));
  ASSERT_FALSE(fs::exists(out + "/summary.json")) << "the run ended before it was killed";
  std::map<std::string, fs::file_time_type> finished;
  for (const auto& entry : fs::directory_iterator(out + "/distill")) {
    if (entry.path().extension() == ".json") finished[entry.path().string()] = entry.last_write_time();
  }
  ASSERT_FALSE(finished.empty());
  auto result = run_nacre(optimize_command(out, "--time-budget 75s"));
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("resuming"), std::string::npos) << result.output;
  // The rerun's budget is what the killed run left: the run's clock went on (pipeline/run_clock.h).
  EXPECT_NE(result.output.find("which has spent"), std::string::npos) << result.output;
  EXPECT_EQ(testing::read_json_file(out + "/clock.json")["processes"], 2);
  EXPECT_TRUE(fs::exists(out + "/summary.json"));
  for (const auto& [path, time] : finished)
    EXPECT_EQ(fs::last_write_time(path), time) << path << " was redone";

  // Killed after fine-tuning (summary.json not written yet): the rerun reads every slot's verification back,
  // so it makes the same choices and trains nothing new.
  nlohmann::json first = testing::read_json_file(out + "/summary.json");
  // The budget covers the killed process too; 75 s leave time to fine-tune after it, so there is something to
  // read back (distillation overruns its plan on a loaded machine: 37 s of a 45 s budget beside other tests).
  ASSERT_FALSE(first["candidates_verified"].empty()) << first.dump(2);
  fs::remove(out + "/summary.json");
  std::set<std::string> trained_before;
  for (const auto& entry : fs::directory_iterator(out + "/finetune")) trained_before.insert(entry.path());
  auto rerun = run_nacre(optimize_command(out, "--time-budget 75s"));
  ASSERT_EQ(rerun.exit_code, 0) << rerun.output;
  nlohmann::json second = testing::read_json_file(out + "/summary.json");
  ASSERT_EQ(second["candidates_verified"].size(), first["candidates_verified"].size());
  for (size_t i = 0; i < first["candidates_verified"].size(); ++i) {
    const nlohmann::json& before = first["candidates_verified"][i];
    const nlohmann::json& after = second["candidates_verified"][i];
    for (const char* key : {"architecture", "val_accuracy", "latency_ms", "baseline_latency_ms_same_session"})
      EXPECT_EQ(after[key], before[key]) << key;
    // Predicted from measurements read back from JSON: equal up to the last digits.
    EXPECT_NEAR(after["predicted_latency_ms"].get<double>(), before["predicted_latency_ms"].get<double>(),
                1e-9);
  }
  EXPECT_EQ(second["result"]["architecture"], first["result"]["architecture"]);
  std::set<std::string> trained_after;
  for (const auto& entry : fs::directory_iterator(out + "/finetune")) trained_after.insert(entry.path());
  EXPECT_EQ(trained_after, trained_before);
}

TEST(OptimizeCommand, AnOutputFolderOfAnotherRunIsNeverOverwritten) {
  std::string out = testing::scratch_dir("optimize_other_run") + "/run";
  fs::create_directories(out);
  std::ofstream(out + "/run.json") << R"({"model": "someone else's"})";
  auto result = run_nacre(optimize_command(out, "--time-budget 20s"));
  EXPECT_EQ(result.exit_code, 1) << result.output;
  EXPECT_NE(result.output.find("holds another run"), std::string::npos) << result.output;
  EXPECT_EQ(testing::read_json_file(out + "/run.json")["model"], "someone else's");

  std::string foreign = testing::scratch_dir("optimize_foreign_folder");
  std::ofstream(foreign + "/notes.txt") << "mine";
  result = run_nacre(optimize_command(foreign, "--time-budget 20s"));
  EXPECT_EQ(result.exit_code, 1) << result.output;
  EXPECT_NE(result.output.find("not a nacre run"), std::string::npos) << result.output;
}

TEST(OptimizeCommand, DataThatDoesNotFitTheModelIsRefused) {
  std::string out = testing::scratch_dir("optimize_bad_data") + "/run";
  auto result =
      run_nacre("optimize " + testing::fixture("small_fmnist.onnx") + " --data " + testing::cifar10_dir() +
                " --out " + out + " --time-budget 20s --train-limit 100 --val-limit 100");
  EXPECT_EQ(result.exit_code, 1) << result.output;
  EXPECT_NE(result.output.find("channel"), std::string::npos) << result.output;
}

TEST(OptimizeCommand, AnUnavailableTargetIsRefusedBeforeAnythingIsWritten) {
  std::string out = testing::scratch_dir("optimize_bad_target") + "/run";
  auto result = run_nacre(optimize_command(out, "--time-budget 20s --target cmd"));
  EXPECT_EQ(result.exit_code, 1) << result.output;
  EXPECT_NE(result.output.find("cmd"), std::string::npos) << result.output;
  EXPECT_FALSE(fs::exists(out));
}

}  // namespace
}  // namespace nacre
