// Trims the kernel taps of a Conv that, at the input's static spatial size, only ever multiply padding.
//
// A 3x3 convolution on a 1x1 feature map with padding 1 reads real data through its centre tap alone: the
// other eight taps see zeros, yet their weights are loaded on every call. Late stages of classifiers trained
// on small images (ResNet-18 on 32x32 CIFAR-10 reaches 1x1 in layer4) spend most of their weight traffic
// there. Trimming keeps the outputs exactly (up to float summation order): the kernel shrinks to the taps
// that touch data and the padding shrinks with it.
#pragma once

#include "ir/graph.h"

namespace nacre {

// Needs static input shapes (run infer_shapes first) and explicit pads (auto_pad NOTSET); Convs whose weight
// is shared or not a constant are left alone. Returns the number of Convs trimmed.
int trim_dead_taps(Graph& graph);

}  // namespace nacre
