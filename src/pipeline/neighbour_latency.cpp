#include "pipeline/neighbour_latency.h"

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "pipeline/compare_on_target.h"

namespace nacre {

std::vector<double> measure_changes(OptimizeContext& context, const VerifiedArchitecture& from,
                                    const std::vector<Choices>& changes) {
  std::string record = "finetune/neighbours/" + file_name_for(from.architecture) + ".latency.json";
  nlohmann::json stored = context.run.has(record) ? context.run.read_json(record) : nlohmann::json::object();
  auto unmeasured = std::count_if(changes.begin(), changes.end(), [&stored](const Choices& change) {
    return !stored.contains(Architecture{change}.encode());
  });
  if (unmeasured > 0)
    std::fprintf(stderr, "  measuring %ld of %s's faster single changes against it on the target\n",
                 static_cast<long>(unmeasured), from.architecture.c_str());
  Graph from_model =
      unmeasured > 0 ? materialize(context.space, Architecture::decode(from.architecture)) : Graph{};
  std::vector<double> ratios;
  for (const Choices& change : changes) {
    std::string encoded = Architecture{change}.encode();
    if (!stored.contains(encoded)) {
      LatencyComparison comparison =
          compare_on_target(context, materialize(context.space, Architecture{change}), from_model,
                            context.plan.latency_seconds_per_candidate);
      stored[encoded] = comparison.ratio.ratio;
      context.run.write_json(record, stored);
      std::fprintf(stderr, "    %s measured %.3f of %s's latency (%.3f vs %.3f ms)\n", encoded.c_str(),
                   comparison.ratio.ratio, from.architecture.c_str(), comparison.a.stats.median_ms,
                   comparison.b.stats.median_ms);
    }
    ratios.push_back(stored.at(encoded).get<double>());
  }
  return ratios;
}

}  // namespace nacre
