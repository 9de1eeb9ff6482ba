#include "pipeline/brief_fine_tune_latency.h"

#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "pipeline/compare_on_target.h"

namespace nacre {

void measure_brief_fine_tunes(OptimizeContext& context, std::vector<VerifiedArchitecture>& briefly_trained) {
  for (VerifiedArchitecture& brief : briefly_trained) {
    if (brief.predicted_latency_ms <= 0) continue;
    std::string record = "finetune/calibration/" + file_name_for(brief.architecture) + ".latency.json";
    if (context.run.has(record)) {
      nlohmann::json stored = context.run.read_json(record);
      brief.latency_ms = stored.at("latency_ms").get<double>();
      brief.baseline_latency_ms = stored.at("baseline_latency_ms").get<double>();
    } else {
      LatencyComparison comparison =
          against_baseline(context, brief.model, 2 * context.plan.latency_seconds_per_candidate);
      brief.latency_ms = comparison.a.stats.median_ms;
      brief.baseline_latency_ms = comparison.b.stats.median_ms;
      context.run.write_json(
          record, {{"latency_ms", brief.latency_ms}, {"baseline_latency_ms", brief.baseline_latency_ms}});
    }
    std::fprintf(stderr, "  %s (fine-tuned briefly): %.3f ms vs the baseline's %.3f ms\n",
                 brief.architecture.c_str(), brief.latency_ms, brief.baseline_latency_ms);
  }
}

double realised_by_brief_fine_tunes(const std::vector<VerifiedArchitecture>& briefly_trained,
                                    double keep_to_baseline, double keep_latency_ms) {
  double log_sum = 0;
  int measured = 0;
  for (const VerifiedArchitecture& brief : briefly_trained) {
    if (brief.predicted_latency_ms <= 0 || brief.latency_ms <= 0) continue;
    log_sum += std::log(measured_per_predicted(brief, keep_to_baseline, keep_latency_ms));
    ++measured;
  }
  return measured == 0 ? 1.0 : std::exp(log_sum / measured);
}

void put_in_predicted_scale(std::vector<VerifiedArchitecture>& briefly_trained, double keep_to_baseline,
                            double keep_latency_ms, double realised) {
  for (VerifiedArchitecture& brief : briefly_trained) {
    double measured = measured_speedup_over_keep(brief, keep_to_baseline);
    if (brief.predicted_latency_ms > 0 && measured > 0)
      brief.predicted_latency_ms = keep_latency_ms * realised / measured;
  }
}

}  // namespace nacre
