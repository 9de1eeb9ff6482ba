// The latency predictor: Kendall's tau-b on known sequences, the correction recovering a known scale and
// offset, predictions from a table, JSON round trips, sampling and cross-validation on synthetic data.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <set>

#include "latency/latency_predictor.h"
#include "latency/predictor_validation.h"
#include "util/error.h"

namespace nacre {
namespace {

// Architectures with these block sums, parameters and MACs.
std::vector<LatencyFeatures> features_of(const std::vector<double>& sums,
                                         const std::vector<double>& parameters,
                                         const std::vector<double>& macs) {
  std::vector<LatencyFeatures> features;
  for (size_t i = 0; i < sums.size(); ++i) features.push_back({sums[i], parameters.at(i), macs.at(i)});
  return features;
}

// Twenty architectures whose block sums, parameters and MACs vary independently of each other.
struct Sample {
  std::vector<LatencyFeatures> features;
  std::vector<double> measured;
};
Sample sample(double scale, double per_million_parameters, double per_million_macs, double offset) {
  Sample result;
  for (int i = 0; i < 20; ++i) {
    LatencyFeatures architecture{5.0 + 0.7 * i, 1e6 * ((i * 7) % 11), 1e6 * ((i * 3) % 5)};
    result.features.push_back(architecture);
    result.measured.push_back(scale * architecture.block_sum_ms +
                              per_million_parameters * architecture.parameters / 1e6 +
                              per_million_macs * architecture.macs / 1e6 + offset);
  }
  return result;
}

TEST(LatencyCorrection, RecoversKnownCoefficients) {
  Sample known = sample(0.8, 0.05, 0.02, 1.5);
  LatencyCorrection correction = fit_latency_correction(known.features, known.measured, OffsetSign::any);
  EXPECT_EQ(correction.method, "block sum, parameters and MACs");
  EXPECT_NEAR(correction.scale, 0.8, 1e-9);
  EXPECT_NEAR(correction.ms_per_million_parameters, 0.05, 1e-9);
  EXPECT_NEAR(correction.ms_per_million_macs, 0.02, 1e-9);
  EXPECT_NEAR(correction.offset, 1.5, 1e-9);
  EXPECT_NEAR(correction.apply({10, 2e6, 5e6}), 8 + 0.1 + 0.1 + 1.5, 1e-9);
}

TEST(LatencyCorrection, WithoutSizeSpreadFitsScaleAndOffset) {
  std::vector<double> sums, measured;
  for (int i = 0; i < 20; ++i) {
    sums.push_back(5.0 + 0.7 * i);
    measured.push_back(0.8 * sums.back() + 1.5);
  }
  LatencyCorrection correction =
      fit_latency_correction(features_of(sums, std::vector<double>(20, 3e6), std::vector<double>(20, 5e8)),
                             measured, OffsetSign::any);
  EXPECT_EQ(correction.method, "block sum: parameters alike and MACs alike");
  EXPECT_NEAR(correction.scale, 0.8, 1e-9);
  EXPECT_EQ(correction.ms_per_million_parameters, 0);
  EXPECT_EQ(correction.ms_per_million_macs, 0);
  EXPECT_NEAR(correction.offset, 1.5, 1e-9);
  // Parameters alike but MACs spread: the MACs term alone, saying what was left out.
  Sample macs_only = sample(0.8, 0, 0.02, 1.5);
  for (LatencyFeatures& architecture : macs_only.features) architecture.parameters = 3e6;
  LatencyCorrection with_macs =
      fit_latency_correction(macs_only.features, macs_only.measured, OffsetSign::any);
  EXPECT_EQ(with_macs.method, "block sum and MACs; parameters alike");
  EXPECT_NEAR(with_macs.ms_per_million_macs, 0.02, 1e-9);
}

TEST(LatencyCorrection, NoisyDataStaysCloseToTheTruth) {
  std::vector<LatencyFeatures> features;
  std::vector<double> measured;
  for (int i = 0; i < 40; ++i) {
    features.push_back({10.0 + i, 1e6 * ((i * 3) % 7), 1e6 * ((i * 5) % 9)});
    double exact = 1.2 * features.back().block_sum_ms + 0.5 * features.back().parameters / 1e6 +
                   0.2 * features.back().macs / 1e6 - 2.0;
    measured.push_back(exact * (1 + 0.01 * ((i * 7) % 5 - 2)));  // +-2% deterministic
  }
  LatencyCorrection correction = fit_latency_correction(features, measured, OffsetSign::any);
  EXPECT_NEAR(correction.scale, 1.2, 0.05);
  EXPECT_NEAR(correction.ms_per_million_parameters, 0.5, 0.1);
  EXPECT_NEAR(correction.ms_per_million_macs, 0.2, 0.1);
  EXPECT_NEAR(correction.offset, -2.0, 1.0);
}

TEST(LatencyCorrection, FallsBackToSimplerModelsWithTooLittleData) {
  LatencyCorrection two =
      fit_latency_correction(features_of({10, 20}, {1, 2}, {3, 4}), {12, 22}, OffsetSign::any);
  EXPECT_EQ(two.scale, 1);
  EXPECT_NEAR(two.offset, 2, 1e-12);
  EXPECT_NE(two.method.find("offset only"), std::string::npos);
  LatencyCorrection four = fit_latency_correction(features_of({10, 20, 30, 40}, {1, 5, 2, 7}, {7, 2, 5, 1}),
                                                  {6, 11, 16, 21}, OffsetSign::any);
  EXPECT_EQ(four.method, "block sum: fewer than 6 architectures");
  EXPECT_NEAR(four.scale, 0.5, 1e-9);
  LatencyCorrection alike = fit_latency_correction(features_of({10, 10, 10.001}, {1, 2, 3}, {1, 2, 3}),
                                                   {11, 12, 13}, OffsetSign::any);
  EXPECT_EQ(alike.scale, 1);
  // Slower with fewer weights and less arithmetic: negative size terms are refused.
  std::vector<double> shrinking = {7e6, 5e6, 6e6, 1e6, 4e6, 2e6, 3e6};
  LatencyCorrection negative = fit_latency_correction(
      features_of({1, 2, 3, 4, 5, 6, 7}, shrinking, shrinking), {9, 12, 11, 18, 14, 18, 19}, OffsetSign::any);
  EXPECT_EQ(negative.ms_per_million_parameters, 0);
  EXPECT_EQ(negative.ms_per_million_macs, 0);
  EXPECT_EQ(negative.method, "block sum: fitted size terms negative or collinear");
  LatencyCorrection none = fit_latency_correction({}, {}, OffsetSign::any);
  EXPECT_EQ(none.method, "none");
  EXPECT_THROW(
      fit_latency_correction(features_of({1, 2, 3}, {1, 2, 3}, {1, 2, 3}), {1, 0, 2}, OffsetSign::any),
      Error);
  EXPECT_THROW(fit_latency_correction(features_of({1, 2}, {1, 2}, {1, 2}), {1}, OffsetSign::any), Error);
}

TEST(LatencyCorrection, FewerThanNineArchitecturesKeepTheOneSizeTermThatFitsBetter) {
  Sample known = sample(0.8, 0, 0.3, 1.5);  // the MACs explain it; parameters do not
  known.features.resize(8);
  known.measured.resize(8);
  LatencyCorrection correction = fit_latency_correction(known.features, known.measured, OffsetSign::any);
  EXPECT_EQ(correction.method, "block sum and MACs; fewer than 9 architectures for every size term");
  EXPECT_EQ(correction.ms_per_million_parameters, 0);
  EXPECT_NEAR(correction.ms_per_million_macs, 0.3, 1e-9);
}

TEST(LatencyCorrection, RefusesANegativeOffsetWhenAskedTo) {
  // The truth has a negative offset; an in-place table's fit drops it rather than bend the line.
  Sample known = sample(1.2, 0.05, 0.02, -1.0);
  EXPECT_NEAR(fit_latency_correction(known.features, known.measured, OffsetSign::any).offset, -1.0, 1e-9);
  LatencyCorrection refused =
      fit_latency_correction(known.features, known.measured, OffsetSign::non_negative);
  EXPECT_EQ(refused.offset, 0);
  EXPECT_EQ(refused.method, "block sum, parameters and MACs, no offset: offset negative");
  EXPECT_GT(refused.scale, 1.0);
  EXPECT_LT(refused.scale, 1.2);
  // Fewer than 3 architectures measured faster than their sums: scale alone, exact on one point.
  LatencyCorrection one = fit_latency_correction(features_of({10}, {1}, {1}), {8}, OffsetSign::non_negative);
  EXPECT_EQ(one.offset, 0);
  EXPECT_NEAR(one.scale, 0.8, 1e-12);
  EXPECT_NE(one.method.find("scale only"), std::string::npos);
  // A positive offset is kept.
  EXPECT_NEAR(
      fit_latency_correction(features_of({10, 20}, {1, 2}, {1, 2}), {12, 22}, OffsetSign::non_negative)
          .offset,
      2, 1e-12);
}

// Two blocks of three candidates, the middle candidate of block 1 not measured.
LatencyPredictor small_predictor() {
  LatencyPredictor predictor;
  predictor.block_names = {"stem", "layer1"};
  predictor.candidate_ms = {{4, 2, 1}, {8, std::numeric_limits<double>::quiet_NaN(), 3}};
  predictor.candidate_parameters = {{40, 20, 10}, {80, 50, 30}};
  predictor.candidate_macs = {{400, 200, 100}, {800, 500, 300}};
  return predictor;
}

TEST(LatencyPredictor, SumsTheChosenCandidatesAndAppliesTheCorrection) {
  LatencyPredictor predictor = small_predictor();
  EXPECT_DOUBLE_EQ(predictor.block_sum_ms(Architecture{{0, 0}}), 12);
  EXPECT_DOUBLE_EQ(predictor.block_sum_ms(Architecture{{2, 2}}), 4);
  EXPECT_DOUBLE_EQ(predictor.parameters(Architecture{{1, 2}}), 50);
  EXPECT_DOUBLE_EQ(predictor.macs(Architecture{{1, 2}}), 500);
  predictor.correction = {0.5, 3000, 2000, 1, "test"};
  EXPECT_DOUBLE_EQ(predictor.predict_ms(Architecture{{1, 2}}),
                   0.5 * 5 + 3000 * 50 / 1e6 + 2000 * 500 / 1e6 + 1);
  EXPECT_FALSE(predictor.can_predict(Architecture{{0, 1}}));
  EXPECT_THROW(predictor.block_sum_ms(Architecture{{0, 1}}), Error);
  EXPECT_THROW(predictor.block_sum_ms(Architecture{{0, 3}}), Error);
  EXPECT_THROW(predictor.block_sum_ms(Architecture{{0}}), Error);
}

TEST(LatencyPredictor, CalibrationRecordsResidualsAndSurvivesJson) {
  LatencyPredictor predictor = small_predictor();
  std::vector<Architecture> architectures = {{{0, 0}}, {{1, 0}}, {{2, 2}}, {{0, 2}}};
  std::vector<double> measured;
  for (const Architecture& architecture : architectures)
    measured.push_back(0.9 * predictor.block_sum_ms(architecture) + 0.25);
  calibrate(predictor, architectures, measured);
  EXPECT_NEAR(predictor.correction.scale, 0.9, 1e-9);
  EXPECT_NEAR(predictor.correction.offset, 0.25, 1e-9);
  ASSERT_EQ(predictor.calibration.size(), 4u);
  EXPECT_EQ(predictor.calibration[3].architecture, "0.2");
  EXPECT_NEAR(predictor.calibration[3].predicted_ms, predictor.calibration[3].measured_ms, 1e-9);

  nlohmann::json json = to_json(predictor);
  EXPECT_TRUE(json["blocks"][1]["candidate_ms"][1].is_null());
  EXPECT_TRUE(json["calibration"][0].contains("residual_ms"));
  LatencyPredictor back = latency_predictor_from_json(nlohmann::json::parse(json.dump()));
  EXPECT_EQ(back.block_names, predictor.block_names);
  EXPECT_TRUE(std::isnan(back.candidate_ms[1][1]));
  EXPECT_EQ(back.candidate_parameters, predictor.candidate_parameters);
  EXPECT_EQ(back.candidate_macs, predictor.candidate_macs);
  EXPECT_EQ(back.correction.method, predictor.correction.method);
  EXPECT_DOUBLE_EQ(back.predict_ms(Architecture{{1, 2}}), predictor.predict_ms(Architecture{{1, 2}}));
  ASSERT_EQ(back.calibration.size(), 4u);
  EXPECT_DOUBLE_EQ(back.calibration[2].measured_ms, predictor.calibration[2].measured_ms);
  EXPECT_DOUBLE_EQ(back.calibration[2].features.parameters, predictor.calibration[2].features.parameters);
  EXPECT_DOUBLE_EQ(back.calibration[2].features.macs, predictor.calibration[2].features.macs);
  EXPECT_DOUBLE_EQ(back.calibration[2].predicted_ms, predictor.calibration[2].predicted_ms);
  EXPECT_EQ(back.placement, "alone");

  // Measured in place, the same points' negative offset is refused.
  predictor.placement = "in place";
  for (double& ms : measured) ms -= 0.5;
  calibrate(predictor, architectures, measured);
  EXPECT_EQ(predictor.correction.offset, 0);
  EXPECT_THROW(latency_predictor_from_json(nlohmann::json{{"scale", 1}}), Error);
}

TEST(SampleArchitectures, DistinctDeterministicAndOnlyMeasuredCandidates) {
  LatencyPredictor predictor = small_predictor();
  std::vector<Architecture> first = sample_architectures(predictor, 4, 11);
  std::vector<Architecture> again = sample_architectures(predictor, 4, 11);
  ASSERT_EQ(first.size(), 4u);
  std::set<std::string> distinct;
  for (size_t i = 0; i < first.size(); ++i) {
    EXPECT_EQ(first[i].encode(), again[i].encode());
    EXPECT_TRUE(predictor.can_predict(first[i])) << first[i].encode();
    distinct.insert(first[i].encode());
  }
  EXPECT_EQ(distinct.size(), 4u);
  // 3 x 2 measured choices: asking for more gives all six.
  EXPECT_EQ(sample_architectures(predictor, 50, 3).size(), 6u);
}

// Ten blocks of twelve measured candidates each, as resnet18's space has about.
LatencyPredictor wide_predictor() {
  LatencyPredictor predictor;
  for (int block = 0; block < 10; ++block) {
    predictor.block_names.push_back("block" + std::to_string(block));
    predictor.candidate_ms.emplace_back(12, 1.0);
    predictor.candidate_parameters.emplace_back(12, 10.0);
    predictor.candidate_macs.emplace_back(12, 100.0);
  }
  return predictor;
}

int kept_blocks(const Architecture& architecture) {
  return static_cast<int>(std::count(architecture.choices.begin(), architecture.choices.end(), 0));
}

TEST(SampleArchitectures, SpreadSamplingRangesFromMostlyKeptToMostlyReplaced) {
  LatencyPredictor predictor = wide_predictor();
  std::vector<Architecture> spread = sample_architectures(predictor, 60, 7, Sampling::kSpread);
  ASSERT_EQ(spread.size(), 60u);
  std::vector<Architecture> again = sample_architectures(predictor, 60, 7, Sampling::kSpread);
  std::set<std::string> distinct;
  int mostly_kept = 0, mostly_replaced = 0;
  for (size_t i = 0; i < spread.size(); ++i) {
    EXPECT_EQ(spread[i].encode(), again[i].encode());
    distinct.insert(spread[i].encode());
    mostly_kept += kept_blocks(spread[i]) >= 7;
    mostly_replaced += kept_blocks(spread[i]) <= 2;
  }
  EXPECT_EQ(distinct.size(), 60u);
  EXPECT_GE(mostly_kept, 3);
  EXPECT_GE(mostly_replaced, 3);
  // Uniform draws keep each block one time in twelve: none of them keeps most of its blocks.
  for (const Architecture& uniform : sample_architectures(predictor, 60, 7, Sampling::kUniform))
    EXPECT_LT(kept_blocks(uniform), 7) << uniform.encode();
}

TEST(SampleArchitectures, SamplingIsNamedUniformOrSpread) {
  EXPECT_EQ(parse_sampling("uniform"), Sampling::kUniform);
  EXPECT_EQ(parse_sampling("spread"), Sampling::kSpread);
  EXPECT_THROW(parse_sampling("random"), Error);
}

TEST(MeasurementRepeatability, ComparesTwoPassesOfTheSameArchitectures) {
  Repeatability same_order = measurement_repeatability({1, 2, 3, 4}, {1.05, 2.5, 2.9, 4.1});
  EXPECT_DOUBLE_EQ(same_order.within_10_percent, 0.75);  // 2 -> 2.5 is 25% off
  EXPECT_DOUBLE_EQ(same_order.kendall_tau, 1.0);
  Repeatability swapped = measurement_repeatability({1, 2}, {2, 1});
  EXPECT_DOUBLE_EQ(swapped.kendall_tau, -1.0);
  EXPECT_DOUBLE_EQ(swapped.within_10_percent, 0.0);
  EXPECT_THROW(measurement_repeatability({1, 2, 3}, {1, 2}), Error);
  EXPECT_THROW(measurement_repeatability({1}, {1}), Error);
}

TEST(CrossValidate, ExactLinearDataIsPredictedExactly) {
  LatencyPredictor predictor;
  predictor.block_names = {"a", "b", "c"};
  predictor.candidate_ms = {{1, 2, 3, 4}, {4, 8, 12, 16}, {16, 32, 48, 64}};  // every sum distinct
  predictor.candidate_parameters = {{1e5, 3e5, 2e5, 0}, {4e5, 0, 6e5, 1e5}, {0, 2e6, 1e6, 5e5}};
  predictor.candidate_macs = {{3e5, 1e5, 4e5, 2e5}, {0, 9e5, 1e5, 5e5}, {2e6, 1e6, 0, 3e6}};
  std::vector<Architecture> architectures = sample_architectures(predictor, 30, 5);
  std::vector<double> measured;
  for (const Architecture& architecture : architectures) {
    measured.push_back(1.1 * predictor.block_sum_ms(architecture) +
                       0.1 * predictor.parameters(architecture) / 1e6 +
                       0.2 * predictor.macs(architecture) / 1e6 + 0.3);
  }
  ValidationReport report = cross_validate(predictor, architectures, measured, 3);
  ASSERT_EQ(report.pairs.size(), 30u);
  EXPECT_EQ(report.folds, 3);
  EXPECT_DOUBLE_EQ(report.within_10_percent, 1.0);
  EXPECT_NEAR(report.mape, 0, 1e-9);
  EXPECT_NEAR(report.kendall_tau, 1.0, 1e-12);
  for (const ValidationPair& pair : report.pairs) {
    EXPECT_NEAR(pair.predicted_ms, pair.measured_ms, 1e-9);
    EXPECT_EQ(pair.correction_method, "block sum, parameters and MACs");
  }
  nlohmann::json json = to_json(report);
  EXPECT_EQ(json["pairs"].size(), 30u);
  EXPECT_EQ(json["architectures"], 30);
}

TEST(CrossValidate, CountsPredictionsOutsideTenPercent) {
  LatencyPredictor predictor;
  predictor.block_names = {"a"};
  predictor.candidate_ms = {{1, 2, 3, 4, 5, 6, 7, 8}};
  std::vector<Architecture> architectures;
  std::vector<double> measured;
  for (int c = 0; c < 8; ++c) {
    architectures.push_back(Architecture{{c}});
    measured.push_back(c == 5 ? 12.0 : c + 1.0);  // one far above the line
  }
  ValidationReport report = cross_validate(predictor, architectures, measured, 2);
  EXPECT_LT(report.within_10_percent, 1.0);
  EXPECT_GT(report.mape, 0.01);
  EXPECT_THROW(cross_validate(predictor, architectures, measured, 1), Error);
  EXPECT_THROW(cross_validate(predictor, architectures, measured, 5), Error);
}

}  // namespace
}  // namespace nacre
