// strided_subset: every k-th example, so a class-ordered split keeps every class.
#include "io/data/strided_subset.h"

#include <gtest/gtest.h>

namespace nacre {
namespace {

// `n` one-pixel grey images whose pixel is the example's index; labels i / 3 (class-ordered, 3 per class).
LabeledImages numbered(int64_t n) {
  LabeledImages data;
  data.images = Tensor(DataType::kUInt8, {n, 1, 1, 1});
  for (int64_t i = 0; i < n; ++i) {
    data.images.mutable_data<uint8_t>()[i] = static_cast<uint8_t>(i);
    data.labels.push_back(i / 3);
  }
  data.class_names = {"a", "b", "c", "d"};
  data.description = "numbered";
  return data;
}

TEST(StridedSubset, TakesEveryKthExampleWithItsLabel) {
  LabeledImages subset = strided_subset(numbered(12), 4);
  ASSERT_EQ(subset.size(), 4);
  EXPECT_EQ(subset.images.shape(), (Shape{4, 1, 1, 1}));
  for (int64_t i = 0; i < 4; ++i) {
    EXPECT_EQ(subset.images.data<uint8_t>()[i], 3 * i);
    EXPECT_EQ(subset.labels[i], i);  // one example of each class
  }
  EXPECT_EQ(subset.class_names, numbered(1).class_names);
  EXPECT_NE(subset.description.find("1 in every 3 examples"), std::string::npos) << subset.description;
}

TEST(StridedSubset, TheWholeDatasetWhenAskedForAsManyOrMoreOrNone) {
  EXPECT_EQ(strided_subset(numbered(5), 5).size(), 5);
  EXPECT_EQ(strided_subset(numbered(5), 9).size(), 5);
  EXPECT_EQ(strided_subset(numbered(5), 0).size(), 5);
}

}  // namespace
}  // namespace nacre
