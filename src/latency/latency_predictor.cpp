#include "latency/latency_predictor.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>

#include "util/error.h"

namespace nacre {

namespace {

// Minimises sum ((y - features . w) / y)^2 (relative error) by the normal equations and Gaussian elimination
// with partial pivoting; false when they are (nearly) singular.
bool relative_least_squares(const std::vector<std::vector<double>>& features, const std::vector<double>& y,
                            std::vector<double>& w) {
  size_t k = features[0].size();
  std::vector<std::vector<double>> a(k, std::vector<double>(k + 1, 0));
  for (size_t i = 0; i < y.size(); ++i) {
    double weight = 1 / (y[i] * y[i]);
    for (size_t r = 0; r < k; ++r) {
      for (size_t c = 0; c < k; ++c) a[r][c] += weight * features[i][r] * features[i][c];
      a[r][k] += weight * features[i][r] * y[i];
    }
  }
  std::vector<double> diagonal(k);
  for (size_t r = 0; r < k; ++r) diagonal[r] = a[r][r];
  for (size_t col = 0; col < k; ++col) {
    size_t pivot = col;
    for (size_t r = col + 1; r < k; ++r) {
      if (std::abs(a[r][col]) > std::abs(a[pivot][col])) pivot = r;
    }
    std::swap(a[col], a[pivot]);
    if (std::abs(a[col][col]) <= 1e-10 * std::max(diagonal[col], 1e-300)) return false;
    for (size_t r = 0; r < k; ++r) {
      if (r == col) continue;
      double factor = a[r][col] / a[col][col];
      for (size_t c = col; c <= k; ++c) a[r][c] -= factor * a[col][c];
    }
  }
  w.resize(k);
  for (size_t r = 0; r < k; ++r) w[r] = a[r][k] / a[r][r];
  return true;
}

double relative_spread(const std::vector<double>& values) {
  auto [low, high] = std::minmax_element(values.begin(), values.end());
  return (*high - *low) / std::max(std::abs(*high), 1e-12);
}

LatencyCorrection scale_only(const std::vector<double>& sums, const std::vector<double>& y,
                             const std::string& why) {
  // Scale minimising the relative error with no offset: sum(x / y) / sum(x^2 / y^2).
  double numerator = 0, denominator = 0;
  for (size_t i = 0; i < y.size(); ++i) {
    numerator += sums[i] / y[i];
    denominator += sums[i] * sums[i] / (y[i] * y[i]);
  }
  LatencyCorrection correction;
  if (denominator > 0) correction.scale = numerator / denominator;
  correction.method = "scale only: " + why;
  return correction;
}

LatencyCorrection offset_only(const std::vector<double>& sums, const std::vector<double>& y, OffsetSign sign,
                              const std::string& why) {
  // Offset minimising the relative error with scale 1: the 1/y^2-weighted mean of (y - sum).
  double weighted = 0, weights = 0;
  for (size_t i = 0; i < y.size(); ++i) {
    weighted += (y[i] - sums[i]) / (y[i] * y[i]);
    weights += 1 / (y[i] * y[i]);
  }
  if (sign == OffsetSign::non_negative && weighted < 0) return scale_only(sums, y, why + ", offset negative");
  LatencyCorrection correction;
  correction.offset = weighted / weights;
  correction.method = "offset only: " + why;
  return correction;
}

LatencyCorrection block_sum_only(const std::vector<double>& sums, const std::vector<double>& y,
                                 OffsetSign sign, const std::string& why) {
  if (y.size() < 3) return offset_only(sums, y, sign, "fewer than 3 architectures");
  // Block sums within 1% of each other cannot tell a scale from noise.
  if (relative_spread(sums) < 0.01) return offset_only(sums, y, sign, "block sums alike");
  std::vector<std::vector<double>> features;
  for (double sum : sums) features.push_back({sum, 1.0});
  std::vector<double> w;
  if (!relative_least_squares(features, y, w)) return offset_only(sums, y, sign, "singular fit");
  if (w[0] <= 0) return offset_only(sums, y, sign, "fitted scale not positive");
  if (sign == OffsetSign::non_negative && w[1] < 0) return scale_only(sums, y, why + ", offset negative");
  LatencyCorrection correction;
  correction.scale = w[0];
  correction.offset = w[1];
  correction.method = "block sum: " + why;
  return correction;
}

// The size terms beside the block sum: 0 parameters, 1 MACs, in millions.
constexpr int kSizeTerms = 2;
const char* const kSizeTermNames[kSizeTerms] = {"parameters", "MACs"};

double size_term(const LatencyFeatures& architecture, int term) {
  return (term == 0 ? architecture.parameters : architecture.macs) / 1e6;
}

std::string joined(const std::vector<std::string>& parts) {
  std::string text;
  for (size_t i = 0; i < parts.size(); ++i)
    text += (i == 0 ? "" : i + 1 == parts.size() ? " and " : ", ") + parts[i];
  return text;
}

// The block sum and the size `terms`, with an offset or through the origin; nullopt when the fit is singular,
// the scale not positive or a size term negative.
std::optional<LatencyCorrection> fit_size_terms(const std::vector<LatencyFeatures>& architectures,
                                                const std::vector<double>& y, const std::vector<int>& terms,
                                                bool with_offset) {
  std::vector<std::vector<double>> features;
  for (const LatencyFeatures& architecture : architectures) {
    std::vector<double> row = {architecture.block_sum_ms};
    for (int term : terms) row.push_back(size_term(architecture, term));
    if (with_offset) row.push_back(1.0);
    features.push_back(std::move(row));
  }
  std::vector<double> w;
  if (!relative_least_squares(features, y, w) || w[0] <= 0) return std::nullopt;
  LatencyCorrection correction;
  correction.scale = w[0];
  std::vector<std::string> names = {"block sum"};
  for (size_t i = 0; i < terms.size(); ++i) {
    if (w[1 + i] < 0) return std::nullopt;
    (terms[i] == 0 ? correction.ms_per_million_parameters : correction.ms_per_million_macs) = w[1 + i];
    names.push_back(kSizeTermNames[terms[i]]);
  }
  if (with_offset) correction.offset = w.back();
  correction.method = joined(names);
  return correction;
}

double squared_relative_error(const LatencyCorrection& correction,
                              const std::vector<LatencyFeatures>& architectures,
                              const std::vector<double>& y) {
  double error = 0;
  for (size_t i = 0; i < y.size(); ++i)
    error += std::pow((y[i] - correction.apply(architectures[i])) / y[i], 2);
  return error;
}

// Among the sets of `size` of the `usable` terms, the fit with the smallest relative error (an in-place
// table's through the origin when its offset comes out negative); nullopt when none fits.
std::optional<LatencyCorrection> best_fit_of_size(const std::vector<LatencyFeatures>& architectures,
                                                  const std::vector<double>& y,
                                                  const std::vector<int>& usable, size_t size,
                                                  OffsetSign sign) {
  std::optional<LatencyCorrection> best;
  for (int mask = 1; mask < (1 << usable.size()); ++mask) {
    std::vector<int> terms;
    for (size_t i = 0; i < usable.size(); ++i)
      if (mask & (1 << i)) terms.push_back(usable[i]);
    if (terms.size() != size) continue;
    std::optional<LatencyCorrection> fit = fit_size_terms(architectures, y, terms, true);
    if (fit && sign == OffsetSign::non_negative && fit->offset < 0) {
      fit = fit_size_terms(architectures, y, terms, false);
      if (fit) fit->method += ", no offset: offset negative";
    }
    if (fit && (!best || squared_relative_error(*fit, architectures, y) <
                             squared_relative_error(*best, architectures, y)))
      best = fit;
  }
  return best;
}

}  // namespace

LatencyCorrection fit_latency_correction(const std::vector<LatencyFeatures>& architectures,
                                         const std::vector<double>& measured_ms, OffsetSign sign) {
  if (architectures.size() != measured_ms.size()) {
    throw make_error("fit_latency_correction: ", architectures.size(), " architectures but ",
                     measured_ms.size(), " measurements");
  }
  for (double measured : measured_ms) {
    if (!(measured > 0)) throw make_error("fit_latency_correction: a measured latency is ", measured, " ms");
  }
  if (measured_ms.empty()) return {};
  std::vector<double> sums;
  for (const LatencyFeatures& architecture : architectures) sums.push_back(architecture.block_sum_ms);
  if (measured_ms.size() < 6) return block_sum_only(sums, measured_ms, sign, "fewer than 6 architectures");
  std::vector<int> usable;
  std::vector<std::string> alike;
  for (int term = 0; term < kSizeTerms; ++term) {
    std::vector<double> values;
    for (const LatencyFeatures& architecture : architectures) values.push_back(size_term(architecture, term));
    if (relative_spread(values) < 0.01)
      alike.push_back(kSizeTermNames[term] + std::string(" alike"));
    else
      usable.push_back(term);
  }
  // Three architectures per size term beyond the three that scale and offset need.
  size_t most_terms = std::min(usable.size(), (measured_ms.size() - 3) / 3);
  // The largest set of usable terms that fits.
  for (size_t size = most_terms; size >= 1; --size) {
    std::optional<LatencyCorrection> best = best_fit_of_size(architectures, measured_ms, usable, size, sign);
    if (!best) continue;
    std::vector<std::string> left_out = alike;
    if (size < usable.size()) {
      left_out.push_back(size < (measured_ms.size() - 3) / 3
                             ? "a size term negative or collinear"
                             : "fewer than " + std::to_string(3 + 3 * usable.size()) +
                                   " architectures for every size term");
    }
    if (!left_out.empty()) best->method += "; " + joined(left_out);
    return *best;
  }
  if (usable.empty()) return block_sum_only(sums, measured_ms, sign, joined(alike));
  return block_sum_only(sums, measured_ms, sign, "fitted size terms negative or collinear");
}

OffsetSign offset_sign(const LatencyPredictor& predictor) {
  return predictor.placement == "in place" ? OffsetSign::non_negative : OffsetSign::any;
}

bool LatencyPredictor::can_predict(const Architecture& architecture) const {
  if (architecture.choices.size() != candidate_ms.size()) return false;
  for (size_t b = 0; b < candidate_ms.size(); ++b) {
    int choice = architecture.choices[b];
    if (choice < 0 || static_cast<size_t>(choice) >= candidate_ms[b].size()) return false;
    if (std::isnan(candidate_ms[b][choice])) return false;
  }
  return true;
}

double LatencyPredictor::block_sum_ms(const Architecture& architecture) const {
  if (architecture.choices.size() != candidate_ms.size()) {
    throw make_error("latency predictor: architecture '", architecture.encode(), "' has ",
                     architecture.choices.size(), " choices but the table has ", candidate_ms.size(),
                     " blocks");
  }
  double sum = 0;
  for (size_t b = 0; b < candidate_ms.size(); ++b) {
    int choice = architecture.choices[b];
    std::string block = b < block_names.size() ? block_names[b] : std::to_string(b);
    if (choice < 0 || static_cast<size_t>(choice) >= candidate_ms[b].size()) {
      throw make_error("latency predictor: architecture '", architecture.encode(), "': choice ", choice,
                       " for block '", block, "' is out of range; it has ", candidate_ms[b].size(),
                       " candidates");
    }
    if (std::isnan(candidate_ms[b][choice])) {
      throw make_error("latency predictor: candidate ", choice, " of block '", block,
                       "' has no measured latency (the target could not run it)");
    }
    sum += candidate_ms[b][choice];
  }
  return sum;
}

namespace {

double chosen_total(const std::vector<std::vector<double>>& per_candidate, const Architecture& architecture) {
  double total = 0;
  for (size_t b = 0; b < per_candidate.size() && b < architecture.choices.size(); ++b)
    total += per_candidate[b].at(architecture.choices[b]);
  return total;
}

}  // namespace

double LatencyPredictor::parameters(const Architecture& architecture) const {
  block_sum_ms(architecture);  // the same checks
  return chosen_total(candidate_parameters, architecture);
}

double LatencyPredictor::macs(const Architecture& architecture) const {
  block_sum_ms(architecture);  // the same checks
  return chosen_total(candidate_macs, architecture);
}

LatencyFeatures LatencyPredictor::features(const Architecture& architecture) const {
  return {block_sum_ms(architecture), chosen_total(candidate_parameters, architecture),
          chosen_total(candidate_macs, architecture)};
}

double LatencyPredictor::predict_ms(const Architecture& architecture) const {
  return correction.apply(features(architecture));
}

namespace {

// Keep-everything's end-to-end time split between blocks in proportion to their keep candidates timed alone;
// empty when a keep candidate was not measured.
std::vector<double> keep_shares(const BlockLatencyTable& table, double keep_everything_ms) {
  double alone_sum = 0;
  for (size_t b = 0; b < table.blocks.size(); ++b) {
    if (!table.measured(b, 0)) return {};
    alone_sum += table.median_ms(b, 0);
  }
  std::vector<double> shares;
  for (size_t b = 0; b < table.blocks.size(); ++b)
    shares.push_back(table.median_ms(b, 0) * keep_everything_ms / alone_sum);
  return shares;
}

}  // namespace

LatencyPredictor make_latency_predictor(const BlockLatencyTable& table) {
  constexpr double kUnmeasured = std::numeric_limits<double>::quiet_NaN();
  LatencyPredictor predictor;
  double keep_ms = table.keep_everything_ms();
  std::vector<double> shares = keep_ms > 0 ? keep_shares(table, keep_ms) : std::vector<double>{};
  predictor.placement = shares.empty() ? "alone" : "in place";
  for (size_t b = 0; b < table.blocks.size(); ++b) {
    predictor.block_names.push_back(table.blocks[b].block_name);
    predictor.candidate_ms.emplace_back();
    predictor.candidate_parameters.emplace_back();
    predictor.candidate_macs.emplace_back();
    for (size_t c = 0; c < table.blocks[b].candidates.size(); ++c) {
      const CandidateLatency& entry = table.blocks[b].candidates[c];
      predictor.candidate_parameters.back().push_back(static_cast<double>(entry.parameters));
      predictor.candidate_macs.back().push_back(static_cast<double>(entry.macs));
      double ms = table.measured(b, c) ? table.median_ms(b, c) : kUnmeasured;
      if (!shares.empty()) {
        // In place: the block's share of keep-everything plus what swapping this candidate in changed.
        if (c == 0)
          ms = shares[b];
        else
          ms = entry.in_place_ratio && table.measured(b, c)
                   ? shares[b] + (*entry.in_place_ratio - 1) * keep_ms
                   : kUnmeasured;
      }
      predictor.candidate_ms.back().push_back(ms);
    }
  }
  return predictor;
}

void calibrate(LatencyPredictor& predictor, const std::vector<Architecture>& architectures,
               const std::vector<double>& measured_ms) {
  if (architectures.size() != measured_ms.size()) {
    throw make_error("calibrate: ", architectures.size(), " architectures but ", measured_ms.size(),
                     " measurements");
  }
  std::vector<LatencyFeatures> features;
  for (const Architecture& architecture : architectures) features.push_back(predictor.features(architecture));
  predictor.correction = fit_latency_correction(features, measured_ms, offset_sign(predictor));
  predictor.calibration.clear();
  for (size_t i = 0; i < architectures.size(); ++i) {
    predictor.calibration.push_back(
        {architectures[i].encode(), features[i], measured_ms[i], predictor.correction.apply(features[i])});
  }
}

nlohmann::json to_json(const LatencyPredictor& predictor) {
  nlohmann::json blocks = nlohmann::json::array();
  for (size_t b = 0; b < predictor.candidate_ms.size(); ++b) {
    nlohmann::json medians = nlohmann::json::array();
    for (double ms : predictor.candidate_ms[b])
      medians.push_back(std::isnan(ms) ? nlohmann::json() : nlohmann::json(ms));
    auto per_candidate = [b](const std::vector<std::vector<double>>& values) {
      return b < values.size() ? nlohmann::json(values[b]) : nlohmann::json::array();
    };
    blocks.push_back({{"name", b < predictor.block_names.size() ? predictor.block_names[b] : ""},
                      {"candidate_ms", medians},
                      {"candidate_parameters", per_candidate(predictor.candidate_parameters)},
                      {"candidate_macs", per_candidate(predictor.candidate_macs)}});
  }
  nlohmann::json points = nlohmann::json::array();
  for (const CalibrationPoint& point : predictor.calibration) {
    points.push_back({{"architecture", point.architecture},
                      {"block_sum_ms", point.features.block_sum_ms},
                      {"parameters", point.features.parameters},
                      {"macs", point.features.macs},
                      {"measured_ms", point.measured_ms},
                      {"predicted_ms", point.predicted_ms},
                      {"residual_ms", point.measured_ms - point.predicted_ms}});
  }
  return {{"model",
           "predicted_ms = scale * block_sum_ms + ms_per_million_parameters * parameters / 1e6 + "
           "ms_per_million_macs * macs / 1e6 + offset"},
          {"scale", predictor.correction.scale},
          {"ms_per_million_parameters", predictor.correction.ms_per_million_parameters},
          {"ms_per_million_macs", predictor.correction.ms_per_million_macs},
          {"offset_ms", predictor.correction.offset},
          {"method", predictor.correction.method},
          {"placement", predictor.placement},
          {"blocks", blocks},
          {"calibration", points}};
}

LatencyPredictor latency_predictor_from_json(const nlohmann::json& json) {
  try {
    LatencyPredictor predictor;
    predictor.correction.scale = json.at("scale").get<double>();
    predictor.correction.ms_per_million_parameters = json.at("ms_per_million_parameters").get<double>();
    predictor.correction.ms_per_million_macs = json.at("ms_per_million_macs").get<double>();
    predictor.correction.offset = json.at("offset_ms").get<double>();
    predictor.correction.method = json.at("method").get<std::string>();
    predictor.placement = json.value("placement", std::string("alone"));
    for (const nlohmann::json& block : json.at("blocks")) {
      predictor.block_names.push_back(block.at("name").get<std::string>());
      predictor.candidate_ms.emplace_back();
      predictor.candidate_parameters.push_back(block.at("candidate_parameters").get<std::vector<double>>());
      predictor.candidate_macs.push_back(block.at("candidate_macs").get<std::vector<double>>());
      for (const nlohmann::json& ms : block.at("candidate_ms")) {
        predictor.candidate_ms.back().push_back(ms.is_null() ? std::numeric_limits<double>::quiet_NaN()
                                                             : ms.get<double>());
      }
    }
    for (const nlohmann::json& point : json.at("calibration")) {
      LatencyFeatures features{point.at("block_sum_ms").get<double>(), point.at("parameters").get<double>(),
                               point.at("macs").get<double>()};
      predictor.calibration.push_back({point.at("architecture").get<std::string>(), features,
                                       point.at("measured_ms").get<double>(),
                                       point.at("predicted_ms").get<double>()});
    }
    return predictor;
  } catch (const nlohmann::json::exception& error) {
    throw make_error("malformed latency predictor JSON: ", error.what());
  }
}

}  // namespace nacre
