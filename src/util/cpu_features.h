// What the CPU nacre runs on can do, where a choice depends on it.
#pragma once

namespace nacre {

// Whether the CPU has VNNI (AVX-512 VNNI or AVX-VNNI) 8-bit dot-product instructions. On an x86 CPU without
// them, ONNX Runtime's u8 x s8 kernels multiply with VPMADDUBSW, whose 16-bit pair sums saturate for 8-bit
// weights: 7-bit weights avoid it. Non-x86 CPUs report true (their int8 kernels do not have this limit).
bool cpu_has_vnni();

}  // namespace nacre
