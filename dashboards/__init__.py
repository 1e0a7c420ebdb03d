"""Dashboards: METRICS.md's figures, rankings, hotspots, exports and the monthly report.

A hotspot becomes a 民生项目 of the cases app (cases.projects) through its project service.

How the figures are made (dashboards.metrics): each counter is defined once
in dashboards.facts. Days that are over are summed from the daily roll-up
tables (dashboards.models.CaseStatDay / DiaryStatDay, numerators and
denominators only); today, and any day not rolled up yet, are counted live
from the raw tables with the same functions. Figures of a past day are as
fresh as its last roll-up: `dashboards.tasks.rollup_yesterday` (nightly)
rolls up yesterday and re-rolls every earlier day touched since its previous
run; `manage.py rollup_stats --days N` rebuilds a range.

Background work to schedule (by name): dashboards.tasks.rollup_yesterday and
dashboards.tasks.detect_hotspots, both nightly (detection also runs on demand
from the hotspot page and at the end of seed_demo; each run is a DetectionRun). Large exports run as
dashboards.tasks.build_export.

PDF of the monthly report: WeasyPrint (PyPI), which needs Debian's Pango
(libpango-1.0-0, libpangoft2-1.0-0) and fonts-noto-cjk for the Chinese;
scripts/test.sh installs them. Chosen over headless Chromium because it is
a library call in the web process (no browser to ship and drive in
production) and renders the same HTML template as the printable page.
"""
