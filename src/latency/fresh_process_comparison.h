// The A/B comparison of two saved models measured by a fresh `nacre latency A --vs B` process: the protocol
// of compare_latency(), on the files a user deploys, with none of the measuring process's history (an hour of
// training: its heap, thread pools, JIT caches) in the timings. The three 60-minute runs before this was used
// read their results slower in the run than fresh processes did right after (4.14x vs 4.33x, 3.83x vs 4.10x,
// 4.91x vs 5.65x), so the final comparison of an in-process target is measured this way.
#pragma once

#include <string>

#include "latency/measure_latency.h"

namespace nacre {

// Runs `nacre_binary latency model_a --vs model_b` with the target's name, batch, threads and time cap of
// `request`. Throws Error with the child's message when it fails or writes no result.
LatencyComparison compare_latency_in_fresh_process(const std::string& nacre_binary,
                                                   const std::string& model_a, const std::string& model_b,
                                                   const Target& target, const LatencyRequest& request);

}  // namespace nacre
