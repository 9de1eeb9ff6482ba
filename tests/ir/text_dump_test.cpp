#include "ir/text_dump.h"

#include <gtest/gtest.h>

#include "ir/shape_inference.h"

namespace nacre {
namespace {

Graph make_small_classifier() {
  Graph graph;
  ValueId x = graph.add_input("x", DataType::kFloat32, {1, 3, 8, 8});
  ValueId w = graph.add_initializer("conv1.weight", Tensor(DataType::kFloat32, {16, 3, 3, 3}));
  ValueId b = graph.add_initializer("conv1.bias", Tensor(DataType::kFloat32, {16}));
  NodeId conv = graph.add_node("Conv", "conv1", {x, w, b}, 1, {{"pads", std::vector<int64_t>{1, 1, 1, 1}}});
  ValueId max = graph.add_initializer("six", Tensor::scalar<float>(6.0f));
  NodeId clip = graph.add_node("Clip", "clip", {graph.node(conv).outputs[0], kNoValue, max});
  ValueId shape = graph.add_initializer("flat_shape", Tensor::from_vector<int64_t>({2}, {1, -1}));
  NodeId flat = graph.add_node("Reshape", "flat", {graph.node(clip).outputs[0], shape});
  ValueId fc_w = graph.add_initializer("fc.weight", Tensor(DataType::kFloat32, {10, 1024}));
  NodeId fc = graph.add_node("Gemm", "fc", {graph.node(flat).outputs[0], fc_w}, 1,
                             {{"transB", int64_t{1}}, {"alpha", 0.5}});
  Value probabilities;
  probabilities.name = "probs";
  Node softmax;
  softmax.name = "/head/Softmax";
  softmax.op_type = "Softmax";
  softmax.inputs = {graph.node(fc).outputs[0]};
  softmax.outputs = {graph.add_value(probabilities)};
  graph.add_node(softmax);
  graph.outputs = {graph.find_value("probs")};
  return graph;
}

TEST(TextDump, PrintsInputsNodesAndOutputs) {
  Graph graph = make_small_classifier();
  infer_shapes(graph);
  EXPECT_EQ(
      to_text(graph),
      "input x: float32[1,3,8,8]\n"
      "%conv1_out: float32[1,16,8,8] = Conv(x, conv1.weight[16,3,3,3], conv1.bias[16]) {pads=[1,1,1,1]}\n"
      "%clip_out: float32[1,16,8,8] = Clip(%conv1_out, _, six[](6))\n"
      "%flat_out: float32[1,1024] = Reshape(%clip_out, flat_shape[2](1,-1))\n"
      "%fc_out: float32[1,10] = Gemm(%flat_out, fc.weight[10,1024]) {alpha=0.5, transB=1}\n"
      "%probs: float32[1,10] = Softmax(%fc_out)  # /head/Softmax\n"
      "output %probs\n");
}

TEST(TextDump, LeavesOutUnknownShapesAndPrintsOneNode) {
  Graph graph = make_small_classifier();
  EXPECT_EQ(to_text(graph, 0),
            "%conv1_out = Conv(x, conv1.weight[16,3,3,3], conv1.bias[16]) {pads=[1,1,1,1]}");
  Graph split_graph;
  ValueId x = split_graph.add_input("x", DataType::kFloat32, {-1, 4});
  split_graph.add_node("Split", "split", {x}, 2, {{"axis", int64_t{1}}, {"note", std::string("halves")}});
  infer_shapes(split_graph);
  EXPECT_EQ(to_text(split_graph, 0),
            "%split_out0: float32[?,2], %split_out1: float32[?,2] = Split(x) {axis=1, note=\"halves\"}");
}

}  // namespace
}  // namespace nacre
