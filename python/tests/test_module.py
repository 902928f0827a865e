"""The Python module's API: batches in, numpy arrays out, errors as exceptions with the library's
message; a pipeline built from its calls reproduces the command's golden outputs on the seeds."""
import glob
import json
import os
import pickle
import shutil
import tempfile
import unittest

import numpy as np

import neardup

FIXTURES = os.environ.get("NEARDUP_FIXTURES", os.path.join(os.path.dirname(__file__), "../../fixtures"))
SEEDS = sorted(glob.glob(os.path.join(FIXTURES, "seeds", "*.txt")))


def seed_texts():
    texts = []
    for path in SEEDS:
        with open(path, encoding="utf-8") as f:
            texts.append(f.read())
    return texts


def golden(name):
    with open(os.path.join(FIXTURES, "golden", name), "rb") as f:
        return f.read()


def analyse(batch, keep=None):
    """The whole pipeline on one batch, from the module's calls, as neardup.dask runs it spread out."""
    boilerplate = neardup.boilerplate(*neardup.line_counts(batch))
    s = neardup.sketch(batch, boilerplate, features=True)
    exact_a, exact_b = neardup.key_pairs(s["exact_hash"], np.arange(len(batch), dtype=np.uint32))
    a, b = neardup.key_pairs(s["band_key"], s["band_doc"], s["band"])
    differ = s["exact_hash"][a] != s["exact_hash"][b]
    a, b = a[differ], b[differ]
    j = neardup.near_duplicate_scores(s["shingle_offsets"], s["shingles"], s["shingle_sentences"], a,
                                      s["shingle_offsets"], s["shingles"], s["shingle_sentences"], b)
    near = j > 0
    dup_a = np.concatenate([exact_a, a[near]])
    dup_b = np.concatenate([exact_b, b[near]])
    dup_exact = np.concatenate([np.ones(len(exact_a), np.uint8), np.zeros(int(near.sum()), np.uint8)])
    dup_score = np.concatenate([np.ones(len(exact_a)), j[near]])
    if keep is not None:
        return neardup.deduplicate(dup_a, dup_b, dup_exact, dup_score, s["text_bytes"], keep)
    # Representatives of duplicate groups: here no document has a duplicate.
    assert len(dup_a) == 0
    reps = np.arange(len(batch), dtype=np.uint32)
    links = neardup.score_translations(reps, s)
    spellings = neardup.anchor_spellings(batch, np.unique(links["a"]), 0, boilerplate)
    return neardup.assemble(batch.ids, s["lang"], s["title"], dup_a, dup_b, dup_exact, dup_score, links=links,
                            spellings=spellings, headlines=s["headline"])


class Pipeline(unittest.TestCase):
    def test_pairs_and_clusters_on_seeds_equal_the_golden_files(self):
        corpus = analyse(neardup.read([os.path.join(FIXTURES, "seeds")]))
        self.assertEqual(corpus.pairs_jsonl(), golden("seeds_pairs.jsonl"))
        self.assertEqual(corpus.clusters_jsonl(), golden("seeds_clusters.jsonl"))

    def test_dedup_on_seeds_with_a_copy_equals_the_golden_file(self):
        texts = seed_texts()
        ids = [os.path.splitext(os.path.basename(p))[0] for p in SEEDS] + ["005_copy"]
        batch = neardup.Batch(ids, texts + [texts[1]])
        removed, duplicate_of, exact, score = analyse(batch, keep="first")
        self.assertEqual(removed.tolist(), [5])
        self.assertEqual(neardup.removed_jsonl([ids[r] for r in removed], [ids[d] for d in duplicate_of], exact, score),
                         golden("seeds_removed.jsonl"))
        kept = neardup.kept_jsonl(batch, np.arange(5, dtype=np.uint32))
        self.assertEqual(kept.count(b"\n"), 5)


class Arrays(unittest.TestCase):
    def setUp(self):
        texts = seed_texts()
        self.batch = neardup.Batch(["a", "b", "c"], [texts[0], texts[0], texts[2]])
        self.sketched = neardup.sketch(self.batch, np.zeros(0, np.uint64), features=True, minhash=True)

    def test_compact_arrays_per_document(self):
        s = self.sketched
        self.assertEqual(s["minhash"].shape, (3, 128))
        self.assertEqual(s["minhash"].dtype, np.uint64)
        self.assertEqual(s["shingle_offsets"].shape, (4,))
        self.assertTrue(np.all(np.diff(s["shingle_offsets"].astype(np.int64)) > 0))
        self.assertEqual(int(s["shingle_offsets"][-1]), len(s["shingles"]))
        for d in range(3):
            row = s["shingles"][s["shingle_offsets"][d]:s["shingle_offsets"][d + 1]]
            self.assertTrue(np.all(np.diff(row.astype(np.float64)) > 0), "shingles are sorted and unique")
        self.assertEqual(len(s["sentence_offsets"]), 4)
        self.assertEqual(int(s["gram_offsets"][-1]), len(s["grams"]))
        self.assertEqual(len(s["span_begin"]), int(s["sentence_offsets"][-1]))

    def test_without_languages_the_same_duplicate_keys(self):
        lean = neardup.sketch(self.batch, np.zeros(0, np.uint64), languages=False, minhash=True)
        for name in ("exact_hash", "shingle_offsets", "shingles", "shingle_sentences", "band_key", "band_doc", "minhash", "title",
                     "headline"):
            self.assertTrue(np.array_equal(np.asarray(lean[name]), np.asarray(self.sketched[name])), name)
        self.assertEqual(lean["lang"], ["", "", ""])
        self.assertEqual(self.sketched["lang"][0], "hin_Deva")
        with self.assertRaisesRegex(neardup.Error, "features need languages"):
            neardup.sketch(self.batch, np.zeros(0, np.uint64), features=True, languages=False)

    def test_equal_texts_sketch_alike_and_pair_up(self):
        s = self.sketched
        self.assertTrue(np.array_equal(s["minhash"][0], s["minhash"][1]))
        self.assertFalse(np.array_equal(s["minhash"][0], s["minhash"][2]))
        self.assertEqual(s["exact_hash"][0], s["exact_hash"][1])
        a, b = neardup.key_pairs(s["band_key"], s["band_doc"], s["band"])
        self.assertEqual(list(zip(a.tolist(), b.tolist())), [(0, 1)])
        bands = len(s["band_key"]) // 3
        self.assertGreater(bands, 1)
        self.assertEqual(s["band_doc"].tolist(), [0] * bands + [1] * bands + [2] * bands)

    def test_copies_pair_as_a_star_and_large_buckets_as_a_star_and_a_chain(self):
        # As the command: copies of one text pair with the first; a band bucket past 1,000
        # documents gives each document with the first and the one before it.
        docs = np.array([4, 2, 3, 1], np.uint32)
        same = np.zeros(4, np.uint64)
        a, b = neardup.key_pairs(same, docs)
        self.assertEqual(list(zip(a.tolist(), b.tolist())), [(1, 2), (1, 3), (1, 4)])
        a, b = neardup.key_pairs(same, docs, all_pairs=True)
        self.assertEqual(len(a), 6)
        many = np.arange(1500, dtype=np.uint32)[::-1].copy()
        a, b = neardup.key_pairs(np.zeros(1500, np.uint64), many, np.zeros(1500, np.uint32))
        expected = sorted({(0, d) for d in range(1, 1500)} | {(d - 1, d) for d in range(2, 1500)})
        self.assertEqual(list(zip(a.tolist(), b.tolist())), expected)

    def test_near_duplicate_scores_decide_as_the_command(self):
        s = self.sketched
        self.assertEqual(len(s["shingle_sentences"]), len(s["shingles"]))
        rows = np.array([0, 0], np.uint32), np.array([1, 2], np.uint32)
        shingles = (s["shingle_offsets"], s["shingles"], s["shingle_sentences"])
        # A copy scores its containment, 1; two different stories are no near-duplicates: 0.
        self.assertEqual(neardup.near_duplicate_scores(*shingles, rows[0], *shingles, rows[1]).tolist(), [1.0, 0.0])
        with self.assertRaisesRegex(neardup.Error, "one sentence per shingle"):
            neardup.near_duplicate_scores(s["shingle_offsets"], s["shingles"], s["shingle_sentences"][1:], rows[0],
                                          *shingles, rows[1])

    def test_line_counts_find_recurring_short_lines(self):
        flood = "the river rose over its banks in the night and the town woke to water in every street"
        budget = "the council met on tuesday to vote on a budget that cuts the library hours by half again"
        batch = neardup.Batch(["x", "y", "z"], ["Related Articles\nRiver floods the town\n" + flood,
                                                "Related Articles\nRiver floods the town\nBy our reporter\n" + flood,
                                                "Related Articles\nCouncil votes\n" + budget])
        hashes, stories, counts = neardup.line_counts(batch)
        self.assertEqual(len(set(stories.tolist())), 2)  # x and y share their long line
        # Furniture recurs across stories; a headline only among two versions of one story.
        without = neardup.sketch(batch, np.zeros(0, np.uint64))
        with_boilerplate = neardup.sketch(batch, neardup.boilerplate(hashes, stories, counts))
        self.assertEqual(without["boilerplate_lines"].tolist(), [0, 0, 0])
        self.assertEqual(with_boilerplate["boilerplate_lines"].tolist(), [1, 1, 1])

    def test_batches_pickle(self):
        copy = pickle.loads(pickle.dumps(self.batch))
        self.assertEqual(copy.ids, ["a", "b", "c"])
        again = neardup.sketch(copy, np.zeros(0, np.uint64))
        self.assertTrue(np.array_equal(again["shingles"], self.sketched["shingles"]))

    def test_clusters_and_dedup_of_edges(self):
        clusters = neardup.cluster_edges(5, np.array([0, 1, 0], np.uint32), np.array([1, 2, 2], np.uint32), np.ones(3))
        self.assertEqual(clusters, [[0, 1, 2], [3], [4]])
        removed, duplicate_of, _, _ = neardup.deduplicate(np.array([0, 1], np.uint32), np.array([1, 2], np.uint32),
                                                          np.array([0, 0], np.uint8), np.array([0.9, 0.8]),
                                                          np.zeros(0, np.uint32), "first")
        # 2 resembles only 1, which is removed: 2 is kept, no removal rests on a chain.
        self.assertEqual((removed.tolist(), duplicate_of.tolist()), ([1], [0]))

    def test_duplicate_groups_are_named_by_their_first_member(self):
        # 4 ~ 2 and 2 ~ 1: one group {1, 2, 4} named 1, whichever order the pairs come in.
        roots = neardup.group_roots(6, np.array([4, 2], np.uint32), np.array([2, 1], np.uint32))
        self.assertEqual(roots.tolist(), [0, 1, 1, 3, 1, 5])
        with self.assertRaisesRegex(neardup.Error, "out of range"):
            neardup.group_roots(2, np.array([0], np.uint32), np.array([2], np.uint32))


class Errors(unittest.TestCase):
    def test_bad_input_carries_file_line_and_message(self):
        path = os.path.join(FIXTURES, "bad", "malformed.jsonl")
        with self.assertRaises(neardup.InputError) as caught:
            neardup.read([path])
        self.assertIn("malformed.jsonl", str(caught.exception))
        self.assertEqual(caught.exception.file, path)
        self.assertGreater(caught.exception.line, 0)
        self.assertIsInstance(caught.exception, neardup.Error)
        skipped = neardup.read([path], on_error="skip")
        self.assertTrue(skipped.rejected)

    def test_range_reads_count_lines_from_the_file_start(self):
        path = os.path.join(FIXTURES, "bad", "malformed.jsonl")
        with self.assertRaises(neardup.InputError) as whole:
            neardup.read([path])
        with open(path, "rb") as f:
            first_line = f.readline()
        with self.assertRaises(neardup.InputError) as part:
            neardup.read_jsonl_range(path, len(first_line), os.path.getsize(path), 2)
        self.assertEqual(part.exception.line, whole.exception.line)

    def test_range_reads_name_lines_of_the_file_in_messages(self):
        with tempfile.TemporaryDirectory() as temp:
            path = os.path.join(temp, "ids.jsonl")
            with open(path, "w") as f:
                f.write('{"id":"x","text":"one"}\n{"id":"a","text":"two"}\n{"id":"a","text":"three"}\n')
            with open(path, "rb") as f:
                first_line = f.readline()
            with self.assertRaisesRegex(neardup.InputError, r"ids\.jsonl:3: duplicate id \"a\" \(first used at .*ids\.jsonl:2\)"):
                neardup.read_jsonl_range(path, len(first_line), os.path.getsize(path), 2)
            batch = neardup.read_jsonl_range(path, len(first_line), os.path.getsize(path), 2, on_error="skip")
            self.assertEqual(batch.locations, [(path, 2)])
            self.assertEqual(batch.rejected[0][:3], (path, 3, "a"))
            self.assertIn(f"first used at {path}:2", batch.rejected[0][3])

    def test_usage_errors(self):
        batch = neardup.Batch(["a"], ["some text"])
        with self.assertRaisesRegex(neardup.Error, "threshold"):
            neardup.sketch(batch, np.zeros(0, np.uint64), threshold=0.0)
        with self.assertRaisesRegex(neardup.Error, "one id, text"):
            neardup.Batch(["a", "b"], ["only one"])
        with self.assertRaisesRegex(neardup.Error, "keep must be"):
            neardup.deduplicate(np.zeros(0, np.uint32), np.zeros(0, np.uint32), np.zeros(0, np.uint8), np.zeros(0),
                                np.zeros(0, np.uint32), "newest")

    def test_members_must_belong_to_a_given_group(self):
        texts = seed_texts()
        reps = neardup.sketch(neardup.Batch(["a", "b"], texts[:2]), np.zeros(0, np.uint64), features=True)
        member = neardup.sketch(neardup.Batch(["c"], texts[:1]), np.zeros(0, np.uint64), features=True)
        with self.assertRaisesRegex(neardup.Error, "one representative and one set of features per member"):
            neardup.score_translations(np.arange(2, dtype=np.uint32), reps, members=np.array([2], np.uint32),
                                       member_of=np.zeros(0, np.uint32), member_features=member)
        with self.assertRaisesRegex(neardup.Error, "whose representative is not given"):
            neardup.score_translations(np.arange(2, dtype=np.uint32), reps, members=np.array([2], np.uint32),
                                       member_of=np.array([7], np.uint32), member_features=member)


class Index(unittest.TestCase):
    def setUp(self):
        self.temp = tempfile.mkdtemp(prefix="neardup_index_test_")

    def tearDown(self):
        shutil.rmtree(self.temp)

    def test_add_query_reopen(self):
        texts = seed_texts()
        path = os.path.join(self.temp, "index")
        index = neardup.PersistentIndex.open(path, spec="format=1")
        index.add_batch(["s0", "s2"], [texts[0], texts[2]])
        added, matches = index.add_if_new("s0-again", texts[0])
        self.assertFalse(added)
        self.assertEqual(matches[0][:2], ("s0", "exact-duplicate"))
        self.assertEqual(index.query(texts[3]), [])
        self.assertTrue(index.add_if_new("s3", texts[3])[0])
        self.assertEqual(len(index), 3)
        self.assertTrue(index.remove("s3"))
        index.checkpoint()
        del index
        reopened = neardup.PersistentIndex.open(path)
        self.assertEqual(len(reopened), 2)
        self.assertTrue(reopened.contains("s2"))
        self.assertEqual(reopened.query_batch([texts[2]])[0][0][:2], ("s2", "exact-duplicate"))

    def test_errors(self):
        with self.assertRaisesRegex(neardup.Error, "spec|threshold"):
            neardup.PersistentIndex.open(os.path.join(self.temp, "x"), spec="threshold=7")
        a_file = os.path.join(self.temp, "a_file")
        open(a_file, "w").close()
        with self.assertRaisesRegex(neardup.Error, "not an index"):
            neardup.PersistentIndex.open(a_file)

    def test_open_creates_when_absent_and_keeps_the_stored_spec(self):
        path = os.path.join(self.temp, "new")
        created = neardup.PersistentIndex.open(path)
        self.assertEqual(len(created), 0)
        created.add("s0", seed_texts()[0])
        del created
        custom = os.path.join(self.temp, "custom")
        index = neardup.PersistentIndex.open(custom, spec="threshold=0.6")
        stored_spec = index.spec
        del index
        self.assertIn("threshold=0.6", stored_spec)
        self.assertEqual(neardup.PersistentIndex.open(custom).spec, stored_spec)
        self.assertEqual(len(neardup.PersistentIndex.open(path)), 1)

    def test_results_are_named_and_stats_count_what_was_written(self):
        texts = seed_texts()
        with neardup.PersistentIndex.open(os.path.join(self.temp, "named")) as index:
            first = index.add_if_new("hindi", texts[1])
            self.assertIsInstance(first, neardup.AddResult)
            self.assertTrue(first.added)
            # The Gujarati translation of seed 001 (the seeds' one true pair).
            translation = index.add_if_new("gujarati", texts[4])
            self.assertTrue(translation.added)
            self.assertEqual([(m.id, m.relation) for m in translation.matches], [("hindi", "translation")])
            match = translation.matches[0]
            self.assertIsInstance(match, neardup.Match)
            self.assertTrue(0.0 < match.score <= 1.0)
            self.assertIn("relation='translation'", repr(match))
            stats = index.stats()
            self.assertEqual((stats.documents, stats.log_records), (2, 2))
            self.assertGreater(stats.bytes_on_disk, 0)
            self.assertGreater(stats.bytes_in_memory, 0)
            index.checkpoint()
            self.assertEqual(index.stats().log_records, 0)
            self.assertIn("2 documents", repr(index))
            self.assertIn("hindi", index)

    def test_a_torn_log_end_is_reported_and_read_only_changes_nothing(self):
        texts = seed_texts()
        path = os.path.join(self.temp, "torn")
        with neardup.PersistentIndex.open(path) as index:
            index.add("hindi", texts[1])
            self.assertEqual(index.stats().recovery["message"], "")
        log = os.path.join(path, "log")
        with open(log, "ab") as f:
            f.write(b"\x40\x00\x00\x00\x01half")  # a record header promising 64 bytes that never came
        with open(log, "rb") as f:
            torn = f.read()
        with neardup.PersistentIndex.open(path, read_only=True) as index:
            recovery = index.stats().recovery
            self.assertEqual((recovery["torn_offset"], recovery["torn_bytes"]), (len(torn) - 9, 9))
            self.assertIn("torn end", recovery["message"])
            self.assertEqual(index.query(texts[1])[0][:2], ("hindi", "exact-duplicate"))
            with self.assertRaisesRegex(neardup.UsageError, "read-only"):
                index.add("gujarati", texts[4])
        with open(log, "rb") as f:
            self.assertEqual(f.read(), torn)
        with self.assertRaises(neardup.FileError):
            neardup.PersistentIndex.open(os.path.join(self.temp, "absent"), read_only=True)
        self.assertFalse(os.path.exists(os.path.join(self.temp, "absent")))

    def test_a_changed_text_under_an_indexed_id_is_a_typed_conflict(self):
        texts = seed_texts()
        with neardup.PersistentIndex.open(os.path.join(self.temp, "changed")) as index:
            index.add("page", texts[0])
            unchanged = index.add_if_new("page", texts[0])
            self.assertFalse(unchanged.added)
            self.assertEqual(unchanged.matches[0][:2], ("page", "exact-duplicate"))
            with self.assertRaisesRegex(neardup.IdConflictError, r"add\(\)") as caught:
                index.add_if_new("page", texts[2])
            self.assertIsInstance(caught.exception, neardup.Error)
            self.assertIsInstance(caught.exception, RuntimeError)
            index.add("page", texts[2])
            self.assertEqual(index.query(texts[2])[0][:2], ("page", "exact-duplicate"))

    def test_errors_are_typed_by_kind(self):
        with self.assertRaises(neardup.UsageError):
            neardup.PersistentIndex.open(os.path.join(self.temp, "x"), spec="threshold=7")
        with neardup.PersistentIndex.open(os.path.join(self.temp, "typed")) as index:
            with self.assertRaises(neardup.InputError) as blank:
                index.add("blank", "   ")
            self.assertIsNone(blank.exception.file)  # not from a file
        with self.assertRaises(neardup.IncompatibleIndexError):
            neardup.PersistentIndex.open(os.path.join(self.temp, "typed"), spec="threshold=0.6")
        for name in ("FileError", "UsageError", "CorruptIndexError", "IncompatibleIndexError",
                     "IncompatibleSketchError", "NewerFormatError", "IdConflictError", "InputError"):
            self.assertTrue(issubclass(getattr(neardup, name), neardup.Error), name)

    def test_close_lets_go_of_the_index_and_a_second_open_here_says_so(self):
        path = os.path.join(self.temp, "closed")
        index = neardup.PersistentIndex.open(path)
        index.add("a", seed_texts()[0])
        with self.assertRaisesRegex(neardup.FileError, "already open in this process"):
            neardup.PersistentIndex.open(path)
        index.close()
        index.close()  # harmless
        self.assertTrue(index.closed)
        with self.assertRaisesRegex(neardup.UsageError, "closed"):
            index.query("anything")
        self.assertIn("closed", repr(index))
        reopened = neardup.PersistentIndex.open(path)  # the reference above is still alive
        self.assertEqual(len(reopened), 1)
        reopened.close()

    def test_close_waits_for_calls_running_on_other_threads(self):
        import threading
        texts = seed_texts()
        index = neardup.PersistentIndex.open(os.path.join(self.temp, "threads"), sync_every_add=False)
        index.add_batch([f"s{i}" for i in range(len(texts))], texts)
        outcomes = []

        def query_until_closed():
            try:
                while True:
                    index.query(texts[0])
            except neardup.UsageError:
                outcomes.append("closed")

        threads = [threading.Thread(target=query_until_closed) for _ in range(3)]
        for thread in threads:
            thread.start()
        index.close()
        for thread in threads:
            thread.join()
        self.assertEqual(outcomes, ["closed"] * 3)


class Fields(unittest.TestCase):
    """Other fields of every kind are carried to kept lines; fields are named as for the command."""
    LINES = [
        r'{"id":"a","text":"one story about the river","url":"http://x","meta":{"n":[1,2.5,null,true,false],"deep":{"k":{}}},"ключ":"\u00e9\ud83d\ude00"}',
        r'{"id":7,"text":"another story about the hills","tags":[],"none":null,"big":18446744073709551615}',
    ]

    def write(self, temp, name, lines):
        path = os.path.join(temp, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
        return path

    def test_kept_lines_carry_every_field(self):
        with tempfile.TemporaryDirectory() as temp:
            path = self.write(temp, "docs.jsonl", self.LINES)
            as_read = neardup.kept_jsonl(neardup.read([path], keep_lines=True), np.arange(2, dtype=np.uint32))
            self.assertEqual(as_read.decode("utf-8").splitlines(), self.LINES)
            # Without the lines, rebuilt from the fields: the same values.
            rebuilt = neardup.kept_jsonl(neardup.read([path]), np.arange(2, dtype=np.uint32)).decode("utf-8").splitlines()
            first = json.loads(rebuilt[0])
            self.assertEqual(first, json.loads(self.LINES[0]))
            self.assertEqual(json.loads(rebuilt[1])["big"], 18446744073709551615)
            # A batch moved to another process keeps its lines and field names.
            moved = pickle.loads(pickle.dumps(neardup.read([path], keep_lines=True)))
            self.assertEqual(neardup.kept_jsonl(moved, np.arange(2, dtype=np.uint32)).decode("utf-8").splitlines(), self.LINES)

    def test_named_and_nested_fields(self):
        with tempfile.TemporaryDirectory() as temp:
            path = self.write(temp, "crawl.jsonl", [r'{"doc_id":"p1","content":"a page","meta":{"lang":"en","url":"http://x"}}'])
            batch = neardup.read([path], text_field="content", id_field="doc_id", lang_field="meta.lang")
            self.assertEqual(batch.ids, ["p1"])
            rebuilt = json.loads(neardup.kept_jsonl(batch, np.arange(1, dtype=np.uint32)))
            self.assertEqual(rebuilt, {"doc_id": "p1", "content": "a page", "meta": {"url": "http://x", "lang": "en"}})
            with self.assertRaises(neardup.InputError) as caught:
                neardup.read([path])
            self.assertIn('no "id" field', str(caught.exception))
            self.assertEqual(caught.exception.line, 1)

    def test_compressed_files_read_as_plain(self):
        import gzip
        with tempfile.TemporaryDirectory() as temp:
            plain = self.write(temp, "docs.jsonl", self.LINES)
            packed = os.path.join(temp, "docs.jsonl.gz")
            with open(plain, "rb") as f, gzip.open(packed, "wb") as g:
                g.write(f.read())
            self.assertEqual(neardup.read([packed]).ids, neardup.read([plain]).ids)


if __name__ == "__main__":
    unittest.main()
