#include "latency/fresh_process_comparison.h"

#include <fstream>
#include <nlohmann/json.hpp>

#include "latency/child_process.h"
#include "latency/temp_dir.h"
#include "util/error.h"

namespace nacre {

namespace {

LatencyMeasurement measurement_from_json(const nlohmann::json& json, const LatencyRequest& request,
                                         const std::string& target) {
  LatencyMeasurement measurement;
  measurement.target = target;
  measurement.batch = request.batch;
  measurement.threads = request.threads;
  measurement.stats = latency_stats_from_json(json);
  measurement.outputs_checked = json.value("outputs_checked", false);
  return measurement;
}

}  // namespace

LatencyComparison compare_latency_in_fresh_process(const std::string& nacre_binary,
                                                   const std::string& model_a, const std::string& model_b,
                                                   const Target& target, const LatencyRequest& request) {
  TempDir scratch("nacre-latency");
  std::string json_path = scratch.file("comparison.json");
  CommandOutput output = run_command(
      {nacre_binary, "latency", model_a, "--vs", model_b, "--target", target.name(), "--batch",
       std::to_string(request.batch), "--threads", std::to_string(request.threads), "--max-seconds",
       std::to_string(request.protocol.max_seconds), "--no-cache", "--json", json_path});
  std::ifstream file(json_path);
  if (output.exit_code != 0 || !file) {
    throw make_error("measuring ", model_a, " against ", model_b, " in a fresh process (", nacre_binary,
                     " latency) failed with exit code ", output.exit_code, ": ", output.standard_error_tail);
  }
  nlohmann::json json;
  try {
    json = nlohmann::json::parse(file);
    LatencyComparison comparison;
    comparison.a = measurement_from_json(json, request, target.name());
    comparison.b = measurement_from_json(json.at("b"), request, target.name());
    comparison.ratio.ratio = json.at("ratio").get<double>();
    comparison.ratio.interval = {json.at("ratio_ci95").at(0).get<double>(),
                                 json.at("ratio_ci95").at(1).get<double>()};
    return comparison;
  } catch (const nlohmann::json::exception& error) {
    throw make_error("the fresh-process comparison wrote an unreadable result ", json_path, ": ",
                     error.what());
  }
}

}  // namespace nacre
