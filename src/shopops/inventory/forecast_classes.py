"""Demand classes of daily histories (ADI / CV², docs/rules/inventory-science.md#demand-classes): the class
picks the forecast model (``shopops.inventory.forecast``'s docstring gives the definitions and the cut-offs).

Pure domain code: numpy only, no Django, no ORM, no I/O. Callers import these names from
``shopops.inventory.forecast``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import numpy as np

from shopops.core.text import Text, gettext_noop
from shopops.inventory.forecast_history import as_2d

ADI_CUTOFF = 1.32
CV2_CUTOFF = 0.49


class DemandClass(StrEnum):
    SMOOTH = "smooth"
    ERRATIC = "erratic"
    INTERMITTENT = "intermittent"
    LUMPY = "lumpy"
    NONE = "none"  # no demand in the history


# Each class by name, for the pages (said with core.i18n.say).
DEMAND_CLASS_NAMES: dict[str, Text] = {
    DemandClass.SMOOTH: gettext_noop("Smooth"),
    DemandClass.ERRATIC: gettext_noop("Erratic"),
    DemandClass.INTERMITTENT: gettext_noop("Intermittent"),
    DemandClass.LUMPY: gettext_noop("Lumpy"),
    DemandClass.NONE: gettext_noop("No demand"),
}


@dataclass(frozen=True, slots=True)
class DemandClassification:
    demand_class: DemandClass
    adi: float  # mean inter-demand interval in days (inf when there is no demand)
    cv2: float  # squared coefficient of variation of the non-zero sizes (nan when there is no demand)
    nonzero: int  # number of days with demand


def classify_many(Y: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Classify every row of ``Y`` (SKUs × days). NaNs are ignored (not counted as days).

    Returns ``(classes, adi, cv2)``: an object array of ``DemandClass`` and two float arrays.
    """
    arr = as_2d(Y)
    valid = ~np.isnan(arr)
    y = np.where(valid, arr, 0.0)
    nz = (y > 0) & valid
    k = nz.sum(axis=1)
    n_days = arr.shape[1]
    # last demand day counted over valid days only: position among the valid days, 1-based
    valid_pos = np.cumsum(valid, axis=1)
    last_pos = np.where(nz, valid_pos, 0).max(axis=1) if n_days else np.zeros(len(arr))
    with np.errstate(divide="ignore", invalid="ignore"):
        adi = np.where(k > 0, last_pos / np.maximum(k, 1), np.inf)
        s1 = np.where(nz, y, 0.0).sum(axis=1)
        mean = s1 / np.maximum(k, 1)
        ss = np.where(nz, (y - mean[:, None]) ** 2, 0.0).sum(axis=1)
        var = np.where(k > 1, ss / np.maximum(k - 1, 1), 0.0)
        cv2 = np.where(k > 0, var / np.where(mean > 0, mean, 1.0) ** 2, np.nan)
    frequent, steady = adi <= ADI_CUTOFF, cv2 <= CV2_CUTOFF
    code = np.select(
        [k == 0, frequent & steady, frequent, steady], [4, 0, 1, 2], default=3
    )
    order = np.array(
        [DemandClass.SMOOTH, DemandClass.ERRATIC, DemandClass.INTERMITTENT, DemandClass.LUMPY, DemandClass.NONE],
        dtype=object,
    )
    return order[code], adi, cv2


def classify_demand(y: Any) -> DemandClassification:
    """Classify one daily history (the definitions: ``shopops.inventory.forecast``'s docstring)."""
    arr = np.asarray(y, dtype=float)
    if arr.ndim != 1:
        raise ValueError("classify_demand takes one series; use classify_many for many")
    classes, adi, cv2 = classify_many(arr)
    nonzero = int(np.count_nonzero(np.nan_to_num(arr) > 0))
    return DemandClassification(classes[0], float(adi[0]), float(cv2[0]), nonzero)
