#include "latency/predictor_validation.h"

#include <cmath>
#include <nlohmann/json.hpp>
#include <random>
#include <set>

#include "latency/statistics.h"
#include "search/rank_correlation.h"
#include "util/error.h"

namespace nacre {

namespace {

std::vector<std::vector<int>> measured_choices(const LatencyPredictor& predictor) {
  std::vector<std::vector<int>> choices(predictor.candidate_ms.size());
  for (size_t b = 0; b < predictor.candidate_ms.size(); ++b) {
    for (size_t c = 0; c < predictor.candidate_ms[b].size(); ++c) {
      if (!std::isnan(predictor.candidate_ms[b][c])) choices[b].push_back(static_cast<int>(c));
    }
    if (choices[b].empty()) {
      throw make_error("block '", predictor.block_names.at(b), "' has no measured candidate to sample");
    }
  }
  return choices;
}

double distinct_architectures(const std::vector<std::vector<int>>& choices) {
  double count = 1;
  for (const auto& block : choices) count *= static_cast<double>(block.size());
  return count;
}

}  // namespace

Sampling parse_sampling(const std::string& name) {
  if (name == "uniform") return Sampling::kUniform;
  if (name == "spread") return Sampling::kSpread;
  throw make_error("unknown sampling '", name, "': use uniform or spread");
}

std::vector<Architecture> sample_architectures(const LatencyPredictor& predictor, int count, uint64_t seed,
                                               Sampling sampling) {
  std::vector<std::vector<int>> choices = measured_choices(predictor);
  size_t wanted = static_cast<size_t>(std::min<double>(std::max(count, 0), distinct_architectures(choices)));
  std::mt19937_64 random(seed);
  auto uniform_among = [&random](const std::vector<int>& block, size_t first) {
    return block[std::uniform_int_distribution<size_t>(first, block.size() - 1)(random)];
  };
  std::set<std::vector<int>> seen;
  std::vector<Architecture> sampled;
  while (sampled.size() < wanted) {
    Architecture architecture;
    double keep_share = std::uniform_real_distribution<double>(0, 1)(random);
    for (const auto& block : choices) {
      bool has_keep = block.front() == 0;
      if (sampling == Sampling::kUniform || !has_keep || block.size() == 1) {
        architecture.choices.push_back(uniform_among(block, 0));
      } else {
        bool keep = std::uniform_real_distribution<double>(0, 1)(random) < keep_share;
        architecture.choices.push_back(keep ? 0 : uniform_among(block, 1));
      }
    }
    if (seen.insert(architecture.choices).second) sampled.push_back(std::move(architecture));
  }
  return sampled;
}

std::vector<double> measure_architectures(const SearchSpace& space,
                                          const std::vector<Architecture>& architectures, Target& target,
                                          const LatencyRequest& request,
                                          const std::function<void(const EndToEndProgress&)>& on_progress) {
  std::vector<double> medians;
  for (const Architecture& architecture : architectures) {
    try {
      medians.push_back(measure_latency(materialize(space, architecture), target, request).stats.median_ms);
    } catch (const Error& error) {
      throw make_error("architecture '", architecture.encode(), "' measured end to end: ", error.what());
    }
    if (on_progress) {
      on_progress({static_cast<int>(medians.size()), static_cast<int>(architectures.size()), &architecture,
                   medians.back()});
    }
  }
  return medians;
}

std::vector<double> measure_architectures_against(
    const SearchSpace& space, const std::vector<Architecture>& architectures, const Architecture& reference,
    Target& target, const LatencyRequest& request,
    const std::function<void(const EndToEndProgress&)>& on_progress) {
  Graph reference_model = materialize(space, reference);
  std::vector<double> ratios, reference_medians;
  for (const Architecture& architecture : architectures) {
    try {
      LatencyComparison comparison =
          compare_latency(materialize(space, architecture), reference_model, target, request);
      ratios.push_back(comparison.ratio.ratio);
      reference_medians.push_back(comparison.b.stats.median_ms);
    } catch (const Error& error) {
      throw make_error("architecture '", architecture.encode(), "' measured against '", reference.encode(),
                       "': ", error.what());
    }
    if (on_progress) {
      on_progress({static_cast<int>(ratios.size()), static_cast<int>(architectures.size()), &architecture,
                   ratios.back() * reference_medians.back()});
    }
  }
  double reference_ms = reference_medians.empty() ? 0 : median(reference_medians);
  std::vector<double> latencies;
  for (double ratio : ratios) latencies.push_back(ratio * reference_ms);
  return latencies;
}

ValidationReport cross_validate(const LatencyPredictor& predictor,
                                const std::vector<Architecture>& architectures,
                                const std::vector<double>& measured_ms, int folds) {
  if (architectures.size() != measured_ms.size()) {
    throw make_error("cross_validate: ", architectures.size(), " architectures but ", measured_ms.size(),
                     " measurements");
  }
  if (folds < 2 || architectures.size() < 2 * static_cast<size_t>(folds)) {
    throw make_error("cross_validate: ", folds, " folds over ", architectures.size(),
                     " architectures; needs at least 2 folds and 2 architectures per fold");
  }
  ValidationReport report;
  report.folds = folds;
  std::vector<LatencyFeatures> features;
  for (const Architecture& architecture : architectures) features.push_back(predictor.features(architecture));
  for (int fold = 0; fold < folds; ++fold) {
    std::vector<LatencyFeatures> fit_features;
    std::vector<double> fit_measured;
    for (size_t i = 0; i < features.size(); ++i) {
      if (static_cast<int>(i % folds) == fold) continue;
      fit_features.push_back(features[i]);
      fit_measured.push_back(measured_ms[i]);
    }
    LatencyCorrection correction = fit_latency_correction(fit_features, fit_measured, offset_sign(predictor));
    for (size_t i = fold; i < features.size(); i += folds) {
      report.pairs.push_back({architectures[i].encode(), fold, features[i], measured_ms[i],
                              correction.apply(features[i]), correction.method});
    }
  }
  std::vector<double> measured_order, predicted_order, sum_order;
  double within = 0, absolute_percentage = 0;
  for (const ValidationPair& pair : report.pairs) {
    double relative_error = std::abs(pair.predicted_ms - pair.measured_ms) / pair.measured_ms;
    within += relative_error <= 0.1;
    absolute_percentage += relative_error;
    measured_order.push_back(pair.measured_ms);
    predicted_order.push_back(pair.predicted_ms);
    sum_order.push_back(pair.features.block_sum_ms);
  }
  double n = static_cast<double>(report.pairs.size());
  report.within_10_percent = within / n;
  report.mape = absolute_percentage / n;
  report.kendall_tau = kendall_tau_b(predicted_order, measured_order);
  report.kendall_tau_block_sum = kendall_tau_b(sum_order, measured_order);
  return report;
}

Repeatability measurement_repeatability(const std::vector<double>& first_ms,
                                        const std::vector<double>& second_ms) {
  if (first_ms.size() != second_ms.size() || first_ms.size() < 2) {
    throw make_error("measurement_repeatability: ", first_ms.size(), " and ", second_ms.size(),
                     " measurements; needs two passes of the same architectures, at least 2");
  }
  Repeatability repeatability;
  for (size_t i = 0; i < first_ms.size(); ++i)
    repeatability.within_10_percent += std::abs(second_ms[i] - first_ms[i]) <= 0.1 * first_ms[i];
  repeatability.within_10_percent /= static_cast<double>(first_ms.size());
  repeatability.kendall_tau = kendall_tau_b(first_ms, second_ms);
  return repeatability;
}

nlohmann::json to_json(const ValidationReport& report) {
  nlohmann::json pairs = nlohmann::json::array();
  for (const ValidationPair& pair : report.pairs) {
    pairs.push_back({{"architecture", pair.architecture},
                     {"fold", pair.fold},
                     {"block_sum_ms", pair.features.block_sum_ms},
                     {"parameters", pair.features.parameters},
                     {"macs", pair.features.macs},
                     {"measured_ms", pair.measured_ms},
                     {"predicted_ms", pair.predicted_ms},
                     {"correction", pair.correction_method}});
  }
  auto number = [](double value) { return std::isnan(value) ? nlohmann::json() : nlohmann::json(value); };
  return {{"folds", report.folds},
          {"architectures", report.pairs.size()},
          {"within_10_percent", report.within_10_percent},
          {"mape", report.mape},
          {"kendall_tau", number(report.kendall_tau)},
          {"kendall_tau_block_sum", number(report.kendall_tau_block_sum)},
          {"pairs", pairs}};
}

}  // namespace nacre
