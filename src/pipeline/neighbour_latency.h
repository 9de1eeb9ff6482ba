// Single changes of a fine-tuned architecture measured on the target against it, before any is probed or
// trained: the latency predictor's saving for one block is often within its error, and resnet18_cifar10 run
// 21's second slot spent nine minutes on a change predicted 10% faster (layer4.0's projection replaced by an
// inverted bottleneck) that measured slower. Weights do not change latency, so each change is timed as
// materialized from the search space, interleaved with the architecture it changes.
#pragma once

#include <vector>

#include "pipeline/finetune_stage.h"
#include "pipeline/optimize_context.h"

namespace nacre {

// Each of `changes`' latency over `from`'s on the run's target (median over median, timed interleaved for
// at most the plan's seconds per table candidate each). Kept in finetune/neighbours/FROM.latency.json: a
// resumed run reads them back and makes the same choice.
std::vector<double> measure_changes(OptimizeContext& context, const VerifiedArchitecture& from,
                                    const std::vector<Choices>& changes);

}  // namespace nacre
