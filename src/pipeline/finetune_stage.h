// Stage: fine-tune the most promising architectures end to end with knowledge distillation from the baseline
// (DESIGN step 9), then measure each for real: validation accuracy on the whole split, latency on the target
// interleaved with the baseline (step 10). Each architecture is a unit of work in OUT/finetune/.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

#include "pipeline/optimize_context.h"
#include "search/evolutionary_search.h"
#include "search/pareto_front.h"

namespace nacre {

struct VerifiedArchitecture {
  std::string architecture;  // encoding
  Graph model;               // fine-tuned, BatchNorm folded
  double val_accuracy = 0;
  double latency_ms = 0;           // median on the target, measured interleaved with the baseline
  double baseline_latency_ms = 0;  // the baseline's median in the same measurement
  double predicted_latency_ms = 0, predicted_accuracy = 0;
  bool meets_constraint = false;
  // False for keep-everything, which differs from the baseline by exact rewrites only.
  bool fine_tuned = true;
  bool continued = false;  // a near miss trained for a second slot, from its first slot's weights
  // The fine-tuned architecture whose trained weights its shared blocks started from ("" when none).
  std::string inherited_from;
  // The architecture that met the constraint this one changes one or two blocks of ("" when it came from the
  // front).
  std::string changed_from;
};

// Verifies keep-everything when exact rewrites changed it, then spends plan.finetune_architectures slots
// of fine-tuning, each chosen by what the previous one measured (bolder after a success, further training
// after a near miss, milder after a miss; see finetune_stage.cpp), and measures each. Architectures come from
// the front until one meets the constraint, then among that one's single-change neighbours predicted faster
// by `predictions` (without its objectives, from the front only), their accuracy probed
// (neighbour_probe.h). `keep_latency_ms` is keep-everything's
// predicted latency, the reference of the predicted speed-ups. `briefly_trained` (the accuracy predictor's
// calibration fine-tunes) are measured on the target before the first slot, which compares them by those
// measurements (brief_fine_tune_latency.h), and seed the blocks a slot shares with them.
std::vector<VerifiedArchitecture> finetune_and_verify(OptimizeContext& context,
                                                      const std::vector<ParetoPoint>& front,
                                                      double keep_latency_ms,
                                                      std::vector<VerifiedArchitecture> briefly_trained = {},
                                                      const SearchProblem& predictions = {});

nlohmann::json to_json(const VerifiedArchitecture& verified);

// A fine-tuned architecture's accuracy and that of its neighbours (the same latency, accuracy measured after
// the probe's brief fine-tune), on one subset.
struct ProbedNeighbours {
  double from_accuracy = 0;
  std::vector<ParetoPoint> points;
};
using NeighbourProbe = std::function<ProbedNeighbours(const VerifiedArchitecture& from,
                                                      const std::vector<ParetoPoint>& neighbours)>;

// Each of `changes` (single changes of `from`) measured on the target: its latency over `from`'s
// (neighbour_latency.h).
using ChangeLatency =
    std::function<std::vector<double>(const VerifiedArchitecture& from, const std::vector<Choices>& changes)>;

// How many of a fine-tuned architecture's faster single changes are measured before its neighbours are
// probed (the spread of search/single_changes.h), and the least share of its latency a change must measure
// saving to be probed: below that a slot buys noise (run 21's second slot took a change predicted 10% faster
// that measured slower).
constexpr size_t kMeasuredChanges = 10;
constexpr double kLeastMeasuredSaving = 0.05;

// Neighbours probed more than this below the architecture they change are left out of a slot's lookup
// (unless all are: then the best probed one stays).
constexpr double kMostProbedLoss = 0.10;

// How much of a neighbour's loss in its probe (below the architecture it changes, probed the same way) is
// still there after a later slot's fine-tune, beyond the first kRecoveredProbeLoss of each change, which a
// slot wins back. Probe losses on resnet18_cifar10 (runs 13 and 17-19) against validation points lost by the
// slot (negative: gained): 0.45 -> -0.16, 0.8 -> 0.06, 1.35 -> 0.08, 2.1 -> -0.28, 2.45 -> -0.10, 4.15 ->
// 1.72, 4.9 -> 1.50, 7.85 -> 3.16. Half of what exceeds one point (0, 0, 0.18, 0.55, 0.73, 1.58, 1.95, 3.43)
// follows them within 0.35 points; half of the whole loss (runs 18 and 19) was cautious below 2.5 points and
// kept the pairs of changes from ever being taken.
constexpr double kProbeCarry = 0.5;
constexpr double kRecoveredProbeLoss = 0.01;

// The validation accuracy a change of `from` is expected to reach after a slot, when its probe measured
// `probe_losses` below `from` probed the same way (one loss per changed block, for a pair two): from's
// validation accuracy less kProbeCarry of each loss beyond kRecoveredProbeLoss.
double expected_after_slot(const VerifiedArchitecture& from, const std::vector<double>& probe_losses);

struct SlotLookup {
  std::vector<ParetoPoint> points;  // where the next new architecture is looked up, fastest first
  std::string changed_from;         // the architecture they change ("" when they are the front)
  // When `points` is the one change expected to meet the constraint, its expected_after_slot; else 0.
  double expected_accuracy = 0;
};

// Where a slot looks for a new architecture after `trained` were verified: until one meets the constraint,
// the `front`; then among the fastest one that met's neighbours with one block changed, predicted faster by
// `predictions` (search/single_changes.h) and not trained yet, kMeasuredChanges of them spread along their
// predicted trade-off measured by `measure` (when given) and those saving at least kLeastMeasuredSaving kept,
// their accuracy measured by `probe`: the fastest of them (by measured saving; a pair saves the sum of its
// two), or of pairs of them changing two blocks, expected to reach `accuracy_needed` after a slot
// (expected_after_slot; its accuracy is the probe's, the losses summed for a pair; its latency predicted).
// The margin over the constraint is accuracy to spend: run 17's third slot spent 3.2 points of 2.3 on a
// change its probe had shown 7.85 down, and run 18's second took one of two changes whose probes lost 0.45
// and 0.40 points with 2.5 to spend. When none is expected to meet, the Pareto front of the single changes
// probed within kMostProbedLoss of the architecture they change. The front when that one has no faster
// neighbour (or none measured faster) or `predictions` has no latency.
SlotLookup where_to_look(const std::vector<ParetoPoint>& front,
                         const std::vector<VerifiedArchitecture>& trained, double keep_to_baseline,
                         double accuracy_needed, const SearchProblem& predictions,
                         const NeighbourProbe& probe, const ChangeLatency& measure = {});

// Slot `slot`'s seconds of fine-tuning when `seconds_left` of a `time_budget_seconds` run are left: the time
// left less what verifying the slots and the final result take and what the later slots' neighbour probes
// take, shared so that the first slot gets half (its architecture starts from distilled blocks) and the later
// ones, which mostly go on from trained weights, equal parts of the rest. Stages before fine-tuning rarely
// use all of their plan, and what they leave goes to training. The plan's time per architecture is a floor
// for the last slot only (at most half the time left): resnet18_cifar10 run 16's second slot took it (600 s)
// over its share (532 s, already short of the probes the third slot would run), and the third, whose
// architecture became the result, trained 383 s and passed by 0.06 points (mobilenet_v2_cifar10 run 5: 593 s,
// then 352 s for a third slot that missed by 0.36). At least 1 s.
double slot_seconds(const BudgetPlan& plan, double time_budget_seconds, double seconds_left, int slot);

// The brief calibration fine-tunes as points a slot may take instead of the front's predictions (accuracy
// measured, latency predicted), leaving out those measured more than kMostProbedLoss below the best of them,
// as the probes are: after the same brief training, one that far behind lost what its distilled blocks
// carried and will not recover in a slot, while a prediction of accuracy before fine-tuning (the stitched
// predictor, when the refit is rejected) is lower still and would lose to it (a resnet18_cifar10 run's first
// slot took a brief fine-tune at 24.75% over the front, where the others measured 66-69%). Those without a
// predicted latency are left out too.
std::vector<ParetoPoint> brief_fine_tunes_within_reach(
    const std::vector<VerifiedArchitecture>& briefly_trained);

// The first slot's aim, a speed-up over keep-everything: `wanted`, unless a brief calibration fine-tune
// predicted faster than all of those within reach (brief_fine_tunes_within_reach) collapsed below them: then
// at most the fastest one within reach's predicted speed-up (keep_latency_ms over its predicted latency), the
// fastest point where a measurement says accuracy survives (a resnet18_cifar10 run aiming at 4.0x took an
// all-skip architecture one block from a brief fine-tune measured at 24.75%).
double first_aim(double wanted, const std::vector<VerifiedArchitecture>& briefly_trained,
                 double keep_latency_ms);

// A verified architecture's measured speed-up over keep-everything (0 when it has no measurement):
// `keep_to_baseline` is keep-everything's latency over the baseline's, both measured (1 when keep-everything
// is the baseline), and converts the verified architecture's measurement against the baseline.
double measured_speedup_over_keep(const VerifiedArchitecture& verified, double keep_to_baseline);

// How far the latency predictor's promise held for a verified architecture: its measured speed-up over
// keep-everything divided by the predicted one (keep_latency_ms / predicted_latency_ms), clamped to
// [1/3, 3]; 1 when it has no prediction or measurement.
double measured_per_predicted(const VerifiedArchitecture& verified, double keep_to_baseline,
                              double keep_latency_ms);

// The predicted speed-up over keep-everything a slot looks up when it wants `wanted` and the fastest untried
// point is predicted `fastest` (0: none): `wanted` when that is reachable; otherwise the fastest point for
// the first slot (`last_predicted` 0), and for a later one halfway (geometrically) from the last
// architecture's predicted speed-up `last_predicted` to the fastest (a run once stopped there with 25 of its
// 60 minutes unused before this rule).
double reachable_aim(double wanted, double fastest, double last_predicted);

// The measured speed-up over keep-everything the next slot aims at, after `trained` (in order; the last is
// the latest slot's) was verified against `accuracy_needed` while aiming at `aim`: bolder after a success,
// unless an architecture at that speed already missed; after a clear miss, halfway (geometrically) between
// the fastest that met (keep-everything, 1x, when none did) and the missed one, or half the aim when the miss
// was no faster than that. See finetune_stage.cpp for the constants.
double next_aim(double aim, const std::vector<VerifiedArchitecture>& trained, double accuracy_needed,
                double keep_to_baseline);

}  // namespace nacre
