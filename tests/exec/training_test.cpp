// Autograd through the executor: gradients agree with finite differences, and SGD steps lower the loss.
#include <gtest/gtest.h>

#include "exec/graph_test_helpers.h"

namespace nacre {
namespace {

// x -> Conv -> BatchNormalization -> Relu -> GlobalAveragePool -> Flatten -> Gemm(transB) -> logits
Graph small_classifier(DataType dtype, int64_t in_channels, int64_t classes) {
  Graph graph;
  const int64_t channels = 4;
  ValueId x = graph.add_input("x", dtype, {-1, in_channels, 6, 6});
  ValueId w =
      graph.add_initializer("conv.weight", testing::random_weights({channels, in_channels, 3, 3}, dtype));
  ValueId b = graph.add_initializer("conv.bias", testing::random_weights({channels}, dtype));
  ValueId conv =
      graph.node(graph.add_node("Conv", "conv", {x, w, b}, 1, {{"pads", std::vector<int64_t>{1, 1, 1, 1}}}))
          .outputs[0];
  std::vector<ValueId> bn_inputs = {conv};
  for (const char* name : {"bn.scale", "bn.bias", "bn.mean", "bn.var"}) {
    Tensor values = testing::random_weights({channels}, dtype, 0.2);
    std::vector<double> shifted = values.as_doubles();
    for (double& value : shifted)
      value += std::string(name) == "bn.mean" || std::string(name) == "bn.bias" ? 0 : 1;
    Tensor tensor =
        dtype == DataType::kFloat64
            ? Tensor::from_vector<double>({channels}, shifted)
            : Tensor::from_vector<float>({channels}, std::vector<float>(shifted.begin(), shifted.end()));
    bn_inputs.push_back(graph.add_initializer(name, tensor));
  }
  ValueId bn = graph.node(graph.add_node("BatchNormalization", "bn", bn_inputs)).outputs[0];
  ValueId relu = graph.node(graph.add_node("Relu", "relu", {bn})).outputs[0];
  ValueId pooled = graph.node(graph.add_node("GlobalAveragePool", "pool", {relu})).outputs[0];
  ValueId flat = graph.node(graph.add_node("Flatten", "flatten", {pooled})).outputs[0];
  ValueId fc_w = graph.add_initializer("fc.weight", testing::random_weights({classes, channels}, dtype));
  ValueId fc_b = graph.add_initializer("fc.bias", testing::random_weights({classes}, dtype));
  NodeId fc = graph.add_node("Gemm", "fc", {flat, fc_w, fc_b}, 1, {{"transB", int64_t{1}}});
  graph.outputs = graph.node(fc).outputs;
  return graph;
}

TEST(Gradients, MatchCentralFiniteDifferencesInDoublePrecision) {
  torch::manual_seed(11);
  GraphModule module(small_classifier(DataType::kFloat64, 2, 3));
  module.train();  // batch statistics: the BN gradient path is the harder one
  torch::Tensor x = torch::randn({3, 2, 6, 6}, torch::kDouble);
  torch::Tensor probe = torch::randn({3, 3}, torch::kDouble);
  auto loss_of = [&] { return (module.forward({x}).at(0) * probe).sum(); };

  module.zero_grad();
  loss_of().backward();
  const double step = 1e-6;
  int checked = 0;
  for (const auto& item : module.named_parameters()) {
    torch::Tensor parameter = item.value();
    torch::Tensor flat = parameter.view({-1});
    for (int64_t index : {int64_t{0}, parameter.numel() / 2, parameter.numel() - 1}) {
      torch::NoGradGuard no_grad;
      const double original = flat[index].item<double>();
      flat[index].fill_(original + step);
      const double plus = loss_of().item<double>();
      flat[index].fill_(original - step);
      const double minus = loss_of().item<double>();
      flat[index].fill_(original);
      const double numeric = (plus - minus) / (2 * step);
      const double analytic = parameter.grad().view({-1})[index].item<double>();
      EXPECT_NEAR(analytic, numeric, 1e-5 * std::max(1.0, std::abs(numeric)))
          << item.key() << "[" << index << "]";
      ++checked;
    }
  }
  EXPECT_EQ(checked, 6 * 3);  // conv weight and bias, bn scale and bias, fc weight and bias
}

TEST(Training, SgdStepsLowerCrossEntropyOnAFixedBatch) {
  torch::manual_seed(12);
  GraphModule module(small_classifier(DataType::kFloat32, 1, 3));
  module.train();
  // A learnable task: each class shifts the image brightness differently.
  torch::Tensor labels = torch::arange(8, torch::kLong).remainder(3);
  torch::Tensor x = torch::randn({8, 1, 6, 6}) * 0.5 + (labels.to(torch::kFloat) - 1).view({8, 1, 1, 1});
  torch::optim::SGD optimizer(module.parameters(), torch::optim::SGDOptions(0.2).momentum(0.9));
  auto loss_of = [&] { return torch::nn::functional::cross_entropy(module.forward({x}).at(0), labels); };
  const double initial = loss_of().item<double>();
  for (int step = 0; step < 40; ++step) {
    optimizer.zero_grad();
    torch::Tensor loss = loss_of();
    loss.backward();
    optimizer.step();
  }
  const double final_loss = loss_of().item<double>();
  EXPECT_LT(final_loss, 0.5 * initial) << "initial " << initial << ", final " << final_loss;
  // Training changed the weights that to_graph() writes back.
  Graph trained = module.to_graph();
  EXPECT_FALSE(trained.constant(trained.find_value("fc.weight")).as_doubles() ==
               module.graph().constant(module.graph().find_value("fc.weight")).as_doubles());
}

}  // namespace
}  // namespace nacre
