#include "io/data/strided_subset.h"

#include <cstring>
#include <string>

namespace nacre {

LabeledImages strided_subset(const LabeledImages& data, int64_t count) {
  if (count <= 0 || count >= data.size()) return data;
  LabeledImages subset;
  subset.class_names = data.class_names;
  subset.description =
      data.description + " (1 in every " + std::to_string(data.size() / count) + " examples)";
  int64_t stride = data.size() / count;
  Shape shape = data.images.shape();
  int64_t per_example = data.images.numel() / shape[0];
  shape[0] = count;
  subset.images = Tensor(DataType::kUInt8, shape);
  for (int64_t i = 0; i < count; ++i) {
    std::memcpy(subset.images.mutable_data<uint8_t>() + i * per_example,
                data.images.data<uint8_t>() + i * stride * per_example, per_example);
    subset.labels.push_back(data.labels[i * stride]);
  }
  return subset;
}

}  // namespace nacre
