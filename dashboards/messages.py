"""Messages of cases/services/projects.py, listed here so their translations live in this app's catalogue.

That module belongs to the cases app but was written with the dashboards
(hotspot → project); Django looks a message up in every catalogue, so the
Chinese below is used wherever the message is raised.
"""

from django.utils.translation import gettext_noop

PROJECT_MESSAGES = (
    gettext_noop("Only the city office merges cases into projects."),
    gettext_noop("Give the project a title."),
    gettext_noop("Keep the title under 200 characters."),
    gettext_noop("Choose at least one case."),
    gettext_noop("Unknown cases: %(ids)s"),
    gettext_noop("Case %(code)s already belongs to another project."),
    gettext_noop("Case %(code)s is in another city."),
)
