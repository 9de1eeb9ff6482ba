// A neighbour probe's unit of work is where the slot that trains the neighbour afterwards finds its start.
#include "pipeline/neighbour_probe.h"

#include <gtest/gtest.h>

namespace nacre {
namespace {

TEST(NeighbourProbeUnit, OneFolderPerFineTunedArchitectureOneUnitPerNeighbour) {
  EXPECT_EQ(neighbour_probe_unit("0.1.2", "0.4.2"), neighbour_probe_unit("0.1.2", "0.4.2"));
  EXPECT_NE(neighbour_probe_unit("0.1.2", "0.4.2"), neighbour_probe_unit("0.1.2", "0.1.3"));
  EXPECT_NE(neighbour_probe_unit("0.1.2", "0.4.2"), neighbour_probe_unit("0.1.3", "0.4.2"));
  EXPECT_EQ(neighbour_probe_unit("0.1.2", "0.4.2").rfind("finetune/neighbours/", 0), 0u);
}

}  // namespace
}  // namespace nacre
