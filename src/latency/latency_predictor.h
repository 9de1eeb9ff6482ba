// Predicts an architecture's end-to-end latency from the block latency table.
//
// Model: predicted_ms = scale * block_sum_ms + ms_per_million_parameters * parameters / 1e6
//                        + ms_per_million_macs * macs / 1e6 + offset,
// where block_sum_ms is the sum over blocks of the chosen candidate's candidate_ms (see there), parameters
// the sum of their weights and macs of their multiply-accumulates per example. The sum alone overcounts what
// each standalone run pays once per call (framework dispatch, input and output copies: once per block, but
// once end to end); offset absorbs that (every architecture has the same number of blocks), scale what grows
// with the measured work. The two size terms are what the architecture is, counted exactly, where each
// candidate's time in the table comes from its own noisy measurement (in place: the difference of two
// end-to-end medians): the parameters stand for the weights streamed from memory on every inference, the MACs
// for the arithmetic. Refitted offline on two samples of 50 spread architectures (bench/latency_features.py,
// 5-fold), the held-out Kendall tau was 0.909 and 0.900 with both terms, 0.866 and 0.884 with parameters
// alone, 0.909 and 0.866 with MACs alone, 0.886 and 0.847 with the sum alone: either term alone ranks well on
// one sample only. The terms are fitted on end-to-end measurements of sampled architectures by least squares
// on relative error (weights 1/measured^2), since predictions are judged by relative error. Simpler models
// stand in when the data cannot support one: a size term needs three architectures of its own beyond the six
// that scale, offset and one term need (so both terms from 9), a spread of at least 1% and a non-negative
// fitted coefficient; where only one of two fits, the one with the smaller relative error is kept. Offset
// only (scale 1) with fewer than 3 architectures, block sums that barely differ, or a fitted scale <= 0.
//
// A negative offset is refused for a table measured in place (OffsetSign::non_negative): there
// keep-everything's candidates already add up to its end-to-end time, so no per-call overhead is overcounted,
// and a negative offset only bends the line through the calibration points, making every small architecture
// look faster than it is (seen in optimize runs: 0.40 ms predicted, 0.80 ms measured at the fast end of the
// front). The fit then drops the offset (scale and the size terms, or scale alone).
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "latency/block_latency_table.h"
#include "space/search_space.h"

namespace nacre {

// What the correction reads of one architecture.
struct LatencyFeatures {
  double block_sum_ms = 0;
  double parameters = 0;  // its weights
  double macs = 0;        // its multiply-accumulates per example
};

struct LatencyCorrection {
  double scale = 1;
  double ms_per_million_parameters = 0;
  double ms_per_million_macs = 0;
  double offset = 0;  // milliseconds
  // "block sum and parameters", "block sum and MACs" or "block sum, parameters and MACs" (then ", no offset:
  // offset negative" when an in-place table's offset was dropped, and "; <what was left out and why>"),
  // "block sum: <why>", "offset only: <why>", "scale only: <why>", "none"
  std::string method = "none";

  double apply(const LatencyFeatures& architecture) const {
    return scale * architecture.block_sum_ms + ms_per_million_parameters * architecture.parameters / 1e6 +
           ms_per_million_macs * architecture.macs / 1e6 + offset;
  }
};

enum class OffsetSign { any, non_negative };

// Fits the correction on architectures' features and their measurements end to end. Throws Error when the
// sizes differ or a measurement is not positive; with no architectures, returns the identity ("none").
LatencyCorrection fit_latency_correction(const std::vector<LatencyFeatures>& architectures,
                                         const std::vector<double>& measured_ms, OffsetSign sign);

// One end-to-end measurement the correction was fitted on, with what the fitted model says of it.
struct CalibrationPoint {
  std::string architecture;  // Architecture::encode()
  LatencyFeatures features;
  double measured_ms = 0;
  double predicted_ms = 0;  // residual = measured_ms - predicted_ms
};

struct LatencyPredictor {
  std::vector<std::string> block_names;
  // [block][candidate]; NaN: not measured. From a table measured alone: each candidate's median. From one
  // measured in place: keep-everything's end-to-end median split between the blocks (in proportion to their
  // keep candidates timed alone), plus, for other candidates, the change their swap-in measured.
  std::vector<std::vector<double>> candidate_ms;
  std::string placement = "alone";                        // or "in place": how the table was measured
  std::vector<std::vector<double>> candidate_parameters;  // [block][candidate]
  std::vector<std::vector<double>> candidate_macs;        // [block][candidate]
  LatencyCorrection correction;
  std::vector<CalibrationPoint> calibration;

  // Throws Error naming the block when the architecture does not fit the table or uses an unmeasured
  // candidate.
  double block_sum_ms(const Architecture& architecture) const;
  double parameters(const Architecture& architecture) const;  // same checks
  double macs(const Architecture& architecture) const;        // same checks
  LatencyFeatures features(const Architecture& architecture) const;
  double predict_ms(const Architecture& architecture) const;
  bool can_predict(const Architecture& architecture) const;  // every choice in range and measured
};

// non_negative for a table measured in place, any for one measured alone.
OffsetSign offset_sign(const LatencyPredictor& predictor);

// Uncalibrated (scale 1, offset 0) until calibrate() is called.
LatencyPredictor make_latency_predictor(const BlockLatencyTable& table);
// Fits the correction on these architectures' end-to-end medians and records them as calibration points.
void calibrate(LatencyPredictor& predictor, const std::vector<Architecture>& architectures,
               const std::vector<double>& measured_ms);

// The table medians, the correction and the calibration points with their residuals.
nlohmann::json to_json(const LatencyPredictor& predictor);
LatencyPredictor latency_predictor_from_json(const nlohmann::json& json);  // throws Error on missing keys

}  // namespace nacre
