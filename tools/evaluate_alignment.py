#!/usr/bin/env python3
"""Scores the aligned sentences that `neardup pairs` reports as evidence against a known line
alignment: for corpora translated line by line (NTREX), line i of one version translates line i
of every other. Each reported sentence pair (byte offsets a, b) is mapped to the lines it covers
on each side; every (line of a, line of b) it joins is one predicted link, and the true links of a
pair are (i, i) for every line with text on both sides. Only translation pairs whose documents
share a story and a line count are scored (the others have no line alignment to score against).

    tools/evaluate_alignment.py docs.jsonl truth.tsv pairs.jsonl
"""
import bisect
import csv
import json
import sys


def line_starts(text):
    """Byte offsets where each line starts, and which lines have text."""
    data = text.encode("utf-8")
    starts, nonblank, begin = [], [], 0
    for line in data.split(b"\n"):
        starts.append(begin)
        nonblank.append(bool(line.strip()))
        begin += len(line) + 1
    return starts, nonblank


def lines_of(span, starts):
    first = bisect.bisect_right(starts, span[0]) - 1
    last = bisect.bisect_right(starts, max(span[0], span[1] - 1)) - 1
    return range(first, last + 1)


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__.strip().splitlines()[-1].strip())
    docs_path, truth_path, pairs_path = sys.argv[1:]
    lines = {}
    with open(docs_path, encoding="utf-8") as f:
        for row in f:
            doc = json.loads(row)
            lines[doc["id"]] = line_starts(doc["text"])
    with open(truth_path, newline="", encoding="utf-8") as f:
        story = {r["id"]: r["story"] for r in csv.DictReader(f, delimiter="\t")}
    predicted = correct = expected = scored_pairs = 0
    with open(pairs_path, encoding="utf-8") as f:
        for row in f:
            pair = json.loads(row)
            if pair["relation"] != "translation" or story.get(pair["a"]) != story.get(pair["b"]):
                continue
            (starts_a, text_a), (starts_b, text_b) = lines[pair["a"]], lines[pair["b"]]
            if len(starts_a) != len(starts_b) or "sentences" not in pair.get("evidence", {}):
                continue
            scored_pairs += 1
            truth = {(i, i) for i in range(len(starts_a)) if text_a[i] and text_b[i]}
            links = set()
            for sentence in pair["evidence"]["sentences"]:
                links.update((i, j) for i in lines_of(sentence["a"], starts_a) for j in lines_of(sentence["b"], starts_b))
            predicted += len(links)
            correct += len(links & truth)
            expected += len(truth)
    precision = correct / predicted if predicted else 1.0
    recall = correct / expected if expected else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    print(f"aligned lines  P {precision:.4f} R {recall:.4f} F1 {f1:.4f} ({scored_pairs} pairs, {correct} of {expected} links)")


if __name__ == "__main__":
    main()
