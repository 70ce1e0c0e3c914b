"""Fixtures of the retention rule's tests: one local Spark session for all of them."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import ibis
import pandas as pd
import pytest


@pytest.fixture(scope="session")
def spark(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """One small local Spark session for every test here (starting one takes ~10 s)."""
    pytest.importorskip("pyspark")
    warehouse = tmp_path_factory.mktemp("spark-warehouse")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)  # pyspark warns about pandas 3
        from pyspark.sql import SparkSession

        session = (
            SparkSession.builder.master("local[1]")
            .appName("juro-privacy-tests")
            .config("spark.driver.memory", "512m")
            .config("spark.sql.shuffle.partitions", "1")
            .config("spark.default.parallelism", "1")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.sql.warehouse.dir", str(warehouse))
            .getOrCreate()
        )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def spark_table(spark: Any, source: pd.DataFrame | Path, name: str, folder: Path) -> Any:
    """An Ibis table on Spark over a temporary view of a Parquet file (nothing persisted)."""
    path = source
    if isinstance(source, pd.DataFrame):
        path = folder / f"{name}.parquet"
        source.to_parquet(path)
    spark.read.parquet(str(path)).createOrReplaceTempView(name)
    return ibis.pyspark.connect(spark).table(name)
