"""Random streams for the demo world: one independent stream per component.

Each component (catalog, traffic, customers, orders, refunds, …) draws only from the stream keyed by its own
stable name, derived from ``SeedSequence([seed, crc32(name)])``. Adding a future component (ads, events,
stock, tickets, members) therefore never shifts the numbers an existing component sees.
"""

from __future__ import annotations

import zlib

import numpy as np

_SEED_MOD = 2**64


def stream(seed: int, name: str) -> np.random.Generator:
    """The generator for component ``name`` under world seed ``seed`` (same inputs → same numbers)."""
    entropy = [seed % _SEED_MOD, zlib.crc32(name.encode("utf-8"))]
    return np.random.default_rng(np.random.SeedSequence(entropy))


def choice_by_weight(rng: np.random.Generator, weights: np.ndarray, size: int) -> np.ndarray:
    """Indices drawn with probability proportional to ``weights`` (a thin, fast inverse-CDF draw)."""
    cumulative = np.cumsum(np.asarray(weights, dtype=np.float64))
    draws = rng.random(size) * cumulative[-1]
    return np.minimum(np.searchsorted(cumulative, draws, side="right"), len(cumulative) - 1)


def segment_choice(
    rng: np.random.Generator,
    weights: np.ndarray,
    rows: np.ndarray,
    col_lo: np.ndarray | int = 0,
    col_hi: np.ndarray | int | None = None,
) -> np.ndarray:
    """For each draw pick a column in ``[col_lo, col_hi)`` of ``weights[row]``, proportional to weight.

    One vectorised draw over many distributions: all rows are laid end to end on one cumulative axis, so a
    single ``searchsorted`` serves every (row, column range). Draws whose range has no weight return -1.
    """
    matrix = np.asarray(weights, dtype=np.float64)
    n_cols = matrix.shape[1]
    rows = np.asarray(rows, dtype=np.int64)
    col_hi = n_cols if col_hi is None else col_hi
    flat = np.cumsum(matrix.ravel())
    padded = np.concatenate(([0.0], flat))
    first = rows * n_cols + col_lo
    last = rows * n_cols + col_hi
    lo, hi = padded[first], padded[last]
    draws = lo + rng.random(len(rows)) * (hi - lo)
    picked = np.clip(np.searchsorted(flat, draws, side="right"), first, np.maximum(first, last - 1))
    return np.where(hi > lo, picked - rows * n_cols, -1)
