#!/usr/bin/env python3
"""Independent numpy (float64) reference for animepop's TextModel: writes the golden fixture.

The encoder (pre-LN transformer, learned positions, non-causal attention with a key padding mask,
GELU tanh, final layer norm, masked mean pooling) and the tied masked-LM head are written here from
the math, in float64. Gradients are NOT derived by hand: they are central finite differences of this
forward (step 1e-5 in float64), so the fixture checks the Swift backward against an independent oracle.

Scalar differentiated: loss = MLM cross-entropy (mean over masked rows) + sum(pooled * R), R fixed.

Usage: /work/venv/bin/python tools/textmodel_reference.py  [--out Tests/TextModelTests/Fixtures/textmodel_golden.safetensors]
"""
import argparse
import json

import numpy as np
from safetensors.numpy import save_file

CONFIG = dict(vocabularySize=50, contextLength=8, layerCount=2, width=16, headCount=2, mlpRatio=4,
              padTokenId=1, maskTokenId=2, specialTokenIds=[0, 1, 2, 3], layerNormEpsilon=1e-5)
GRADIENT_NAMES = ["wte.weight", "wpe.weight", "h.0.ln_1.weight", "h.0.attn.c_attn.weight", "h.0.attn.c_proj.bias",
                  "h.1.ln_2.bias", "h.1.mlp.c_fc.bias", "h.1.mlp.c_proj.weight", "ln_f.weight", "ln_f.bias"]


def layout(cfg):
    c, hidden = cfg["width"], cfg["mlpRatio"] * cfg["width"]
    shapes = {"wte.weight": (cfg["vocabularySize"], c), "wpe.weight": (cfg["contextLength"], c)}
    for layer in range(cfg["layerCount"]):
        p = f"h.{layer}."
        shapes.update({p + "ln_1.weight": (c,), p + "ln_1.bias": (c,),
                       p + "attn.c_attn.weight": (3 * c, c), p + "attn.c_attn.bias": (3 * c,),
                       p + "attn.c_proj.weight": (c, c), p + "attn.c_proj.bias": (c,),
                       p + "ln_2.weight": (c,), p + "ln_2.bias": (c,),
                       p + "mlp.c_fc.weight": (hidden, c), p + "mlp.c_fc.bias": (hidden,),
                       p + "mlp.c_proj.weight": (c, hidden), p + "mlp.c_proj.bias": (c,)})
    shapes.update({"ln_f.weight": (c,), "ln_f.bias": (c,)})
    return shapes


def layer_norm(x, w, b, eps):
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * w + b


def gelu(x):
    return 0.5 * x * (1 + np.tanh(np.sqrt(2 / np.pi) * (x + 0.044715 * x ** 3)))


def attention(x, w_qkv, b_qkv, w_out, b_out, valid, heads):
    batch, tokens, c = x.shape
    hs = c // heads
    qkv = x @ w_qkv.T + b_qkv
    q, k, v = qkv[..., :c], qkv[..., c:2 * c], qkv[..., 2 * c:]
    split = lambda a: a.reshape(batch, tokens, heads, hs).transpose(0, 2, 1, 3)   # (B, NH, T, hs)
    q, k, v = split(q), split(k), split(v)
    scores = q @ k.transpose(0, 1, 3, 2) / np.sqrt(hs)                         # (B, NH, T, T)
    key_ok = valid[:, None, None, :] > 0
    scores = np.where(key_ok, scores, -np.inf)
    scores = scores - scores.max(axis=-1, keepdims=True)
    p = np.where(key_ok, np.exp(scores), 0.0)
    p = p / p.sum(axis=-1, keepdims=True)
    y = (p @ v).transpose(0, 2, 1, 3).reshape(batch, tokens, c)
    return y @ w_out.T + b_out


def forward(params, cfg, ids, positions, targets, pooled_weight):
    batch, tokens = ids.shape
    eps = cfg["layerNormEpsilon"]
    valid = (ids != cfg["padTokenId"]).astype(np.float64)
    x = params["wte.weight"][ids] + params["wpe.weight"][:tokens]
    for layer in range(cfg["layerCount"]):
        p = lambda name: params[f"h.{layer}.{name}"]
        h = layer_norm(x, p("ln_1.weight"), p("ln_1.bias"), eps)
        x = x + attention(h, p("attn.c_attn.weight"), p("attn.c_attn.bias"), p("attn.c_proj.weight"),
                          p("attn.c_proj.bias"), valid, cfg["headCount"])
        h = layer_norm(x, p("ln_2.weight"), p("ln_2.bias"), eps)
        x = x + gelu(h @ p("mlp.c_fc.weight").T + p("mlp.c_fc.bias")) @ p("mlp.c_proj.weight").T + p("mlp.c_proj.bias")
    hidden = layer_norm(x, params["ln_f.weight"], params["ln_f.bias"], eps)          # (B, T, C)
    pooled = (hidden * valid[..., None]).sum(axis=1) / valid.sum(axis=1, keepdims=True)
    rows = hidden.reshape(batch * tokens, -1)[positions]                               # (M, C)
    logits = rows @ params["wte.weight"].T                                             # (M, V)
    logits = logits - logits.max(axis=-1, keepdims=True)
    log_probs = logits - np.log(np.exp(logits).sum(axis=-1, keepdims=True))
    mlm_loss = -log_probs[np.arange(len(targets)), targets].mean()
    return hidden, pooled, mlm_loss, mlm_loss + (pooled * pooled_weight).sum()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="Tests/TextModelTests/Fixtures/textmodel_golden.safetensors")
    args = parser.parse_args()
    cfg = CONFIG
    rng = np.random.default_rng(20261122)
    params = {}
    for name, shape in layout(cfg).items():
        if name.endswith(".bias"):
            params[name] = 0.1 * rng.standard_normal(shape)
        elif ".ln_" in name or name.startswith("ln_"):
            params[name] = 1 + 0.1 * rng.standard_normal(shape)
        else:
            params[name] = 0.3 * rng.standard_normal(shape)
    params = {k: v.astype(np.float32).astype(np.float64) for k, v in params.items()}  # exactly representable in f32
    batch, tokens = 2, cfg["contextLength"]
    ids = rng.integers(4, cfg["vocabularySize"], size=(batch, tokens))
    ids[1, 5:] = cfg["padTokenId"]                       # second sequence: 5 tokens then padding
    positions = np.array([1, 4, 6, 8, 11])               # flat b*T + t, none on padding
    targets = ids.reshape(-1)[positions].copy()
    ids.reshape(-1)[[1, 6, 11]] = cfg["maskTokenId"]     # corrupted input at three of them
    ids.reshape(-1)[4] = 17                              # a random replacement at another
    pooled_weight = rng.standard_normal((batch, cfg["width"]))

    hidden, pooled, mlm_loss, total = forward(params, cfg, ids, positions, targets, pooled_weight)
    tensors = {f"param.{k}": v.astype(np.float32) for k, v in params.items()}
    tensors.update({"input.token_ids": ids.astype(np.float32), "input.positions": positions.astype(np.float32),
                    "input.targets": targets.astype(np.float32), "input.pooled_gradient": pooled_weight.astype(np.float32),
                    "expected.hidden": hidden.astype(np.float32), "expected.pooled": pooled.astype(np.float32),
                    "expected.mlm_loss": np.array([mlm_loss], dtype=np.float32),
                    "expected.total_loss": np.array([total], dtype=np.float32)})
    step = 1e-5
    for name in GRADIENT_NAMES:
        gradient = np.zeros_like(params[name])
        flat, out = params[name].reshape(-1), gradient.reshape(-1)
        for i in range(flat.size):
            saved = flat[i]
            flat[i] = saved + step
            plus = forward(params, cfg, ids, positions, targets, pooled_weight)[3]
            flat[i] = saved - step
            minus = forward(params, cfg, ids, positions, targets, pooled_weight)[3]
            flat[i] = saved
            out[i] = (plus - minus) / (2 * step)
        tensors[f"gradient.{name}"] = gradient.astype(np.float32)
    metadata = {"config": json.dumps(cfg), "generator": "tools/textmodel_reference.py",
                "note": "float64 numpy forward; gradients by central differences (step 1e-5) of mlm_loss + sum(pooled * R)"}
    save_file(tensors, args.out, metadata=metadata)
    print(f"wrote {args.out}: mlm_loss {mlm_loss:.6f}, total {total:.6f}, {len(tensors)} tensors")


if __name__ == "__main__":
    main()
