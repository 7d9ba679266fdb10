"""The PFD-toolkit theme columns as labelled examples for our themes, and the split kept apart.

The PFD-toolkit project screened 776 coroners' Prevention of Future Deaths reports with a
language model and gave each True/False theme columns (shared/data/pfd/SOURCE.md). They are
one independent opinion, not the truth. `MAPPING` names the columns that mean the same as
one of our themes; a report is labelled with a theme when any column mapped to it is True.

The split is fixed by each report's reference alone (`in_held_out`): 30% of reports, chosen by
a hash, are never written to the training file and are the only ones `bench/eval_tagging.py`
reports on. The other 70% become `graph/ingestion/training/pfd_screening.jsonl`:

    .venv/bin/python bench/pfd_labels.py          # rewrite the training file from the CSVs
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from graph.ingestion.theme_examples import TRAINING_DIR

DEFAULT_PFD_DIR = Path(__file__).resolve().parents[2] / "shared" / "data" / "pfd"
TRAINING_FILE = TRAINING_DIR / "pfd_screening.jsonl"
SPLIT = "pfd-hash30"
"""The name of the split: held out when the first byte of sha256(reference) is below 30% of 256."""

MAPPING: dict[str, str] = {
    # suicide_reports_family_themes.csv: each column is a kind of failure to involve the family
    "family_communication": "communication-with-family",
    "family_awareness": "informing-the-family",
    "family_concerns": "listening-to-the-family",
    "family_input": "involving-the-family",
    "family_confidentiality": "confidentiality-and-the-family",
    "family_support": "support-for-families-and-carers",
    "family_training": "support-for-families-and-carers",
    # road_traffic_reports_themes.csv
    "road_design": "design-and-layout",
    "road_layout": "design-and-layout",
    "junction_safety": "design-and-layout",
    "road_maintenance": "infrastructure-maintenance",
    "infrastructure_maintenance": "infrastructure-maintenance",
    "road_signage": "signage-and-lighting",
    "signage_visibility": "signage-and-lighting",
    "lighting_deficiencies": "signage-and-lighting",
    "mental_health_care": "underlying-needs",
    "emergency_response": "emergency-response",
    "pursuit_management": "emergency-response",
    "police_pursuit": "emergency-response",
    "vehicle_technology": "equipment-and-devices",
    "vehicle_design": "equipment-and-devices",
    "brake_system": "equipment-and-devices",
    "vehicle_maintenance": "equipment-and-devices",
    "underrun_protection": "equipment-and-devices",
    "vehicle_blind_spots": "equipment-and-devices",
    "speed_limit": "traffic-and-speed-management",
    "speed_management": "traffic-and-speed-management",
    "traffic_management": "traffic-and-speed-management",
    "driver_medical": "fitness-to-drive",
    "medical_fitness": "fitness-to-drive",
    "poor_eyesight": "fitness-to-drive",
    "failure_notify_dvla": "fitness-to-drive",
}
"""PFD-toolkit column -> our theme (its id), for columns that mean the same thing."""

UNMAPPED: dict[str, tuple[str, ...]] = {
    "about the conduct of a road user, not a failure of a service": (
        "speeding_alcohol", "driver_behaviour", "road_user_behavior", "young_driver_risk",
        "elderly_driver_risk", "motorcycle_helmet",
    ),
    "a kind of road user or transport, not a kind of failure: the failure can be any theme": (
        "pedestrian_safety", "cyclist_safety", "cycle_safety", "motorcycle_safety", "pedestrian_crossing",
        "public_transport_safety", "mobility_scooter_safety", "e_scooter_safety", "smart_motorways",
    ),
    "mixes several of our themes (or none) with no one counterpart": (
        "family_coordination", "maintenance_failures", "road_surface", "road_flooding", "road_barriers",
        "road_fencing_barriers", "road_user_visibility", "lighting_visibility", "weather_conditions",
        "vehicle_modification", "vehicle_load_security",
    ),
    "training of drivers, not of practitioners (our training theme)": ("driver_training",),
    "not a theme (who died: age, sex, kind of road user)": ("age", "sex", "pedestrian"),
}
"""PFD-toolkit columns with no counterpart among our themes, by the reason why."""


@dataclass(frozen=True)
class LabelledReport:
    """One PFD report: its concerns, its mapped themes, and which columns the file has."""

    source: str
    row: int
    id: str
    url: str
    concerns: str
    themes: frozenset[str]
    judged: frozenset[str]  # the themes this file's columns give an opinion on


def in_held_out(reference: str) -> bool:
    """Whether a report belongs to the held-out 30%, from its reference alone."""
    return hashlib.sha256(reference.encode()).digest()[0] < 77


def load_reports(pfd_dir: Path) -> list[LabelledReport]:
    """Every report of every CSV file in `pfd_dir`, labelled with the mapped themes."""
    csv.field_size_limit(sys.maxsize)
    reports = []
    for path in sorted(pfd_dir.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            for number, row in enumerate(csv.DictReader(handle)):
                columns = [c for c in MAPPING if c in row]
                if not columns or not row["concerns"].strip():
                    continue  # nothing to learn from, or to tag
                themes = frozenset(MAPPING[c] for c in columns if row[c] == "True")
                reports.append(LabelledReport(path.name, number, row["id"] or f"row-{number}", row["url"],
                                              row["concerns"], themes, frozenset(MAPPING[c] for c in columns)))
    return reports


def split(reports: Sequence[LabelledReport]) -> tuple[list[LabelledReport], list[LabelledReport]]:
    """(training, held out), by `in_held_out` of each report's reference."""
    return [r for r in reports if not in_held_out(r.id)], [r for r in reports if in_held_out(r.id)]


def write_training(reports: Sequence[LabelledReport], out: Path) -> int:
    """Write the training reports as examples (one JSON object a line); return how many."""
    with out.open("w", encoding="utf-8") as handle:
        for report in reports:
            handle.write(json.dumps({
                "text": report.concerns,
                "themes": sorted(report.themes),
                "judged": sorted(report.judged),
                "source": report.url or f"{report.source} row {report.row}",
                "labelled_by": "PFD-toolkit automated screening (columns mapped by bench/pfd_labels.py)",
            }, ensure_ascii=False) + "\n")
    return len(reports)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pfd-dir", type=Path, default=DEFAULT_PFD_DIR)
    args = parser.parse_args(argv)
    training, held_out = split(load_reports(args.pfd_dir))
    written = write_training(training, TRAINING_FILE)
    print(f"{written} training reports written to {TRAINING_FILE}; {len(held_out)} held out ({SPLIT})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
