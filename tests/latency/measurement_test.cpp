// The protocol's loop on fake prepared models that return synthetic times: stopping rule, caps, interleaving.
#include "latency/measurement.h"

#include <gtest/gtest.h>

#include <functional>
#include <nlohmann/json.hpp>
#include <random>

namespace nacre {
namespace {

// Returns times from a generator and logs each call's name into a shared journal.
class FakeModel : public PreparedModel {
 public:
  FakeModel(std::string name, std::function<double()> next_time, std::vector<std::string>* journal = nullptr)
      : name_(std::move(name)), next_time_(std::move(next_time)), journal_(journal) {}
  void set_inputs(const std::vector<Tensor>&) override {}
  std::optional<std::vector<Tensor>> compute_outputs() override { return std::nullopt; }
  std::vector<double> time_runs(int count) override {
    std::vector<double> times;
    for (int i = 0; i < count; ++i) {
      if (journal_) journal_->push_back(name_);
      times.push_back(next_time_());
    }
    return times;
  }

 private:
  std::string name_;
  std::function<double()> next_time_;
  std::vector<std::string>* journal_;
};

MeasurementOptions run_capped(int64_t max_runs) {
  MeasurementOptions options;
  options.warmup_runs = 2;
  options.max_seconds = 600;  // never reached: these runs take no time
  options.max_runs = max_runs;
  return options;
}

TEST(Measurement, ConstantSequenceStopsAtTheMinimumRuns) {
  FakeModel model("a", [] { return 4.0; });
  LatencyStats stats = measure_prepared(model, run_capped(1000));
  EXPECT_TRUE(stats.converged);
  EXPECT_EQ(stats.stop_reason, "converged");
  EXPECT_EQ(stats.runs, run_capped(1000).min_runs);
  EXPECT_DOUBLE_EQ(stats.median_ms, 4.0);
  EXPECT_DOUBLE_EQ(stats.p10_ms, 4.0);
  EXPECT_DOUBLE_EQ(stats.p90_ms, 4.0);
}

TEST(Measurement, VeryNoisySequenceRunsToTheCapAndSaysSo) {
  std::mt19937_64 generator(11);
  std::lognormal_distribution<double> heavy(0.0, 2.0);
  FakeModel model("a", [&] { return heavy(generator); });
  LatencyStats stats = measure_prepared(model, run_capped(300));
  EXPECT_FALSE(stats.converged);
  EXPECT_EQ(stats.runs, 300);
  EXPECT_EQ(stats.stop_reason, "run cap (300 runs)");
  EXPECT_LT(stats.p10_ms, stats.median_ms);
  EXPECT_GT(stats.p90_ms, stats.median_ms);
}

TEST(Measurement, ModerateNoiseConvergesWithinTwoPercent) {
  std::mt19937_64 generator(5);
  std::normal_distribution<double> noise(10.0, 0.5);
  FakeModel model("a", [&] { return noise(generator); });
  LatencyStats stats = measure_prepared(model, run_capped(100000));
  ASSERT_TRUE(stats.converged);
  ASSERT_TRUE(stats.median_interval_ms.has_value());
  EXPECT_GE(stats.median_interval_ms->low, stats.median_ms * 0.98);
  EXPECT_LE(stats.median_interval_ms->high, stats.median_ms * 1.02);
  EXPECT_GT(stats.runs, run_capped(1000).min_runs);  // 5% noise needs more than the minimum
  EXPECT_NEAR(stats.median_ms, 10.0, 0.2);
}

TEST(Measurement, TimeCapStopsAndIsReported) {
  std::mt19937_64 generator(1);
  std::lognormal_distribution<double> heavy(0.0, 2.0);
  FakeModel model("a", [&] { return heavy(generator); });
  MeasurementOptions options = run_capped(100000000);
  options.max_seconds = 0.05;
  LatencyStats stats = measure_prepared(model, options);
  EXPECT_FALSE(stats.converged);
  EXPECT_EQ(stats.stop_reason, "time cap (0.05 s)");
}

TEST(Measurement, ComparisonInterleavesRunByRun) {
  std::vector<std::string> journal;
  FakeModel a(
      "A", [] { return 6.0; }, &journal);
  FakeModel b(
      "B", [] { return 3.0; }, &journal);
  Comparison comparison = compare_prepared(a, b, run_capped(1000));
  ASSERT_EQ(journal.size() % 2, 0u);
  ASSERT_GE(journal.size(), 2u * (2 + 20));  // warm-up and timed rounds
  for (size_t i = 0; i < journal.size(); ++i) EXPECT_EQ(journal[i], i % 2 == 0 ? "A" : "B") << "call " << i;
  EXPECT_DOUBLE_EQ(comparison.ratio.ratio, 2.0);
  EXPECT_DOUBLE_EQ(comparison.ratio.interval.low, 2.0);
  EXPECT_DOUBLE_EQ(comparison.ratio.interval.high, 2.0);
  EXPECT_TRUE(comparison.a.converged);
  EXPECT_EQ(comparison.a.runs, comparison.b.runs);
}

TEST(Measurement, ComparisonRatioCancelsSharedDrift) {
  int round = 0;
  // Both slow down together (a noisy neighbour arriving); A is always 1.5x B within a round.
  FakeModel a("A", [&] { return 1.5 * (10 + (round / 20) * 5); });
  FakeModel b("B", [&] { return 10.0 + ((round++) / 20) * 5; });
  Comparison comparison = compare_prepared(a, b, run_capped(200));
  EXPECT_NEAR(comparison.ratio.ratio, 1.5, 1e-12);
  EXPECT_NEAR(comparison.ratio.interval.low, 1.5, 1e-9);
  EXPECT_NEAR(comparison.ratio.interval.high, 1.5, 1e-9);
}

TEST(Measurement, StatsRoundTripThroughJson) {
  LatencyStats stats = latency_stats_from_times({1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 0.02);
  stats.stop_reason = "time cap (10 s)";
  LatencyStats back = latency_stats_from_json(to_json(stats));
  EXPECT_DOUBLE_EQ(back.median_ms, 5.5);
  EXPECT_EQ(back.runs, 10);
  EXPECT_EQ(back.stop_reason, "time cap (10 s)");
  ASSERT_TRUE(back.median_interval_ms.has_value());
  EXPECT_DOUBLE_EQ(back.median_interval_ms->low, 2);
}

}  // namespace
}  // namespace nacre
