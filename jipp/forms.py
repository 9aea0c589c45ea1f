"""The portal's one form renderer (``FORM_RENDERER`` in settings).

Every form is drawn by the templates in ``templates/jipp/forms/``: ``form.html`` for ``{{ form }}``
(errors not tied to a visible field as an alert, ``errors.html``; then each field; then the hidden
fields) and ``field.html`` for each field (the ``field`` div; label then input, or for a checkbox input
then label; help text with the id Django's ``aria-describedby`` points to; errors after; radio and
checkbox groups as fieldset and legend).

The one way to render a form: ``{{ form }}``. A page that lays out only some fields renders each with
``{{ form.name.as_field_group }}`` (the same field template) and its other errors with
``{% include "jipp/forms/errors.html" with errors=form.non_field_errors %}``. No template writes a
field's label, input, help text or errors by hand.

Templates are looked up in the portal's template directories and apps first (so any of Django's form
and widget templates can be overridden there), then in Django's own form templates: ``django.forms``
is not an installed app, so Django's ``TemplatesSetting`` would not find those, also when an admin
widget template includes one.
"""

from pathlib import Path

import django.forms
from django.conf import settings
from django.forms.renderers import DjangoTemplates
from django.utils.functional import cached_property


class PortalFormRenderer(DjangoTemplates):
    form_template_name = "jipp/forms/form.html"
    field_template_name = "jipp/forms/field.html"

    @cached_property
    def engine(self):
        portal_dirs = [
            directory
            for engine in settings.TEMPLATES
            if engine["BACKEND"] == "django.template.backends.django.DjangoTemplates"
            for directory in engine.get("DIRS", [])
        ]
        return self.backend(
            {
                "APP_DIRS": True,
                "DIRS": [*portal_dirs, Path(django.forms.__file__).parent / "templates"],
                "NAME": "jipp-forms",
                "OPTIONS": {},
            }
        )
