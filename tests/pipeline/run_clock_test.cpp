// A run's clock goes on across processes, so a stopped and resumed run keeps to one budget.
#include "pipeline/run_clock.h"

#include <gtest/gtest.h>

#include <fstream>
#include <thread>

#include "test_paths.h"
#include "util/error.h"

namespace nacre {
namespace {

double recorded_seconds(const std::string& path) {
  return testing::read_json_file(path).at("seconds").get<double>();
}

TEST(RunClock, ANewRunStartsFromNothingAndIsRecordedAtOnce) {
  std::string path = testing::scratch_dir("run_clock_new") + "/clock.json";
  RunClock clock(path);
  EXPECT_FALSE(clock.resumed());
  EXPECT_EQ(clock.seconds_before(), 0);
  EXPECT_GE(clock.elapsed_seconds(), 0);
  EXPECT_EQ(testing::read_json_file(path).at("processes"), 1);
}

TEST(RunClock, AResumedRunGoesOnFromTheTimeAndStagesAlreadySpent) {
  std::string path = testing::scratch_dir("run_clock_resumed") + "/clock.json";
  // An earlier process spent 100 s, 60 of them distilling, and was killed during the search.
  std::ofstream(path)
      << R"({"seconds": 100, "processes": 1, "stage_seconds": {"distill": 60, "search": 30}})";
  RunClock clock(path);
  EXPECT_TRUE(clock.resumed());
  EXPECT_EQ(clock.seconds_before(), 100);
  EXPECT_GE(clock.elapsed_seconds(), 100);
  clock.start_stage("search");
  clock.stop_stage();
  std::map<std::string, double> stages = clock.stage_seconds();
  EXPECT_EQ(stages.at("distill"), 60);
  EXPECT_GE(stages.at("search"), 30);
  clock.write();
  EXPECT_GE(recorded_seconds(path), 100);
  EXPECT_EQ(testing::read_json_file(path).at("processes"), 2);
}

TEST(RunClock, AStageInProgressCountsUpToNow) {
  RunClock clock(testing::scratch_dir("run_clock_stage") + "/clock.json");
  clock.start_stage("finetune");
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_GT(clock.stage_seconds().at("finetune"), 0);
  clock.stop_stage();
  double finished = clock.stage_seconds().at("finetune");
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_EQ(clock.stage_seconds().at("finetune"), finished);  // stopped stages stay as they were
}

TEST(RunClock, TheRecordAdvancesWhileTheRunWorks) {
  // A process killed outright writes nothing at the end: the thread's records are what a resumed run reads.
  std::string path = testing::scratch_dir("run_clock_thread") + "/clock.json";
  RunClock clock(path, 0.01);
  double first = recorded_seconds(path);
  for (int i = 0; i < 500 && recorded_seconds(path) <= first; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_GT(recorded_seconds(path), first);
}

TEST(RunClock, ARecordThatIsNotAClockIsRefusedRatherThanRestarted) {
  std::string path = testing::scratch_dir("run_clock_bad") + "/clock.json";
  std::ofstream(path) << R"({"seconds": "a while"})";
  try {
    RunClock clock(path);
    FAIL() << "a malformed clock was accepted";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("not a run clock"), std::string::npos) << error.what();
  }
}

}  // namespace
}  // namespace nacre
