"""How well does automatic theme tagging agree with labelled reports it was not trained on?

Measured on coroners' Prevention of Future Deaths reports screened by the PFD-toolkit project
(shared/data/pfd/SOURCE.md), their True/False columns mapped to our themes by
`bench/pfd_labels.py`. The split is `pfd-hash30`: 30% of reports, chosen by a hash of their
reference, are held out; the learned tagger is trained on the other 70% (shipped as
`graph/ingestion/training/pfd_screening.jsonl`) and on the written examples, and every figure
below is on the held-out reports only. The script checks that no held-out text is among the
training examples.

Each report is split into matters of concern (`split_concerns`); a report's themes are the
union over its matters, with every broader theme they imply (as every query reads them). For
each theme the file judges, and pooled (micro) and averaged (macro), it prints precision,
recall, F1 and support (labelled reports) for:

* the learned tagger (`LearnedTagger`, at `--min-score`);
* the rules alone (`RulesTagger`, at their old default threshold 0.35), the previous tagger;
* a keyword baseline: a theme is proposed when its label or a synonym appears, word for word;
* always yes: every theme for every report.

It also prints the share of matters left unclassified and the time to tag 10,000 findings, and
a second table: matter by matter, on 100 held-out matters labelled by hand for the communication
sub-themes the screening has no column for (`bench/data/pfd_communication_selflabelled.md`).

    .venv/bin/python bench/eval_tagging.py
    .venv/bin/python bench/eval_tagging.py --show-disagreements 10
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from pfd_labels import (
    DEFAULT_PFD_DIR,
    SPLIT,
    UNMAPPED,
    LabelledReport,
    in_held_out,
    load_reports,
    split,
)

from graph.ingestion.concerns import split_concerns
from graph.ingestion.learned_tagger import LearnedTagger, choose
from graph.ingestion.tagging import RulesTagger, SchemeTheme, ThemeProposal, load_scheme
from graph.ingestion.theme_examples import Example, training_examples
from graph.store.config import Settings

COMMUNICATION_GROUP = "communication sub-themes"
FINDINGS_TIMED = 10_000
SELF_LABELLED = Path(__file__).resolve().parent / "data" / "pfd_communication_selflabelled.jsonl"
SELF_LABELLED_THEMES = ("communication", "communication-between-agencies", "communication-within-service",
                        "communication-with-patient", "communication-with-family", "handover")
"""The themes the self-labelled matters are judged on (a narrower theme counts as its broader one;
`communication` is any of them, so that a matter given only the broad theme is judged too)."""
RULES_MIN_SCORE = 0.35
"""The threshold the rules shipped with before the learned tagger: they are measured as they were."""


@dataclass
class Count:
    """Agreement counts for one theme (or a pool of them)."""

    support: int = 0
    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0

    def add(self, other: Count) -> None:
        self.support += other.support
        self.true_positives += other.true_positives
        self.false_positives += other.false_positives
        self.false_negatives += other.false_negatives

    @property
    def precision(self) -> float:
        return _ratio(self.true_positives, self.true_positives + self.false_positives)

    @property
    def recall(self) -> float:
        return _ratio(self.true_positives, self.true_positives + self.false_negatives)

    @property
    def f1(self) -> float:
        return _ratio(2 * self.true_positives, 2 * self.true_positives + self.false_positives + self.false_negatives)


def _ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else 0.0


Predict = Callable[[Sequence[str]], list[set[str]]]
"""Themes (IRIs, narrowest and broader) for each of several matters."""


def learned_method(tagger: LearnedTagger, min_score: float, max_themes: int) -> Predict:
    def predict(matters: Sequence[str]) -> list[set[str]]:
        return [_closed(tagger.themes, (p.theme for p in found))
                for found in tagger.propose_many(matters, min_score, max_themes)]
    return predict


def rules_method(tagger: RulesTagger, min_score: float, max_themes: int) -> Predict:
    def predict(matters: Sequence[str]) -> list[set[str]]:
        return [_closed(tagger.themes, (p.theme for p in tagger.propose(m, min_score, max_themes))) for m in matters]
    return predict


def keyword_method(themes: Mapping[str, SchemeTheme]) -> Predict:
    """A theme for a matter that contains its label or a synonym as whole words, any case."""
    patterns = {
        iri: re.compile(r"\b(?:" + "|".join(re.escape(label.lower()) for label in theme.labels) + r")\b")
        for iri, theme in themes.items()
    }

    def predict(matters: Sequence[str]) -> list[set[str]]:
        return [_closed(themes, (iri for iri, pattern in patterns.items() if pattern.search(m.lower())))
                for m in matters]
    return predict


def always_yes(themes: Mapping[str, SchemeTheme]) -> Predict:
    return lambda matters: [set(themes) for _ in matters]


def _closed(themes: Mapping[str, SchemeTheme], iris: Iterable[str]) -> set[str]:
    return {found for iri in iris for found in (iri, *themes[iri].ancestors)}


def measure(reports: Sequence[LabelledReport], predict: Predict, theme_base: str) -> dict[str, Count]:
    """Counts per theme id, over the reports whose file judges that theme."""
    counts: dict[str, Count] = {}
    for report in reports:
        matters = split_concerns(report.concerns) or [report.concerns]
        found = set().union(*predict(matters))
        for theme in sorted(report.judged):
            labelled, proposed = theme in report.themes, theme_base + theme in found
            count = counts.setdefault(theme, Count())
            count.support += labelled
            count.true_positives += labelled and proposed
            count.false_positives += proposed and not labelled
            count.false_negatives += labelled and not proposed
    return counts


def read_self_labelled(path: Path = SELF_LABELLED) -> list[tuple[str, frozenset[str]]]:
    """(matter, its themes) labelled by hand; refuses any matter not from a held-out report."""
    matters = []
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        if not in_held_out(record["report"]):
            raise SystemExit(f"{path.name}: {record['report']} is not a held-out report of {SPLIT}")
        matters.append((record["text"], frozenset(record["themes"])))
    return matters


def measure_matters(matters: Sequence[tuple[str, frozenset[str]]], predict: Predict, theme_base: str) -> dict[str, Count]:
    """Counts per theme of `SELF_LABELLED_THEMES`, matter by matter."""
    found = predict([text for text, _ in matters])
    counts = {theme: Count() for theme in SELF_LABELLED_THEMES}
    for (_, labelled_themes), proposed_themes in zip(matters, found):
        for theme, count in counts.items():
            labelled = theme in labelled_themes or (theme == "communication" and bool(labelled_themes))
            proposed = theme_base + theme in proposed_themes
            count.support += labelled
            count.true_positives += labelled and proposed
            count.false_positives += proposed and not labelled
            count.false_negatives += labelled and not proposed
    return counts


def pooled(counts: Mapping[str, Count], only: Iterable[str] | None = None) -> Count:
    total = Count()
    for theme in only if only is not None else counts:
        total.add(counts[theme])
    return total


def macro_f1(counts: Mapping[str, Count], only: Iterable[str] | None = None) -> float:
    chosen = list(only if only is not None else counts)
    return sum(counts[t].f1 for t in chosen) / len(chosen) if chosen else 0.0


def table(results: Mapping[str, dict[str, Count]], communication: Sequence[str]) -> str:
    """One row per theme and per summary, one P/R/F1 block per method."""
    names = list(results)
    first = results[names[0]]
    header = f"{'theme':<34} {'support':>7} " + " ".join(f"{n[:20]:>20}" for n in names)
    sub = f"{'':<34} {'':>7} " + " ".join(f"{'P    R    F1':>20}" for _ in names)
    lines = [header, sub]

    def row(title: str, support: int, cells: Iterable[Count | float]) -> str:
        text = []
        for cell in cells:
            text.append(f"{'':>14}{cell:>6.2f}" if isinstance(cell, float)
                        else f"{cell.precision:>8.2f} {cell.recall:.2f} {cell.f1:.2f}")
        return f"{title:<34} {support:>7} " + " ".join(text)

    for theme in first:
        lines.append(row(theme, first[theme].support, (results[n][theme] for n in names)))
    lines.append(row(f"micro, {COMMUNICATION_GROUP}", pooled(first, communication).support,
                     (pooled(results[n], communication) for n in names)))
    lines.append(row(f"macro F1, {COMMUNICATION_GROUP}", 0, (macro_f1(results[n], communication) for n in names)))
    lines.append(row("micro, all themes", pooled(first).support, (pooled(results[n]) for n in names)))
    lines.append(row("macro F1, all themes", 0, (macro_f1(results[n]) for n in names)))
    return "\n".join(lines)


def tune_min_score(scheme: Sequence[SchemeTheme], training: Sequence[LabelledReport], max_themes: int,
                   theme_base: str) -> float:
    """The threshold with the best micro F1 in 5-fold cross-validation over the training
    reports (each fold's tagger trained on the other folds and the other examples, less the
    hand-labelled matters of the fold's reports), as the report's themes are read here: the union
    over its matters. The held-out reports play no part."""
    written = training_examples(exclude=("pfd_screening.jsonl",))
    grid = [round(0.5 + 0.05 * i, 2) for i in range(9)]
    totals = {cut: Count() for cut in grid}
    for fold in range(5):
        test = [r for i, r in enumerate(training) if i % 5 == fold]
        rest = [r for i, r in enumerate(training) if i % 5 != fold]
        tested = {key for r in test for key in (r.url, r.id) if key}
        examples = [e for e in written if e.source not in tested]
        examples += [Example(r.concerns, r.themes, r.url, "fold") for r in rest]
        tagger = LearnedTagger(scheme, examples)
        cache: dict[tuple[str, ...], list[dict[str, ThemeProposal]]] = {}
        for report in test:
            matters = split_concerns(report.concerns) or [report.concerns]
            cache[tuple(matters)] = tagger.scores_many(matters)
        for cut in grid:
            def predict(matters: Sequence[str], cut: float = cut, tagger: LearnedTagger = tagger,
                        cache: dict[tuple[str, ...], list[dict[str, ThemeProposal]]] = cache) -> list[set[str]]:
                return [_closed(tagger.themes, (p.theme for p in choose(s, tagger.themes, cut, max_themes)))
                        for s in cache[tuple(matters)]]
            totals[cut].add(pooled(measure(test, predict, theme_base)))
    for cut in grid:
        print(f"  cross-validated on the training reports: min score {cut}: micro F1 {totals[cut].f1:.3f}")
    return max(grid, key=lambda cut: totals[cut].f1)


def check_held_out_unseen(held_out: Sequence[LabelledReport]) -> None:
    """Fail loudly if any held-out report, or any matter of one, is among the training examples."""
    examples = training_examples()
    seen = {" ".join(e.text.split()) for e in examples}
    sources = {e.source for e in examples}
    leaked = [r.id for r in held_out if (" ".join(r.concerns.split()) in seen and r.concerns.strip())
              or r.url in sources or r.id in sources]
    if leaked:
        raise SystemExit(f"held-out reports found among the training examples: {', '.join(leaked[:5])}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pfd-dir", type=Path, default=DEFAULT_PFD_DIR, help="folder of PFD-toolkit CSV files")
    parser.add_argument("--min-score", type=float, default=None, help="threshold of the learned tagger")
    parser.add_argument("--tune", action="store_true", help="choose --min-score by cross-validation on the training reports")
    parser.add_argument("--show-disagreements", type=int, default=0, metavar="N")
    parser.add_argument("--timed", type=int, default=FINDINGS_TIMED, metavar="N", help="findings to time tagging on")
    parser.add_argument("--unmapped", action="store_true", help="list the columns with no counterpart, and why")
    args = parser.parse_args(argv)

    settings = Settings()
    scheme = load_scheme(settings.ontology_dir)
    themes = {t.iri: t for t in scheme}
    theme_base = scheme[0].iri.rsplit("/", 1)[0] + "/"
    reports = load_reports(args.pfd_dir)
    if not reports:
        parser.error(f"no CSV file in {args.pfd_dir} has a column that bench/pfd_labels.py maps")
    training, held_out = split(reports)
    check_held_out_unseen(held_out)
    matters = [m for r in held_out for m in (split_concerns(r.concerns) or [r.concerns])]
    print(f"{len(reports)} reports from {args.pfd_dir}; split {SPLIT}: {len(training)} for training, "
          f"{len(held_out)} held out ({len(matters)} matters of concern). Figures are on the held-out reports.\n")

    start = time.perf_counter()
    learned = LearnedTagger(scheme, training_examples())
    trained_in = time.perf_counter() - start
    min_score = settings.tagging_min_score if args.min_score is None else args.min_score
    if args.tune:
        min_score = tune_min_score(scheme, training, settings.tagging_max_themes, theme_base)
    rules = RulesTagger(scheme)
    methods: dict[str, Predict] = {
        f"{learned.method}": learned_method(learned, min_score, settings.tagging_max_themes),
        "rules-v1": rules_method(rules, RULES_MIN_SCORE, settings.tagging_max_themes),
        "keyword baseline": keyword_method(themes),
        "always yes": always_yes(themes),
    }
    results = {name: measure(held_out, predict, theme_base) for name, predict in methods.items()}
    communication = sorted(t for t in results[learned.method]
                           if theme_base + "communication" in themes[theme_base + t].ancestors)
    print(f"learned tagger {learned.method}: min score {min_score}, at most {settings.tagging_max_themes} themes a matter; "
          f"trained in {trained_in:.1f} s on {len(training_examples())} examples\n")
    print(table(results, communication) + "\n")

    self_labelled = read_self_labelled()
    by_matter = {name: measure_matters(self_labelled, predict, theme_base) for name, predict in methods.items()}
    print(f"{len(self_labelled)} held-out matters labelled by hand for the communication sub-themes "
          f"({SELF_LABELLED.name}; self-labelled, one labeller), matter by matter:\n")
    print(table(by_matter, SELF_LABELLED_THEMES[1:]) + "\n")

    unclassified = sum(not found for found in learned.propose_many(matters, min_score, settings.tagging_max_themes))
    print(f"unclassified: {unclassified} of {len(matters)} held-out matters ({unclassified / max(len(matters), 1):.1%})")
    batch = (matters * (args.timed // max(len(matters), 1) + 1))[:args.timed]
    start, cpu = time.perf_counter(), time.process_time()
    learned.propose_many(batch, min_score, settings.tagging_max_themes)
    print(f"tagging {len(batch)} findings: {time.perf_counter() - start:.1f} s "
          f"({time.process_time() - cpu:.1f} s of CPU)")
    if args.show_disagreements:
        print("\n" + disagreements(held_out, learned, min_score, settings.tagging_max_themes, theme_base,
                                   args.show_disagreements))
    if args.unmapped:
        print("\nColumns with no counterpart among our themes:")
        for reason, columns in UNMAPPED.items():
            print(f"  {', '.join(columns)}: {reason}")
    return 0


def disagreements(reports: Sequence[LabelledReport], tagger: LearnedTagger, min_score: float, max_themes: int,
                  theme_base: str, limit: int) -> str:
    """Up to `limit` held-out reports where the tagger and the labels differ, with its proposals."""
    lines = []
    for report in reports:
        matters = split_concerns(report.concerns) or [report.concerns]
        proposals = tagger.propose_many(matters, min_score, max_themes)
        found = _closed(tagger.themes, (p.theme for ps in proposals for p in ps))
        wrong = sorted(t for t in report.judged if (t in report.themes) != (theme_base + t in found))
        if not wrong:
            continue
        lines.append(f"{report.id}: differs on {', '.join(wrong)}; labelled {sorted(report.themes)}")
        for number, (matter, ps) in enumerate(zip(matters, proposals), start=1):
            given = ", ".join(f"{p.theme.rsplit('/', 1)[1]} {p.score:.2f}" for p in ps) or "none"
            lines.append(f"  {number}. [{given}] {' '.join(matter.split())[:200]}")
        if len(lines) and sum(not line.startswith(" ") for line in lines) >= limit:
            break
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
