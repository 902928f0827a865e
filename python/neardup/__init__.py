"""neardup: near-duplicates and translations, from Python, with the C++ engine doing the work.

The library's pipeline in batches, each call on many documents at once and returning numpy
arrays (CSR offsets + values for lists per document) rather than a Python object per shingle:

    import numpy as np, neardup
    batch = neardup.Batch(ids, texts)                  # or neardup.read(["corpus.jsonl"])
    counted = neardup.line_counts(batch)               # short lines, to find boilerplate
    boilerplate = neardup.boilerplate(*counted)        # over all batches' counts, concatenated
    s = neardup.sketch(batch, boilerplate, features=True, minhash=True)
    a, b = neardup.key_pairs(s["band_key"], s["band_doc"], s["band"])    # LSH candidates
    j = neardup.near_duplicate_scores(s["shingle_offsets"], s["shingles"], s["shingle_sentences"], a,
                                      s["shingle_offsets"], s["shingles"], s["shingle_sentences"], b)  # 0: not one
    links = neardup.score_translations(np.arange(len(batch), dtype=np.uint32), s)   # classify
    corpus = neardup.assemble(batch.ids, s["lang"], s["title"], dup_a, dup_b, dup_exact, dup_score, links, scripts=s["script"],
                              headlines=s["headline"])
    corpus.pairs_jsonl(); corpus.clusters_jsonl()      # the command's formats

and neardup.PersistentIndex (open, add, add_if_new, query, stats, close; a context manager), whose
results are the named tuples Match(id, relation, score), AddResult(added, matches) and IndexStats.
Errors raise a subclass of neardup.Error (a RuntimeError) per kind, carrying the library's message:
InputError (bad input, with .file and .line), FileError, UsageError, CorruptIndexError,
IncompatibleIndexError, IncompatibleSketchError, NewerFormatError, IdConflictError.
`python3 -m neardup.dask` runs pairs, dedup and cluster on a Dask cluster (neardup/dask.py);
neardup.scrapy.DedupPipeline is a Scrapy item pipeline over a PersistentIndex (neardup/scrapy.py).
Neither is imported here: Dask and Scrapy are needed only by those who import them.
"""
from ._core import (AddResult, Batch, CorpusPairs, CorruptIndexError, Error, FileError, IdConflictError,
                    IncompatibleIndexError, IncompatibleSketchError, IndexStats, InputError, Match, NewerFormatError,
                    PersistentIndex, UsageError, anchor_spellings, assemble, boilerplate, cluster_edges, deduplicate,
                    group_roots, kept_jsonl, key_pairs, line_counts, merge_line_counts, near_duplicate_scores, read,
                    read_jsonl_range, removed_jsonl, score_translations, sketch)

__all__ = ["AddResult", "Batch", "CorpusPairs", "CorruptIndexError", "Error", "FileError", "IdConflictError",
           "IncompatibleIndexError", "IncompatibleSketchError", "IndexStats", "InputError", "Match", "NewerFormatError",
           "PersistentIndex", "UsageError", "anchor_spellings", "assemble", "boilerplate", "cluster_edges",
           "deduplicate", "group_roots", "jaccard", "kept_jsonl", "key_pairs", "line_counts", "merge_line_counts", "read",
           "read_jsonl_range", "removed_jsonl", "score_translations", "sketch"]
