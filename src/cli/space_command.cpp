// nacre space: the search space nacre reads out of a trained model: candidates per block, and sampled
// architectures exported as ONNX.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <random>
#include <set>

#include "cli/commands.h"
#include "cli/json_output.h"
#include "cli/model_options.h"
#include "io/onnx/onnx_export.h"
#include "latency/target_registry.h"
#include "space/search_space.h"
#include "util/error.h"

namespace nacre::cli {

namespace {

struct SpaceCommandOptions {
  ModelOptions model;
  std::string target_name;
  std::string json_path;
  int sample = 0;
  std::string export_dir;
  uint64_t seed = 1;
};

nlohmann::json describe_space(const SearchSpace& space) {
  nlohmann::json blocks = nlohmann::json::array();
  for (size_t b = 0; b < space.candidates.size(); ++b) {
    nlohmann::json candidates = nlohmann::json::array();
    for (const Candidate& candidate : space.candidates[b]) {
      candidates.push_back({{"id", candidate.id},
                            {"generator", candidate.generator},
                            {"description", candidate.description},
                            {"weight_origin", candidate.weight_origin},
                            {"macs", candidate.macs},
                            {"parameters", candidate.parameters}});
    }
    blocks.push_back({{"name", space.segmentation.blocks[b].name}, {"candidates", candidates}});
  }
  return {{"blocks", blocks}, {"architectures", space.size()}};
}

void print_space(const nlohmann::json& json) {
  std::printf("%zu blocks, %.4g architectures\n", json["blocks"].size(), json["architectures"].get<double>());
  for (const auto& block : json["blocks"]) {
    std::printf("\n%s: %zu candidates\n", block["name"].get<std::string>().c_str(),
                block["candidates"].size());
    for (const auto& candidate : block["candidates"]) {
      std::printf("  %-32s %-20s %12lld MACs %10lld params  %s\n", candidate["id"].get<std::string>().c_str(),
                  candidate["generator"].get<std::string>().c_str(), candidate["macs"].get<long long>(),
                  candidate["parameters"].get<long long>(),
                  candidate["weight_origin"].get<std::string>().c_str());
    }
  }
}

// N distinct random architectures (fewer when the space is smaller), each written as
// DIR/arch_<encoding>.onnx.
nlohmann::json export_samples(const SearchSpace& space, const SpaceCommandOptions& options) {
  std::filesystem::create_directories(options.export_dir);
  std::mt19937_64 random(options.seed);
  std::set<std::string> seen;
  nlohmann::json listed = nlohmann::json::array();
  for (int attempt = 0; static_cast<int>(seen.size()) < options.sample && attempt < 100 * options.sample;
       ++attempt) {
    Architecture architecture;
    for (const auto& candidates : space.candidates) {
      architecture.choices.push_back(std::uniform_int_distribution<int>(0, candidates.size() - 1)(random));
    }
    if (!seen.insert(architecture.encode()).second) continue;
    Graph model = materialize(space, architecture);
    std::string path =
        (std::filesystem::path(options.export_dir) / ("arch_" + architecture.encode() + ".onnx")).string();
    export_onnx(model, path);
    listed.push_back({{"architecture", architecture.encode()}, {"file", path}});
  }
  write_json(listed, (std::filesystem::path(options.export_dir) / "architectures.json").string());
  std::printf("wrote %zu architectures to %s\n", listed.size(), options.export_dir.c_str());
  return listed;
}

}  // namespace

void add_space_command(CLI::App& app) {
  auto options = std::make_shared<SpaceCommandOptions>();
  CLI::App* command = app.add_subcommand("space", "Show the search space nacre builds from a model");
  add_model_options(*command, options->model);
  command->add_option("--target", options->target_name,
                      "Keep only candidates whose ops this target runs (see `nacre targets`)");
  command->add_option("--json", options->json_path,
                      "Write the candidates per block as JSON ('-' for stdout)");
  command->add_option("--sample", options->sample, "Export N random architectures (with --export)")
      ->check(CLI::NonNegativeNumber);
  command->add_option("--export", options->export_dir, "Folder for the sampled architectures (.onnx)");
  command->add_option("--seed", options->seed, "Seed of the sampled architectures")->capture_default_str();
  command->footer(
      "Candidates' latencies on a target: nacre latency-model model.onnx --target NAME --table table.json\n"
      "Examples:\n"
      "  nacre space ../shared/baselines/resnet18_cifar10.onnx\n"
      "  nacre space model.onnx --target ort --json space.json\n"
      "  nacre space model.onnx --sample 10 --export archs/");
  command->callback([options] {
    if ((options->sample > 0) != !options->export_dir.empty()) {
      throw Error("--sample N and --export DIR go together");
    }
    SpaceOptions space_options;
    if (!options->target_name.empty())
      space_options.supported_ops = find_target(options->target_name)->supported_op_types();
    SearchSpace space = build_search_space(load_model_from_options(options->model), space_options);
    nlohmann::json json = describe_space(space);
    if (options->json_path != "-") print_space(json);
    if (options->sample > 0) json["samples"] = export_samples(space, *options);
    if (!options->json_path.empty()) write_json(json, options->json_path);
  });
}

}  // namespace nacre::cli
