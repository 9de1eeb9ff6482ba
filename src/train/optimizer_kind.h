// The optimizers the training loops offer.
#pragma once

namespace nacre {

enum class OptimizerKind { kAdam, kSgdMomentum };  // SGD with Nesterov momentum

}  // namespace nacre
