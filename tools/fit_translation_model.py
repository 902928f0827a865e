#!/usr/bin/env python3
"""Fits the translation decision model: logistic regression on the signals of translation
candidates (the TSV written by dump_translation_candidates), by Newton's method with a small L2
penalty; then the weight of story support (documents in third languages that the direct model
links to both sides) added to the direct log-odds, with no bias of its own, so that a pair
without support keeps the direct decision: for translations, the weight of a grid whose
decisions after one-to-one linking have the best mean F1 over the corpora; for same-story pairs
(no linking), by likelihood. Reports, on a split by story (fit on half the stories, test on the other half), how
well it generalises to stories it has not seen; then fits on all rows and prints the model as
JSON. Needs numpy (Debian's python3-numpy, which tools/install_deps.sh installs).

Several corpora may be given, one candidates file each: each corpus then weighs the same in the
fit whatever its number of candidates, so that a large generated corpus does not outvote the
real ones, nor one kind of text the others.

    build/tools/dump_translation_candidates docs.jsonl truth.tsv > candidates.tsv
    python3 tools/fit_translation_model.py candidates.tsv [more.tsv ...] > fixtures/models/translation_model.json
"""
import argparse
import csv
import json
import math
import sys
import zlib

import numpy

FEATURES = ["log_margin", "mutual_best", "coverage_low", "coverage_high", "anchors_only", "raw", "log_sentences", "translated_apart"]
L2 = 1e-3


def fit(rows, weights=None):
    """rows: (features, label); weights: one per row (default 1). Weighted logistic regression by
    Newton's method with a small L2 penalty on all but the bias. Returns weights with the bias last."""
    x = numpy.array([features + [1.0] for features, _ in rows])
    y = numpy.array([label for _, label in rows], dtype=float)
    c = numpy.ones(len(rows)) if weights is None else numpy.asarray(weights, dtype=float)
    penalty = numpy.full(x.shape[1], L2 * c.sum())
    penalty[-1] = 0.0
    w = numpy.zeros(x.shape[1])
    for _ in range(100):
        p = 1.0 / (1.0 + numpy.exp(-numpy.clip(x @ w, -30.0, 30.0)))
        grad = x.T @ (c * (p - y)) + penalty * w
        hess = (x * (c * p * (1 - p))[:, None]).T @ x + numpy.diag(penalty)
        step = numpy.linalg.solve(hess, grad)
        w -= step
        if numpy.abs(step).max() < 1e-8:
            break
    return [float(v) for v in w]


def log_odds(w, x):
    return sum(wi * xi for wi, xi in zip(w, x + [1.0]))


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


def fit_support_weight(offsets, supports, labels, weights):
    """One-parameter weighted logistic regression with an offset, by Newton's method."""
    z = numpy.asarray(offsets, dtype=float)
    x = numpy.log1p(numpy.asarray(supports, dtype=float))
    y = numpy.asarray(labels, dtype=float)
    c = numpy.asarray(weights, dtype=float)
    v = 0.0
    for _ in range(100):
        p = 1.0 / (1.0 + numpy.exp(-numpy.clip(z + v * x, -30.0, 30.0)))
        hess = float((c * p * (1 - p) * x * x).sum())
        if hess == 0:
            break
        step = float((c * (p - y) * x).sum()) / (hess + 1e-9)
        v -= step
        if abs(step) < 1e-9:
            break
    return v


# Signals that the persistent index does not compute: it keeps no sentences (alignment, count) and
# no links between the documents it holds (support); PairSignals leaves them at these values.
INDEX_LACKS = ["coverage_low", "coverage_high", "log_sentences"]

SUPPORT_WEIGHTS = [k / 4 for k in range(17)]  # 0, 0.25, ..., 4


def linked(table, scores):
    """The candidates that one-to-one linking keeps, as link_translations in
    score/translation.cpp does it without duplicate groups: best first, at most one partner per
    document and language."""
    order = sorted(range(len(table)), key=lambda i: -scores[i])
    partnered, kept = set(), [False] * len(table)
    for i in order:
        if scores[i] < 0:
            break
        r = table[i]
        if (r["a"], r["lang_b"]) in partnered or (r["b"], r["lang_a"]) in partnered:
            continue
        partnered.update({(r["a"], r["lang_b"]), (r["b"], r["lang_a"])})
        kept[i] = True
    return kept


def choose_support_weight(table, w):
    """The weight of story support whose decisions, after one-to-one linking, give the best mean
    F1 over the corpora: a likelihood fit of it on the candidates alone takes no account of the
    linking, which removes most of the false pairs that support lets in."""
    direct = [log_odds(w, [float(r[n]) for n in FEATURES]) for r in table]
    first_round = count_support(table, [z >= 0 for z in direct])
    corpora = sorted({r["corpus"] for r in table})
    best = None
    for v in SUPPORT_WEIGHTS:
        accept = [z + v * math.log1p(s) >= 0 for z, s in zip(direct, first_round)]
        support = count_support(table, accept)
        kept = linked(table, [z + v * math.log1p(s) for z, s in zip(direct, support)])
        f1s = []
        for corpus in corpora:
            rows = [(k, r["label"] == "1") for k, r in zip(kept, table) if r["corpus"] == corpus]
            tp = sum(1 for k, y in rows if k and y)
            predicted, true = sum(1 for k, _ in rows if k), sum(1 for _, y in rows if y)
            f1s.append(2 * tp / max(1, predicted + true))
        mean = sum(f1s) / len(f1s)
        if best is None or mean > best[0]:
            best = (mean, v)
    return best[1]


def evaluate(name, decisions, labels):
    tp = sum(1 for d, y in zip(decisions, labels) if d and y)
    fp = sum(1 for d, y in zip(decisions, labels) if d and not y)
    fn = sum(1 for d, y in zip(decisions, labels) if not d and y)
    print(f"{name}: precision {tp / max(1, tp + fp):.4f}, recall {tp / max(1, tp + fn):.4f} "
          "(candidates of held-out stories, before one-to-one linking)", file=sys.stderr)


def fit_both(table, rows, weights, given_support, without_support=False):
    w = fit(rows, weights)
    if without_support:
        return w, 0.0
    if not given_support:
        return w, choose_support_weight(table, w)
    offsets = [log_odds(w, x) for x, _ in rows]
    v = fit_support_weight(offsets, [int(r["support"]) for r in table], [y for _, y in rows], weights)
    return w, v


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("candidates", nargs="+",
                        help="TSVs of dump_translation_candidates, one per corpus; each corpus weighs the same")
    parser.add_argument("--same-story", action="store_true",
                        help="same-story candidates: story support is the TSV's support column (common translations)")
    parser.add_argument("--index", action="store_true",
                        help="the persistent index's model: fitted without the signals the index does not compute "
                             "(sentence alignment, sentence count, story support)")
    parser.add_argument("--fitted-on", default="ntrex-dev (shared/data/ntrex-dev): docs.jsonl with truth.tsv",
                        help="the data, for the model's record")
    args = parser.parse_args()
    table, weights = [], []
    for path in args.candidates:
        with open(path, newline="") as f:
            corpus = list(csv.DictReader(f, delimiter="\t"))
        # Stories and documents of different corpora must not meet in the support counts.
        for r in corpus:
            r["corpus"] = path
            for column in ("a", "b", "story_a"):
                r[column] = path + "\t" + r[column]
        table += corpus
        weights += [1.0 / max(1, len(corpus))] * len(corpus)
    scale = len(table) / sum(weights)  # the penalty stays relative to a row of average weight
    weights = [weight * scale for weight in weights]
    if args.index:
        for r in table:
            for name in INDEX_LACKS:
                r[name] = "0"
            r["support"] = "0"
    rows = [([float(r[name]) for name in FEATURES], int(r["label"])) for r in table]
    # Generalisation: fit on half the stories, test on the others.
    held_out = [zlib.crc32(r["story_a"].encode()) % 2 == 1 for r in table]
    pick = lambda values, keep: [value for value, h in zip(values, held_out) if h == keep]
    w, v = fit_both(pick(table, False), pick(rows, False), pick(weights, False), args.same_story, args.index)
    test_table, test_rows = pick(table, True), pick(rows, True)
    labels = [y for _, y in test_rows]
    evaluate("direct evidence", [log_odds(w, x) >= 0 for x, _ in test_rows], labels)
    supports = [int(r["support"]) for r in test_table] if args.same_story else story_support(test_table, w, v)
    evaluate("with story support", [log_odds(w, x) + v * math.log1p(s) >= 0 for (x, _), s in zip(test_rows, supports)], labels)

    w, v = fit_both(table, rows, weights, args.same_story, args.index)
    kind = "same-story" if args.same_story else "translation"
    model = {
        "features": FEATURES,
        "weights": [round(x, 6) for x in w[:-1]],
        "bias": round(w[-1], 6),
        "support_weight": round(v, 6),
        "fitted_on": args.fitted_on,
        "command": f"build/tools/dump_translation_candidates docs.jsonl truth.tsv {kind} > candidates.tsv && "
                   f"python3 tools/fit_translation_model.py candidates.tsv [one per corpus]{' --same-story' if args.same_story else ''}{' --index' if args.index else ''}",
        "rows": len(rows),
        "positives": sum(y for _, y in rows),
    }
    print(json.dumps(model, indent=2))


if __name__ == "__main__":
    main()
