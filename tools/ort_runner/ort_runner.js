#!/usr/bin/env node
// nacre's ONNX Runtime runner: loads an ONNX model in onnxruntime-node and times it, driven by nacre over
// stdin/stdout with one JSON object per line. Each run is timed here with process.hrtime.bigint(), around
// session.run() only, so the pipe to nacre is not part of any measured time.
//
// Requests and replies (every reply has "ok"; on failure "ok": false and "error"):
//   {"op":"load","model":PATH,"threads":T}     -> {"ok":true,"version":V,"inputs":[names],"outputs":[names]}
//   {"op":"set_inputs","inputs":[TENSOR...]}   -> {"ok":true}     TENSOR: {"name","dtype","shape","path"}
//   {"op":"run","count":N}                     -> {"ok":true,"times_ms":[N numbers]}
//   {"op":"outputs","dir":DIR}                 -> {"ok":true,"outputs":[TENSOR...]} (raw little-endian files)
//   {"op":"quit"}                              -> exits
// `node ort_runner.js --check` prints {"ok":true,"version":V} when onnxruntime-node loads, else exits 1.
'use strict';

const fs = require('fs');
const path = require('path');
const readline = require('readline');

function loadOrt() {
  try {
    return require('onnxruntime-node');
  } catch (error) {
    throw new Error('cannot load onnxruntime-node (' + error.message.split('\n')[0] +
                    '); run `npm ci --ignore-scripts` in the nacre source folder');
  }
}

const ARRAY_TYPES = {
  float32: Float32Array, float64: Float64Array, int64: BigInt64Array, int32: Int32Array,
  int8: Int8Array, uint8: Uint8Array, bool: Uint8Array,
};

function readTensor(ort, spec) {
  const ArrayType = ARRAY_TYPES[spec.dtype];
  if (!ArrayType) throw new Error('unsupported input dtype ' + spec.dtype + ' for ' + spec.name);
  const bytes = fs.readFileSync(spec.path);
  const copy = new Uint8Array(bytes.byteLength);  // aligned for the typed array
  copy.set(bytes);
  const data = new ArrayType(copy.buffer, 0, bytes.byteLength / ArrayType.BYTES_PER_ELEMENT);
  return new ort.Tensor(spec.dtype, data, spec.shape);
}

function writeTensor(dir, index, name, tensor) {
  const file = path.join(dir, 'output' + index + '.bin');
  const data = tensor.data;
  fs.writeFileSync(file, Buffer.from(data.buffer, data.byteOffset, data.byteLength));
  return {name: name, dtype: tensor.type, shape: tensor.dims.map(Number), path: file};
}

class Runner {
  constructor(ort) {
    this.ort = ort;
    this.session = null;
    this.feeds = null;
  }

  async load(request) {
    const threads = Math.max(1, request.threads | 0);
    this.session = await this.ort.InferenceSession.create(request.model, {
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
    });
    return {version: this.ort.env.versions.node, inputs: this.session.inputNames,
            outputs: this.session.outputNames};
  }

  setInputs(request) {
    this.feeds = {};
    for (const spec of request.inputs) this.feeds[spec.name] = readTensor(this.ort, spec);
    return {};
  }

  requireReady() {
    if (!this.session) throw new Error('no model loaded');
    if (!this.feeds) throw new Error('no inputs set');
  }

  async run(request) {
    this.requireReady();
    const times = [];
    for (let i = 0; i < Math.max(1, request.count | 0); ++i) {
      const start = process.hrtime.bigint();
      await this.session.run(this.feeds);
      times.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
    return {times_ms: times};
  }

  async outputs(request) {
    this.requireReady();
    const results = await this.session.run(this.feeds);
    return {outputs: this.session.outputNames.map((name, i) => writeTensor(request.dir, i, name, results[name]))};
  }
}

async function serve() {
  const runner = new Runner(loadOrt());
  const lines = readline.createInterface({input: process.stdin, terminal: false});
  for await (const line of lines) {
    if (!line.trim()) continue;
    let reply;
    try {
      const request = JSON.parse(line);
      if (request.op === 'quit') break;
      const handlers = {
        load: (r) => runner.load(r), set_inputs: (r) => runner.setInputs(r),
        run: (r) => runner.run(r), outputs: (r) => runner.outputs(r),
      };
      if (!handlers[request.op]) throw new Error('unknown op ' + JSON.stringify(request.op));
      reply = Object.assign({ok: true}, await handlers[request.op](request));
    } catch (error) {
      reply = {ok: false, error: String(error && error.message ? error.message : error)};
    }
    process.stdout.write(JSON.stringify(reply) + '\n');
  }
}

if (process.argv.includes('--check')) {
  try {
    const ort = loadOrt();
    process.stdout.write(JSON.stringify({ok: true, version: ort.env.versions.node}) + '\n');
  } catch (error) {
    process.stdout.write(JSON.stringify({ok: false, error: error.message}) + '\n');
    process.exit(1);
  }
} else {
  serve().then(() => process.exit(0), (error) => {
    process.stderr.write(String(error && error.stack ? error.stack : error) + '\n');
    process.exit(1);
  });
}
