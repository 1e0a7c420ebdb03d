"""The case page's panels about other cases: the project it belongs to and its similar cases.

{% load case_panels %}{% case_project_panel case %}{% similar_cases_panel case %}
"""

from django import template

from cases.models import Case
from cases.projects.similar import similar_cases

register = template.Library()


@register.inclusion_tag("cases/projects/_similar_cases.html", takes_context=True)
def similar_cases_panel(context, case: Case, limit: int = 5) -> dict:
    user = context["request"].user
    return {"case": case, "similar": similar_cases(user, case, limit=limit)}


@register.inclusion_tag("cases/projects/_case_project.html")
def case_project_panel(case: Case) -> dict:
    return {"case": case, "project": case.project if case.project_id else None}
