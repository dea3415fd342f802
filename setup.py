"""Build hook: a wheel carries the files that live outside the package in the checkout.

``cypher/*.cypher`` (every statement of the Neo4j backend) and the local Neo4j launcher's Maven
project (``docker/neo4j-launcher/pom.xml`` + ``src/``) stay where the project's layout puts them;
a build copies them into the package as ``hippo/store/_cypher/`` and ``hippo/store/_launcher/``.
An editable install copies nothing: the loaders fall back to the checkout. Everything else about
the package is declared in pyproject.toml.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent

# (source folder in the checkout, glob patterns below it, destination inside the built package)
BUNDLED = (
    ("cypher", ("*.cypher",), "hippo/store/_cypher"),
    ("docker/neo4j-launcher", ("pom.xml", "src/**/*.java"), "hippo/store/_launcher"),
)


def bundled_files() -> list[tuple[Path, str]]:
    """(source file, destination relative to the build root) for every bundled file."""
    pairs: list[tuple[Path, str]] = []
    for folder, patterns, destination in BUNDLED:
        source = ROOT / folder
        found = sorted({path for pattern in patterns for path in source.glob(pattern) if path.is_file()})
        if not found:
            raise SystemExit(f"build: nothing matches {patterns} in {source}; the wheel would be unusable")
        pairs += [(path, f"{destination}/{path.relative_to(source).as_posix()}") for path in found]
    return pairs


class BuildPyWithBundledFiles(build_py):
    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return
        for _, _, destination in BUNDLED:  # a reused build/ folder must not keep deleted files
            shutil.rmtree(Path(self.build_lib) / destination, ignore_errors=True)
        for source, relative in bundled_files():
            target = Path(self.build_lib) / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)

    def get_outputs(self, include_bytecode: bool = True) -> list[str]:
        outputs = list(super().get_outputs(include_bytecode))
        if not self.editable_mode:
            outputs += [str(Path(self.build_lib) / relative) for _, relative in bundled_files()]
        return outputs


setup(cmdclass={"build_py": BuildPyWithBundledFiles})
