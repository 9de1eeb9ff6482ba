#include "io/onnx/load_model.h"

#include "ir/shape_inference.h"
#include "ir/verify.h"
#include "passes/fold_constants.h"
#include "passes/remove_identities.h"
#include "util/error.h"

namespace nacre {

Graph load_model(const std::string& path, const ImportOptions& options) {
  Graph graph = import_onnx(path, options);  // its errors already name the file
  try {
    remove_identities(graph);
    infer_shapes(graph);
    // Folding Shape/Gather/Concat chains of static shapes reveals more shapes, hence the second inference.
    fold_constants(graph);
    infer_shapes(graph);
    graph.prune();
    verify(graph);
  } catch (const std::exception& error) {
    throw make_error("cannot load ONNX model '", path, "': ", error.what());
  }
  return graph;
}

}  // namespace nacre
