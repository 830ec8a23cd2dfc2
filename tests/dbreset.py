"""Emptying a database of every table, whatever an earlier run left in it: the test suite does
it before building its database, and the benchmarks before filling theirs."""

from __future__ import annotations

import sqlalchemy as sa


def drop_everything(url: str) -> None:
    engine = sa.create_engine(url)
    meta = sa.MetaData()
    meta.reflect(engine)
    with engine.begin() as conn:
        if engine.dialect.name == "mysql":
            conn.execute(sa.text("SET FOREIGN_KEY_CHECKS=0"))
            for table in meta.sorted_tables:
                conn.execute(sa.text(f"DROP TABLE IF EXISTS `{table.name}`"))
            conn.execute(sa.text("SET FOREIGN_KEY_CHECKS=1"))
        else:
            meta.drop_all(conn)
    engine.dispose()
