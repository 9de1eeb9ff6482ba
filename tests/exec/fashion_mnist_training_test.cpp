// Training through the executor on real data: SGD on a Fashion-MNIST subset lowers the loss of a real
// exported model (tiny_cnn), with BatchNorm re-introduced for training and folded again afterwards.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include "exec/graph_module_torch.h"
#include "exec/inference_session.h"
#include "io/data/dataset.h"
#include "io/data/preprocess.h"
#include "io/onnx/load_model.h"
#include "passes/fold_batchnorm.h"
#include "passes/unfold_batchnorm.h"
#include "test_paths.h"

namespace nacre {
namespace {

TEST(FashionMnistTraining, SgdStepsLowerTheLossAndTheResultFoldsBack) {
  torch::manual_seed(0);
  Graph graph = load_model(testing::fixture("tiny_cnn.onnx"), ImportOptions{Shape{-1, 1, 28, 28}});
  int inserted = unfold_batchnorm(graph);
  EXPECT_EQ(inserted, 2);  // tiny_cnn has two Conv layers

  DatasetOptions options;
  options.split = Split::kTrain;
  options.limit = 512;
  LabeledImages data = load_dataset(testing::fashion_mnist_dir(), options);
  Preprocessing preprocessing;
  preprocessing.mean = {0.286f};
  preprocessing.std = {0.353f};
  preprocessing.channels = 1;
  preprocessing.height = preprocessing.width = 28;
  torch::Tensor images = to_torch(preprocess_batch(data, 0, data.size(), preprocessing));
  torch::Tensor labels = torch::tensor(data.labels, torch::kLong);

  GraphModule module(graph);
  auto full_loss = [&] {
    torch::NoGradGuard no_grad;
    module.eval();
    return torch::cross_entropy_loss(module.forward({images})[0], labels).item<double>();
  };
  double before = full_loss();
  torch::optim::SGD optimizer(module.parameters(), torch::optim::SGDOptions(0.05).momentum(0.9));
  for (int epoch = 0; epoch < 3; ++epoch) {
    module.train();
    for (int64_t begin = 0; begin < data.size(); begin += 64) {
      torch::Tensor batch = images.slice(0, begin, begin + 64);
      torch::Tensor loss =
          torch::cross_entropy_loss(module.forward({batch})[0], labels.slice(0, begin, begin + 64));
      ASSERT_TRUE(std::isfinite(loss.item<double>()));
      optimizer.zero_grad();
      loss.backward();
      optimizer.step();
    }
  }
  double after = full_loss();
  EXPECT_LT(after, 0.8 * before) << "loss before " << before << ", after " << after;

  // Folding the trained BatchNorms back into the convolutions keeps the trained function.
  Graph trained = module.to_graph();
  torch::Tensor expected;
  {
    torch::NoGradGuard no_grad;
    expected = module.forward({images.slice(0, 0, 32)})[0];
  }
  EXPECT_EQ(fold_batchnorm(trained), 2);
  Tensor folded_output = InferenceSession(trained).run({from_torch(images.slice(0, 0, 32))})[0];
  EXPECT_TRUE(torch::allclose(to_torch(folded_output), expected, 1e-4, 1e-4));
}

}  // namespace
}  // namespace nacre
