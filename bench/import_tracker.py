"""How fast does a large tracker import, and in how much memory?

A tracker of ROWS generated rows (default 10,000) with the quirks of a real one: about 20
recommendations per review issued over several weeks and no review date, replies in most rows
and a status in few, one recommendation in ten sent to two addressees on two rows, recipients
from a pool of 300 organisations (some with region tags, some misspelt), a column of notes, and
one cell in fifty of cp1252 mojibake. It is imported by the real `lrkg import-csv` code into a
new store on disk, in a child process per phase so that each phase's peak memory is its own:

* read: decode, repair, read the rows, reconcile the recipients, propose statuses, build
  the reviews (`read_tracker`);
* dry run: the same, plus validating every review against the shapes (`--dry-run`);
* import: the same, plus writing every review (`lrkg import-csv`);
* again: importing the same file again (every review unchanged).

Printed: seconds, rows per second and the child's peak resident memory (ru_maxrss).

    .venv/bin/python bench/import_tracker.py
    .venv/bin/python bench/import_tracker.py --rows 2000
"""

from __future__ import annotations

import argparse
import csv
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

MAPPING = """\
tracker:
  title: Generated tracker
review_kind: safety-investigation
columns:
  review_id: Report
  review_title: Title
  recommendation_id: Rec
  recommendation_text: Recommendation
  recommendation_date: Issued
  recipients: Addressee
  response_status: Status
  response_text: Reply
  response_date: Reply date
"""
REPLIES = ("The Department accepts this recommendation.", "Work is under way to revise the guidance.",
           "The Trust does not accept this recommendation.", "The guidance was published in March.",
           "The Agency is considering how best to take this forward.", "See the attached letter.",
           "We accept this recommendation in part.")
VERBS = ("review", "revise", "publish", "audit", "train staff on", "brief crews on", "check")
OBJECTS = ("radio call procedures", "notification of families", "handover briefings", "night staffing",
           "crossing warning lights", "risk assessments", "pilot boarding checks", "record keeping")


def generate(path: Path, rows: int, seed: int = 16) -> None:
    random.seed(seed)
    organisations = [f"{random.choice(['North', 'South', 'East', 'West', 'Central'])} {word} "
                     f"{random.choice(['Council', 'Trust', 'Agency', 'Authority', 'Services Ltd'])}"
                     for word in (f"Area{n}" for n in range(300))]
    organisations = [o + (" (UK)" if i % 7 == 0 else "") for i, o in enumerate(organisations)]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Report", "Title", "Rec", "Recommendation", "Issued", "Addressee", "Status", "Reply",
                         "Reply date", "Notes"])
        written = 0
        report = 0
        while written < rows:
            report += 1
            start = 1 + report % 27
            for rec in range(1, 21):
                addressees = [random.choice(organisations)] if rec % 10 else random.sample(organisations, 2)
                text = f"{random.choice(VERBS).capitalize()} the {random.choice(OBJECTS)} (report {report}, {rec})."
                if written % 50 == 0:
                    text = text.replace("the", "the operatorâ€™s", 1)
                for addressee in addressees:
                    if written >= rows:
                        break
                    status = random.choice(["Accepted", "Rejected", ""]) if written % 20 == 0 else ""
                    writer.writerow([f"GEN {report:05d}", f"Generated report {report}", str(rec), text,
                                     f"{start + rec // 7:02d}/03/2023", addressee, status, random.choice(REPLIES),
                                     f"{1 + rec % 28:02d}/06/2023", f"note {rec}"])
                    written += 1


PHASE = """
import sys, time, resource
from pathlib import Path
sys.path.insert(0, {root!r})
from click.testing import CliRunner
from api.cli import main
args = {args!r}
started = time.perf_counter()
if args[0] == "read":
    from graph.ingestion.tracker import read_tracker
    from graph.ingestion.tracker_mapping import ntsb_statuses, read_mapping
    from graph.vocabulary.schemes import Schemes
    schemes = Schemes(Path({root!r}) / "ontology")
    imported = read_tracker(Path(args[1]), read_mapping(Path(args[2]), schemes), schemes, [],
                            ntsb_statuses(Path({root!r}) / "ontology"))
    assert imported.reviews
else:
    result = CliRunner().invoke(main, args[1:])
    assert result.exit_code == 0, result.output[-2000:]
elapsed = time.perf_counter() - started
print(elapsed, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def phase(args: list[str]) -> tuple[float, float]:
    """(seconds, peak resident MB) of one phase run in a child process."""
    code = PHASE.format(root=str(ROOT), args=args)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT).stdout
    seconds, peak_kb = out.split()[-2:]
    return float(seconds), int(peak_kb) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        tracker, mapping, store = Path(folder) / "tracker.csv", Path(folder) / "mapping.yaml", Path(folder) / "store"
        generate(tracker, options.rows)
        mapping.write_text(MAPPING + 'dates: ["%d/%m/%Y"]\n', encoding="utf-8")
        print(f"Tracker: {options.rows:,} rows, {tracker.stat().st_size / 1e6:.1f} MB\n")
        print(f"{'phase':<10} {'seconds':>8} {'rows/s':>8} {'peak MB':>8}")
        command = ["import-csv", str(tracker), "--mapping", str(mapping), "--store", str(store)]
        for name, args in (("read", ["read", str(tracker), str(mapping)]), ("dry run", ["cli", *command, "--dry-run"]),
                           ("import", ["cli", *command]), ("again", ["cli", *command])):
            seconds, peak = phase(args)
            print(f"{name:<10} {seconds:>8.1f} {options.rows / seconds:>8.0f} {peak:>8.0f}")


if __name__ == "__main__":
    main()
