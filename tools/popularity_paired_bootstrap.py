#!/usr/bin/env python3
"""Golden values for the paired bootstrap (Sources/Popularity/Evaluation/PairedBootstrap.swift).

Independent reference: the resample rows come from SplitMix64 (re-implemented here, as in
tools/popularity_reference.py), gathered with numpy fancy indexing; MSE/MAE from scikit-learn, Spearman
from scipy (undefined resamples, e.g. constant truths, are left out); percentiles from numpy (linear).
Synthetic data only.

    /work/venv/bin/python tools/popularity_paired_bootstrap.py   # writes Tests/PopularityTests/Fixtures/paired_bootstrap_golden.json
"""
import json
import math
import pathlib

import numpy as np
from scipy import stats
from sklearn.metrics import mean_absolute_error, mean_squared_error

MASK = (1 << 64) - 1
HIGHER_IS_BETTER = {"mse": False, "mae": False, "spearman": True}
# "Better" means by more than rounding: equal metrics summed in a different order differ by ~1e-17.
TIE_TOLERANCE = 1e-12


def splitmix64_rows(seed, n, resamples):
    """resamples × n row indices, drawn as SplitMix64(seed).next() % n in sequence."""
    state = seed & MASK
    rows = np.empty((resamples, n), dtype=np.int64)
    for r in range(resamples):
        for i in range(n):
            state = (state + 0x9E3779B97F4A7C15) & MASK
            z = state
            z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
            z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
            rows[r, i] = (z ^ (z >> 31)) % n
    return rows


def metric(name, pred, true):
    if name == "mse":
        return mean_squared_error(true, pred)
    if name == "mae":
        return mean_absolute_error(true, pred)
    if np.all(pred == pred[0]) or np.all(true == true[0]):
        return float("nan")
    return stats.spearmanr(pred, true)[0]


def paired(pred, ref, true, names, resamples, seed):
    pred, ref, true = (np.asarray(a, float) for a in (pred, ref, true))
    rows = splitmix64_rows(seed, len(true), resamples)
    out = {}
    for name in names:
        diffs, better = [], 0
        for r in rows:
            m, b = metric(name, pred[r], true[r]), metric(name, ref[r], true[r])
            if not (math.isfinite(m) and math.isfinite(b)):
                continue
            diffs.append(m - b)
            better += ((m - b) if HIGHER_IS_BETTER[name] else (b - m)) > TIE_TOLERANCE
        out[name] = {
            "difference": float(metric(name, pred, true) - metric(name, ref, true)),
            "ci95": [float(np.percentile(diffs, 2.5)), float(np.percentile(diffs, 97.5))],
            "p_better": better / len(diffs),
            "resamples_used": len(diffs),
        }
    return out


def main():
    rng = np.random.default_rng(6)
    cases = []
    # A reference and a model that shares its errors but adds a little true signal (correlated errors).
    true = np.round(rng.uniform(0, 1, 120), 2)
    ref = 0.5 * true + 0.25 + rng.normal(0, 0.15, 120)
    model = ref + 0.15 * (true - 0.5) + rng.normal(0, 0.03, 120)
    cases.append(("correlated_120", np.round(model, 4), np.round(ref, 4), true))
    # A weaker model with heavy ties in predictions and truths (P(better) between 0 and 1).
    true = np.round(rng.uniform(0, 1, 60), 1)
    ref = np.round(0.6 * true + 0.4 * rng.uniform(0, 1, 60), 1)
    model = np.round(0.5 * true + 0.5 * rng.uniform(0, 1, 60), 1)
    cases.append(("ties_60", model, ref, true))
    # Tiny: some resamples have constant truths, so Spearman is undefined there and left out.
    cases.append(("tiny_6", np.array([0.1, 0.3, 0.2, 0.4, 0.6, 0.5]), np.array([0.3, 0.1, 0.2, 0.2, 0.5, 0.6]),
                  np.array([0.2, 0.2, 0.2, 0.2, 0.5, 0.5])))
    names = ["mse", "mae", "spearman"]
    out = {"cases": [{"name": name, "predictions": p.tolist(), "reference": r.tolist(), "truths": t.tolist(),
                      "resamples": 300, "seed": 11, "paired": paired(p, r, t, names, 300, 11)}
                     for name, p, r, t in cases]}
    path = pathlib.Path(__file__).resolve().parent.parent / "Tests/PopularityTests/Fixtures/paired_bootstrap_golden.json"
    path.write_text(json.dumps(out, indent=1) + "\n")
    print(f"wrote {path} ({path.stat().st_size} bytes)")
    for case in out["cases"]:
        print(case["name"], {k: (round(v["difference"], 4), [round(x, 4) for x in v["ci95"]], v["p_better"], v["resamples_used"])
                             for k, v in case["paired"].items()})


if __name__ == "__main__":
    main()
