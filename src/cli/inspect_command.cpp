// nacre inspect: what a model is made of (inputs, outputs, ops, parameters, MACs).
#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/json_output.h"
#include "cli/model_options.h"
#include "ir/cost.h"
#include "space/block.h"

namespace nacre::cli {

namespace {

struct InspectOptions {
  ModelOptions model;
  std::string json_path;
  bool verbose = false;
  bool blocks = false;
};

nlohmann::json describe_values(const Graph& graph, const std::vector<ValueId>& ids) {
  nlohmann::json list = nlohmann::json::array();
  for (ValueId id : ids) {
    const Value& value = graph.value(id);
    list.push_back({{"name", value.name},
                    {"dtype", to_string(value.dtype)},
                    {"shape", value.shape ? nlohmann::json(*value.shape) : nlohmann::json()}});
  }
  return list;
}

int64_t node_parameters(const Graph& graph, const Node& node) {
  int64_t count = 0;
  for (ValueId input : node.inputs) {
    if (graph.is_constant(input) && graph.constant(input).dtype() == DataType::kFloat32) {
      count += graph.constant(input).numel();
    }
  }
  return count;
}

nlohmann::json describe_model(const Graph& graph, const InspectOptions& options) {
  std::map<std::string, int64_t> histogram;
  nlohmann::json nodes = nlohmann::json::array();
  for (size_t i = 0; i < graph.node_count(); ++i) {
    const Node& node = graph.node(static_cast<NodeId>(i));
    ++histogram[node.op_type];
    const Value& output = graph.value(node.outputs[0]);
    nodes.push_back({{"name", node.name},
                     {"op", node.op_type},
                     {"output_shape", output.shape ? nlohmann::json(*output.shape) : nlohmann::json()},
                     {"macs", node_macs(graph, static_cast<NodeId>(i))},
                     {"parameters", node_parameters(graph, node)}});
  }
  nlohmann::json json = {{"model", options.model.model_path},
                         {"inputs", describe_values(graph, graph.inputs)},
                         {"outputs", describe_values(graph, graph.outputs)},
                         {"node_count", graph.node_count()},
                         {"parameters", parameter_count(graph)},
                         {"macs", total_macs(graph)},
                         {"ops", histogram}};
  if (options.verbose) json["nodes"] = nodes;
  return json;
}

std::string shape_text(const nlohmann::json& shape) {
  return shape.is_null() ? "[unknown]" : to_string(shape.get<Shape>());
}

void print_description(const nlohmann::json& json) {
  std::cout << "model:      " << json["model"].get<std::string>() << "\n";
  for (const char* side : {"inputs", "outputs"}) {
    for (const auto& value : json[side]) {
      std::cout << (std::string(side) == "inputs" ? "input:      " : "output:     ")
                << value["name"].get<std::string>() << " " << value["dtype"].get<std::string>()
                << shape_text(value["shape"]) << "\n";
    }
  }
  std::printf(
      "nodes:      %lld\nparameters: %lld (%.2f M)\nMACs:       %lld (%.3f G per example)\nops:       ",
      json["node_count"].get<long long>(), json["parameters"].get<long long>(),
      json["parameters"].get<double>() / 1e6, json["macs"].get<long long>(),
      json["macs"].get<double>() / 1e9);
  for (const auto& [op, count] : json["ops"].items()) std::cout << " " << op << " " << count.get<int64_t>();
  std::cout << "\n";
  if (!json.contains("nodes")) return;
  std::printf("\n%-40s %-20s %-20s %14s %12s\n", "node", "op", "output shape", "MACs", "parameters");
  for (const auto& node : json["nodes"]) {
    std::printf("%-40s %-20s %-20s %14lld %12lld\n", node["name"].get<std::string>().c_str(),
                node["op"].get<std::string>().c_str(), shape_text(node["output_shape"]).c_str(),
                node["macs"].get<long long>(), node["parameters"].get<long long>());
  }
}

nlohmann::json describe_blocks(const Graph& graph, const Segmentation& segmentation) {
  nlohmann::json blocks = nlohmann::json::array();
  for (const Block& block : segmentation.blocks) {
    nlohmann::json nodes = nlohmann::json::array();
    for (NodeId id : block.nodes) nodes.push_back(graph.node(id).name);
    blocks.push_back({{"index", block.index},
                      {"name", block.name},
                      {"nodes", nodes},
                      {"input_shape", block.input_shape},
                      {"output_shape", block.output_shape},
                      {"macs", block.macs},
                      {"replaceable", block.replaceable},
                      {"why_not_replaceable", block.why_not_replaceable}});
  }
  return blocks;
}

}  // namespace

void add_inspect_command(CLI::App& app) {
  auto options = std::make_shared<InspectOptions>();
  CLI::App* command =
      app.add_subcommand("inspect", "Show a model's inputs, outputs, ops, parameters and MACs");
  add_model_options(*command, options->model);
  command->add_flag("--verbose,-v", options->verbose,
                    "Also list every node with its shape, MACs and parameters");
  command->add_flag("--blocks", options->blocks,
                    "Also show the blocks nacre segments the model into (the units it can replace)");
  command->add_option("--json", options->json_path,
                      "Write the description as JSON to this file ('-' for stdout)");
  command->footer(
      "Examples:\n"
      "  nacre inspect ../shared/baselines/resnet18_cifar10.onnx\n"
      "  nacre inspect model.onnx --verbose --json model-info.json\n"
      "  nacre inspect model.onnx --blocks\n"
      "  nacre inspect ocr.onnx --input-shape 1,3,48,192");
  command->callback([options] {
    Graph graph = load_model_from_options(options->model);
    nlohmann::json json = describe_model(graph, *options);
    if (options->json_path != "-") print_description(json);
    if (options->blocks) {
      Segmentation segmentation = segment_into_blocks(graph);
      json["blocks"] = describe_blocks(graph, segmentation);
      if (options->json_path != "-") std::cout << "\nblocks:\n" << to_text(segmentation, graph);
    }
    if (!options->json_path.empty()) write_json(json, options->json_path);
  });
}

}  // namespace nacre::cli
