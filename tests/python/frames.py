"""A check shared by the suite: a DataFrame written to Parquet (pyarrow) reads back with the same values."""

from __future__ import annotations

import io

import pandas as pd


def assert_parquet_round_trip(df: pd.DataFrame) -> pd.DataFrame:
    """Writes ``df`` to Parquet in memory, reads it back and asserts the same columns, dtypes and values.

    The one allowed difference: an all-null categorical column (no categories) may read back with
    categories of another (empty) dtype; its values (all null) are still checked. Returns the frame read back.
    """
    buf = io.BytesIO()
    df.to_parquet(buf, engine="pyarrow")
    buf.seek(0)
    back = pd.read_parquet(buf, engine="pyarrow")
    assert_same_frame(df, back)
    for c in df.columns:  # one type per column: no dicts or lists, no mix of bools and strings
        if df[c].dtype == object:
            kinds = {type(v) for v in df[c] if v is not None and v is not pd.NA}
            assert len(kinds) <= 1 and not kinds & {dict, list}, (c, kinds)
    return back


def assert_same_frame(df: pd.DataFrame, back: pd.DataFrame) -> None:
    """The same columns, dtypes and values; an all-null categorical may differ in its (empty) categories' dtype."""
    assert list(back.columns) == list(df.columns)
    assert len(back) == len(df)
    for c in df.columns:
        if isinstance(df[c].dtype, pd.CategoricalDtype) and len(df[c].cat.categories) == 0:
            assert df[c].isna().all() and back[c].isna().all(), c
            continue
        pd.testing.assert_series_equal(df[c].reset_index(drop=True), back[c].reset_index(drop=True),
                                       obj=f"column {c!r}")
