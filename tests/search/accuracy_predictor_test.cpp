#include "search/accuracy_predictor.h"

#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <random>

#include "util/error.h"

namespace nacre {
namespace {

// Architectures over 8 blocks, each block kept (NSR 0) or replaced by a candidate with NSR in (0, 1.5).
ArchitectureSignals random_signals(std::mt19937& random, bool with_extra) {
  std::uniform_real_distribution<double> unit(0, 1);
  ArchitectureSignals signals;
  for (int b = 0; b < 8; ++b) {
    const bool changed = unit(random) < 0.5;
    signals.block_changed.push_back(changed);
    signals.block_nsr.push_back(changed ? 0.01 + 1.5 * unit(random) * unit(random) : 0.0);
  }
  if (with_extra) signals.extra.push_back(0.5 + 0.4 * unit(random));  // e.g. accuracy before fine-tuning
  return signals;
}

// The known model: 0.9 - 0.03 sum - 0.05 sum log1p - 0.02 max - 0.004 changed + 0.1 extra.
double true_accuracy(const ArchitectureSignals& s) {
  double sum = 0, sum_log = 0, max = 0, changed = 0;
  for (size_t b = 0; b < s.block_nsr.size(); ++b) {
    sum += s.block_nsr[b];
    sum_log += std::log1p(s.block_nsr[b]);
    max = std::max(max, s.block_nsr[b]);
    changed += s.block_changed[b];
  }
  return 0.9 - 0.03 * sum - 0.05 * sum_log - 0.02 * max - 0.004 * changed +
         0.1 * (s.extra.empty() ? 0 : s.extra[0]);
}

std::vector<CalibrationSample> samples(std::mt19937& random, int count, bool with_extra, double noise) {
  std::normal_distribution<double> gaussian(0, noise > 0 ? noise : 1);
  std::vector<CalibrationSample> result;
  for (int i = 0; i < count; ++i) {
    CalibrationSample sample{random_signals(random, with_extra), 0};
    sample.accuracy = true_accuracy(sample.signals) + (noise > 0 ? gaussian(random) : 0);
    result.push_back(sample);
  }
  return result;
}

PredictorOptions prior_options(double baseline_accuracy) {
  PredictorOptions options;
  options.baseline_accuracy = baseline_accuracy;
  return options;
}

TEST(AccuracyPredictor, RecoversKnownCoefficients) {
  std::mt19937 random(1);
  PredictorOptions options;
  options.extra_names = {"stitched_accuracy"};
  const AccuracyPredictor predictor = AccuracyPredictor::fit(samples(random, 40, true, 0), options);
  ASSERT_EQ(predictor.method(), "ridge");
  EXPECT_EQ(predictor.feature_names().back(), "stitched_accuracy");
  const std::vector<double> expected = {-0.03, -0.05, -0.02, -0.004, 0.1};
  const std::vector<double> fitted = predictor.coefficients();
  ASSERT_EQ(fitted.size(), expected.size());
  for (size_t k = 0; k < expected.size(); ++k)
    EXPECT_NEAR(fitted[k], expected[k], 2e-3) << predictor.feature_names()[k];
  EXPECT_NEAR(predictor.offset(), 0.9, 2e-3);
}

TEST(AccuracyPredictor, RanksHeldOutArchitectures) {
  std::mt19937 random(2);
  const AccuracyPredictor predictor =
      AccuracyPredictor::fit(samples(random, 12, false, 0.003), PredictorOptions{});
  ASSERT_EQ(predictor.method(), "ridge");
  ASSERT_TRUE(predictor.validation().has_value());
  EXPECT_EQ(predictor.validation()->method, "leave-one-out");
  EXPECT_EQ(predictor.validation()->samples, 12);
  EXPECT_GT(predictor.validation()->spearman, 0.8);

  const RankValidation held_out = predictor.evaluate(samples(random, 30, false, 0.0));
  EXPECT_EQ(held_out.method, "held-out");
  EXPECT_GT(held_out.spearman, 0.9);
  EXPECT_GT(held_out.kendall, 0.75);
  EXPECT_LT(held_out.mean_absolute_error, 0.01);
}

TEST(AccuracyPredictor, NeverRewardsWorseBlocks) {
  // Accuracy that rises with NSR (noise in a handful of fine-tunes) must not teach the search to pick bad
  // blocks.
  std::vector<CalibrationSample> misleading;
  for (int i = 0; i < 6; ++i) {
    CalibrationSample sample;
    sample.signals.block_nsr = {0.1 * i, 0.05 * (i % 3)};
    sample.accuracy = 0.8 + 0.01 * i;
    misleading.push_back(sample);
  }
  const AccuracyPredictor predictor = AccuracyPredictor::fit(misleading, prior_options(0.85));
  for (size_t k = 0; k < 4; ++k) EXPECT_LE(predictor.coefficients()[k], 0) << predictor.feature_names()[k];
  ArchitectureSignals good{{0.0, 0.0}, {}, {}};
  ArchitectureSignals bad{{0.5, 0.1}, {}, {}};
  EXPECT_GE(predictor.predict(good), predictor.predict(bad));
}

TEST(AccuracyPredictor, FallsBackToAMonotonePriorWithFewSamples) {
  PredictorOptions options;
  options.baseline_accuracy = 0.9;
  options.prior_slope = 0.2;
  const AccuracyPredictor empty = AccuracyPredictor::fit({}, options);
  EXPECT_EQ(empty.method(), "monotone_prior");
  EXPECT_FALSE(empty.validation().has_value());
  EXPECT_DOUBLE_EQ(empty.predict({{0.1, 0.2}, {}, {}}), 0.9 - 0.2 * 0.3);
  EXPECT_DOUBLE_EQ(empty.predict({{0, 0}, {}, {}}), 0.9);

  // A sample that lost 0.1 at summed NSR 0.25 shows a steeper slope (0.4): the prior takes it.
  const AccuracyPredictor steeper = AccuracyPredictor::fit({{{{0.25}, {}, {}}, 0.8}}, options);
  EXPECT_EQ(steeper.method(), "monotone_prior");
  EXPECT_NEAR(steeper.predict({{0.5}, {}, {}}), 0.9 - 0.4 * 0.5, 1e-12);
  EXPECT_NEAR(steeper.coefficients()[0], -0.4, 1e-12);
}

TEST(AccuracyPredictor, JsonRoundTripPredictsTheSame) {
  std::mt19937 random(3);
  const AccuracyPredictor predictor =
      AccuracyPredictor::fit(samples(random, 10, true, 0.002), prior_options(0.9));
  const AccuracyPredictor restored =
      AccuracyPredictor::from_json(nlohmann::json::parse(predictor.to_json().dump()));
  EXPECT_EQ(restored.method(), predictor.method());
  EXPECT_EQ(restored.feature_names(), predictor.feature_names());
  ASSERT_TRUE(restored.validation().has_value());
  EXPECT_DOUBLE_EQ(restored.validation()->spearman, predictor.validation()->spearman);
  for (int i = 0; i < 5; ++i) {
    const ArchitectureSignals signals = random_signals(random, true);
    EXPECT_DOUBLE_EQ(restored.predict(signals), predictor.predict(signals));
  }
  const AccuracyPredictor prior = AccuracyPredictor::fit({}, prior_options(0.9));
  EXPECT_EQ(AccuracyPredictor::from_json(prior.to_json()).predict({{0.5}, {}, {}}),
            prior.predict({{0.5}, {}, {}}));
  EXPECT_THROW(AccuracyPredictor::from_json(nlohmann::json{{"method", "ridge"}}), Error);
}

TEST(AccuracyPredictor, RejectsInconsistentSignals) {
  std::mt19937 random(4);
  std::vector<CalibrationSample> mixed = samples(random, 4, true, 0.001);
  mixed.push_back(samples(random, 1, false, 0.001).front());
  EXPECT_THROW(AccuracyPredictor::fit(mixed, PredictorOptions{}), Error);
  const AccuracyPredictor predictor =
      AccuracyPredictor::fit(samples(random, 6, true, 0.001), PredictorOptions{});
  EXPECT_THROW(predictor.predict(random_signals(random, false)), Error);
  EXPECT_THROW(predictor.predict({{-0.1}, {}, {0.5}}), Error);
}

TEST(AccuracyPredictor, BuildsSignalsFromAChoiceTable) {
  const std::vector<std::vector<double>> nsr = {{0, 0.2, 0.5}, {0, 0.1}};
  const ArchitectureSignals signals = architecture_signals({2, 0}, nsr, {0.7});
  EXPECT_EQ(signals.block_nsr, (std::vector<double>{0.5, 0}));
  EXPECT_EQ(signals.block_changed, (std::vector<bool>{true, false}));
  EXPECT_EQ(signals.extra, std::vector<double>{0.7});
  EXPECT_THROW(architecture_signals({3, 0}, nsr), Error);
  EXPECT_THROW(architecture_signals({0}, nsr), Error);
}

}  // namespace
}  // namespace nacre
