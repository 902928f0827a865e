#!/usr/bin/env bash
# Refits the translation decision model on a labelled corpus, writes it to
# fixtures/models/translation_model.json and puts the same numbers in
# src/score/translation_model.cpp (a test keeps the two equal); rebuild afterwards.
#   tools/fit_model.sh BUILD_DIR DOCS.jsonl TRUTH.tsv
set -euo pipefail
build=${1:?build folder}; docs=${2:?docs.jsonl}; truth=${3:?truth.tsv}
here=$(cd "$(dirname "$0")/.." && pwd)
candidates=$(mktemp)
trap 'rm -f "$candidates"' EXIT
"$build/tools/dump_translation_candidates" "$docs" "$truth" > "$candidates"
/usr/bin/python3 "$here/tools/fit_translation_model.py" "$candidates" > "$here/fixtures/models/translation_model.json"
/usr/bin/python3 - "$here" <<'PY'
import json, re, sys
here = sys.argv[1]
model = json.load(open(f"{here}/fixtures/models/translation_model.json"))
path = f"{here}/src/score/translation_model.cpp"
source = open(path).read()
weights = ", ".join(repr(w) for w in model["weights"])
source = re.sub(r"static const TranslationModel model\{\{.*?\}, .*?\};",
                f"static const TranslationModel model{{{{{weights}}}, {model['bias']!r}, {model['support_weight']!r}}};", source)
open(path, "w").write(source)
PY
cat "$here/fixtures/models/translation_model.json"
