#include "ir/verify.h"

#include <gtest/gtest.h>

#include "util/error.h"

namespace nacre {
namespace {

Graph make_valid_graph() {
  Graph graph;
  ValueId x = graph.add_input("x", DataType::kFloat32, {1, 3, 8, 8});
  ValueId w = graph.add_initializer("w", Tensor(DataType::kFloat32, {4, 3, 3, 3}));
  NodeId conv = graph.add_node("Conv", "conv", {x, w});
  NodeId relu = graph.add_node("Relu", "relu", {graph.node(conv).outputs[0]});
  graph.outputs = {graph.node(relu).outputs[0]};
  return graph;
}

// The one problem of the graph (and a failure listing them all when there is not exactly one).
std::string only_problem(const Graph& graph) {
  std::vector<std::string> problems = find_problems(graph);
  std::string all;
  for (const std::string& problem : problems) all += problem + "\n";
  EXPECT_EQ(problems.size(), 1u) << all;
  return problems.empty() ? "" : problems[0];
}

TEST(Verify, AcceptsAValidGraph) {
  Graph graph = make_valid_graph();
  EXPECT_TRUE(find_problems(graph).empty());
  EXPECT_NO_THROW(verify(graph));
}

TEST(Verify, CatchesADanglingInput) {
  Graph graph = make_valid_graph();
  Value orphan;
  orphan.name = "orphan";
  ValueId orphan_id = graph.add_value(orphan);
  graph.node(1).inputs[0] = orphan_id;
  EXPECT_EQ(
      only_problem(graph),
      "node 'relu' (Relu): input 'orphan' is not defined (not a graph input, an initializer or the output of "
      "any node)");
}

TEST(Verify, CatchesAReferenceToAMissingValue) {
  Graph graph = make_valid_graph();
  graph.node(1).inputs[0] = 99;
  EXPECT_EQ(only_problem(graph), "node 'relu' (Relu): input 0 refers to value id 99, which does not exist");
}

TEST(Verify, CatchesADuplicateProducer) {
  Graph graph = make_valid_graph();
  ValueId x = graph.find_value("x");
  NodeId second = graph.add_node("Sigmoid", "second", {x});
  graph.node(second).outputs[0] = graph.node(0).outputs[0];  // now conv and second both write conv_out
  std::vector<std::string> problems = find_problems(graph);
  bool found = false;
  for (const std::string& problem : problems) {
    found |= problem == "value 'conv_out' is produced by more than one node: 'conv' and 'second'";
  }
  EXPECT_TRUE(found) << (problems.empty() ? "no problems" : problems[0]);
}

TEST(Verify, CatchesAnUnsupportedOp) {
  Graph graph = make_valid_graph();
  graph.node(1).op_type = "Einsum";
  EXPECT_EQ(
      only_problem(graph),
      "node 'relu' (Einsum): unsupported op 'Einsum'; supported ops are listed by supported_op_types()");
}

TEST(Verify, CatchesWrongArityAndMissingAttributes) {
  Graph graph = make_valid_graph();
  graph.node(0).inputs.resize(1);
  ValueId x = graph.find_value("x");
  NodeId pool = graph.add_node("MaxPool", "pool", {x});
  graph.outputs.push_back(graph.node(pool).outputs[0]);
  std::vector<std::string> problems = find_problems(graph);
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_EQ(problems[0], "node 'conv' (Conv): has 1 inputs, expected 2 to 3");
  EXPECT_EQ(problems[1], "node 'pool' (MaxPool): missing required attribute 'kernel_shape'");
}

TEST(Verify, CatchesNodesOutOfOrderAndCycles) {
  Graph unsorted = make_valid_graph();
  NodeId relu = 1;
  NodeId late = unsorted.add_node("Relu", "late", {unsorted.find_value("x")});
  unsorted.node(relu).inputs[0] = unsorted.node(late).outputs[0];
  std::vector<std::string> problems = find_problems(unsorted);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0],
            "node 'relu' (Relu): uses 'late_out' before its producer node 'late' (Relu) (nodes are not in "
            "topological order; call topological_sort)");

  Graph cyclic = make_valid_graph();
  cyclic.node(0).inputs[0] = cyclic.node(1).outputs[0];  // conv reads relu's output
  problems = find_problems(cyclic);
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_EQ(problems[0], "graph 'graph' has a cycle");
  EXPECT_EQ(problems[1], "node 'conv' (Conv): uses 'relu_out' before its producer node 'relu' (Relu)");
}

TEST(Verify, CatchesAnOutputNothingProduces) {
  Graph graph = make_valid_graph();
  Value ghost;
  ghost.name = "ghost";
  graph.outputs.push_back(graph.add_value(ghost));
  EXPECT_EQ(only_problem(graph), "graph output 'ghost' is not produced by any node");
}

TEST(Verify, ThrowsOneErrorListingEveryProblem) {
  Graph graph = make_valid_graph();
  graph.node(1).op_type = "Einsum";
  Value ghost;
  ghost.name = "ghost";
  graph.outputs.push_back(graph.add_value(ghost));
  try {
    verify(graph);
    FAIL() << "verify accepted an invalid graph";
  } catch (const Error& error) {
    std::string message = error.what();
    EXPECT_EQ(message.rfind("graph 'graph' is invalid (2 problems):", 0), 0u) << message;
    EXPECT_NE(message.find("\n  - node 'relu' (Einsum): unsupported op 'Einsum'"), std::string::npos)
        << message;
    EXPECT_NE(message.find("\n  - graph output 'ghost' is not produced by any node"), std::string::npos)
        << message;
  }
}

}  // namespace
}  // namespace nacre
