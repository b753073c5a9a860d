"""Bootstrap intervals for a change between two periods (used by the evaluation, VNG tip 10).

A percentile bootstrap: each sample is resampled with replacement, the
statistic (median, 90th percentile or mean; a share is the mean of 0/1 values)
computed on every resample, and the differences na - vóór give the interval.
A change is *aantoonbaar* only when the whole interval lies on one side of
zero. Definitions: ``docs/metrics.md``, section *Evaluatie*.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from zgwlib.core.errors import UsageError

#: The verdict when the interval contains zero.
GEEN_VERSCHIL = "geen aantoonbaar verschil"


@dataclass(frozen=True)
class Verschil:
    """A change with its bootstrap interval.

    Attributes
    ----------
    voor, na : float
        The statistic in each period.
    verschil : float
        ``na - voor``.
    laag, hoog : float
        Bounds of the interval of the difference.
    """

    voor: float
    na: float
    verschil: float
    laag: float
    hoog: float

    @property
    def richting(self) -> int:
        """``-1`` when the whole interval is below zero, ``1`` above zero, ``0`` otherwise."""
        if pd.isna(self.laag) or pd.isna(self.hoog):
            return 0
        return -1 if self.hoog < 0 else (1 if self.laag > 0 else 0)


_KWANTIEL = {"mediaan": 0.5, "p90": 0.9}


def statistiek(x: np.ndarray, soort: str) -> float:
    """``"mediaan"``, ``"p90"`` (linear interpolation, as :func:`numpy.quantile`) or ``"gemiddelde"`` of ``x``."""
    x = np.asarray(x, dtype="float64")
    if not len(x):
        return math.nan
    if soort == "gemiddelde":
        return float(x.mean())
    return float(np.quantile(x, _KWANTIEL[soort]))


def _herhaald(x: np.ndarray, soort: str, trekkingen: int, rng: np.random.Generator) -> np.ndarray:
    """The statistic of ``trekkingen`` bootstrap resamples of ``x``.

    A resample is drawn as counts per distinct value (a multinomial draw), so
    memory is resamples x distinct values, not resamples x zaken: lead times
    in whole days have a few hundred distinct values even for millions of zaken.
    """
    v, c = np.unique(np.asarray(x, dtype="float64"), return_counts=True)
    n = int(c.sum())
    out = np.empty(trekkingen)
    blok = max(1, min(trekkingen, 4_000_000 // max(len(v), 1)))
    for start in range(0, trekkingen, blok):
        b = min(blok, trekkingen - start)
        counts = rng.multinomial(n, c / n, size=b)
        if soort == "gemiddelde":
            out[start:start + b] = counts @ v / n
            continue
        h = (n - 1) * _KWANTIEL[soort]
        lo = math.floor(h)
        frac, hi = h - lo, min(lo + 1, n - 1)
        cum = np.cumsum(counts, axis=1)
        # Position j of the sorted resample holds the first value whose cumulative count exceeds j.
        i_lo, i_hi = (cum <= lo).sum(axis=1), (cum <= hi).sum(axis=1)
        out[start:start + b] = v[i_lo] + frac * (v[i_hi] - v[i_lo])
    return out


def draw_resamples(
    x: np.ndarray | pd.Series, soort: str = "gemiddelde", *, trekkingen: int = 2000,
    rng: np.random.Generator | int | None = None,
) -> np.ndarray:
    """The statistic of ``trekkingen`` bootstrap resamples of ``x`` (NaN dropped; all NaN when ``x`` is empty).

    The building block of :func:`bootstrap_verschil`, for designs with more than two samples (the borging
    report's difference-in-differences combines the resamples of four).
    """
    if soort not in ("mediaan", "p90", "gemiddelde"):
        raise UsageError(f"soort must be mediaan, p90 or gemiddelde, not {soort!r}.")
    a = np.asarray(x, dtype="float64")
    a = a[~np.isnan(a)]
    if not len(a):
        return np.full(trekkingen, math.nan)
    gen = rng if isinstance(rng, np.random.Generator) else np.random.default_rng(rng)
    return _herhaald(a, soort, trekkingen, gen)


def bootstrap_verschil(
    voor: np.ndarray | pd.Series,
    na: np.ndarray | pd.Series,
    soort: str = "mediaan",
    *,
    trekkingen: int = 2000,
    betrouwbaarheid: float = 0.95,
    rng: np.random.Generator | int | None = None,
) -> Verschil:
    """Percentile-bootstrap interval of the change of a statistic between two independent samples.

    Parameters
    ----------
    voor, na : array
        The values in each period (NaN is dropped).
    soort : {"mediaan", "p90", "gemiddelde"}
        The statistic (a share is the ``gemiddelde`` of 0/1 values).
    trekkingen : int
        Resamples of each sample.
    betrouwbaarheid : float
        Coverage of the interval.
    rng : Generator or int, optional
        Random generator or seed (reproducible intervals).

    Returns
    -------
    Verschil
        NaN everywhere when either sample is empty.
    """
    if soort not in ("mediaan", "p90", "gemiddelde"):
        raise UsageError(f"soort must be mediaan, p90 or gemiddelde, not {soort!r}.")
    a = np.asarray(voor, dtype="float64")
    b = np.asarray(na, dtype="float64")
    a, b = a[~np.isnan(a)], b[~np.isnan(b)]
    if not len(a) or not len(b):
        s_a, s_b = statistiek(a, soort), statistiek(b, soort)
        return Verschil(s_a, s_b, s_b - s_a, math.nan, math.nan)
    gen = rng if isinstance(rng, np.random.Generator) else np.random.default_rng(rng)
    d = _herhaald(b, soort, trekkingen, gen) - _herhaald(a, soort, trekkingen, gen)
    alfa = (1 - betrouwbaarheid) / 2
    laag, hoog = np.quantile(d, [alfa, 1 - alfa])
    s_a, s_b = statistiek(a, soort), statistiek(b, soort)
    return Verschil(s_a, s_b, s_b - s_a, float(laag), float(hoog))


