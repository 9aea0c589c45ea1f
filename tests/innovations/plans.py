"""Reading EXPLAIN ANALYZE output in tests: which parts of a statement ran."""

import re

from django.db import connection


def explain(captured, marker):
    """EXPLAIN ANALYZE lines of the captured statement whose SQL holds ``marker`` (its last part, after
    the ``SET LOCAL`` guards sent with it)."""
    statement = next(query["sql"] for query in captured.captured_queries if marker in query["sql"])
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, COSTS OFF) " + statement.split("; ")[-1])
        return [row[0] for row in cursor.fetchall()]


def gated(plan, condition):
    """The lines of the plan under the one-time filter whose text matches ``condition``."""
    for i, line in enumerate(plan):
        if "One-Time Filter" in line and re.search(condition, line):
            node = plan[i - 1]
            depth = len(node) - len(node.lstrip(" ->"))
            below = []
            for child in plan[i + 1 :]:
                if len(child) - len(child.lstrip(" ->")) <= depth:
                    break
                below.append(child)
            return below
    raise AssertionError(f"no one-time filter like {condition!r} in:\n" + "\n".join(plan))


def runs(lines):
    """Whether the table's scans under a gate ran (True) or never started (False)."""
    scans = [line for line in lines if re.search(r"Scan .*on innovations_innovation", line)]
    assert scans, "no scan of the table under this gate:\n" + "\n".join(lines)
    never = ["(never executed)" in line for line in scans]
    assert all(never) or not any(never), scans
    return not all(never)
