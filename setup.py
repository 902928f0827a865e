"""The Python package neardup: python/neardup/ plus the module _core, which CMake builds.

    pip install --no-build-isolation --no-index .                # into a venv (--system-site-packages)
    pip install --no-build-isolation --no-index --target DIR .   # then PYTHONPATH=DIR

build_ext configures the project with CMake (the library, the module; no tests, command, tools or
examples) and builds only the target neardup_python, so that the C++ sources and flags are listed
once, in the CMakeLists.txt files. Needs what the CMake build needs (tools/install_deps.sh) and
runs offline. Environment: NEARDUP_BUILD_JOBS (default 2), NEARDUP_CMAKE_ARGS (more arguments
for the configure step, e.g. -DCMAKE_CXX_COMPILER=clang++).
"""
import os
import re
import shlex
import shutil
import subprocess
import sys
import sysconfig

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

ROOT = os.path.dirname(os.path.abspath(__file__))


def project_version():
    # One version for the library, the command and the package: the one in project().
    with open(os.path.join(ROOT, "CMakeLists.txt"), encoding="utf-8") as f:
        match = re.search(r"project\(\s*neardup\s+VERSION\s+([0-9.]+)", f.read())
    if not match:
        raise RuntimeError("setup.py: no project(neardup VERSION ...) in CMakeLists.txt")
    return match.group(1)


class CMakeExtension(Extension):
    """An extension module that a CMake target builds."""

    def __init__(self, name, target):
        super().__init__(name, sources=[])
        self.target = target


class CMakeBuild(build_ext):
    """build_ext that builds each CMakeExtension's target with CMake and copies the module in."""

    def build_extension(self, ext):
        if not isinstance(ext, CMakeExtension):
            return super().build_extension(ext)
        # Kept between runs (pip builds in the tree), so that a reinstall only rebuilds what changed.
        build_dir = os.path.join(os.path.abspath(self.build_temp), "cmake")
        jobs = os.environ.get("NEARDUP_BUILD_JOBS") or str(self.parallel or 2)
        configure = ["cmake", "-S", ROOT, "-B", build_dir, "--no-warn-unused-cli",
                     "-DCMAKE_BUILD_TYPE=Release",
                     # The module must be built for the interpreter that installs it (its ABI suffix).
                     f"-DPYTHON_EXECUTABLE={sys.executable}",
                     "-DNEARDUP_BUILD_PYTHON=ON", "-DNEARDUP_PYTHON_REQUIRED=ON",
                     "-DNEARDUP_BUILD_TESTS=OFF", "-DNEARDUP_BUILD_CLI=OFF", "-DNEARDUP_BUILD_TOOLS=OFF",
                     "-DNEARDUP_BUILD_EXAMPLES=OFF", "-DNEARDUP_BUILD_BENCH=OFF", "-DNEARDUP_BUILD_FUZZ=OFF",
                     "-DNEARDUP_INSTALL=OFF", "-DNEARDUP_SANITIZE="]
        configure += shlex.split(os.environ.get("NEARDUP_CMAKE_ARGS", ""))
        self.announce("neardup: " + " ".join(configure), level=2)
        subprocess.run(configure, check=True)
        subprocess.run(["cmake", "--build", build_dir, "--target", ext.target, "-j", jobs], check=True)

        name = ext.name.split(".")[-1] + sysconfig.get_config_var("EXT_SUFFIX")
        built = os.path.join(build_dir, "python", *ext.name.split(".")[:-1], name)
        if not os.path.isfile(built):
            raise RuntimeError(f"setup.py: CMake built no {built} (is it the module for {sys.executable}?)")
        destination = self.get_ext_fullpath(ext.name)
        os.makedirs(os.path.dirname(destination), exist_ok=True)
        shutil.copyfile(built, destination)


BUILD_BASE = os.path.join("build", "pip")
os.makedirs(BUILD_BASE, exist_ok=True)  # egg_info refuses an egg_base that does not exist

with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as f:
    long_description = f.read()

setup(
    name="neardup",
    version=project_version(),
    description="Near-duplicates and translations: a C++ engine with a Python module, a Dask pipeline "
                "and a Scrapy item pipeline",
    long_description=long_description,
    long_description_content_type="text/markdown",
    python_requires=">=3.9",
    package_dir={"": "python"},
    packages=["neardup"],
    ext_modules=[CMakeExtension("neardup._core", target="neardup_python")],
    cmdclass={"build_ext": CMakeBuild},
    # No install_requires: numpy, dask and scrapy come from Debian (python3-numpy, ...), and with
    # --target or --no-index pip would try to fetch a declared requirement instead of using those.
    extras_require={"dask": ["numpy", "dask", "distributed"], "scrapy": ["scrapy"]},
    # Under build/ (ignored by git) rather than build/lib.*, build/temp.* and python/*.egg-info
    # among the files of a CMake build in build/.
    options={"build": {"build_base": BUILD_BASE}, "egg_info": {"egg_base": BUILD_BASE}},
    zip_safe=False,
)
