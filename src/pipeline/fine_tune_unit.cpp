#include "pipeline/fine_tune_unit.h"

#include "io/data/npy.h"
#include "io/onnx/load_model.h"
#include "io/onnx/onnx_export.h"
#include "pipeline/budgeted_fine_tune.h"
#include "train/teacher_activations.h"

namespace nacre {

Graph fine_tune_unit(OptimizeContext& context, const Graph& start, const FineTuneUnit& unit,
                     const Tensor& teacher_logits) {
  if (std::optional<Graph> done = finished_unit(context, unit.name)) return std::move(*done);
  FineTuneData data{context.train_inputs, teacher_logits, context.train.labels};
  BudgetedFineTune plan;
  plan.seconds = unit.seconds;
  if (unit.learning_rate > 0) plan.learning_rate = unit.learning_rate;
  plan.image_height = context.preprocessing.height;
  plan.threads = context.train_threads();
  plan.seed = context.options.seed + 7;
  plan.label = "fine-tune " + unit.architecture;
  plan.show_progress = context.options.show_progress;
  FineTuneResult result = fine_tune_for_budget(start, data, plan);
  export_onnx(result.trained, context.run.path(unit.name + ".onnx"));
  context.run.write_json(unit.name + ".json",
                         {{"architecture", unit.architecture},
                          {"learning_rate", plan.learning_rate},
                          {"inherited_weights_from", unit.inherited_from},
                          {"steps", result.steps},
                          {"seconds", result.seconds},
                          {"rollbacks", result.rollbacks},
                          {"diverged", result.diverged},
                          {"memory_layout", to_string(result.memory_layout)},
                          {"final_loss", result.loss_history.empty() ? 0.0 : result.loss_history.back()}});
  // What the run goes on with is what a resumed run would read: the file (see distill_stage.cpp).
  return load_model(context.run.path(unit.name + ".onnx"));
}

std::optional<Graph> finished_unit(const OptimizeContext& context, const std::string& name) {
  if (!context.run.has(name + ".onnx") || !context.run.has(name + ".json")) return std::nullopt;
  return load_model(context.run.path(name + ".onnx"));
}

Tensor teacher_logits(OptimizeContext& context) {
  const char* file = "cache/teacher_logits.npy";
  if (context.run.has(file)) return read_npy(context.run.path(file));
  ActivationOptions options;
  options.threads = context.train_threads();
  Tensor logits =
      teacher_activations(context.model, {context.model.outputs[0]}, context.train_inputs, options)[0];
  write_npy(context.run.path(file), logits);
  return logits;
}

}  // namespace nacre
