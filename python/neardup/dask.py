"""neardup's pairs, dedup and cluster on a Dask cluster, with the C++ engine doing the work.

    python3 -m neardup.dask dedup|pairs|cluster INPUT... -o OUT_DIR [--scheduler ADDRESS]

Outputs are shards in the command's formats (OUT_DIR/kept-*.jsonl, removed-*.jsonl, pairs-*.jsonl,
clusters-*.jsonl); the shards of one kind, concatenated in name order, are what `neardup` writes.
OUT_DIR and the inputs must be on a filesystem that the workers share with this client.

What runs where:
  1. map, per partition (a byte range of a JSON Lines file, or a text file or folder): read, and
     count the lines short enough to be boilerplate;
  2. reduce: the counts summed (boilerplate = short lines that recur across stories) and sent to
     every worker; duplicate ids across partitions found from the ids;
  3. map: sketch every document given the boilerplate (normalise, shingle, MinHash, LSH band
     keys and, for translations, script, language, transliteration and phonetic grams and
     anchors per sentence);
  4. shuffle by band key and exact-text hash into candidate pairs; a second shuffle sends each
     candidate with its first document's shingles to the partition of its second, where Jaccard
     is computed exactly, as the command verifies;
  5. on one worker, over compact data only (pairs, per-document ids, languages, titles, headlines and, for
     translations, the features of each duplicate group's representative, and of its other
     members to align their pairs; never texts): dedup's
     greedy choice, the translation model (background per language pair, story support,
     one-to-one linking), the story clustering; outputs written as shards.
"""
import argparse
import operator
import os
import sys
import time

import numpy as np
from dask.sizeof import sizeof

import neardup

JSONL_SUFFIXES = (".jsonl", ".ndjson", ".json")


@sizeof.register(neardup.Batch)
def _batch_size(batch):
    # Without it Dask counts the documents held in C++ as unmanaged memory, which it cannot spill.
    return batch.nbytes

SHARD_LINES = 100_000


# ---- partitions -----------------------------------------------------------------------------

def plan_partitions(inputs, chunk_bytes):
    """(kind, path, begin, end, first_line) for each partition, in input order."""
    parts = []
    for path in inputs:
        if path == "-":
            raise neardup.Error("standard input cannot be distributed: give files")
        if not (os.path.isfile(path) and path.lower().endswith(JSONL_SUFFIXES)) or _compressed(path):
            parts.append(("paths", path, 0, 0, 0))
            continue
        size = os.path.getsize(path)
        with open(path, "rb") as f:
            begin, line = 0, 1
            while True:
                f.seek(begin)
                data = f.read(chunk_bytes)
                end = begin + len(data)
                if end < size:
                    rest = f.readline()
                    data += rest
                    end += len(rest)
                parts.append(("jsonl", path, begin, end, line))
                line += data.count(b"\n")
                begin = end
                if begin >= size:
                    break
    return parts


def _compressed(path):
    # gzip or zstd by their magic bytes, as the engine tells them: such a file is read whole,
    # as one partition, since it cannot be cut at byte offsets.
    with open(path, "rb") as f:
        head = f.read(4)
    return head.startswith(b"\x1f\x8b") or head == b"\x28\xb5\x2f\xfd"


def read_part(part, reading):
    """reading: the keyword arguments of neardup.read (on_error, the field names, keep_lines)."""
    kind, path, begin, end, first_line = part
    if kind == "paths":
        return neardup.read([path], **reading)
    return neardup.read_jsonl_range(path, begin, end, first_line, **reading)


def batch_ids(batch):
    return batch.ids, batch.rejected, batch.warnings


def batch_locations(batch):
    return batch.locations


def drop_rows(batch, rows):
    return batch.without(rows)


# Functions of the module cannot be pickled to the workers; these Python functions can.
def line_counts(batch):
    return neardup.line_counts(batch)


def deduplicate(dup, lengths, keep):
    return neardup.deduplicate(*dup, lengths, keep)


def sum_counts(*pieces):
    return neardup.merge_line_counts(*(np.concatenate([piece[k] for piece in pieces]) for k in range(3)))


def recurring(counted):
    return neardup.boilerplate(*counted)


def sketch_part(batch, boilerplate, first, features, options):
    return neardup.sketch(batch, boilerplate, first, features=features, **options)


# ---- the shuffle: band keys -> candidate pairs -> verified pairs ----------------------------

EXACT_BAND = np.uint32(0xFFFFFFFF)


def route_keys(sketched, first, buckets):
    """Band keys and exact-text hashes, cut into buckets by key."""
    n = len(sketched["exact_hash"])
    keys = np.concatenate([sketched["band_key"], sketched["exact_hash"]])
    bands = np.concatenate([sketched["band"], np.full(n, EXACT_BAND, dtype=np.uint32)])
    docs = np.concatenate([sketched["band_doc"], np.arange(first, first + n, dtype=np.uint32)])
    target = keys % np.uint64(buckets)
    return [(keys[target == j], bands[target == j], docs[target == j]) for j in range(buckets)]


def owner_of(docs, starts):
    return np.searchsorted(starts, docs, side="right") - 1


def reduce_keys(pieces, starts):
    """Exact pairs, and the candidate pairs cut by the partition of their first document."""
    keys = np.concatenate([p[0] for p in pieces])
    bands = np.concatenate([p[1] for p in pieces])
    docs = np.concatenate([p[2] for p in pieces])
    exact = bands == EXACT_BAND
    exact_a, exact_b = neardup.key_pairs(keys[exact], docs[exact])
    a, b = neardup.key_pairs(keys[~exact], docs[~exact], bands[~exact])
    owner = owner_of(a, starts)
    return (exact_a, exact_b), [(a[owner == m], b[owner == m]) for m in range(len(starts))]


def take_rows(offsets, values, rows):
    """Rows of a CSR list (offsets, values), as a new CSR list."""
    starts, ends = offsets[rows], offsets[rows + 1]
    lengths = (ends - starts).astype(np.int64)
    new_offsets = np.zeros(len(rows) + 1, dtype=np.uint64)
    np.cumsum(lengths, out=new_offsets[1:])
    index = np.repeat(starts.astype(np.int64) - new_offsets[:-1].astype(np.int64), lengths) + np.arange(int(new_offsets[-1]))
    return new_offsets, values[index]


def attach_shingles(pieces, sketched, first, starts):
    """The candidates of this partition's documents, cut by the partition of their second
    document, with the shingles of their first documents: once per document and partition, not
    once per pair (documents of one story pair with many)."""
    a = np.concatenate([p[0] for p in pieces]).astype(np.uint64)
    b = np.concatenate([p[1] for p in pieces]).astype(np.uint64)
    both = np.unique((a << np.uint64(32)) | b)
    a = (both >> np.uint64(32)).astype(np.uint32)
    b = (both & np.uint64(0xFFFFFFFF)).astype(np.uint32)
    owner = owner_of(b, starts)
    out = []
    for m in range(len(starts)):
        mine = owner == m
        documents, which = np.unique(a[mine], return_inverse=True)
        rows = documents.astype(np.int64) - first
        offsets, values = take_rows(sketched["shingle_offsets"], sketched["shingles"], rows)
        _, sentences = take_rows(sketched["shingle_offsets"], sketched["shingle_sentences"], rows)
        out.append((documents, sketched["exact_hash"][rows], offsets, values, sentences, which.astype(np.uint32), b[mine]))
    return out


def verify(pieces, sketched, first, threshold, measure):
    """Near-duplicate pairs, as the command decides them (neardup.near_duplicate_scores), texts not identical."""
    found = []
    for documents, exact_hashes, offsets, values, sentences, which, b in pieces:
        rows_b = b.astype(np.int64) - first
        differ = exact_hashes[which] != sketched["exact_hash"][rows_b]
        j = np.zeros(len(b))
        if differ.any():
            j[differ] = neardup.near_duplicate_scores(offsets, values, sentences, which[differ], sketched["shingle_offsets"],
                                                      sketched["shingles"], sketched["shingle_sentences"],
                                                      rows_b[differ].astype(np.uint32), threshold, measure)
        keep = j > 0
        found.append((documents[which[keep]], b[keep], j[keep]))
    return (np.concatenate([f[0] for f in found]), np.concatenate([f[1] for f in found]),
            np.concatenate([f[2] for f in found]))


def duplicate_pairs(exact, near):
    """All duplicate pairs (a, b, exact, score), sorted by (a, b)."""
    a = np.concatenate([e[0] for e in exact] + [n[0] for n in near]).astype(np.uint32)
    b = np.concatenate([e[1] for e in exact] + [n[1] for n in near]).astype(np.uint32)
    is_exact = np.concatenate([np.ones(len(e[0]), np.uint8) for e in exact] + [np.zeros(len(n[0]), np.uint8) for n in near])
    score = np.concatenate([np.ones(len(e[0])) for e in exact] + [n[2] for n in near])
    order = np.lexsort((b, a))
    return a[order], b[order], is_exact[order], score[order]


# ---- one worker: dedup, translations, clusters ----------------------------------------------

def group_roots(n, dup):
    """Each document's duplicate group, named by its first member (as the command's corpus groups them)."""
    return neardup.group_roots(n, dup[0], dup[1])


def select_features(sketched, roots, first, size, representatives):
    """The translation features of this partition's representatives (or of the other documents of
    the groups, with representatives=False), with their global indices and their groups'."""
    own = roots[first:first + size] == np.arange(first, first + size, dtype=np.uint32)
    rows = np.nonzero(own if representatives else ~own)[0]
    sentence_offsets, sentences = take_rows(sketched["sentence_offsets"], np.arange(len(sketched["span_begin"])), rows)
    gram_offsets, grams = take_rows(sketched["gram_offsets"], sketched["grams"], sentences)
    anchor_offsets, anchors = take_rows(sketched["anchor_offsets"], sketched["anchors"], sentences)
    return {"global": (rows + first).astype(np.uint32), "root": roots[rows + first],
            "lang": [sketched["lang"][r] for r in rows], "script_id": sketched["script_id"][rows],
            "sentence_offsets": sentence_offsets, "span_begin": sketched["span_begin"][sentences],
            "span_end": sketched["span_end"][sentences], "gram_offsets": gram_offsets, "grams": grams,
            "anchor_offsets": anchor_offsets, "anchors": anchors}


def concatenate_features(selected):
    """The partitions' selected features as one set, in partition order."""
    features = {"lang": [lang for s in selected for lang in s["lang"]]}
    for name in ("global", "root", "script_id", "span_begin", "span_end", "grams", "anchors"):
        features[name] = np.concatenate([s[name] for s in selected])
    for offsets, values in (("sentence_offsets", "span_begin"), ("gram_offsets", "grams"), ("anchor_offsets", "anchors")):
        base, parts = 0, [np.zeros(1, np.uint64)]
        for s in selected:
            parts.append(s[offsets][1:] + np.uint64(base))
            base += len(s[values])
        features[offsets] = np.concatenate(parts)
    return features


def translations(representatives, members, one_to_one, threshold):
    reps, others = concatenate_features(representatives), concatenate_features(members)
    return neardup.score_translations(reps["global"], reps, one_to_one, threshold, members=others["global"],
                                      member_of=others["root"], member_features=others)


def spellings(batch, links, first, boilerplate):
    """The spellings of the anchors of this partition's documents that a link cites."""
    cited = np.unique(links["pair_a"])
    rows = cited[(cited >= first) & (cited < first + len(batch))] - np.uint32(first)
    return neardup.anchor_spellings(batch, rows.astype(np.uint32), first, boilerplate)


def write_shards(out_dir, name, text):
    """Lines of text as OUT_DIR/name-00000.jsonl, ... (at least one shard, maybe empty)."""
    lines = text.splitlines(keepends=True)
    written = 0
    for shard, start in enumerate(range(0, max(len(lines), 1), SHARD_LINES)):
        write_file(os.path.join(out_dir, f"{name}-{shard:05d}.jsonl"), b"".join(lines[start:start + SHARD_LINES]))
        written += 1
    return written


def write_file(path, data):
    temporary = path + ".tmp"
    with open(temporary, "wb") as f:
        f.write(data)
    os.replace(temporary, path)


def write_corpus_outputs(out_dir, command, meta, dup, links, cited):
    ids = [i for m in meta for i in m[0]]
    langs = [lang for m in meta for lang in m[1]]
    titles = [t for m in meta for t in m[2]]
    scripts = [script for m in meta for script in m[3]]
    headlines = [headline for m in meta for headline in m[4]]
    spelled = {}
    for part in cited:
        spelled.update(part)
    corpus = neardup.assemble(ids, langs, titles, *dup, links=links, spellings=spelled, scripts=scripts,
                              headlines=headlines)
    text = corpus.pairs_jsonl() if command == "pairs" else corpus.clusters_jsonl()
    exact = int(dup[2].sum())
    counts = {"exact": exact, "near": len(dup[2]) - exact, "translation": len(corpus) - len(dup[2])}
    counts["shards"] = write_shards(out_dir, command if command == "pairs" else "clusters", text)
    return counts


def sketch_meta(sketched, batch):
    return batch.ids, sketched["lang"], sketched["title"], sketched["script"], sketched["headline"]


def write_kept(out_dir, index, batch, removed_rows):
    keep = np.setdiff1d(np.arange(len(batch), dtype=np.uint32), np.asarray(removed_rows, dtype=np.uint32))
    write_file(os.path.join(out_dir, f"kept-{index:05d}.jsonl"), neardup.kept_jsonl(batch, keep))
    return len(keep)


def text_bytes(sketched):
    return sketched["text_bytes"]


def pick(value, *path):
    for key in path:
        value = value[key]
    return value


# ---- the driver -----------------------------------------------------------------------------

def run(client, command, inputs, out_dir, *, threshold=0.5, measure="containment", many=False, keep="first", on_error="fail",
        chunk_bytes=32 << 20, quiet=False, text_field="text", id_field="id", lang_field="lang"):
    """Runs `command` on a Dask client; returns a summary dict. Raises neardup.Error on bad input.

    Fields are named as for the command (--text-field ...); dedup keeps each input line, to write
    kept lines unchanged."""
    os.makedirs(out_dir, exist_ok=True)
    for name in os.listdir(out_dir):
        if name.endswith(".jsonl") and name.split("-")[0] in ("kept", "removed", "pairs", "clusters"):
            os.remove(os.path.join(out_dir, name))
    say = (lambda *a: None) if quiet else (lambda *a: print(*a, file=sys.stderr))
    started = time.time()
    parts = plan_partitions(inputs, chunk_bytes)
    M = len(parts)
    reading = dict(on_error=on_error, text_field=text_field, id_field=id_field, lang_field=lang_field,
                   keep_lines=command == "dedup")
    batches = [client.submit(read_part, p, reading, pure=False) for p in parts]

    # Ids across partitions: the reader checks them within a partition, this across.
    read = client.gather([client.submit(batch_ids, b) for b in batches])
    seen = {}
    rejected = []
    drops = [[] for _ in range(M)]
    for m, (ids, part_rejected, warnings) in enumerate(read):
        rejected += part_rejected
        for source, line, doc_id, message in warnings:
            say(f"warning: {source}:{line}: {message}" if line else f"warning: {source}: {message}")
        for row, doc_id in enumerate(ids):
            first = seen.setdefault(doc_id, (m, row))
            if first != (m, row):
                drops[m].append(row)
    if any(drops):
        involved = sorted({m for m in range(M) if drops[m]} | {seen[read[m][0][r]][0] for m in range(M) for r in drops[m]})
        locations = dict(zip(involved, client.gather([client.submit(batch_locations, batches[m]) for m in involved])))
        for m in range(M):
            for row in drops[m]:
                doc_id = read[m][0][row]
                fm, frow = seen[doc_id]
                source, line = locations[m][row]
                first_source, first_line = locations[fm][frow]
                where = f"{first_source}:{first_line}" if first_line else first_source
                problem = f'duplicate id "{doc_id}" (first used at {where}); give each document its own id'
                if on_error == "fail":
                    raise neardup.InputError(f"{source}:{line}: {problem} (or pass --on-error skip to go on without it)")
                rejected.append((source, line, doc_id, problem))
            if drops[m]:
                batches[m] = client.submit(drop_rows, batches[m], drops[m])
    for source, line, doc_id, reason in rejected:
        say(f"skipped: {source}:{line}: {reason}" if line else f"skipped: {source}: {reason}")
    dropped = [set(rows) for rows in drops]
    ids = [[i for r, i in enumerate(part[0]) if r not in dropped[m]] for m, part in enumerate(read)]
    sizes = np.array([len(i) for i in ids], dtype=np.int64)
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.uint32)
    n = int(sizes.sum())

    # Boilerplate: the short lines of all partitions counted together.
    counted = [client.submit(line_counts, b) for b in batches]
    while len(counted) > 1:
        counted = [client.submit(sum_counts, *counted[i:i + 8]) for i in range(0, len(counted), 8)]
    boilerplate = client.submit(recurring, counted[0])

    features = command != "dedup"
    options = {"threshold": threshold, "measure": measure, "languages": features}
    sketched = [client.submit(sketch_part, batches[m], boilerplate, int(starts[m]), features, options) for m in range(M)]

    R = max(1, min(M, 64))
    routed = [client.submit(route_keys, sketched[m], int(starts[m]), R) for m in range(M)]
    reduced = [client.submit(reduce_keys, [client.submit(pick, routed[m], j) for m in range(M)], starts) for j in range(R)]
    exact = [client.submit(pick, reduced[j], 0) for j in range(R)]
    attached = [client.submit(attach_shingles, [client.submit(pick, reduced[j], 1, m) for j in range(R)], sketched[m],
                              int(starts[m]), starts) for m in range(M)]
    near = [client.submit(verify, [client.submit(pick, attached[k], m) for k in range(M)], sketched[m], int(starts[m]),
                          threshold, measure) for m in range(M)]
    dup = client.submit(duplicate_pairs, exact, near)

    summary = {"documents": n, "rejected": len(rejected), "partitions": M}
    if command == "dedup":
        lengths = client.submit(np.concatenate, [client.submit(text_bytes, s) for s in sketched]) if keep == "longest" \
            else np.zeros(0, np.uint32)
        removed, duplicate_of, exact_flag, score = client.submit(deduplicate, dup, lengths, keep).result()
        all_ids = [i for part in ids for i in part]
        write_shards(out_dir, "removed", neardup.removed_jsonl([all_ids[r] for r in removed.tolist()],
                                                               [all_ids[d] for d in duplicate_of.tolist()], exact_flag, score))
        owner = owner_of(removed, starts)
        kept = client.gather([client.submit(write_kept, out_dir, m, batches[m], removed[owner == m] - starts[m])
                              for m in range(M)])
        summary.update(kept=int(sum(kept)), removed=len(removed))
        say(f"neardup: {n + len(rejected)} read = {summary['kept']} kept + {summary['removed']} removed + "
            f"{len(rejected)} rejected")
    else:
        roots = client.submit(group_roots, n, dup)
        representatives, members = ([client.submit(select_features, sketched[m], roots, int(starts[m]), int(sizes[m]), own)
                                     for m in range(M)] for own in (True, False))
        links = client.submit(translations, representatives, members, not many, 0.0)
        cited = [client.submit(spellings, batches[m], links, int(starts[m]), boilerplate) for m in range(M)] \
            if command == "pairs" else []
        meta = [client.submit(sketch_meta, sketched[m], batches[m]) for m in range(M)]
        counts = client.submit(write_corpus_outputs, out_dir, command, meta, dup, links, cited).result()
        summary.update(counts)
        say(f"neardup: {n} documents read" + (f" ({len(rejected)} rejected)" if rejected else "") +
            f"; pairs: {counts['exact']} exact-duplicate, {counts['near']} near-duplicate, {counts['translation']} translation")
    summary["seconds"] = time.time() - started
    return summary


def make_client(scheduler, workers, threads, memory_limit):
    import logging
    import warnings
    # Debian's tornado warns about its own event loop on Python 3.11: nothing a user can act on.
    warnings.filterwarnings("ignore", category=DeprecationWarning, module="tornado")
    from distributed import Client, LocalCluster
    if scheduler:
        return Client(scheduler), None
    # Bad input reaches the user once, as the command reports it, not also as each worker's log.
    cluster = LocalCluster(n_workers=workers, threads_per_worker=threads, processes=True, memory_limit=memory_limit,
                           dashboard_address=None, silence_logs=logging.CRITICAL)
    return Client(cluster), cluster


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python3 -m neardup.dask",
                                     description="neardup pairs, dedup or cluster on a Dask cluster")
    parser.add_argument("command", choices=["pairs", "dedup", "cluster"])
    parser.add_argument("inputs", nargs="+", metavar="INPUT", help="JSON Lines files (split into partitions), text files, folders")
    parser.add_argument("-o", "--output", required=True, metavar="OUT_DIR", help="folder for the output shards")
    parser.add_argument("--scheduler", help="address of a running dask-scheduler (default: a LocalCluster)")
    parser.add_argument("--workers", type=int, default=2, help="LocalCluster: worker processes (default 2)")
    parser.add_argument("--threads", type=int, default=1, help="LocalCluster: threads per worker (default 1)")
    parser.add_argument("--memory-limit", default="auto", help="LocalCluster: per worker, e.g. 2GB (Dask spills above it)")
    parser.add_argument("--chunk-mb", type=float, default=32, help="JSON Lines partition size in MB (default 32)")
    parser.add_argument("--threshold", type=float, default=0.5, help="near-duplicate: the --measure at least this (default 0.5)")
    parser.add_argument("--measure", choices=["containment", "jaccard"], default="containment",
                        help="near-duplicate measure of the word shingles, as the command's (default containment)")
    parser.add_argument("--many", action="store_true", help="let a document pair with several translations in one language")
    parser.add_argument("--keep", choices=["first", "longest"], default="first")
    parser.add_argument("--on-error", choices=["fail", "skip"], default="fail")
    parser.add_argument("--text-field", default="text", help="JSON Lines: the field holding the text; dotted paths reach into objects")
    parser.add_argument("--id-field", default="id", help="JSON Lines: the field holding the id")
    parser.add_argument("--lang-field", default="lang", help="JSON Lines: the field holding the language, if any")
    parser.add_argument("--quiet", "-q", action="store_true")
    args = parser.parse_args(argv)
    if not 0.0 < args.threshold <= 1.0:
        parser.error("--threshold must be in (0, 1]")
    client, cluster = make_client(args.scheduler, args.workers, args.threads, args.memory_limit)
    try:
        run(client, args.command, args.inputs, args.output, threshold=args.threshold, measure=args.measure, many=args.many, keep=args.keep,
            on_error=args.on_error, chunk_bytes=int(args.chunk_mb * (1 << 20)), quiet=args.quiet,
            text_field=args.text_field, id_field=args.id_field, lang_field=args.lang_field)
    except neardup.Error as error:
        print(f"neardup {args.command}: {error}", file=sys.stderr)
        return 1
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
