#!/usr/bin/env python3
"""Fits the translation decision model: logistic regression on the signals of translation
candidates (the TSV written by dump_translation_candidates), by Newton's method with a small L2
penalty; then the weight of story support (documents in third languages that the direct model
links to both sides) added to the direct log-odds, with no bias of its own, so that a pair
without support keeps the direct decision. Reports, on a split by story (fit on half the stories, test on the other half), how
well it generalises to stories it has not seen; then fits on all rows and prints the model as
JSON. Pure Python: no dependency beyond the standard library.

    build/tools/dump_translation_candidates docs.jsonl truth.tsv > candidates.tsv
    python3 tools/fit_translation_model.py candidates.tsv > fixtures/models/translation_model.json
"""
import argparse
import csv
import json
import math
import sys
import zlib

FEATURES = ["log_margin", "mutual_best", "coverage_low", "coverage_high", "anchors_only", "raw", "log_sentences", "translated_apart"]
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


def log_odds(w, x):
    return sum(wi * xi for wi, xi in zip(w, x + [1.0]))


def sigmoid(z):
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def probability(w, x):
    return sigmoid(log_odds(w, x))


SUPPORT_ROUNDS = 2  # as story_support_rounds in score/translation.cpp


def story_support(table, w, v=None):
    """Per row, as score/translation.cpp computes it: common neighbours in third languages over
    the pairs the direct model accepts; with v, a further round over the pairs accepted with the
    support of the round before."""
    support = count_support(table, [log_odds(w, [float(r[n]) for n in FEATURES]) >= 0 for r in table])
    if v is None:
        return support
    for _ in range(SUPPORT_ROUNDS - 1):
        accept = [log_odds(w, [float(r[n]) for n in FEATURES]) + v * math.log1p(s) >= 0 for r, s in zip(table, support)]
        support = count_support(table, accept)
    return support


def count_support(table, accept):
    lang, accepted = {}, {}
    for r in table:
        lang[r["a"]], lang[r["b"]] = r["lang_a"], r["lang_b"]
    for r, a in zip(table, accept):
        if a:
            accepted.setdefault(r["a"], set()).add(r["b"])
            accepted.setdefault(r["b"], set()).add(r["a"])
    support = []
    for r in table:
        common = accepted.get(r["a"], set()) & accepted.get(r["b"], set())
        support.append(sum(1 for z in common if lang[z] not in (r["lang_a"], r["lang_b"])))
    return support


def fit_support_weight(offsets, supports, labels):
    """One-parameter logistic regression with an offset, by Newton's method."""
    v = 0.0
    for _ in range(100):
        grad = hess = 0.0
        for z, s, y in zip(offsets, supports, labels):
            x = math.log1p(s)
            p = sigmoid(z + v * x)
            grad += (p - y) * x
            hess += p * (1 - p) * x * x
        if hess == 0:
            break
        step = grad / (hess + 1e-9)
        v -= step
        if abs(step) < 1e-9:
            break
    return v


def evaluate(name, decisions, labels):
    tp = sum(1 for d, y in zip(decisions, labels) if d and y)
    fp = sum(1 for d, y in zip(decisions, labels) if d and not y)
    fn = sum(1 for d, y in zip(decisions, labels) if not d and y)
    print(f"{name}: precision {tp / max(1, tp + fp):.4f}, recall {tp / max(1, tp + fn):.4f} "
          "(candidates of held-out stories, before one-to-one linking)", file=sys.stderr)


def fit_both(table, rows, given_support):
    w = fit(rows)
    supports = [int(r["support"]) for r in table] if given_support else story_support(table, w)
    offsets = [log_odds(w, x) for x, _ in rows]
    v = fit_support_weight(offsets, supports, [y for _, y in rows])
    return w, v


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("candidates", help="TSV of dump_translation_candidates (several corpora may be concatenated)")
    parser.add_argument("--same-story", action="store_true",
                        help="same-story candidates: story support is the TSV's support column (common translations)")
    parser.add_argument("--fitted-on", default="ntrex-dev (shared/data/ntrex-dev): docs.jsonl with truth.tsv",
                        help="the data, for the model's record")
    args = parser.parse_args()
    with open(args.candidates, newline="") as f:
        table = list(csv.DictReader(f, delimiter="\t"))
    rows = [([float(r[name]) for name in FEATURES], int(r["label"])) for r in table]
    # Generalisation: fit on half the stories, test on the others.
    held_out = [zlib.crc32(r["story_a"].encode()) % 2 == 1 for r in table]
    train_table = [r for r, h in zip(table, held_out) if not h]
    test_table = [r for r, h in zip(table, held_out) if h]
    w, v = fit_both(train_table, [row for row, h in zip(rows, held_out) if not h], args.same_story)
    test_rows = [row for row, h in zip(rows, held_out) if h]
    labels = [y for _, y in test_rows]
    evaluate("direct evidence", [log_odds(w, x) >= 0 for x, _ in test_rows], labels)
    supports = [int(r["support"]) for r in test_table] if args.same_story else story_support(test_table, w, v)
    evaluate("with story support", [log_odds(w, x) + v * math.log1p(s) >= 0 for (x, _), s in zip(test_rows, supports)], labels)

    w, v = fit_both(table, rows, args.same_story)
    kind = "same-story" if args.same_story else "translation"
    model = {
        "features": FEATURES,
        "weights": [round(x, 6) for x in w[:-1]],
        "bias": round(w[-1], 6),
        "support_weight": round(v, 6),
        "fitted_on": args.fitted_on,
        "command": f"build/tools/dump_translation_candidates docs.jsonl truth.tsv {kind} > candidates.tsv && "
                   f"python3 tools/fit_translation_model.py candidates.tsv{' --same-story' if args.same_story else ''}",
        "rows": len(rows),
        "positives": sum(y for _, y in rows),
    }
    print(json.dumps(model, indent=2))


if __name__ == "__main__":
    main()
