// nacre: makes trained neural networks run several times faster on their target, without losing accuracy.
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/commands.h"
#include "nacre_version.h"  // generated at build time: the commit
#include "util/error.h"

int main(int argc, char** argv) {
  CLI::App app{"nacre: builds a faster architecture from a trained model, for the target it is deployed on."};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("nacre ") + NACRE_VERSION,
                       "Print the commit nacre was built from");
  app.footer(
      "Examples:\n"
      "  nacre optimize model.onnx --data data/cifar10 --target torchscript --out runs/r1\n"
      "  nacre report runs/r1\n"
      "  nacre finetune student.onnx --teacher model.onnx --data data/cifar10 --out trained.onnx\n"
      "  nacre inspect model.onnx\n"
      "  nacre evaluate model.onnx --data /usr/share/datasets/fashion-mnist --split val\n"
      "  nacre run model.onnx --input x.npy --output y.npy\n"
      "  nacre targets\n"
      "  nacre latency model.onnx --target ort --batch 1 --threads 1\n"
      "  nacre --version\n"
      "Run 'nacre COMMAND --help' for a command's options.");
  nacre::cli::add_optimize_command(app);
  nacre::cli::add_report_command(app);
  nacre::cli::add_finetune_command(app);
  nacre::cli::add_quantize_command(app);
  nacre::cli::add_inspect_command(app);
  nacre::cli::add_space_command(app);
  nacre::cli::add_run_command(app);
  nacre::cli::add_evaluate_command(app);
  nacre::cli::add_targets_command(app);
  nacre::cli::add_latency_command(app);
  nacre::cli::add_latency_model_command(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    return app.exit(error);
  } catch (const nacre::Error& error) {
    std::cerr << "nacre: error: " << error.what() << "\n";
    return 1;
  } catch (const std::exception& error) {
    std::cerr << "nacre: internal error: " << error.what() << "\n";
    return 3;
  }
  return 0;
}
