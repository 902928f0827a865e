"""Benchmark (not a test): dedup of a sharded JSON Lines corpus by the C++ command and by the Dask
pipeline with 1 and 2 worker processes on this machine; checks that the outputs agree.

    build/bench/neardup_write_corpus 1000000 /tmp/corpus --shards 32     # -DNEARDUP_BUILD_BENCH=ON
    PYTHONPATH=build/python /usr/bin/python3 python/bench_dask.py build/neardup /tmp/corpus [--memory-limit 3GB]

Throughput is documents per second of wall time, from reading to the last output file (the
LocalCluster's start-up is not counted). Peak memory: of the command (its maximum resident set),
and of each worker process (sampled every 0.2 s).
"""
import argparse
import glob
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time

# The package beside this file has no compiled module: import the build's (PYTHONPATH).
sys.path = [p for p in sys.path if os.path.abspath(p or ".") != os.path.dirname(os.path.abspath(__file__))]
import neardup.dask  # noqa: E402


def concatenated(paths):
    data = b""
    for path in sorted(paths):
        with open(path, "rb") as f:
            data += f.read()
    return data


def run_command(cli, inputs, out_dir, keep):
    os.makedirs(out_dir, exist_ok=True)
    kept, removed = os.path.join(out_dir, "kept.jsonl"), os.path.join(out_dir, "removed.jsonl")
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.time()
    subprocess.run([cli, "dedup", *inputs, "-o", kept, "--removed", removed, "--keep", keep], check=True)
    seconds = time.time() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, max(peak, before) / 1024, kept, removed


def worker_memory(client, peaks, stop):
    import psutil

    def rss():
        return psutil.Process().memory_info().rss

    while not stop.is_set():
        try:
            for address, value in client.run(rss).items():
                peaks[address] = max(peaks.get(address, 0), value)
        except Exception:  # a worker restarting or the cluster closing: the next sample will do
            pass
        stop.wait(0.2)


def run_dask(workers, inputs, out_dir, memory_limit, chunk_mb, keep):
    from distributed import Client, LocalCluster
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, memory_limit=memory_limit,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        peaks, stop = {}, threading.Event()
        sampler = threading.Thread(target=worker_memory, args=(client, peaks, stop))
        sampler.start()
        try:
            summary = neardup.dask.run(client, "dedup", inputs, out_dir, chunk_bytes=int(chunk_mb * (1 << 20)), keep=keep)
        finally:
            stop.set()
            sampler.join()
    return summary, [p / (1 << 20) for p in peaks.values()]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("cli")
    parser.add_argument("corpus_dir")
    parser.add_argument("--memory-limit", default="4GB")
    parser.add_argument("--chunk-mb", type=float, default=32)
    parser.add_argument("--workers", default="1,2")
    parser.add_argument("--keep", choices=["first", "longest"], default="first",
                        help="the command keeps the first by streaming, the longest from an analysis held in memory")
    parser.add_argument("--no-command", action="store_true", help="only the Dask runs (no comparison)")
    args = parser.parse_args()
    inputs = sorted(glob.glob(os.path.join(args.corpus_dir, "*.jsonl")))
    work = tempfile.mkdtemp(prefix="neardup_bench_dask_")
    try:
        expected, command_rate = None, None
        if not args.no_command:
            seconds, peak, kept, removed = run_command(args.cli, inputs, os.path.join(work, "command"), args.keep)
            with open(kept, "rb") as k, open(removed, "rb") as r:
                expected = (k.read(), r.read())
            documents = expected[0].count(b"\n") + expected[1].count(b"\n")
            command_rate = documents / seconds
            print(f"command, keep {args.keep}: {documents} documents in {seconds:.1f} s = {command_rate:.0f} docs/s, "
                  f"peak RSS {peak:.0f} MiB", flush=True)
        for workers in [int(w) for w in args.workers.split(",")]:
            out_dir = os.path.join(work, f"dask{workers}")
            summary, peaks = run_dask(workers, inputs, out_dir, args.memory_limit, args.chunk_mb, args.keep)
            rate = summary["documents"] / summary["seconds"]
            line = (f"dask, keep {args.keep}, {workers} worker(s): {summary['documents']} documents in {summary['seconds']:.1f} s "
                    f"= {rate:.0f} docs/s; {summary['partitions']} partitions; peak RSS per worker "
                    + ", ".join(f"{p:.0f}" for p in peaks) + f" MiB (limit {args.memory_limit})")
            if expected is not None:
                same = (concatenated(glob.glob(os.path.join(out_dir, "kept-*.jsonl"))) == expected[0] and
                        concatenated(glob.glob(os.path.join(out_dir, "removed-*.jsonl"))) == expected[1])
                line += f"; {rate / command_rate:.2f}x the command; outputs " + ("identical" if same else "DIFFER")
            print(line, flush=True)
            shutil.rmtree(out_dir)
    finally:
        shutil.rmtree(work)


if __name__ == "__main__":
    sys.exit(main())
