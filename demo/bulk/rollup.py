"""The daily roll-ups of a whole seeded year in a few set-based statements.

dashboards.services.rollup.rollup_day is the definition (one day at a time,
through dashboards.facts); this writes the same rows for every day at once
in SQL, which a year of province data needs. The working hours from
dispatch to reply are summed from Dispatch.handle_hours, which the history
writes as case_review does. demo/tests check the result against rollup_day.
"""

import datetime

from django.db import connection
from django.utils import timezone

from cases.choices import CallbackChannel, Level, Satisfaction, Status
from dashboards.services.rollup import officer_months_rebuild
from demo.bulk.writer import create_indexes, drop_indexes, secondary_indexes

TZ = "Asia/Shanghai"

CASE_SQL = f"""
WITH late AS (
  SELECT DISTINCT d.case_id FROM cases_dispatch d
  WHERE d.returned_at IS NULL AND (d.replied_at > d.handle_due OR (d.replied_at IS NULL AND NOT EXISTS (
    SELECT 1 FROM cases_dispatch n WHERE n.case_id = d.case_id AND n.dispatched_at > d.dispatched_at
      AND n.dispatched_at <= d.handle_due)))
), facts AS (
  SELECT CAST(c.created_at AT TIME ZONE '{TZ}' AS date) AS day, c.city_id, c.township_id, c.unit_id,
         c.category_id, 1 AS raised, CAST(c.level = '{Level.ONSITE}' AS int) AS solved_on_site,
         CAST(c.status = '{Status.CLOSED}' AS int) AS closed,
         CAST(c.status = '{Status.CLOSED}' AND l.case_id IS NULL AS int) AS closed_on_time,
         CAST(c.status = '{Status.CLOSED}' AND EXISTS (SELECT 1 FROM cases_feedback f WHERE f.case_id = c.id) AS int)
           AS closed_with_feedback,
         0 AS dispatches, 0 AS responded, 0 AS returned, 0 AS callbacks_reached, 0 AS callbacks_solved,
         0 AS callbacks_answered, 0 AS callbacks_satisfied, 0 AS callbacks_self, 0 AS replies_approved,
         0.0 AS handle_hours
  FROM cases_case c LEFT JOIN late l ON l.case_id = c.id
  WHERE c.created_at >= %(since)s AND c.created_at < %(until)s
  UNION ALL
  SELECT CAST(d.dispatched_at AT TIME ZONE '{TZ}' AS date), c.city_id, c.township_id, d.unit_id, c.category_id,
         0, 0, 0, 0, 0, 1,
         CAST((d.signed_at IS NOT NULL AND d.signed_at <= d.sign_due)
              OR (d.returned_at IS NOT NULL AND d.returned_at <= d.sign_due) AS int),
         CAST(d.returned_at IS NOT NULL AS int), 0, 0, 0, 0, 0, 0, 0.0
  FROM cases_dispatch d JOIN cases_case c ON c.id = d.case_id
  WHERE d.dispatched_at >= %(since)s AND d.dispatched_at < %(until)s
  UNION ALL
  SELECT CAST(b.at AT TIME ZONE '{TZ}' AS date), c.city_id, c.township_id, c.unit_id, c.category_id,
         0, 0, 0, 0, 0, 0, 0, 0,
         CAST(b.reached AS int), CAST(b.reached AND b.solved IS TRUE AS int), CAST(b.satisfaction <> '' AS int),
         CAST(b.satisfaction IN ('{Satisfaction.SATISFIED}', '{Satisfaction.BASICALLY_SATISFIED}') AS int),
         CAST(b.channel = '{CallbackChannel.SELF}' AS int), 0, 0.0
  FROM cases_callback b JOIN cases_case c ON c.id = b.case_id
  WHERE b.at >= %(since)s AND b.at < %(until)s
  UNION ALL
  SELECT CAST(d.approved_at AT TIME ZONE '{TZ}' AS date), c.city_id, c.township_id, d.unit_id, c.category_id,
         0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
         COALESCE(d.handle_hours, 0)
  FROM cases_dispatch d JOIN cases_case c ON c.id = d.case_id
  WHERE d.approved_at >= %(since)s AND d.approved_at < %(until)s
)
INSERT INTO seed_case_facts
SELECT day, city_id, township_id, unit_id, category_id, SUM(raised), SUM(solved_on_site), SUM(closed),
       SUM(closed_on_time), SUM(closed_with_feedback), SUM(dispatches), SUM(responded), SUM(returned),
       SUM(callbacks_reached), SUM(callbacks_solved), SUM(callbacks_answered), SUM(callbacks_satisfied),
       SUM(callbacks_self), SUM(replies_approved), SUM(handle_hours)
FROM facts GROUP BY day, city_id, township_id, unit_id, category_id
"""  # noqa: S608 - constants only

MEASURES = ("raised", "solved_on_site", "closed", "closed_on_time", "closed_with_feedback", "dispatches", "responded",
            "returned", "callbacks_reached", "callbacks_solved", "callbacks_answered", "callbacks_satisfied",
            "callbacks_self", "replies_approved", "handle_hours")  # fmt: skip
GRAINS = {"t": ("city_id", "township_id"), "u": ("city_id", "township_id", "unit_id"),
          "c": ("city_id", "township_id", "category_id"),
          "uc": ("city_id", "township_id", "unit_id", "category_id")}  # fmt: skip
DIARY_GRAINS = {"t": ("city_id", "township_id"), "o": ("city_id", "township_id", "unit_id", "officer_id")}


def rollup_year(first: datetime.date, last: datetime.date) -> int:
    """Replace the stored figures of the days first..last (all over) with fresh counts; answer the rows written."""
    since = datetime.datetime.combine(first, datetime.time.min, tzinfo=timezone.get_default_timezone())
    until = datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time.min,
                                      tzinfo=timezone.get_default_timezone())  # fmt: skip
    sums = ", ".join(f"SUM({m})" for m in MEASURES)
    with connection.cursor() as cursor:
        cursor.execute("SET work_mem = '256MB'")
        cursor.execute(
            "CREATE TEMP TABLE seed_case_facts (day date, city_id int, township_id int, unit_id int, category_id int, "
            + ", ".join(f"{m} {'float8' if m == 'handle_hours' else 'int'}" for m in MEASURES)
            + ")"
        )
        cursor.execute(CASE_SQL, {"since": since, "until": until})
        cursor.execute("DELETE FROM dashboards_casestatday WHERE day BETWEEN %s AND %s", [first, last])
        cursor.execute("DELETE FROM dashboards_diarystatday WHERE day BETWEEN %s AND %s", [first, last])
        # A year of rows goes in faster with the indexes built once afterwards.
        indexes = secondary_indexes(["dashboards_casestatday", "dashboards_diarystatday"])
        drop_indexes(indexes)
        written = 0
        for grain, dims in GRAINS.items():
            cursor.execute(
                f"INSERT INTO dashboards_casestatday (day, grain, {', '.join(dims)}, {', '.join(MEASURES)}) "  # noqa: S608
                f"SELECT day, %s, {', '.join(dims)}, {sums} FROM seed_case_facts GROUP BY day, {', '.join(dims)}",
                [grain],
            )
            written += cursor.rowcount
        for grain, dims in DIARY_GRAINS.items():
            cursor.execute(
                f"""INSERT INTO dashboards_diarystatday (day, grain, {", ".join(dims)}, diaries, household_visits,
                    enterprise_visits)
                SELECT d.visit_date, %s, {", ".join(dims)}, COUNT(*), SUM(d.household_visits), SUM(d.enterprise_visits)
                FROM (SELECT e.*, u.org_unit_id AS unit_id FROM diaries_diaryentry e
                      JOIN accounts_user u ON u.id = e.officer_id) d
                WHERE d.visit_date BETWEEN %s AND %s GROUP BY d.visit_date, {", ".join(dims)}""",  # noqa: S608
                [grain, first, last],
            )
            written += cursor.rowcount
        cursor.execute(
            # The ledger's coverage is not rolled for the seeded year (coverage = false): its figures for
            # those days are counted exactly from the records and visits (households.coverage).
            """INSERT INTO dashboards_rolledday (day, rolled_at, coverage)
            SELECT CAST(g AS date), %s, false FROM generate_series(CAST(%s AS date), CAST(%s AS date), interval '1 day') g
            ON CONFLICT (day) DO UPDATE SET rolled_at = EXCLUDED.rolled_at""",
            [timezone.now(), first, last],
        )
        create_indexes(indexes)
        officer_months_rebuild(first=first, last=last)
        cursor.execute("DROP TABLE seed_case_facts")
    return written


def analyze() -> None:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
