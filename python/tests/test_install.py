"""The package as pip installs it, offline: from a copy of the source tree into a target folder and
into a venv, then used with the copy deleted (nothing may be read from the tree at run time).

Compiles the library again, into the copy: minutes on two cores."""
import os
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

SOURCE = os.path.abspath(os.environ.get("NEARDUP_SOURCE", os.path.join(os.path.dirname(__file__), "../..")))
FIXTURES = os.path.join(SOURCE, "fixtures")

# Run with the copy gone and only the installed package on the path.
USE = r'''
import os, sys, tempfile
import neardup
assert neardup.__file__.startswith(sys.argv[1]), neardup.__file__
seeds = sys.argv[2]
texts = [open(os.path.join(seeds, name), encoding="utf-8").read() for name in sorted(os.listdir(seeds))]
with tempfile.TemporaryDirectory() as folder:
    with neardup.PersistentIndex.open(os.path.join(folder, "pages.ndx")) as idx:
        first = idx.add_if_new("a", texts[0])
        again = idx.add_if_new("b", texts[0])
        assert first.added and not again.added, (first, again)
        assert [(m.id, m.relation) for m in again.matches] == [("a", "exact-duplicate")], again.matches
import neardup.dask
try:
    import scrapy
except ImportError:
    pass
else:
    import neardup.scrapy
print("ok", neardup.__file__)
'''


def tree_files(root):
    """The tree's files as git sees them, tracked or new (what .gitignore leaves out, build folders
    included, is not copied), without those deleted in the work tree."""
    listed = subprocess.run(["git", "-C", root, "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            capture_output=True, check=True).stdout.decode().split("\0")
    return [name for name in listed if name and os.path.isfile(os.path.join(root, name))]


def copy_tree(root, destination):
    for name in tree_files(root):
        target = os.path.join(destination, name)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copy2(os.path.join(root, name), target)


def run(test, command, **kwargs):
    started = time.time()
    done = subprocess.run(command, capture_output=True, text=True, **kwargs)
    test.assertEqual(done.returncode, 0, f"{' '.join(command)}\n{done.stdout[-4000:]}\n{done.stderr[-4000:]}")
    return done, time.time() - started


def clean_env(**extra):
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PIP_TARGET")}
    env.update(extra)
    return env


@unittest.skipUnless(shutil.which("git") and os.path.isdir(os.path.join(SOURCE, ".git")), "not a git work tree")
class Install(unittest.TestCase):
    def test_pip_installs_into_a_target_and_a_venv_offline_and_the_package_runs_without_the_tree(self):
        folder = tempfile.mkdtemp(prefix="neardup-install-")
        self.addCleanup(shutil.rmtree, folder)
        copy = os.path.join(folder, "src")
        seeds = os.path.join(folder, "seeds")
        copy_tree(SOURCE, copy)
        shutil.copytree(os.path.join(FIXTURES, "seeds"), seeds)
        target = os.path.join(folder, "target")
        pip = ["-m", "pip", "install", "--no-build-isolation", "--no-index", "--no-cache-dir", "--disable-pip-version-check"]

        _, seconds = run(self, [sys.executable, *pip, "--target", target, copy], cwd=folder, env=clean_env(), timeout=1500)
        print(f"\npip install --target (the whole library compiled): {seconds:.0f} s", file=sys.stderr)

        # The venv sees Debian's numpy, dask, scrapy and wheel; setuptools reuses the copy's CMake
        # build folder, so this install only relinks the module for the venv's interpreter.
        venv = os.path.join(folder, "venv")
        run(self, [sys.executable, "-m", "venv", "--system-site-packages", venv], timeout=300)
        python = os.path.join(venv, "bin", "python3")
        _, seconds = run(self, [python, *pip, copy], cwd=folder, env=clean_env(), timeout=1500)
        print(f"pip install into a venv (after the first): {seconds:.0f} s", file=sys.stderr)

        shutil.rmtree(copy)
        done, _ = run(self, [sys.executable, "-s", "-c", USE, target, seeds], cwd=folder,
                      env=clean_env(PYTHONPATH=target), timeout=300)
        self.assertTrue(done.stdout.startswith("ok "), done.stdout)
        done, _ = run(self, [python, "-c", USE, venv, seeds], cwd=folder, env=clean_env(), timeout=300)
        self.assertTrue(done.stdout.startswith("ok "), done.stdout)
        # The package: its Python files and one module, beside the package's metadata.
        installed = os.listdir(os.path.join(target, "neardup"))
        self.assertLessEqual({"__init__.py", "dask.py", "scrapy.py"}, set(installed))
        self.assertEqual(len([n for n in installed if n.startswith("_core") and n.endswith(".so")]), 1)
        self.assertTrue(any(n.startswith("neardup-") and n.endswith(".dist-info") for n in os.listdir(target)))


if __name__ == "__main__":
    unittest.main()
