#!/usr/bin/python3
"""Opens the HTML report in headless Chromium and checks what the page rendered.

usage: check_report.py NEARDUP_CLI FIXTURES_DIR BUILD_DIR [seeds|served|hostile-hashes|near-duplicate-diff|same-story-diff|export|dev|dev-render-target]

seeds (default): the report of fixtures/seeds, opened at the 001-004 translation. Checks the
  DOM after the page's scripts ran (--dump-dom): 4 clusters, the pair shown as a translation,
  at least three cited anchors in each text (किर्बी and કિર્બી among them), Putin and Kim Jong
  highlighted in both, no console errors, no resources fetched; saves a screenshot to
  BUILD_DIR/report/seeds_report.png.
served: the same page from `neardup serve` over the seeds' saved outputs, which fetches the
  pair's texts and evidence from the server; and what the server refuses (another host name,
  POST, paths outside /detail/, a request head over 16 KB).
hostile-hashes: a report whose ids hold ':', '%' and markup, opened with the page's own
  #pair= link, one with raw ':' typed by hand, and malformed hashes (a lone %, bad ids): the
  pair opens when its ids exist, nothing opens otherwise, and no console errors.
near-duplicate-diff: an edited copy of seed 001 (a header added, a sentence dropped): the pair
  is shown word by word, the header inserted and the sentence deleted.
same-story-diff: a same-story pair of ../shared/data/counter-dev (skipped when absent) shows
  its aligned sentences, and word by word once its toggle is ticked.
export: the four export buttons, clicked by a script added to a copy of the page (which keeps
  the files it would download), first with no filter and then with one language: the JSON Lines
  are the command's clusters and pairs, and the CSV quotes ids with commas and quotes and
  defuses cells a spreadsheet would run as formulas. Then, made with --url-field and a dotted
  --date-field, a cluster opened shows a timeline of its dated members and links ids to their
  web addresses (a javascript: one stays text).
dev: the report of ../shared/data/ntrex-dev/docs.jsonl (skipped when absent), made with
  `neardup report` from saved outputs; checks the DOM dump, opens #cluster=0 and checks that its
  graph has one node per member, and prints how long the page took
  to load and render (data-render-ms, which the page writes at the end of its first render).
dev-render-target: as dev, and fails when that render took 2000 ms or more. A speed target, so
  bench/report_render.sh runs it on a quiet machine; the test suite runs `dev`, which only prints
  the figure, since a loaded CI machine makes any wall-clock limit flaky.

Standard library only; the page reports on itself through data attributes of <body>.
"""
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse

CHROMIUM = "/usr/bin/chromium"
RENDER_TARGET_MS = 2000


def fail(message):
    print("FAIL: " + message)
    sys.exit(1)


def chromium(url, *mode):
    profile = tempfile.mkdtemp(prefix="neardup_chromium_")
    try:
        command = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                   "--disable-background-networking", "--disable-component-update", "--disable-sync",
                   "--hide-scrollbars", "--virtual-time-budget=10000", "--user-data-dir=" + profile, *mode, url]
        result = subprocess.run(command, capture_output=True, timeout=120)
        if result.returncode != 0:
            fail("chromium exited with %d: %s" % (result.returncode, result.stderr.decode(errors="replace")[-2000:]))
        return result.stdout.decode("utf-8", errors="replace")
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def run(command):
    result = subprocess.run(command, capture_output=True)
    if result.returncode != 0:
        fail("%s exited with %d: %s" % (" ".join(command), result.returncode, result.stderr.decode(errors="replace")))


def body_attributes(dom):
    match = re.search(r"<body([^>]*)>", dom)
    if not match:
        fail("no <body> in the DOM dump")
    return dict(re.findall(r'data-([a-z-]+)="([^"]*)"', match.group(1)))


def check_health(attributes):
    for name in ("cluster-count", "render-ms", "console-errors", "external-requests"):
        if name not in attributes:
            fail("the page did not finish its first render: <body> lacks data-%s (got %s)" % (name, attributes))
    if attributes["console-errors"] != "0":
        fail("%s console errors" % attributes["console-errors"])
    if attributes["external-requests"] != "0":
        fail("%s resources fetched; the page must need none" % attributes["external-requests"])


def side_texts(dom):
    """The inner HTML of the two original texts of the evidence shown."""
    texts = {}
    for which, content in re.findall(r'<div class="side" data-side="([ab])">(.*?)(?=<div class="side" data-side=|<div class="legend">)', dom, re.S):
        match = re.search(r'<div class="text original"[^>]*>(.*?)</div>', content, re.S)
        texts[which] = match.group(1) if match else ""
    if set(texts) != {"a", "b"}:
        fail("the pair's two texts are not both in the DOM (found sides %s)" % sorted(texts))
    return texts


def marks(text, cited_only):
    pattern = r'<mark class="anchor cited"[^>]*>([^<]*)</mark>' if cited_only else r'<mark class="anchor[^"]*"[^>]*>([^<]*)</mark>'
    return [html.unescape(word) for word in re.findall(pattern, text)]


def graph_nodes(dom):
    """The ids of the nodes of the cluster graphs drawn in the DOM."""
    return [html.unescape(doc_id) for doc_id in re.findall(r'<g class="node[^"]*" data-doc="([^"]*)"', dom)]


SEEDS_PAIR = "#pair=001_05db9d16e02c2170:004_df53f37349722e31"


def check_seeds_page(dom):
    """The seeds' report opened at the 001-004 translation; returns the page's attributes and
    the cited anchors of each side."""
    attributes = body_attributes(dom)
    check_health(attributes)
    if attributes["cluster-count"] != "4":
        fail("expected 4 clusters, the page counts %s" % attributes["cluster-count"])
    if len(re.findall(r'<li class="cluster card[^"]*" id="cluster-\d+"', dom)) != 4:
        fail("expected 4 cluster cards in the list")
    evidence = re.search(r'<div class="evidence" data-pair="\d+" data-relation="([^"]+)">', dom)
    if not evidence:
        fail("the 001-004 pair's evidence is not shown")
    if evidence.group(1) != "translation":
        fail("the 001-004 pair is shown as %s, not translation" % evidence.group(1))
    if "001_05db9d16e02c2170" not in dom or "004_df53f37349722e31" not in dom:
        fail("the pair's ids are not shown")
    texts = side_texts(dom)
    cited_a, cited_b = marks(texts["a"], True), marks(texts["b"], True)
    if len(cited_a) < 3 or len(cited_b) < 3:
        fail("expected at least 3 cited anchors in each text, got %d and %d" % (len(cited_a), len(cited_b)))
    if "किर्बी" not in cited_a:
        fail("किर्बी is not highlighted in 001 (cited: %s)" % cited_a)
    if not any(word.startswith("કિર્બી") for word in cited_b):
        fail("કિર્બી is not highlighted in 004 (cited: %s)" % cited_b)
    shared_a, shared_b = marks(texts["a"], False), marks(texts["b"], False)
    for a_word, b_word in (("पुतिन", "પુતિન"), ("किम", "કિમ"), ("जोंग", "જોંગ")):
        if a_word not in shared_a or not any(word.startswith(b_word) for word in shared_b):
            fail("%s / %s is not highlighted in both texts" % (a_word, b_word))
    if len(re.findall(r'<span class="sent"', texts["a"])) == 0 or len(re.findall(r'<span class="sent"', texts["b"])) == 0:
        fail("no aligned sentences are marked")
    nodes = graph_nodes(dom)
    if sorted(nodes) != ["001_05db9d16e02c2170", "004_df53f37349722e31"]:
        fail("the opened cluster's graph should have the pair's two documents as nodes, has %s" % nodes)
    if len(re.findall(r'<line class="r2"', dom)) != 1:
        fail("the opened cluster's graph should have one translation edge")
    return attributes, cited_a, cited_b


def check_seeds(cli, fixtures, build):
    out_dir = os.path.join(build, "report")
    os.makedirs(out_dir, exist_ok=True)
    page = os.path.join(out_dir, "seeds.html")
    run([cli, "cluster", "-q", os.path.join(fixtures, "seeds"), "-o", os.path.join(out_dir, "seeds_clusters.jsonl"), "--report", page])
    url = "file://" + page + SEEDS_PAIR
    attributes, cited_a, cited_b = check_seeds_page(chromium(url, "--dump-dom"))

    screenshot = os.path.join(out_dir, "seeds_report.png")
    if os.path.exists(screenshot):
        os.remove(screenshot)
    chromium(url, "--screenshot=" + screenshot, "--window-size=1400,1000")
    if not os.path.exists(screenshot) or os.path.getsize(screenshot) == 0:
        fail("no screenshot was written")
    print("seeds report: 4 clusters; 001-004 translation with %d and %d cited anchors; rendered in %s ms; screenshot %s"
          % (len(cited_a), len(cited_b), attributes["render-ms"], screenshot))


def serve(cli, *arguments):
    """Starts `neardup serve` on a free port; returns the process and the address it printed."""
    process = subprocess.Popen([cli, "serve", "-q", "--port", "0", *arguments], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    address = process.stdout.readline().strip()
    if not re.fullmatch(r"http://127\.0\.0\.1:\d+/", address):
        process.kill()
        fail("neardup serve printed no address (%r): %s" % (address, process.stderr.read()))
    return process, address


def status_of(port, method, path, host=None, extra_headers=()):
    import http.client
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
    connection.putheader("Host", host or "127.0.0.1:%d" % port)
    for name, value in extra_headers:
        connection.putheader(name, value)
    connection.endheaders()
    response = connection.getresponse()
    response.read()
    connection.close()
    return response.status


def check_served(cli, fixtures, build):
    """`neardup serve` over the seeds' saved outputs: the page, which holds no texts, fetches them
    from the server when the 001-004 pair is opened and shows it as the file does; the server
    answers its own host names only, GET and HEAD only, and nothing outside /detail/."""
    out_dir = os.path.join(build, "report")
    os.makedirs(out_dir, exist_ok=True)
    seeds = os.path.join(fixtures, "seeds")
    pairs, clusters = os.path.join(out_dir, "served_pairs.jsonl"), os.path.join(out_dir, "served_clusters.jsonl")
    run([cli, "pairs", "-q", seeds, "-o", pairs])
    run([cli, "cluster", "-q", seeds, "-o", clusters])
    process, address = serve(cli, "--documents", seeds, "--pairs", pairs, "--clusters", clusters)
    try:
        dom = chromium(address + SEEDS_PAIR, "--dump-dom")
        attributes, cited_a, cited_b = check_seeds_page(dom)
        if 'type="application/gzip-base64"' in dom:
            fail("the served page should hold no chunks: the server hands them out")
        port = int(address.rsplit(":", 1)[1].strip("/"))
        for method, path, host, expected in (("GET", "/", None, 200), ("HEAD", "/", None, 200),
                                             ("GET", "/detail/nd-docs-0", "localhost:%d" % port, 200),
                                             ("GET", "/detail/nd-docs-99", None, 404), ("GET", "/../../etc/passwd", None, 404),
                                             ("POST", "/", None, 405), ("GET", "/", "evil.example", 403),
                                             ("GET", "/", "127.0.0.1", 403)):
            got = status_of(port, method, path, host)
            if got != expected:
                fail("%s %s (Host %s) should answer %d, answered %d" % (method, path, host, expected, got))
        if status_of(port, "GET", "/", extra_headers=[("X-Padding", "x" * 20000)]) != 431:
            fail("a request head over 16 KB should be refused with 431")
        if process.poll() is not None:
            fail("the server stopped: %s" % process.stderr.read())
    finally:
        process.terminate()
        process.wait(timeout=10)
    print("served report: the 001-004 translation fetched and shown with %d and %d cited anchors, rendered in %s ms; "
          "9 requests answered as they should" % (len(cited_a), len(cited_b), attributes["render-ms"]))


def check_hostile_hashes(cli, fixtures, build):
    """Ids with ':' and '%' in them, and hashes typed by hand: the page must open the pair however
    its link is written, and a malformed hash must change nothing (it used to throw URIError)."""
    out_dir = os.path.join(build, "report")
    os.makedirs(out_dir, exist_ok=True)
    docs, page = os.path.join(out_dir, "hostile_ids.jsonl"), os.path.join(out_dir, "hostile_ids.html")
    seeds = sorted(os.listdir(os.path.join(fixtures, "seeds")))
    texts = {name[:3]: open(os.path.join(fixtures, "seeds", name), encoding="utf-8").read() for name in seeds}
    ids = {"001": "kirby:hi%", "004": "kirby:gu:2024", "002": "<b>x</b>"}
    with open(docs, "w", encoding="utf-8") as out:
        for number, doc_id in ids.items():
            out.write(json.dumps({"id": doc_id, "text": texts[number], "url": "https://example.org/" + number}) + "\n")
    run([cli, "cluster", "-q", docs, "-o", os.path.join(out_dir, "hostile_ids_clusters.jsonl"), "--report", page])
    quoted = [urllib.parse.quote(ids[n], safe="") for n in ("001", "004")]
    for hash_, expect_pair in (("#pair=%s:%s" % tuple(quoted), True),
                               ("#pair=%s:%s" % (ids["004"], ids["001"]), True),
                               ("#pair=kirby%3Ahi%25:nobody", False),
                               ("#%E0%A4%A", False), ("#pair=%", False), ("#cluster=%zz", False), ("#cluster=99", False)):
        dom = chromium("file://" + page + hash_, "--dump-dom")
        check_health(body_attributes(dom))
        evidence = re.search(r'<div class="evidence" data-pair="\d+" data-relation="([^"]+)">', dom)
        if expect_pair and (not evidence or evidence.group(1) != "translation"):
            fail("%s did not open the translation pair" % hash_)
        if not expect_pair and evidence:
            fail("%s opened a pair" % hash_)
        if "<b>x</b>" in dom:
            fail("an id was written into the page as HTML")
    print("hostile hashes: 7 links, ids with ':', '%%' and markup; no console errors")


def check_near_duplicate_diff(cli, fixtures, build):
    """A near-duplicate pair is shown word by word: an edited copy of seed 001 with a header line
    added and one sentence dropped shows the header as inserted and the sentence as deleted."""
    out_dir = os.path.join(build, "report")
    os.makedirs(out_dir, exist_ok=True)
    docs, page = os.path.join(out_dir, "near_duplicates.jsonl"), os.path.join(out_dir, "near_duplicates.html")
    original = open(os.path.join(fixtures, "seeds", "001_05db9d16e02c2170.txt"), encoding="utf-8").read()
    first = original.index("। ", 300) + 2
    second = original.index("। ", first) + 2
    dropped = original[first:second]
    edited = "Back to top button\n" + original[:first] + original[second:]
    with open(docs, "w", encoding="utf-8") as out:
        out.write(json.dumps({"id": "original", "text": original}) + "\n")
        out.write(json.dumps({"id": "edited", "text": edited}) + "\n")
    run([cli, "cluster", "-q", docs, "-o", os.path.join(out_dir, "near_duplicates_clusters.jsonl"), "--report", page])
    dom = chromium("file://" + page + "#pair=original:edited", "--dump-dom")
    check_health(body_attributes(dom))
    evidence = re.search(r'<div class="evidence" data-pair="\d+" data-relation="([^"]+)">', dom)
    if not evidence or evidence.group(1) != "near-duplicate":
        fail("the edited copy is not shown as a near-duplicate (%s)" % (evidence.group(1) if evidence else "no pair shown"))
    texts = side_texts(dom)
    deleted = [html.unescape(w) for w in re.findall(r'<del class="diff">([^<]*)</del>', texts["a"])]
    inserted = [html.unescape(w) for w in re.findall(r'<ins class="diff">([^<]*)</ins>', texts["b"])]
    if re.search(r'<ins class="diff">', texts["a"]) or re.search(r'<del class="diff">', texts["b"]):
        fail("a's text should only lose words and b's only gain them")
    if [w for w in inserted if w in ("Back", "to", "top", "button\n", "button")] == [] or len(inserted) > 8:
        fail("the added header should be the inserted words, got %s" % inserted)
    if len(deleted) != len(dropped.split()) or not all(w in dropped for w in deleted):
        fail("the dropped sentence (%d words) should be the deleted words, got %s" % (len(dropped.split()), deleted))
    print("near-duplicate diff: %d words inserted, %d deleted (the dropped sentence)" % (len(inserted), len(deleted)))


# Added after the page's own script: it keeps what the export buttons would download, clicks
# them with no filter and then with the Gujarati filter, and writes the files into the DOM.
EXPORT_HARNESS = """<script>
(function () {
  // Synchronous, so that the DOM dump cannot come before it: reading a Blob back is asynchronous.
  const RealBlob = window.Blob, files = {};
  let parts = null, view = "";
  window.Blob = function (given, options) { parts = given; return new RealBlob(given, options); };
  URL.createObjectURL = () => "blob:kept";
  HTMLAnchorElement.prototype.click = function () { files[view + "/" + this.download] = parts.join(""); };
  for (const lang of ["", "guj_Gujr"]) {
    view = lang || "all";
    const select = document.getElementById("filter-lang");
    select.value = lang;
    select.dispatchEvent(new Event("change"));
    for (const button of document.querySelectorAll("[data-export]")) button.click();
  }
  const out = document.createElement("pre");
  out.id = "exported";
  out.textContent = JSON.stringify(files);
  document.body.appendChild(out);
})();
</script>
"""


def check_export(cli, fixtures, build):
    """What the export buttons write: the command's formats, and CSV a spreadsheet can open safely."""
    import csv
    import io
    out_dir = os.path.join(build, "report")
    os.makedirs(out_dir, exist_ok=True)
    docs, page = os.path.join(out_dir, "export.jsonl"), os.path.join(out_dir, "export.html")
    clusters, pairs = os.path.join(out_dir, "export_clusters.jsonl"), os.path.join(out_dir, "export_pairs.jsonl")
    seeds = sorted(os.listdir(os.path.join(fixtures, "seeds")))
    texts = {name[:3]: open(os.path.join(fixtures, "seeds", name), encoding="utf-8").read() for name in seeds}
    formula = "=HYPERLINK(\"http://example.invalid\", \"click here now\")"
    ids = {"000": "plain", "001": "kirby:hi%", "004": 'kirby,"gu"', "002": "<b>x</b>", "003": "=cmd|' /C calc'!A0"}
    texts["003"] = formula + "\n" + texts["003"]
    urls = {number: "https://example.org/" + number for number in ids}
    urls["004"] = "javascript:alert(1)"
    dates = {"001": "2023-09-06T10:00:00Z", "004": "2023-09-08"}
    with open(docs, "w", encoding="utf-8") as out:
        for number, doc_id in ids.items():
            fields = {"id": doc_id, "text": texts[number], "link": urls[number]}
            if number in dates:
                fields["meta"] = {"published": dates[number], "source": "seeds"}
            out.write(json.dumps(fields) + "\n")
    run([cli, "cluster", "-q", docs, "-o", clusters, "--report", page, "--url-field", "link", "--date-field", "meta.published"])
    run([cli, "pairs", "-q", docs, "-o", pairs])
    harnessed = os.path.join(out_dir, "export_harnessed.html")
    with open(page, encoding="utf-8") as source, open(harnessed, "w", encoding="utf-8") as out:
        out.write(source.read().replace("</body>", EXPORT_HARNESS + "</body>"))
    dom = chromium("file://" + harnessed, "--dump-dom")
    check_health(body_attributes(dom))
    match = re.search(r'<pre id="exported">(.*?)</pre>', dom, re.S)
    if not match:
        fail("the export harness wrote nothing: the buttons did not download")
    files = json.loads(html.unescape(match.group(1)))
    expected = ["%s/neardup-%s" % (view, name) for view in ("all", "guj_Gujr")
                for name in ("clusters.csv", "clusters.jsonl", "pairs.csv", "pairs.jsonl")]
    if sorted(files) != sorted(expected):
        fail("expected the files %s, got %s" % (expected, sorted(files)))

    lines = lambda text: [json.loads(line) for line in text.splitlines() if line]
    command_clusters = lines(open(clusters, encoding="utf-8").read())
    if lines(files["all/neardup-clusters.jsonl"]) != sorted(command_clusters, key=lambda c: (-c["size"], c["cluster"])):
        fail("the clusters exported with no filter are not the command's, largest first")
    pair = {k: v for k, v in lines(open(pairs, encoding="utf-8").read())[0].items() if k != "evidence"}
    pair["score"] = round(pair["score"], 4)
    if lines(files["guj_Gujr/neardup-pairs.jsonl"]) != [pair]:
        fail("with the Gujarati filter the pairs export should be the one translation %s, got %s" % (pair, files["guj_Gujr/neardup-pairs.jsonl"]))
    gujarati = [c for c in command_clusters if ids["004"] in c["members"]]
    if lines(files["guj_Gujr/neardup-clusters.jsonl"]) != gujarati:
        fail("with the Gujarati filter the clusters export should be the 001-004 cluster alone")

    rows = list(csv.reader(io.StringIO(files["all/neardup-clusters.csv"], newline="")))
    if rows[0] != ["cluster", "title", "id", "lang", "relation_to_representative", "score"] or len(rows) != 1 + len(ids):
        fail("the clusters CSV should have its header and one row per document, got %d rows" % len(rows))
    by_id = {row[2]: row for row in rows[1:]}
    if ids["004"] not in by_id or "<b>x</b>" not in by_id:
        fail("ids with commas, quotes and markup should come back whole from the CSV, got %s" % sorted(by_id))
    defused = "'" + ids["003"]
    if defused not in by_id or by_id[defused][1] != "'" + formula:
        fail("a cell starting with = should be written after a ', got %s" % [row[1:3] for row in rows[1:]])
    pair_rows = list(csv.reader(io.StringIO(files["guj_Gujr/neardup-pairs.csv"], newline="")))
    if [row[:3] for row in pair_rows[1:]] != [[pair["a"], pair["b"], "translation"]]:
        fail("the pairs CSV with the Gujarati filter should hold the translation, got %s" % pair_rows)

    # The input's url and date fields: a link on each id that is a web address, a date column,
    # and a timeline of the dated members.
    number = next(c["cluster"] for c in command_clusters if ids["004"] in c["members"])
    dom = chromium("file://" + page + "#cluster=%d" % number, "--dump-dom")
    check_health(body_attributes(dom))
    dom = re.sub(r"<script.*?</script>", "", dom, flags=re.S)  # the page's own code holds these patterns too
    timeline = re.search(r'<svg class="timeline"[^>]*data-dated="(\d+)"', dom)
    if not timeline or timeline.group(1) != "2":
        fail("#cluster=%d should draw a timeline of its 2 dated members" % number)
    dated = [html.unescape(d) for d in re.findall(r'<circle class="dated" data-doc="([^"]*)"', dom)]
    if sorted(dated) != sorted([ids["001"], ids["004"]]):
        fail("the timeline should place %s, placed %s" % ([ids["001"], ids["004"]], dated))
    if "2023-09-06" not in dom or "2023-09-08" not in dom:
        fail("the timeline and the date column should show both dates")
    if '<a href="https://example.org/001"' not in dom:
        fail("the id of a document with a web address should link to it")
    if 'href="javascript:' in dom:
        fail("a javascript: url became a link")
    print("export: 8 files from 4 buttons in 2 views; JSON Lines equal the command's; CSV quoted and formulas defused; "
          "a timeline of 2 dated members, links only to web addresses")


# Added after the page's own script: once the opened same-story pair is shown, ticks its "word
# by word" toggle.
DIFF_TOGGLE_HARNESS = """<script>
const waiting = setInterval(() => {
  const toggle = document.querySelector(".diff-toggle");
  if (!toggle) return;
  clearInterval(waiting);
  toggle.checked = true;
  toggle.dispatchEvent(new Event("change"));
  document.body.dataset.toggled = "yes";
}, 50);
</script>
"""


def dev_corpus(fixtures, build, corpus):
    """The docs.jsonl of a corpus in ../shared/data and the folder for the pages made of it; (None,
    None), said as a skip, when the corpus is absent."""
    docs = os.path.normpath(os.path.join(fixtures, "..", "..", "shared", "data", corpus, "docs.jsonl"))
    if not os.path.exists(docs):
        print("SKIPPED: %s is absent" % docs)
        return None, None
    out_dir = os.path.join(build, "report")
    os.makedirs(out_dir, exist_ok=True)
    return docs, out_dir


def check_same_story_diff(cli, fixtures, build):
    """A same-story pair of counter-dev (Urdu agency copy and a paper's rewrite) shows its aligned
    sentences, and word by word once its toggle is ticked."""
    docs, out_dir = dev_corpus(fixtures, build, "counter-dev")
    if docs is None:
        return
    pairs, page = os.path.join(out_dir, "story_pairs.jsonl"), os.path.join(out_dir, "story.html")
    run([cli, "pairs", "-q", docs, "-o", pairs])
    run([cli, "cluster", "-q", docs, "-o", os.path.join(out_dir, "story_clusters.jsonl"), "--report", page])
    story = next((line for line in map(json.loads, open(pairs, encoding="utf-8")) if line["relation"] == "same-story"), None)
    if story is None:
        fail("counter-dev should have same-story pairs")
    link = "#pair=%s:%s" % (urllib.parse.quote(story["a"], safe=""), urllib.parse.quote(story["b"], safe=""))
    dom = chromium("file://" + page + link, "--dump-dom")
    check_health(body_attributes(dom))
    if not re.search(r'<div class="evidence" data-pair="\d+" data-relation="same story">', dom):
        fail("the same-story pair %s is not shown" % link)
    if not re.search(r'<span class="sent"', side_texts(dom)["a"]) or re.search(r'class="diff"', dom.split("<script")[0]):
        fail("opened, the pair should show its aligned sentences and no diff")
    harnessed = os.path.join(out_dir, "story_harnessed.html")
    with open(page, encoding="utf-8") as source, open(harnessed, "w", encoding="utf-8") as out:
        out.write(source.read().replace("</body>", DIFF_TOGGLE_HARNESS + "</body>"))
    dom = chromium("file://" + harnessed + link, "--dump-dom")
    attributes = body_attributes(dom)
    check_health(attributes)
    if attributes.get("toggled") != "yes":
        fail("the same-story pair has no word-by-word toggle")
    texts = side_texts(dom)
    deleted, inserted = len(re.findall(r'<del class="diff">', texts["a"])), len(re.findall(r'<ins class="diff">', texts["b"]))
    if deleted + inserted == 0 or re.search(r'<span class="sent"', texts["a"]):
        fail("ticked, the pair should be shown word by word (%d deleted, %d inserted)" % (deleted, inserted))
    print("same-story diff: %s ~ %s, %d words only in a and %d only in b" % (story["a"], story["b"], deleted, inserted))


def check_dev(cli, fixtures, build, enforce_render_target=False):
    docs, out_dir = dev_corpus(fixtures, build, "ntrex-dev")
    if docs is None:
        return
    pairs, clusters, page = (os.path.join(out_dir, name) for name in ("dev_pairs.jsonl", "dev_clusters.jsonl", "dev.html"))
    run([cli, "pairs", "-q", docs, "-o", pairs])
    run([cli, "cluster", "-q", docs, "-o", clusters])
    run([cli, "report", "--documents", docs, "--pairs", pairs, "--clusters", clusters, "--report", page])
    expected_clusters = sum(1 for line in open(clusters, encoding="utf-8") if line.strip())
    started = time.monotonic()
    dom = chromium("file://" + page, "--dump-dom")
    wall_ms = (time.monotonic() - started) * 1000
    attributes = body_attributes(dom)
    check_health(attributes)
    if attributes["cluster-count"] != str(expected_clusters):
        fail("expected %d clusters, the page counts %s" % (expected_clusters, attributes["cluster-count"]))
    cards = len(re.findall(r'<li class="cluster card[^"]*" id="cluster-\d+"', dom))
    if cards != min(50, expected_clusters):
        fail("expected the first page of %d clusters, found %d cards" % (min(50, expected_clusters), cards))
    translation_cells = len(re.findall(r'<text class="count"', dom))
    if translation_cells < 14 * 13:
        fail("the language matrix should write the count in each of its 182 cells of translations, wrote %d" % translation_cells)
    first_cluster = json.loads(open(clusters, encoding="utf-8").readline())
    cluster_dom = chromium("file://" + page + "#cluster=0", "--dump-dom")
    check_health(body_attributes(cluster_dom))
    nodes = graph_nodes(cluster_dom)
    whole = first_cluster["size"] <= 60
    if (sorted(nodes) != sorted(first_cluster["members"])) if whole else (len(set(nodes)) != 60):
        fail("#cluster=0 should draw a graph with one node per member (%d), drew %d" % (first_cluster["size"], len(nodes)))
    render_ms = int(attributes["render-ms"])
    print("dev report: %d clusters, %.1f MB; first render %d ms after navigation start (target < %d ms); "
          "chromium start to DOM dump %.0f ms" % (expected_clusters, os.path.getsize(page) / 1e6, render_ms, RENDER_TARGET_MS, wall_ms))
    if enforce_render_target and render_ms >= RENDER_TARGET_MS:
        fail("the page took %d ms to render, more than %d" % (render_ms, RENDER_TARGET_MS))


def main():
    if len(sys.argv) not in (4, 5):
        print(__doc__)
        sys.exit(2)
    cli, fixtures, build = (os.path.abspath(arg) for arg in sys.argv[1:4])
    mode = sys.argv[4] if len(sys.argv) == 5 else "seeds"
    if not os.access(CHROMIUM, os.X_OK):
        fail("%s is missing: install it with `apt-get install chromium` (tools/install_deps.sh does)" % CHROMIUM)
    checks = {"seeds": check_seeds, "dev": check_dev, "hostile-hashes": check_hostile_hashes,
              "near-duplicate-diff": check_near_duplicate_diff, "export": check_export, "served": check_served,
              "same-story-diff": check_same_story_diff,
              "dev-render-target": lambda *args: check_dev(*args, enforce_render_target=True)}
    if mode not in checks:
        fail("unknown mode %r: expected one of %s" % (mode, ", ".join(checks)))
    checks[mode](cli, fixtures, build)


if __name__ == "__main__":
    main()
