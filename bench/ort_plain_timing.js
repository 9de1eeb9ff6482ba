#!/usr/bin/env node
// An independent ONNX Runtime timing of one ONNX file, written without any nacre code, to check nacre's `ort`
// figure: same session options (intra-op THREADS, inter-op 1, sequential, all graph optimisations), random
// float input, 10 warm-up runs, then runs for SECONDS; prints {"median_ms":..,"runs":..}.
// usage: node bench/ort_plain_timing.js MODEL.onnx --shape 1,3,32,32 [--threads 1] [--seconds 5]
'use strict';
const ort = require('onnxruntime-node');

function option(name, fallback) {
  const index = process.argv.indexOf(name);
  return index > 0 ? process.argv[index + 1] : fallback;
}

async function main() {
  const model = process.argv[2];
  const shape = option('--shape', '').split(',').map(Number);
  const threads = Number(option('--threads', '1'));
  const seconds = Number(option('--seconds', '5'));
  if (!model || shape.some(Number.isNaN) || shape.length === 0) {
    throw new Error('usage: ort_plain_timing.js MODEL.onnx --shape 1,3,32,32 [--threads 1] [--seconds 5]');
  }
  const session = await ort.InferenceSession.create(model, {
    intraOpNumThreads: threads, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all',
  });
  const data = Float32Array.from({length: shape.reduce((a, b) => a * b, 1)}, () => Math.random());
  const feeds = {[session.inputNames[0]]: new ort.Tensor('float32', data, shape)};
  for (let i = 0; i < 10; ++i) await session.run(feeds);
  const times = [];
  const end = process.hrtime.bigint() + BigInt(Math.round(seconds * 1e9));
  while (process.hrtime.bigint() < end || times.length < 10) {
    const start = process.hrtime.bigint();
    await session.run(feeds);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  const middle = times.length / 2;
  const median = times.length % 2 ? times[Math.floor(middle)] : (times[middle - 1] + times[middle]) / 2;
  process.stdout.write(JSON.stringify({median_ms: median, runs: times.length}) + '\n');
}

main().catch((error) => {
  process.stderr.write(String(error.message || error) + '\n');
  process.exit(1);
});
