#include "pipeline/neighbour_probe.h"

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "io/data/strided_subset.h"
#include "pipeline/evaluate_classifier.h"
#include "pipeline/fine_tune_unit.h"
#include "search/single_changes.h"
#include "space/inherit_trained_weights.h"

namespace nacre {

std::string neighbour_probe_unit(const std::string& from, const std::string& architecture) {
  return "finetune/neighbours/" + file_name_for(from) + "/" + file_name_for(architecture);
}

ProbedNeighbours probe_neighbours(OptimizeContext& context, const VerifiedArchitecture& from,
                                  const std::vector<ParetoPoint>& neighbours, const Tensor& logits,
                                  double learning_rate) {
  std::string unit = "finetune/neighbours/" + file_name_for(from.architecture) + ".json";
  if (context.run.has(unit)) {
    nlohmann::json stored = context.run.read_json(unit);
    return {stored.at("from_accuracy").get<double>(), pareto_points_from_json(stored.at("neighbours"))};
  }
  LabeledImages subset = strided_subset(context.val, context.plan.calibration_val_examples);
  EvaluationOptions quiet;
  quiet.show_progress = false;
  ProbedNeighbours probed;
  probed.from_accuracy = evaluate_classifier(from.model, subset, context.preprocessing, quiet).top1;
  Architecture from_architecture = Architecture::decode(from.architecture);
  std::vector<ParetoPoint> chosen =
      spread_along_front(neighbours, static_cast<size_t>(std::max(0, context.plan.neighbour_probes)));
  for (const ParetoPoint& neighbour : chosen) {
    Architecture architecture{neighbour.choices};
    Graph start = materialize(context.space, architecture);
    inherit_trained_weights(start, context.space, architecture, from.model, from_architecture);
    FineTuneUnit brief;
    brief.architecture = architecture.encode();
    brief.name = neighbour_probe_unit(from.architecture, brief.architecture);
    brief.inherited_from = from.architecture;
    brief.seconds = context.plan.neighbour_probe_seconds;
    brief.learning_rate = learning_rate;
    Graph trained =
        context.plan.neighbour_probe_seconds > 0 ? fine_tune_unit(context, start, brief, logits) : start;
    ParetoPoint point = neighbour;
    point.accuracy = evaluate_classifier(trained, subset, context.preprocessing, quiet).top1;
    probed.points.push_back(point);
  }
  context.run.write_json(unit,
                         {{"from_accuracy", probed.from_accuracy}, {"neighbours", to_json(probed.points)}});
  std::fprintf(stderr,
               "  %s: %.2f%% on %ld validation examples; %zu of its %zu faster neighbours after %.1f s of "
               "fine-tuning:\n",
               from.architecture.c_str(), 100 * probed.from_accuracy, static_cast<long>(subset.size()),
               chosen.size(), neighbours.size(), context.plan.neighbour_probe_seconds);
  for (const ParetoPoint& point : probed.points)
    std::fprintf(stderr, "    %s %.2f%%, predicted %.3f ms\n", Architecture{point.choices}.encode().c_str(),
                 100 * point.accuracy, point.latency);
  return probed;
}

}  // namespace nacre
