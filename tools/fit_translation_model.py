#!/usr/bin/env python3
"""Fits the translation decision model: logistic regression on the signals of translation
candidates (the TSV written by dump_translation_candidates), by Newton's method with a small L2
penalty. Reports, on a split by story (fit on half the stories, test on the other half), how
well it generalises to stories it has not seen; then fits on all rows and prints the model as
JSON. Pure Python: no dependency beyond the standard library.

    build/tools/dump_translation_candidates docs.jsonl truth.tsv > candidates.tsv
    python3 tools/fit_translation_model.py candidates.tsv > fixtures/models/translation_model.json
"""
import csv
import json
import math
import sys
import zlib

FEATURES = ["log_margin", "mutual_best", "share", "share_order", "anchors_only", "raw"]
L2 = 1e-3


def solve(matrix, vector):
    """Gaussian elimination with partial pivoting."""
    n = len(vector)
    a = [row[:] + [vector[i]] for i, row in enumerate(matrix)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(a[r][col]))
        a[col], a[pivot] = a[pivot], a[col]
        for r in range(n):
            if r != col and a[col][col] != 0:
                f = a[r][col] / a[col][col]
                a[r] = [x - f * y for x, y in zip(a[r], a[col])]
    return [a[i][n] / a[i][i] for i in range(n)]


def fit(rows):
    """rows: (features, label). Returns weights with the bias last."""
    dim = len(FEATURES) + 1
    w = [0.0] * dim
    for _ in range(50):
        grad = [0.0] * dim
        hess = [[0.0] * dim for _ in range(dim)]
        for x, y in rows:
            xb = x + [1.0]
            z = sum(wi * xi for wi, xi in zip(w, xb))
            p = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
            for i in range(dim):
                grad[i] += (p - y) * xb[i]
                for j in range(dim):
                    hess[i][j] += p * (1 - p) * xb[i] * xb[j]
        for i in range(dim - 1):
            grad[i] += L2 * len(rows) * w[i]
            hess[i][i] += L2 * len(rows)
        step = solve(hess, grad)
        w = [wi - si for wi, si in zip(w, step)]
        if max(abs(s) for s in step) < 1e-8:
            break
    return w


def probability(w, x):
    z = sum(wi * xi for wi, xi in zip(w, x + [1.0]))
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def main():
    path = sys.argv[1]
    with open(path, newline="") as f:
        table = list(csv.DictReader(f, delimiter="\t"))
    rows = [([float(r[name]) for name in FEATURES], int(r["label"]), r["story_a"]) for r in table]
    held_out = [zlib.crc32(story.encode()) % 2 == 1 for _, _, story in rows]
    train = [(x, y) for (x, y, _), h in zip(rows, held_out) if not h]
    test = [(x, y) for (x, y, _), h in zip(rows, held_out) if h]
    w = fit(train)
    tp = sum(1 for x, y in test if probability(w, x) >= 0.5 and y == 1)
    fp = sum(1 for x, y in test if probability(w, x) >= 0.5 and y == 0)
    fn = sum(1 for x, y in test if probability(w, x) < 0.5 and y == 1)
    print(f"held-out stories: candidates {len(test)}, precision {tp / max(1, tp + fp):.4f}, "
          f"recall {tp / max(1, tp + fn):.4f} (before one-to-one linking)", file=sys.stderr)
    w = fit([(x, y) for x, y, _ in rows])
    model = {
        "features": FEATURES,
        "weights": [round(v, 6) for v in w[:-1]],
        "bias": round(w[-1], 6),
        "fitted_on": "ntrex-dev (shared/data/ntrex-dev): docs.jsonl with truth.tsv",
        "command": "build/tools/dump_translation_candidates docs.jsonl truth.tsv > candidates.tsv && "
                   "python3 tools/fit_translation_model.py candidates.tsv",
        "rows": len(rows),
        "positives": sum(y for _, y, _ in rows),
    }
    print(json.dumps(model, indent=2))


if __name__ == "__main__":
    main()
