#!/usr/bin/env python3
"""Independent numpy reference for the Tensor module's forward ops, optimizer, schedule and PRNG.

Writes small fixtures under Tests/TensorTests/Fixtures/:
  reference.safetensors  inputs and expected outputs, F32 (written by the `safetensors` package)
  halves.safetensors     the same values as F16 and BF16 (BF16 written by hand: safetensors' numpy API lacks it)
  reference.json         PRNG outputs (exact integers), schedule values, AdamW config
Run:  /work/venv/bin/python tools/tensor_reference.py
"""
import json
import math
import os
import struct

import numpy as np
from safetensors.numpy import save_file

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "Tests", "TensorTests", "Fixtures")
rng = np.random.default_rng(20261122)


def randn(*shape):
    return rng.standard_normal(shape).astype(np.float32)


def softmax(x):
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def log_softmax(x):
    m = x.max(axis=-1, keepdims=True)
    return x - m - np.log(np.exp(x - m).sum(axis=-1, keepdims=True))


def layer_norm(x, gain, bias, eps=1e-5):
    x64 = x.astype(np.float64)
    mean = x64.mean(axis=-1, keepdims=True)
    var = ((x64 - mean) ** 2).mean(axis=-1, keepdims=True)
    return (x64 - mean) / np.sqrt(var + eps) * gain + bias


def gelu_tanh(x):
    x64 = x.astype(np.float64)
    return 0.5 * x64 * (1 + np.tanh(math.sqrt(2 / math.pi) * (x64 + 0.044715 * x64 ** 3)))


# --- PRNG: SplitMix64 seeding xoshiro256** (Vigna's reference algorithms, re-implemented here) ---
MASK = (1 << 64) - 1


def splitmix64(state):
    state = (state + 0x9E3779B97F4A7C15) & MASK
    z = state
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return state, z ^ (z >> 31)


def rotl(x, k):
    return ((x << k) | (x >> (64 - k))) & MASK


def xoshiro_outputs(seed, count):
    s = []
    state = seed
    for _ in range(4):
        state, value = splitmix64(state)
        s.append(value)
    out = []
    for _ in range(count):
        result = (rotl((s[1] * 5) & MASK, 7) * 9) & MASK
        t = (s[1] << 17) & MASK
        s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3]
        s[2] ^= t
        s[3] = rotl(s[3], 45)
        out.append(result)
    return out


def schedule(step, peak, warmup, total, floor):
    if step < warmup:
        return peak * (step + 1) / warmup
    if step >= total:
        return floor
    progress = (step - warmup) / max(1, total - warmup)
    return floor + 0.5 * (1 + math.cos(math.pi * progress)) * (peak - floor)


def adamw(params, grads_per_step, lr, b1, b2, eps, wd):
    p = params.astype(np.float64).copy()
    m = np.zeros_like(p)
    v = np.zeros_like(p)
    for t, g in enumerate(grads_per_step, start=1):
        g = g.astype(np.float64)
        p *= 1 - lr * wd
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        p -= lr * (m / (1 - b1 ** t)) / (np.sqrt(v / (1 - b2 ** t)) + eps)
    return p


def main():
    t = {}
    # Matmul: every transpose combination, a batched product and a shared right operand.
    a, b = randn(5, 7), randn(7, 3)
    t["matmul.a"], t["matmul.b"] = a, b
    t["matmul.ab"] = a @ b
    t["matmul.atb"] = a.T @ randn_keep(t, "matmul.c", 5, 4)
    t["matmul.abt"] = a @ randn_keep(t, "matmul.d", 4, 7).T
    t["matmul.atbt"] = a.T @ randn_keep(t, "matmul.e", 4, 5).T
    batched_a, batched_b = randn(3, 4, 6), randn(3, 6, 2)
    t["batched.a"], t["batched.b"] = batched_a, batched_b
    t["batched.ab"] = batched_a @ batched_b
    t["batched.a_shared_w"] = batched_a @ b[:6, :]
    # Broadcasting elementwise.
    x, row = randn(4, 3, 5), randn(5)
    row_positive = (np.abs(randn(5)) + 0.5).astype(np.float32)
    t["elementwise.x"], t["elementwise.row"], t["elementwise.positive"] = x, row, row_positive
    t["elementwise.add"] = x + row
    t["elementwise.sub"] = x - row
    t["elementwise.mul"] = x * row
    t["elementwise.div"] = x / row_positive
    # Reductions.
    for axis in range(3):
        t[f"reduce.sum{axis}"] = x.sum(axis=axis)
        t[f"reduce.mean{axis}"] = x.mean(axis=axis)
        t[f"reduce.max{axis}"] = x.max(axis=axis)
    # Softmax family, layer norm, activations.
    logits = (randn(6, 11) * 3).astype(np.float32)
    t["softmax.x"] = logits
    t["softmax.y"] = softmax(logits.astype(np.float64))
    t["logsoftmax.y"] = log_softmax(logits.astype(np.float64))
    ln_x, ln_gain, ln_bias = randn(2, 3, 17) * 2 + 1, randn(17), randn(17)
    t["layernorm.x"], t["layernorm.gain"], t["layernorm.bias"] = ln_x.astype(np.float32), ln_gain, ln_bias
    t["layernorm.y"] = layer_norm(ln_x.astype(np.float32), ln_gain, ln_bias)
    act = (randn(50) * 3).astype(np.float32)
    t["activation.x"] = act
    t["activation.gelu"] = gelu_tanh(act)
    t["activation.relu"] = np.maximum(act, 0)
    # Embedding gather, concat, slice.
    table = randn(9, 4)
    ids = np.array([3, 0, 8, 3, 5, 1], dtype=np.int64)
    t["embedding.table"] = table
    t["embedding.ids"] = ids.astype(np.float32)
    t["embedding.y"] = table[ids].reshape(2, 3, 4)
    c1, c2 = randn(2, 3, 4), randn(2, 5, 4)
    t["concat.a"], t["concat.b"] = c1, c2
    t["concat.axis1"] = np.concatenate([c1, c2], axis=1)
    t["slice.axis2"] = c2[:, :, 1:3]
    # Losses.
    pred, target = randn(4, 3), randn(4, 3)
    t["mse.prediction"], t["mse.target"] = pred, target
    t["mse.loss"] = np.array(((pred.astype(np.float64) - target) ** 2).mean())
    ce_logits = randn(5, 7)
    ce_targets = np.array([2, 6, -1, 0, 3])
    t["ce.logits"], t["ce.targets"] = ce_logits, ce_targets.astype(np.float32)
    lp = log_softmax(ce_logits.astype(np.float64))
    kept = [(r, c) for r, c in enumerate(ce_targets) if c >= 0]
    t["ce.loss"] = np.array(-sum(lp[r, c] for r, c in kept) / len(kept))
    # AdamW: three steps.
    params = randn(2, 5)
    grads = [randn(2, 5) for _ in range(3)]
    t["adamw.params"] = params
    for i, g in enumerate(grads):
        t[f"adamw.grad{i}"] = g
    t["adamw.after3"] = adamw(params, grads, lr=0.01, b1=0.9, b2=0.999, eps=1e-8, wd=0.1)

    tensors = {k: np.ascontiguousarray(v, dtype=np.float32) for k, v in t.items()}  # note: 0-d values become [1]
    save_file(tensors, os.path.join(OUT, "reference.safetensors"), metadata={"generator": "tools/tensor_reference.py"})

    # F16 and BF16 encodings of a few values (incl. subnormal, rounding ties, inf) for the reader.
    np.seterr(over="ignore")  # 70000 → +inf in F16 is one of the cases under test
    halves = np.array([0.0, -0.0, 1.0, -2.5, 65504.0, 6.1035156e-05, 5.9604645e-08, 3.1415927,
                       1e-3, 70000.0, -np.inf, 0.33333334], dtype=np.float32)
    write_mixed(os.path.join(OUT, "halves.safetensors"), halves)
    json.dump({
        "xoshiro_seed": 42,
        "xoshiro_outputs": [str(v) for v in xoshiro_outputs(42, 8)],
        "splitmix_seed": 7,
        "splitmix_outputs": [str(splitmix64_seq(7, 4)[i]) for i in range(4)],
        "schedule": {"peak": 0.001, "warmup": 10, "total": 100, "floor": 0.0001,
                     "steps": list(range(0, 105, 5)) + [1, 9, 11, 99],
                     "values": [schedule(s, 0.001, 10, 100, 0.0001) for s in list(range(0, 105, 5)) + [1, 9, 11, 99]]},
        "halves_f16_bits": [int(v) for v in halves.astype(np.float16).view(np.uint16)],
        "halves_bf16_bits": [int(v) for v in bf16_bits(halves)],
    }, open(os.path.join(OUT, "reference.json"), "w"), indent=1)


def randn_keep(t, name, *shape):
    value = randn(*shape)
    t[name] = value
    return value


def splitmix64_seq(seed, count):
    out, state = [], seed
    for _ in range(count):
        state, value = splitmix64(state)
        out.append(value)
    return out


def bf16_bits(values):
    """Round-to-nearest-even float32 → bfloat16 bits (NaN stays NaN)."""
    bits = values.astype(np.float32).view(np.uint32).astype(np.uint64)
    rounded = (bits + 0x7FFF + ((bits >> 16) & 1)) >> 16
    return rounded.astype(np.uint16)


def write_mixed(path, values):
    """A file with F32, F16 and BF16 tensors of the same values, header built by hand."""
    blobs = [("bf16", "BF16", bf16_bits(values).tobytes()),
             ("f16", "F16", values.astype(np.float16).tobytes()),
             ("f32", "F32", values.astype(np.float32).tobytes())]
    header, offset, data = {"__metadata__": {"format": "pt", "note": "mixed dtypes"}}, 0, b""
    for name, dtype, blob in blobs:
        header[name] = {"dtype": dtype, "shape": [3, 4], "data_offsets": [offset, offset + len(blob)]}
        offset += len(blob)
        data += blob
    text = json.dumps(header).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + data)


if __name__ == "__main__":
    main()
