"""Time the open-source `mentor-match` 7.0.1 package on the rounds our benchmark generates.

It is not a dependency of this project: it is installed into a throwaway venv and run there.

Input format (read by ``matching.process.conduct_matching_from_file``): a folder holding
``mentees.csv`` and ``mentors.csv``, plain CSV whose columns become ``Person`` keyword arguments:
``first name``, ``last name``, ``email``, ``role``, ``organisation``, ``grade`` (an integer, higher
is more senior) and ``profession``. Other columns are ignored by its data model, which has no
interests, networks or capacity; ``mentors.csv`` also carries ``capacity``, read by our rules.

Mapping from a form row (``examples/generate_example.py``):
  * role: juniors -> mentees.csv, seniors -> mentors.csv;
  * Name -> first name / last name (split at the first space); Email -> email (trimmed,
    lower-cased); role (its job title) stays blank, as the form does not ask for one;
  * grade -> rank on the Civil Service ladder (AA=1 ... G7=6, G6=7, SCS1=8 ... SCS4=11), with the
    usual spellings and "Fast Stream" as HEO; a blank or unknown grade ("Band B") skips the row;
  * department -> organisation, full names folded to the short names (BEIS is kept as written);
  * profession -> canonical profession names joined with ";" ("GSS; GSR" -> two professions);
  * senior capacity -> ``capacity`` (blank = 1); focus areas, staff networks, barriers, the
    expression of interest and "do not match with" have no place in its model and are dropped;
  * a resubmission (same email) replaces the earlier row.
No eligibility screening is applied, so mentor-match sees every representable applicant.

Entry point: its ``python -m matching FOLDER`` CLI calls ``conduct_matching_from_file`` without
the ``rules`` argument 7.0.1 requires and always fails, so we run the README's documented use in a
fresh process: ``conduct_matching_from_file(folder, rules)`` then ``create_mailing_list`` for
mentors and mentees (``FOLDER/output/mentors-list.csv`` and ``mentees-list.csv``). Rules mirror
the mutual-2023 preset: different organisation, no shared profession and a grade gap of at least
2 are hard; a gap of 2 (then 3) scores best; one partner per mentee and at most ``capacity`` per
mentor. It matches in rounds (one Munkres solve over every mentor x mentee per round), so it
runs max(capacity) rounds. It does not pin ``munkres``, so the venv gets the newest release.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "examples"))

import generate_example as form

VERSION = "7.0.1"
FIELDS = ["first name", "last name", "email", "role", "organisation", "grade", "profession"]
GRADES: dict[str, int] = {
    "aa": 1, "administrative assistant": 1, "ao": 2, "administrative officer": 2,
    "eo": 3, "executive officer": 3, "heo": 4, "higher executive officer": 4, "heo(d)": 4,
    "assistant statistician": 4, "research officer": 4, "fast stream": 4,
    "seo": 5, "senior executive officer": 5, "g7": 6, "grade 7": 6, "g6": 7, "grade 6": 7,
    "senior principal research officer": 7, "scs1": 8, "dd": 8, "deputy director": 8,
    "scs pay band 1": 8, "scs2": 9, "director": 9, "scs pay band 2": 9,
    "scs3": 10, "director general": 10, "scs4": 11, "permanent secretary": 11,
}
DEPARTMENTS: dict[str, str] = {
    "department for transport": "DfT", "hm revenue & customs": "HMRC", "hm revenue and customs": "HMRC",
    "office for national statistics": "ONS", "ministry of defence": "MOD", "dluhc": "MHCLG",
    "valuation office agency": "VOA", "ministry of justice": "MoJ", "hm treasury": "HMT",
}
PROFESSIONS: dict[str, str] = {
    "gss": "Statistics", "government statistical service": "Statistics", "ges": "Economics",
    "gsr": "Social research", "gors": "Operational research", "actuary": "Actuarial",
}
RUNNER = """
import csv, operator, sys
from pathlib import Path
from matching import process
from matching.rules.rule import Disqualify, Grade
folder = Path(sys.argv[1])
with open(folder / "mentors.csv", newline="") as handle:
    capacity = {row["email"]: int(row["capacity"]) for row in csv.DictReader(handle)}
def shared_profession(m):
    return bool(set(m.mentor.profession.split(";")) & set(m.mentee.profession.split(";")))
rules = [  # applied last to first; a disqualified pair stops early
    Grade(2, operator.ge, {True: 1, False: 0}), Grade(2, operator.eq, {True: 2, False: 0}),
    Grade(3, operator.eq, {True: 1, False: 0}), Disqualify(shared_profession),
    Disqualify(lambda m: m.mentor.organisation == m.mentee.organisation),
    Disqualify(lambda m: m.mentor.grade - m.mentee.grade < 2),
    Disqualify(lambda m: len(m.mentor.mentees) >= capacity[m.mentor.email]),
    Disqualify(lambda m: len(m.mentee.mentors) >= 1),
]
mentors, mentees = process.conduct_matching_from_file(folder, [rules] * max(capacity.values()))
process.create_mailing_list(mentors, folder / "output")
process.create_mailing_list(mentees, folder / "output")
"""


def _text(value: object) -> str:
    """Return a cell as stripped text ('' for blank)."""
    return "" if value is None else str(value).strip()


def _grade(value: object) -> int | None:
    """Return the ladder rank of a grade answer, or None when unknown or blank."""
    return GRADES.get(_text(value).casefold().removesuffix("(or equivalent)").strip())


def _profession(value: object) -> str:
    """Return the canonical professions of an answer joined with ';'."""
    parts = (part.strip() for part in _text(value).split(";") if part.strip())
    return ";".join(PROFESSIONS.get(part.casefold(), part[:1].upper() + part[1:]) for part in parts)


def convert(rows: list[dict[str, object]], directory: Path | str) -> tuple[int, int]:
    """Write mentees.csv and mentors.csv for mentor-match into directory; return (mentees, mentors)."""
    latest: dict[str, dict[str, object]] = {}
    for row in rows:  # generated rows are in submission order, so a resubmission wins
        email, role = _text(row.get(form.COL_EMAIL)).lower(), row.get(form.COL_ROLE)
        grade = _grade(row.get(form.COL_GRADE))
        if not email or grade is None or role not in (form.ROLE_JUNIOR, form.ROLE_SENIOR):
            continue
        first, _, last = _text(row.get(form.COL_NAME)).partition(" ")
        department = _text(row.get(form.COL_DEPT))
        latest[email] = {
            "first name": first, "last name": last, "email": email, "role": "", "grade": grade,
            "organisation": DEPARTMENTS.get(department.casefold(), department),
            "profession": _profession(row.get(form.COL_PROFESSION)), "senior": role == form.ROLE_SENIOR,
            "capacity": int(_text(row.get(form.COL_CAPACITY)) or 1),
        }
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    counts: list[int] = []
    for name, senior in (("mentees", False), ("mentors", True)):
        fields = FIELDS + ["capacity"] if senior else FIELDS
        people = [person for person in latest.values() if person["senior"] is senior]
        with (directory / f"{name}.csv").open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=fields, extrasaction="ignore")
            writer.writeheader()
            writer.writerows(people)
        counts.append(len(people))
    return counts[0], counts[1]


def ensure_venv(path: Path | str) -> Path:
    """Create (if missing) a venv at path with mentor-match installed; return its python."""
    path = Path(path)
    python = path / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(path)], check=True)
    probe = [str(python), "-c", "import importlib.metadata as m; print(m.version('mentor-match'))"]
    if subprocess.run(probe, check=False, capture_output=True, text=True).stdout.strip() != VERSION:
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", f"mentor-match=={VERSION}"],
                       check=True)
    return python


def count_pairs(directory: Path | str) -> int:
    """Count the pairings in mentor-match's mentees-list.csv output."""
    with (Path(directory) / "output" / "mentees-list.csv").open(encoding="utf-8", newline="") as handle:
        return sum(1 for row in csv.DictReader(handle) for key, value in row.items()
                   if key.startswith("match ") and key.endswith(" email") and value)


def time_run(python: Path | str, directory: Path | str, timeout: float) -> tuple[float, float] | None:
    """Match a converted round with mentor-match in a fresh process.

    Returns (wall seconds, peak MB), or None if it was killed after timeout seconds. Raises
    RuntimeError, with the tail of its stderr, if it fails or writes no pairings.
    """
    directory = Path(directory)
    shutil.rmtree(directory / "output", ignore_errors=True)
    env = {**os.environ, "PYTHONUTF8": "1"}
    with tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        process = subprocess.Popen([str(python), "-c", RUNNER, str(directory)], env=env,
                                   stdout=subprocess.DEVNULL, stderr=errors)
        killed = threading.Event()

        def kill() -> None:
            killed.set()
            with contextlib.suppress(ProcessLookupError):
                os.kill(process.pid, signal.SIGKILL)

        timer = threading.Timer(timeout, kill)
        timer.start()
        _pid, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        timer.cancel()
        process.returncode = code = os.waitstatus_to_exitcode(status)
        if killed.is_set() and code == -signal.SIGKILL:
            return None
        errors.seek(0)
        tail = errors.read().decode(errors="replace")[-2000:]
    if code != 0:
        raise RuntimeError(f"mentor-match exited with {code}:\n{tail}")
    if not (directory / "output" / "mentees-list.csv").exists() or count_pairs(directory) == 0:
        raise RuntimeError(f"mentor-match wrote no pairings:\n{tail}")
    return seconds, usage.ru_maxrss / 1024


def main() -> None:
    """Generate, convert and time one round per size; print one line each."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 1000])
    parser.add_argument("--timeout", type=float, default=600)
    parser.add_argument("--venv", type=Path, default=Path(tempfile.gettempdir()) / f"mentor-match-{VERSION}")
    options = parser.parse_args()
    python = ensure_venv(options.venv)
    for size in options.sizes:
        with tempfile.TemporaryDirectory(prefix=f"mentor-match-{size}-") as folder:
            mentees, mentors = convert(form.generate_rows(size, 7), folder)
            timing = time_run(python, folder, options.timeout)
            if timing is None:
                result = f"did not finish within {options.timeout:g} s"
            else:
                result = f"{timing[0]:.2f} s, {timing[1]:,.0f} MB peak, {count_pairs(folder)} pairs"
            print(f"{size} applicants: {mentees} mentees, {mentors} mentors: {result}", flush=True)


if __name__ == "__main__":
    main()
