#!/usr/bin/env python3
"""Translations the persistent index finds when every document of a corpus is queried against an
index of all of them, against the corpus's truth.tsv: a pair (query, match) is a true translation
when both are of one story and of different languages. Both directions count, as a crawler asks
from whichever page comes second.

Usage: evaluate_index.py TRUTH.tsv MATCHES.jsonl    (MATCHES: `neardup index query` output)
"""
import csv
import json
import sys


def main(truth_path: str, matches_path: str) -> None:
    truth = {}
    with open(truth_path, encoding="utf-8") as rows:
        for row in csv.DictReader(rows, delimiter="\t"):
            truth[row["id"]] = (row["story"], row["lang"])
    correct = predicted = unknown = 0
    with open(matches_path, encoding="utf-8") as lines:
        for line in lines:
            query = json.loads(line)
            for match in query["matches"]:
                if match["relation"] != "translation" or match["id"] == query["id"]:
                    continue
                if match["id"] not in truth or query["id"] not in truth:
                    unknown += 1
                    continue
                predicted += 1
                correct += truth[match["id"]][0] == truth[query["id"]][0]
    languages_by_story = {}
    for story, lang in truth.values():
        languages_by_story.setdefault(story, []).append(lang)
    expected = sum(1 for langs in languages_by_story.values() for a in langs for b in langs if a != b)
    precision = correct / predicted if predicted else 0.0
    recall = correct / expected if expected else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    print(f"index translations P {precision:.4f} R {recall:.4f} F1 {f1:.4f} "
          f"({correct} of {predicted} found, {expected} expected, both directions"
          + (f"; {unknown} matches of unknown ids" if unknown else "") + ")")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
