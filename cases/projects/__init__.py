"""民生项目 and similar cases: alike cases found, merged into one piece of work and followed to the end.

Writes go through cases.services.projects (project_create, case_link_project,
project_update) and cases.services.project_progress (milestones, progress
updates and the linked cases' feedback drafts); the sweep flags late
milestones (cases.sweep.projects). Reads: selectors.py (the projects a user may see, a
project's cases) and similar.py (alike cases of one case). Pages at
/projects/ (views.py, urls.py), the API at /api/v1/projects/ and
/api/v1/cases/{id}/similar/ (api/), and the case page's two panels
(cases/templatetags/case_panels.py). The city office's hotspots
(dashboards) become projects through the same project_create, with a lead
unit and a first milestone (dashboards.views.hotspots, a form page).
"""
