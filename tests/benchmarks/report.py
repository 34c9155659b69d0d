"""The results table of the benchmarks."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Row:
    name: str
    value: str
    p99: str
    baseline_name: str
    baseline: str
    ratio: float | None
    target: str
    met: bool | None
    # Why this is not a measurement at all (error answers, a wrong result): broken
    # code fails `make bench-smoke`; a slow figure only misses its target.
    broken: str = ""

    def cells(self) -> list[str]:
        ratio = f"{self.ratio:.2f}x" if self.ratio is not None else "—"
        met = {True: "yes", False: "NO", None: "—"}[self.met]
        return [
            self.name,
            self.value + (f" (BROKEN: {self.broken})" if self.broken else ""),
            self.p99,
            self.baseline_name,
            self.baseline,
            ratio,
            self.target,
            met,
        ]


HEADERS = ["measure", "result", "p99", "baseline", "baseline result", "ratio", "target", "met"]


def render(rows: list[Row]) -> str:
    table = [HEADERS, *(row.cells() for row in rows)]
    widths = [max(len(line[i]) for line in table) for i in range(len(HEADERS))]
    lines = [
        "| " + " | ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)) + " |"
        for line in table
    ]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)
