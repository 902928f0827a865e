"""The Dask pipeline against the command: a LocalCluster of two worker processes runs dedup, pairs
and cluster, and the concatenated shards must equal the command's outputs byte for byte."""
import glob
import json
import os
import shutil
import subprocess
import tempfile
import unittest

import neardup
import neardup.dask

CLI = os.environ.get("NEARDUP_CLI", "build/neardup")
FIXTURES = os.environ.get("NEARDUP_FIXTURES", os.path.join(os.path.dirname(__file__), "../../fixtures"))
SHARED = os.environ.get("NEARDUP_SHARED", os.path.join(os.path.dirname(__file__), "../../../shared"))


def shards(out_dir, name):
    paths = sorted(glob.glob(os.path.join(out_dir, f"{name}-*.jsonl")))
    data = b""
    for path in paths:
        with open(path, "rb") as f:
            data += f.read()
    return paths, data


def read(path):
    with open(path, "rb") as f:
        return f.read()


class DaskAgainstCommand:
    """Runs each command on both and compares; subclasses give the inputs and the chunk size."""
    inputs = []
    chunk_bytes = 1 << 20
    expect_partitions = 2
    fields = {}  # text_field, id_field, lang_field: given to both

    @classmethod
    def setUpClass(cls):
        from distributed import Client, LocalCluster
        cls.temp = tempfile.mkdtemp(prefix="neardup_dask_test_")
        cls.prepare_inputs()
        cls.cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
        cls.client = Client(cls.cluster)

    @classmethod
    def tearDownClass(cls):
        cls.client.close()
        cls.cluster.close()
        shutil.rmtree(cls.temp)

    @classmethod
    def prepare_inputs(cls):
        pass

    def command(self, *arguments):
        named = [f"--{name.replace('_', '-')}={value}" for name, value in self.fields.items()]
        # The distributed run does not yet seek same-story pairs (the one-engine issue): compare
        # it with the command doing the same.
        story = ["--no-same-story"] if arguments[0] in ("pairs", "cluster") else []
        result = subprocess.run([CLI, *arguments, *named, *story, "--quiet"], capture_output=True)
        self.assertEqual(result.returncode, 0, result.stderr.decode())

    def dask(self, command, out_dir, **options):
        summary = neardup.dask.run(self.client, command, self.inputs, out_dir, chunk_bytes=self.chunk_bytes, quiet=True,
                                   **self.fields, **options)
        self.assertGreaterEqual(summary["partitions"], self.expect_partitions)
        return summary

    def test_pairs(self):
        expected = os.path.join(self.temp, "pairs.jsonl")
        self.command("pairs", *self.inputs, "-o", expected)
        out_dir = os.path.join(self.temp, "dask_pairs")
        self.dask("pairs", out_dir)
        _, actual = shards(out_dir, "pairs")
        self.assertTrue(read(expected), "the command found no pairs: the comparison would prove nothing")
        self.assertEqual(actual, read(expected))

    def test_cluster(self):
        expected = os.path.join(self.temp, "clusters.jsonl")
        self.command("cluster", *self.inputs, "-o", expected)
        out_dir = os.path.join(self.temp, "dask_clusters")
        self.dask("cluster", out_dir)
        _, actual = shards(out_dir, "clusters")
        self.assertEqual(actual, read(expected))

    def test_dedup(self):
        kept, removed = os.path.join(self.temp, "kept.jsonl"), os.path.join(self.temp, "removed.jsonl")
        self.command("dedup", *self.inputs, "-o", kept, "--removed", removed)
        for keep in ("first", "longest"):
            with self.subTest(keep=keep):
                if keep == "longest":
                    self.command("dedup", *self.inputs, "-o", kept, "--removed", removed, "--keep", "longest")
                out_dir = os.path.join(self.temp, f"dask_dedup_{keep}")
                summary = self.dask("dedup", out_dir, keep=keep)
                kept_paths, actual_kept = shards(out_dir, "kept")
                _, actual_removed = shards(out_dir, "removed")
                self.assertEqual(len(kept_paths), summary["partitions"])
                self.assertTrue(read(removed), "the command removed nothing: the comparison would prove nothing")
                self.assertEqual(actual_removed, read(removed))
                self.assertEqual(actual_kept, read(kept))
                self.assertEqual(summary["kept"] + summary["removed"] + summary["rejected"], summary["documents"])


class DaskSeeds(DaskAgainstCommand, unittest.TestCase):
    """The seed texts, each file a partition, plus a JSON Lines shard that copies one exactly and
    one with its last lines cut (a duplicate and a near-duplicate across partitions)."""
    expect_partitions = 6

    @classmethod
    def prepare_inputs(cls):
        seeds = sorted(glob.glob(os.path.join(FIXTURES, "seeds", "*.txt")))
        texts = [read(path).decode() for path in seeds]
        extra = os.path.join(cls.temp, "extra.jsonl")
        lines = texts[1].splitlines()
        with open(extra, "w") as f:
            f.write(json.dumps({"id": "005_copy", "text": texts[1]}) + "\n")
            f.write(json.dumps({"id": "006_cut", "text": "\n".join(lines[:-2]), "source": "test"}) + "\n")
        cls.inputs = seeds + [extra]


# Lines with other fields of every kind JSON has, under other names; kept lines must be these
# lines, byte for byte, whether the shard was plain or compressed.
FIELD_LINES = [
    r'{"doc_id":"a1","body":"The council voted on Tuesday to close the old bridge over the river for repairs until spring.","url":"http://example.com/a?x=1&y=2","meta":{"source":{"name":"Wire","tags":["news","local"]},"n":[1,-2.5,3e8,18446744073709551615,null,true,false],"lang":"en"},"ok":true,"gone":null}',
    r'{"doc_id":"a2","body":"Наш корреспондент сообщает из Москвы: переговоры продолжатся в пятницу, заявили в министерстве.","meta":{"lang":"ru"},"quote":"\"esc\" \\ \/ \b\f\n\r\t \u00e9\u0928\ud83d\ude00","ключ":"значение","日本語":{"キー":[{"深い":[[[]]]}]}}',
    r'{"body":"The council voted on Tuesday to close the old bridge over the river for repairs until spring.","doc_id":"b1","meta":{"lang":"en"},"big":1.7976931348623157e308}',
    r'{"doc_id":42,"body":"A completely different story about a football match that ended in a draw.","tags":[],"obj":{"k":"v"}}',
    r'{"doc_id":"b2","body":"Наш корреспондент сообщает из Москвы: переговоры продолжатся в пятницу, заявили в министерстве.","meta":{"lang":"ru","list":[{"a":null}]}}',
]


class DaskFields(DaskAgainstCommand, unittest.TestCase):
    """Fields of every kind, named fields and a nested language, in a plain shard cut into
    partitions and in a gzip shard read whole."""
    chunk_bytes = 300
    expect_partitions = 3
    fields = {"text_field": "body", "id_field": "doc_id", "lang_field": "meta.lang"}

    @classmethod
    def prepare_inputs(cls):
        import gzip
        plain = os.path.join(cls.temp, "fields.jsonl")
        with open(plain, "w", encoding="utf-8") as f:
            f.write("\n".join(FIELD_LINES[:3]) + "\n")
        compressed = os.path.join(cls.temp, "more.jsonl.gz")
        with gzip.open(compressed, "wt", encoding="utf-8") as f:
            f.write("\n".join(FIELD_LINES[3:]) + "\n")
        cls.inputs = [plain, compressed]

    def test_kept_lines_are_the_input_lines(self):
        out_dir = os.path.join(self.temp, "dask_kept_lines")
        self.dask("dedup", out_dir)
        _, kept = shards(out_dir, "kept")
        self.assertEqual(kept.decode("utf-8").splitlines(), [FIELD_LINES[0], FIELD_LINES[1], FIELD_LINES[3]])


@unittest.skipUnless(os.path.exists(os.path.join(SHARED, "data/ntrex-dev/docs.jsonl")), "ntrex-dev is absent")
class DaskDev(DaskAgainstCommand, unittest.TestCase):
    """ntrex-dev (1,054 documents in 14 languages) cut into byte ranges of 1 MB: five partitions."""
    inputs = [os.path.join(SHARED, "data/ntrex-dev/docs.jsonl")]
    expect_partitions = 4


class DaskErrors(unittest.TestCase):
    def test_duplicate_id_across_partitions(self):
        from distributed import Client, LocalCluster
        with tempfile.TemporaryDirectory() as temp, LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                                                                 dashboard_address=None) as cluster, Client(cluster) as client:
            for name in ("a", "b"):
                with open(os.path.join(temp, f"{name}.jsonl"), "w") as f:
                    f.write(json.dumps({"id": "same", "text": f"text of {name}"}) + "\n")
            inputs = [os.path.join(temp, "a.jsonl"), os.path.join(temp, "b.jsonl")]
            with self.assertRaisesRegex(neardup.InputError, r'b\.jsonl:1: duplicate id "same" \(first used at .*a\.jsonl:1\)'):
                neardup.dask.run(client, "dedup", inputs, os.path.join(temp, "out"), quiet=True)
            summary = neardup.dask.run(client, "dedup", inputs, os.path.join(temp, "out"), on_error="skip", quiet=True)
            self.assertEqual((summary["documents"], summary["rejected"], summary["kept"]), (1, 1, 1))


if __name__ == "__main__":
    unittest.main()
