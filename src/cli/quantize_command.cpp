// nacre quantize: post-training int8 quantization of a trained model (QDQ form, passes/insert_qdq.h), its
// activation ranges calibrated on the user's training data; the result runs with int8 kernels on ONNX
// Runtime (the `ort` target), and `nacre evaluate` measures its accuracy.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/json_output.h"
#include "cli/model_options.h"
#include "io/data/strided_subset.h"
#include "io/onnx/onnx_export.h"
#include "passes/fold_batchnorm.h"
#include "pipeline/activation_ranges.h"
#include "pipeline/model_preprocessing.h"
#include "util/cpu_features.h"
#include "util/error.h"

namespace nacre::cli {

namespace {

struct QuantizeOptions {
  ModelOptions model;
  std::string data_dir;
  std::string out_path;
  NormalisationOptions normalisation;
  int64_t calibration_examples = 1024;
  std::string weight_bits = "auto";
  std::string json_path;
};

// OUT.json beside OUT.onnx: the normalisation (so evaluate and optimize find it as for the baselines) and how
// the model was quantized.
void write_sidecar(const QuantizeOptions& options, const ModelPreprocessing& preprocessing,
                   const nlohmann::json& quantization) {
  std::filesystem::path path(options.out_path);
  path.replace_extension(".json");
  if (std::filesystem::exists(path)) {
    std::fprintf(stderr, "%s exists: kept (not overwritten)\n", path.c_str());
    return;
  }
  nlohmann::json sidecar = {{"quantization", quantization}};
  if (!preprocessing.preprocessing.mean.empty())
    sidecar["input"] = {{"mean", preprocessing.preprocessing.mean}, {"std", preprocessing.preprocessing.std}};
  std::ofstream(path) << sidecar.dump(2) << "\n";
}

struct WeightBits {
  int bits = 8;
  std::string reason;
};

// "7", "8", or "auto": 7 on an x86 CPU without VNNI, where ONNX Runtime's 8-bit kernels can saturate (and
// give wrong outputs: on an AVX2-only AMD EPYC, resnet18_cifar10 lost 2.2 points of accuracy on ORT), else 8.
WeightBits weight_bits_for(const std::string& asked) {
  if (asked == "7") return {7, "asked for (--weight-bits 7)"};
  if (asked == "8") return {8, "asked for (--weight-bits 8)"};
  if (cpu_has_vnni()) return {8, "auto: this CPU has VNNI int8 dot products"};
  return {7, "auto: this CPU has no VNNI, where ONNX Runtime's 8-bit weight kernels can saturate"};
}

void quantize(const QuantizeOptions& options) {
  if (std::filesystem::exists(options.out_path))
    throw make_error(options.out_path, " already exists: nacre does not overwrite it; give another --out");
  Graph graph = load_model_from_options(options.model);
  int folded = fold_batchnorm(graph);
  std::vector<float> mean, std;
  parse_normalisation(options.normalisation, mean, std);
  ModelPreprocessing preprocessing = preprocessing_for_model(graph, options.model.model_path, mean, std);
  std::fprintf(stderr, "preprocessing: mean/std from %s\n", preprocessing.source.c_str());

  LabeledImages train = load_split(options.data_dir, "", Split::kTrain, -1);
  LabeledImages calibration = strided_subset(train, options.calibration_examples);
  std::vector<ValueId> activations = activations_to_quantize(graph);
  if (activations.empty())
    throw make_error(options.model.model_path, " has no Conv, Gemm or residual Add that nacre quantizes");
  std::map<std::string, ActivationRange> ranges =
      measure_activation_ranges(graph, activations, calibration, preprocessing.preprocessing);
  WeightBits weight_bits = weight_bits_for(options.weight_bits);
  std::fprintf(stderr, "weights: %d-bit (%s)\n", weight_bits.bits, weight_bits.reason.c_str());
  QdqOptions qdq;
  qdq.reduce_range = weight_bits.bits == 7;
  QdqSummary summary = insert_qdq(graph, ranges, qdq);
  export_onnx(graph, options.out_path);

  nlohmann::json quantization = {
      {"scheme", "QDQ: int8 per-channel symmetric weights, uint8 per-tensor activations"},
      {"calibration", "min/max over " + std::to_string(calibration.size()) + " training examples (" +
                          calibration.description + ")"},
      {"weights_bits", weight_bits.bits},
      {"weights_bits_reason", weight_bits.reason},
      {"quantized_nodes", summary.weighted_nodes},
      {"quantized_activations", summary.activations},
      {"batchnorm_folded", folded}};
  write_sidecar(options, preprocessing, quantization);
  std::printf(
      "%s: %d Conv/Gemm nodes with int8 weights, %d activations quantized (calibrated on %lld "
      "examples)\n",
      options.out_path.c_str(), summary.weighted_nodes, summary.activations,
      static_cast<long long>(calibration.size()));
  if (!options.json_path.empty()) {
    quantization["model"] = options.model.model_path;
    quantization["out"] = options.out_path;
    write_json(quantization, options.json_path);
  }
}

}  // namespace

void add_quantize_command(CLI::App& app) {
  auto options = std::make_shared<QuantizeOptions>();
  CLI::App* command = app.add_subcommand(
      "quantize", "Post-training int8 quantization (QDQ ONNX for ONNX Runtime), calibrated on your data");
  add_model_options(*command, options->model);
  command
      ->add_option("--data", options->data_dir,
                   "Data folder whose training split calibrates the activation ranges (IDX files or "
                   "ROOT/{train,test}/<class>/ images)")
      ->required();
  command->add_option("--out", options->out_path, "The quantized model, ONNX (never overwritten)")
      ->required();
  add_normalisation_options(*command, options->normalisation, "MODEL.json beside the model");
  command
      ->add_option("--calibration-examples", options->calibration_examples,
                   "Training examples (evenly spread over the split) the activation ranges are measured on")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  command
      ->add_option("--weight-bits", options->weight_bits,
                   "Bits of the int8 weights: 8, 7 (for x86 CPUs without VNNI, whose 8-bit dot products can "
                   "saturate on ONNX Runtime), or auto (7 exactly there, for the CPU nacre runs on)")
      ->capture_default_str()
      ->check(CLI::IsMember({"auto", "7", "8"}));
  command->add_option("--json", options->json_path, "Write what was quantized as JSON ('-' for stdout)");
  command->footer(
      "The result's accuracy: nacre evaluate OUT.onnx --data DIR (nacre's executor computes the same\n"
      "quantization in float); its speed: nacre latency OUT.onnx --target ort --vs MODEL.onnx.\n"
      "Examples:\n"
      "  nacre quantize resnet18_cifar10.onnx --data data/cifar10 --out resnet18_int8.onnx\n"
      "  nacre quantize resnet18_cifar10.onnx --data data/cifar10 --out resnet18_int8.onnx --weight-bits 8\n"
      "  nacre quantize model.onnx --data /usr/share/datasets/fashion-mnist --out model_int8.onnx "
      "--calibration-examples 512");
  command->callback([options] { quantize(*options); });
}

}  // namespace nacre::cli
