#include "ir/topological_order.h"

#include <functional>
#include <queue>

namespace nacre {

namespace {

// Which node produces each value, from the nodes themselves (not Value::producer, which may be stale).
std::vector<NodeId> producers_by_value(const Graph& graph) {
  std::vector<NodeId> producer(graph.value_count(), kNoNode);
  for (size_t i = 0; i < graph.node_count(); ++i) {
    for (ValueId output : graph.node(static_cast<NodeId>(i)).outputs) {
      bool in_range = output >= 0 && static_cast<size_t>(output) < producer.size();
      if (in_range && producer[output] == kNoNode) producer[output] = static_cast<NodeId>(i);
    }
  }
  return producer;
}

}  // namespace

std::optional<std::vector<NodeId>> topological_order(const Graph& graph) {
  std::vector<NodeId> producer = producers_by_value(graph);
  std::vector<int> pending(graph.node_count(), 0);
  std::vector<std::vector<NodeId>> users(graph.node_count());
  for (size_t i = 0; i < graph.node_count(); ++i) {
    for (ValueId input : graph.node(static_cast<NodeId>(i)).inputs) {
      if (input < 0 || static_cast<size_t>(input) >= producer.size() || producer[input] == kNoNode) continue;
      ++pending[i];
      users[producer[input]].push_back(static_cast<NodeId>(i));
    }
  }
  // A min-heap of ready nodes keeps the stored order wherever the dependencies allow it.
  std::priority_queue<NodeId, std::vector<NodeId>, std::greater<NodeId>> ready;
  for (size_t i = 0; i < graph.node_count(); ++i) {
    if (pending[i] == 0) ready.push(static_cast<NodeId>(i));
  }
  std::vector<NodeId> order;
  while (!ready.empty()) {
    NodeId next = ready.top();
    ready.pop();
    order.push_back(next);
    for (NodeId user : users[next]) {
      if (--pending[user] == 0) ready.push(user);
    }
  }
  if (order.size() != graph.node_count()) return std::nullopt;
  return order;
}

}  // namespace nacre
