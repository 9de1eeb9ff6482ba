#include "pipeline/brief_fine_tune_latency.h"

#include <gtest/gtest.h>

#include <cmath>

namespace nacre {
namespace {

// A brief fine-tune predicted `predicted_speedup` times faster than keep-everything (predicted at 1 ms) and
// measured `measured_speedup` times faster than the baseline (keep-everything is the baseline here); 0: not
// measured.
VerifiedArchitecture brief(const std::string& architecture, double predicted_speedup,
                           double measured_speedup) {
  VerifiedArchitecture verified;
  verified.architecture = architecture;
  verified.predicted_latency_ms = 1.0 / predicted_speedup;
  if (measured_speedup > 0) {
    verified.baseline_latency_ms = 2.0;
    verified.latency_ms = 2.0 / measured_speedup;
  }
  return verified;
}

TEST(RealisedByBriefFineTunes, TheGeometricMeanOfMeasuredOverPredictedAmongThoseMeasured) {
  std::vector<VerifiedArchitecture> briefs = {brief("1.0", 3.0, 2.4), brief("0.1", 2.0, 2.0),
                                              brief("1.1", 4.0, 0)};
  EXPECT_NEAR(realised_by_brief_fine_tunes(briefs, 1.0, 1.0), std::sqrt(0.8 * 1.0), 1e-12);
  // Keep-everything measured 1.25x faster than the baseline: the measured speed-ups over it are lower.
  EXPECT_NEAR(realised_by_brief_fine_tunes(briefs, 1 / 1.25, 1.0), std::sqrt(0.8 / 1.25 * 1.0 / 1.25), 1e-12);
}

TEST(RealisedByBriefFineTunes, OneWhenNoneWasMeasured) {
  EXPECT_EQ(realised_by_brief_fine_tunes({}, 1.0, 1.0), 1.0);
  EXPECT_EQ(realised_by_brief_fine_tunes({brief("1.0", 3.0, 0)}, 1.0, 1.0), 1.0);
}

TEST(PutInPredictedScale, AMeasuredBriefStandsAtItsMeasuredSpeedupOnceTheAimIsDividedByRealised) {
  // Two briefs predicted equally fast; the one measured faster ends up faster in the predictor's scale.
  std::vector<VerifiedArchitecture> briefs = {brief("1.0", 3.0, 2.4), brief("0.1", 3.0, 3.0),
                                              brief("1.1", 4.0, 0)};
  double realised = 0.9;
  put_in_predicted_scale(briefs, 1.0, 1.0, realised);
  // Looked up at a measured aim A, the first slot asks for predicted A / realised: the brief measured at
  // 2.4x stands at 2.4 / realised in the predictor's scale.
  EXPECT_NEAR(1.0 / briefs[0].predicted_latency_ms, 2.4 / realised, 1e-12);
  EXPECT_NEAR(1.0 / briefs[1].predicted_latency_ms, 3.0 / realised, 1e-12);
  EXPECT_NEAR(briefs[2].predicted_latency_ms, 0.25, 1e-12);  // not measured: its prediction stays
}

}  // namespace
}  // namespace nacre
