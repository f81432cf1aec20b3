#!/usr/bin/env python3
"""Golden values for the Popularity module's metrics, percentiles, splits and bootstrap.

Independent reference: scikit-learn (MSE, MAE, R²), scipy (Pearson, Spearman, rankdata), brute-force
O(n²) pairwise accuracy, numpy percentiles. SplitMix64 is re-implemented here so the seeded shuffles
and bootstrap resamples can be reproduced exactly.

    /work/venv/bin/python tools/popularity_reference.py   # writes Tests/PopularityTests/Fixtures/metrics_golden.json
"""
import json
import math
import pathlib

import numpy as np
from scipy import stats
from sklearn.metrics import mean_absolute_error, mean_squared_error, r2_score

MASK = (1 << 64) - 1


class SplitMix64:
    """Steele, Lea & Flood's SplitMix64, as in Sources/Popularity/Targets/SplitMix64.swift."""

    def __init__(self, seed):
        self.state = seed & MASK

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)

    def below(self, bound):
        return self.next() % bound

    def shuffle(self, items):
        for i in range(len(items) - 1, 0, -1):
            j = self.below(i + 1)
            items[i], items[j] = items[j], items[i]


def pairwise_accuracy(pred, true):
    """Over pairs with different truths: 1 if ordered like the truth, 0.5 if predictions tie, else 0."""
    right, pairs = 0.0, 0
    n = len(true)
    for i in range(n):
        for j in range(i + 1, n):
            if true[i] == true[j]:
                continue
            pairs += 1
            d = (pred[i] - pred[j]) * (true[i] - true[j])
            right += 1.0 if d > 0 else (0.5 if d == 0 else 0.0)
    return right / pairs if pairs else float("nan")


def top_decile(pred, true):
    """Of the ceil(n/10) highest predictions, the fraction among the ceil(n/10) highest truths (ties: row order)."""
    n = len(true)
    k = max(1, math.ceil(n / 10))
    idx = np.arange(n)
    top_p = set(np.lexsort((idx, -np.asarray(pred)))[:k])
    top_t = set(np.lexsort((idx, -np.asarray(true)))[:k])
    return len(top_p & top_t) / k


def metrics(pred, true):
    pred, true = np.asarray(pred, float), np.asarray(true, float)
    const = np.all(pred == pred[0]) or np.all(true == true[0])
    return {
        "mse": mean_squared_error(true, pred),
        "mae": mean_absolute_error(true, pred),
        "r2": r2_score(true, pred) if not np.all(true == true[0]) else float("nan"),
        "pearson": float("nan") if const else stats.pearsonr(pred, true)[0],
        "spearman": float("nan") if const else stats.spearmanr(pred, true)[0],
        "pairwise": pairwise_accuracy(pred, true),
        "top_decile": top_decile(pred, true),
    }


def bootstrap(pred, true, resamples, seed):
    """Percentile bootstrap exactly as Sources/Popularity/Evaluation/Bootstrap.swift draws rows."""
    gen = SplitMix64(seed)
    n = len(true)
    samples = {}
    for _ in range(resamples):
        rows = [gen.below(n) for _ in range(n)]
        m = metrics([pred[r] for r in rows], [true[r] for r in rows])
        for name, value in m.items():
            if math.isfinite(value):
                samples.setdefault(name, []).append(value)
    return {name: [float(np.percentile(v, 2.5)), float(np.percentile(v, 97.5))] for name, v in samples.items()}


def clean(value):
    return None if isinstance(value, float) and not math.isfinite(value) else value


def main():
    rng = np.random.default_rng(20231)
    cases = []
    # Hand-made: ties in both truths and predictions.
    cases.append(("hand_ties", [0.1, 0.4, 0.4, 0.3, 0.9, 0.5, 0.5, 0.2],
                  [0.2, 0.2, 0.6, 0.3, 0.8, 0.5, 0.1, 0.2]))
    # Random with heavy ties (one decimal).
    true = np.round(rng.uniform(0, 1, 40), 1)
    pred = np.round(0.6 * true + 0.4 * rng.uniform(0, 1, 40), 1)
    cases.append(("rounded_40", pred.tolist(), true.tolist()))
    # Larger, mild ties (two decimals), anti-correlated part.
    true = np.round(rng.normal(0.5, 0.2, 150), 2)
    pred = np.round(0.3 * true + rng.normal(0, 0.2, 150), 2)
    cases.append(("rounded_150", pred.tolist(), true.tolist()))
    out = {"metric_cases": []}
    for name, p, t in cases:
        out["metric_cases"].append({
            "name": name, "predictions": p, "truths": t,
            "metrics": {k: clean(float(v)) for k, v in metrics(p, t).items()},
            "bootstrap": {"resamples": 200, "seed": 7, "ci95": bootstrap(p, t, 200, 7)},
        })
    values = [3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0, 6.0, 5.0, 3.0, 5.0]
    out["ranks"] = {"values": values, "average_ranks": stats.rankdata(values).tolist(),
                    "midpoint_percentiles": ((stats.rankdata(values) - 0.5) / len(values)).tolist()}
    gen = SplitMix64(42)
    out["splitmix64"] = {"seed": 42, "first": [str(gen.next()) for _ in range(5)]}
    items = list(range(10))
    SplitMix64(7).shuffle(items)
    out["shuffle"] = {"seed": 7, "count": 10, "order": items}
    order = list(range(10))
    SplitMix64(42).shuffle(order)
    folds = [0] * 10
    for position, row in enumerate(order):
        folds[row] = position % 3
    out["folds"] = {"seed": 42, "count": 10, "folds": 3, "assignment": folds}
    q = np.sort(rng.uniform(0, 1, 17))
    out["quantiles"] = {"sorted": q.tolist(), "q": [0.025, 0.5, 0.975],
                        "values": [float(np.percentile(q, 100 * x)) for x in [0.025, 0.5, 0.975]]}
    path = pathlib.Path(__file__).resolve().parent.parent / "Tests/PopularityTests/Fixtures/metrics_golden.json"
    path.write_text(json.dumps(out, indent=1) + "\n")
    print(f"wrote {path} ({path.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
