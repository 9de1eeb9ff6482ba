// The brief calibration fine-tunes measured on the target, so that the first fine-tuning slot compares them
// by what they measure instead of what the latency predictor says. The predictor errs most at the front's
// fast end, and not by one factor: resnet18_cifar10 run 19's first slot took a brief fine-tune made of
// inverted bottlenecks in eight blocks, predicted 3.03x faster than keep-everything and measured 2.38x after
// the slot, where the brief fine-tunes that skip five blocks had been predicted about as fast. Measuring
// them costs seconds; the first slot's twenty minutes go to the architecture it takes.
#pragma once

#include <vector>

#include "pipeline/finetune_stage.h"
#include "pipeline/optimize_context.h"

namespace nacre {

// Fills latency_ms and baseline_latency_ms of each brief fine-tune that has a predicted latency, measured
// against the baseline for twice the plan's seconds per table candidate. Kept in
// finetune/calibration/ARCH.latency.json: a resumed run reads them back and chooses its first slot the same.
void measure_brief_fine_tunes(OptimizeContext& context, std::vector<VerifiedArchitecture>& briefly_trained);

// How far the latency predictor's promise held for the measured brief fine-tunes: the geometric mean of
// their measured_per_predicted; 1 when none was measured.
double realised_by_brief_fine_tunes(const std::vector<VerifiedArchitecture>& briefly_trained,
                                    double keep_to_baseline, double keep_latency_ms);

// Replaces each measured brief fine-tune's predicted latency by its measurement in the predictor's scale:
// the latency whose predicted speed-up over keep-everything (keep_latency_ms) is its measured one divided by
// `realised`. Where the first slot looks up the front's predictions at an aim divided by `realised`, the
// measured ones then stand at their own measured speed-up; those not measured keep their prediction.
void put_in_predicted_scale(std::vector<VerifiedArchitecture>& briefly_trained, double keep_to_baseline,
                            double keep_latency_ms, double realised);

}  // namespace nacre
