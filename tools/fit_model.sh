#!/usr/bin/env bash
# Refits a decision model on labelled corpora, writes it to fixtures/models/KIND_model.json and
# puts the same numbers in src/score/translation_model.cpp (a test keeps the two equal); rebuild
# afterwards.
#   tools/fit_model.sh BUILD_DIR translation DOCS.jsonl TRUTH.tsv
#   tools/fit_model.sh BUILD_DIR same-story DOCS.jsonl TRUTH.tsv [DOCS.jsonl TRUTH.tsv ...]
#   tools/fit_model.sh BUILD_DIR index-translation DOCS.jsonl TRUTH.tsv [...]   (the persistent index's)
# Each corpus weighs the same in the fit, whatever its size. The translation models are fitted on
# ntrex-dev, ntrex-world-dev, wmt24-dev and a generated corpus (../shared/tools/scale_corpus.py),
# the same-story model on the four dev corpora: each holds another kind of version (line-by-line
# news translation, regional editions, reuse, two translators, posts and transcripts) and of
# look-alike (stories on one topic, stock lines shared by unrelated stories). docs/quality.md
# gives the commands and what each fit changed.
set -euo pipefail
build=${1:?build folder}; kind=${2:?translation or same-story}; shift 2
[ $# -ge 2 ] && [ $(($# % 2)) -eq 0 ] || { echo "give DOCS.jsonl TRUTH.tsv pairs" >&2; exit 2; }
case $kind in
  translation) json=translation_model.json; function=translation; flags=() ;;
  same-story) json=same_story_model.json; function=same_story; flags=(--same-story) ;;
  index-translation) json=index_translation_model.json; function=index_translation; flags=(--index) ;;
  *) echo "unknown kind $kind: translation, same-story or index-translation" >&2; exit 2 ;;
esac
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fitted_on=""
candidates=()
while [ $# -gt 0 ]; do
  candidates+=("$work/${#candidates[@]}.tsv")
  "$build/tools/dump_translation_candidates" "$1" "$2" "${kind#index-}" > "${candidates[-1]}"
  fitted_on+="${fitted_on:+, }$(basename "$(dirname "$1")")"
  shift 2
done
/usr/bin/python3 "$here/tools/fit_translation_model.py" "${candidates[@]}" "${flags[@]}" \
  --fitted-on "$fitted_on (shared/data): docs.jsonl with truth.tsv" > "$here/fixtures/models/$json"
/usr/bin/python3 - "$here" "$json" "$function" <<'PY'
import json, re, sys
here, name, function = sys.argv[1:]
model = json.load(open(f"{here}/fixtures/models/{name}"))
path = f"{here}/src/score/translation_model.cpp"
source = open(path).read()
weights = ", ".join(repr(w) for w in model["weights"])
pattern = r"(PairModel::" + function + r"\(\) \{\n  static const PairModel model)\{\{.*?\}, .*?\};"
source, count = re.subn(pattern, lambda m: f"{m.group(1)}{{{{{weights}}}, {model['bias']!r}, {model['support_weight']!r}}};", source)
assert count == 1, f"PairModel::{function}() not found in {path}"
open(path, "w").write(source)
PY
cat "$here/fixtures/models/$json"
