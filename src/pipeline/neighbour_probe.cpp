#include "pipeline/neighbour_probe.h"

#include <cstdio>
#include <nlohmann/json.hpp>

#include "io/data/strided_subset.h"
#include "pipeline/evaluate_classifier.h"
#include "space/inherit_trained_weights.h"
#include "util/progress.h"

namespace nacre {

ProbedNeighbours probe_neighbours(OptimizeContext& context, const VerifiedArchitecture& from,
                                  const std::vector<ParetoPoint>& neighbours) {
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
  Progress progress("probe neighbours", static_cast<int64_t>(neighbours.size()), "architectures",
                    context.options.show_progress);
  for (const ParetoPoint& neighbour : neighbours) {
    Architecture architecture{neighbour.choices};
    Graph start = materialize(context.space, architecture);
    inherit_trained_weights(start, context.space, architecture, from.model, from_architecture);
    ParetoPoint point = neighbour;
    point.accuracy = evaluate_classifier(start, subset, context.preprocessing, quiet).top1;
    probed.points.push_back(point);
    progress.advance();
  }
  progress.finish();
  context.run.write_json(unit,
                         {{"from_accuracy", probed.from_accuracy}, {"neighbours", to_json(probed.points)}});
  std::fprintf(stderr, "  %s: %.2f%% on %ld validation examples; its neighbours before training:\n",
               from.architecture.c_str(), 100 * probed.from_accuracy, static_cast<long>(subset.size()));
  for (const ParetoPoint& point : probed.points)
    std::fprintf(stderr, "    %s %.2f%%, predicted %.3f ms\n", Architecture{point.choices}.encode().c_str(),
                 100 * point.accuracy, point.latency);
  return probed;
}

}  // namespace nacre
