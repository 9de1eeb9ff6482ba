#include "exec/torchscript_module.h"

#include <torch/csrc/jit/api/module.h>
#include <torch/script.h>
#include <torch/version.h>

#include <mutex>
#include <set>
#include <sstream>

#include "exec/tensor_conversion.h"
#include "exec/torchscript_source.h"
#include "util/error.h"

namespace nacre {

namespace {

// Compiles the program into a module in eval mode; the weights are its tensor attributes.
torch::jit::Module compile_program(const TorchScriptProgram& program) {
  torch::jit::Module module("nacre");
  module.register_attribute("training", c10::BoolType::get(), false);
  for (const auto& [name, tensor] : program.attributes) {
    module.register_attribute(name, c10::TensorType::get(), to_torch(tensor));
  }
  module.define(program.source);
  module.eval();
  return module;
}

// LibTorch's oneDNN path warns on every run of some models (an output resized in mobilenet_v3's
// squeeze-excitation); print each distinct warning once rather than once per timed run.
class WarnOnceHandler : public c10::WarningHandler {
 public:
  void process(const c10::SourceLocation& location, const std::string& message,
               const bool verbatim) override {
    std::lock_guard<std::mutex> lock(mutex_);
    if (seen_.insert(message).second) c10::WarningHandler::process(location, message, verbatim);
  }

 private:
  std::mutex mutex_;
  std::set<std::string> seen_;
};

}  // namespace

struct FrozenTorchScriptModule::Impl {
  std::string graph_name;
  std::string source;
  torch::jit::Module module;
  std::vector<c10::IValue> inputs;

  c10::IValue forward() {
    static WarnOnceHandler warn_once;
    c10::Warning::WarningHandlerGuard warnings(&warn_once);
    c10::InferenceMode inference;
    try {
      return module.forward(inputs);
    } catch (const std::exception& error) {
      throw make_error("LibTorch failed to run the frozen TorchScript module of graph '", graph_name,
                       "': ", error.what());
    }
  }
};

FrozenTorchScriptModule::FrozenTorchScriptModule(const Graph& graph) : impl_(std::make_unique<Impl>()) {
  TorchScriptProgram program = torchscript_program(graph);
  impl_->graph_name = graph.name;
  impl_->source = program.source;
  try {
    torch::jit::Module frozen = torch::jit::freeze(compile_program(program));
    impl_->module = torch::jit::optimize_for_inference(frozen);
  } catch (const std::exception& error) {
    throw make_error("LibTorch rejected the TorchScript written for graph '", graph.name, "': ", error.what(),
                     "\nThe source was:\n", program.source);
  }
}

FrozenTorchScriptModule::~FrozenTorchScriptModule() = default;
FrozenTorchScriptModule::FrozenTorchScriptModule(FrozenTorchScriptModule&&) noexcept = default;
FrozenTorchScriptModule& FrozenTorchScriptModule::operator=(FrozenTorchScriptModule&&) noexcept = default;

void FrozenTorchScriptModule::set_inputs(const std::vector<Tensor>& inputs) {
  impl_->inputs.clear();
  for (const Tensor& input : inputs) impl_->inputs.emplace_back(to_torch(input));
}

std::vector<Tensor> FrozenTorchScriptModule::run() {
  c10::IValue result = impl_->forward();
  std::vector<Tensor> outputs;
  if (result.isTuple()) {
    for (const c10::IValue& element : result.toTupleRef().elements()) {
      outputs.push_back(from_torch(element.toTensor()));
    }
  } else {
    outputs.push_back(from_torch(result.toTensor()));
  }
  return outputs;
}

void FrozenTorchScriptModule::run_discarding_outputs() { impl_->forward(); }

const std::string& FrozenTorchScriptModule::source() const { return impl_->source; }

std::string FrozenTorchScriptModule::optimized_graph() const {
  std::ostringstream text;
  text << *impl_->module.get_method("forward").graph();
  return text.str();
}

std::string libtorch_version() { return TORCH_VERSION; }

}  // namespace nacre
