#include "pipeline/evaluate_classifier.h"

#include <algorithm>
#include <chrono>
#include <numeric>

#include "exec/inference_session.h"
#include "util/error.h"
#include "util/progress.h"

namespace nacre {

namespace {

void check_labels_fit(const LabeledImages& data, int64_t class_count) {
  for (int64_t i = 0; i < data.size(); ++i) {
    if (data.labels[i] < 0 || data.labels[i] >= class_count) {
      throw make_error("example ", i, " of ", data.description, " has label ", data.labels[i],
                       (static_cast<size_t>(data.labels[i]) < data.class_names.size()
                            ? " ('" + data.class_names[data.labels[i]] + "')"
                            : std::string()),
                       ", outside the model's ", class_count,
                       " classes; is this the data the model was trained on?");
    }
  }
}

// Counts top-1 and top-5 hits of `rows` score rows against labels starting at `first`.
void count_hits(const Tensor& scores, int64_t rows, const std::vector<int64_t>& labels, int64_t first,
                int64_t& top1, int64_t& top5) {
  int64_t classes = scores.shape()[1];
  const float* data = scores.data<float>();
  for (int64_t row = 0; row < rows; ++row) {
    const float* row_scores = data + row * classes;
    float label_score = row_scores[labels[first + row]];
    int64_t better = 0;
    for (int64_t k = 0; k < classes; ++k) {
      // Ties count against the label, so a constant output never scores.
      if (row_scores[k] > label_score || (row_scores[k] == label_score && k < labels[first + row])) ++better;
    }
    if (better == 0) ++top1;
    if (better < 5) ++top5;
  }
}

}  // namespace

EvaluationResult evaluate_classifier(const Graph& graph, const LabeledImages& data,
                                     const Preprocessing& preprocessing, const EvaluationOptions& options) {
  InferenceSession session(graph);
  return evaluate_classifier(graph, data, preprocessing, options,
                             std::max<int64_t>(0, graph.value(graph.inputs.at(0)).shape->at(0)),
                             [&session](const Tensor& batch) { return session.run({batch})[0]; });
}

EvaluationResult evaluate_classifier(const Graph& graph, const LabeledImages& data,
                                     const Preprocessing& preprocessing, const EvaluationOptions& options,
                                     int64_t fixed_batch, const ScoreBatch& score) {
  check_fits(data, preprocessing);
  if (data.size() == 0) throw make_error(data.description, " holds no examples");
  if (graph.outputs.empty()) throw make_error("the model has no outputs");
  const Value& output = graph.value(graph.outputs[0]);
  if (output.shape && output.shape->size() != 2) {
    throw make_error("output '", output.name, "' has shape ", to_string(*output.shape),
                     "; a classifier's first output is [N, classes]");
  }
  int64_t batch = fixed_batch > 0 ? fixed_batch : std::max<int64_t>(1, options.batch_size);

  EvaluationResult result;
  int64_t top1 = 0, top5 = 0;
  auto start = std::chrono::steady_clock::now();
  Progress progress("evaluate", data.size(), "images", options.show_progress);
  for (int64_t begin = 0; begin < data.size(); begin += batch) {
    int64_t end = std::min(begin + batch, data.size());
    // A fixed-batch model gets a zero-padded last batch.
    Tensor input = preprocess_padded_batch(data, begin, end, preprocessing, fixed_batch > 0 ? batch : 0);
    Tensor scores = score(input);
    if (scores.rank() != 2 || scores.shape()[0] != input.shape()[0] || scores.dtype() != DataType::kFloat32) {
      throw make_error("output '", output.name, "' is ", to_string(scores.dtype()), to_string(scores.shape()),
                       " for a batch of ", input.shape()[0], "; expected float32 scores [batch, classes]");
    }
    if (begin == 0) check_labels_fit(data, scores.shape()[1]);
    count_hits(scores, end - begin, data.labels, begin, top1, top5);
    progress.update(end);
  }
  progress.finish();
  result.examples = data.size();
  result.top1 = static_cast<double>(top1) / result.examples;
  result.top5 = static_cast<double>(top5) / result.examples;
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

}  // namespace nacre
