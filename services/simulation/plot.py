"""The suite's results as a picture (matplotlib, written to a PNG or SVG file): per family,
each policy's mean completion, p90, on-time share and Gini of busy time."""

from __future__ import annotations

from pathlib import Path

from services.simulation.suite import SuiteResult

PANELS = (
    ("mean_minutes", "mean completion (min)"),
    ("p90_minutes", "p90 completion (min)"),
    ("on_time_share", "on time (share)"),
    ("busy_gini", "Gini of busy time"),
)


def plot(result: SuiteResult, path: Path) -> None:
    """Grouped bars: one group per family, one bar per policy (secpool first)."""
    import matplotlib

    matplotlib.use("Agg")  # files only: no display here
    import matplotlib.pyplot as plt

    families = [r.family for r in result.families]
    policies = [f.policy for f in result.families[0].figures]
    fig, axes = plt.subplots(2, 2, figsize=(13, 8), constrained_layout=True)
    width = 0.8 / len(policies)
    for ax, (field, title) in zip(axes.flat, PANELS, strict=True):
        for k, name in enumerate(policies):
            values = [float(getattr(r.figures[k], field)) for r in result.families]
            xs = [i + (k - (len(policies) - 1) / 2) * width for i in range(len(families))]
            ax.bar(xs, values, width, label=name)
        ax.set_title(title)
        ax.set_xticks(range(len(families)), families, rotation=30, ha="right", fontsize=8)
        ax.grid(axis="y", alpha=0.3)
    axes.flat[0].legend(fontsize=8)
    fig.suptitle(f"secpool simulate --suite ({result.split} seeds)")
    fig.savefig(path, dpi=110)
    plt.close(fig)
