"""Read integer columns straight into NumPy arrays, for reads of a million rows."""

from __future__ import annotations

from itertools import chain
from typing import Any

import numpy as np
import numpy.typing as npt
from django.db import connection
from django.db.models import QuerySet


def fetch_ints(rows: QuerySet[Any, Any], width: int) -> npt.NDArray[np.int64]:
    """Run a `values_list` query of `width` integer columns; return its rows as an array."""
    # The ORM writes the query; its rows skip the ORM's per-row conversion, which would cost
    # seconds on a million rows and change nothing for plain integers.
    sql, params = rows.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    # Flattened through an iterator: about half the time of `np.array` on a list of tuples.
    flat = np.fromiter(chain.from_iterable(rows), dtype=np.int64, count=len(rows) * width)
    return flat.reshape(-1, width)
