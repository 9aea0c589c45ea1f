"""One form renderer (jipp.forms.PortalFormRenderer): every form of the portal, and every field of it,
comes out of templates/jipp/forms/form.html and field.html, whether a page renders ``{{ form }}`` or
``{{ form.name.as_field_group }}``."""

from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.forms import PasswordChangeForm, PasswordResetForm, SetPasswordForm
from django.forms.renderers import get_default_renderer
from django.template.loader import render_to_string
from django.test import RequestFactory

from hubs import forms as hub_forms
from innovations import forms as innovation_forms
from jipp.accounts import views as account_views
from jipp.forms import PortalFormRenderer
from jipp.models import Agency
from replication import forms as replication_forms
from replication.filters import PublicReplicationFilter

VOID = {"input", "br", "img", "hr", "meta", "link", "source", "wbr"}


class Node:
    def __init__(self, tag, attrs, parent=None):
        self.tag, self.attrs, self.parent, self.children = tag, dict(attrs), parent, []

    def classes(self):
        return (self.attrs.get("class") or "").split()

    def walk(self):
        for child in self.children:
            yield child
            yield from child.walk()

    def find_all(self, tag=None, cls=None, **attrs):
        return [
            node
            for node in self.walk()
            if (tag is None or node.tag == tag)
            and (cls is None or cls in node.classes())
            and all(node.attrs.get(k) == v for k, v in attrs.items())
        ]

    def ancestors(self):
        node = self.parent
        while node is not None:
            yield node
            node = node.parent


class Tree(HTMLParser):
    def __init__(self, html):
        super().__init__()
        self.root = self.current = Node("#root", {})
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        node = Node(tag, attrs, self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Node(tag, attrs, self.current))

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        assert self.current.tag == tag, f"</{tag}> closes <{self.current.tag}>"
        self.current = self.current.parent


def parse(html):
    return Tree(html).root


def all_forms(world):
    """An instance of every form class the views render, keyed by a readable name."""
    agencies = Agency.objects.filter(pk__in=[world.pekanbaru.pk, world.siak.pk])
    request = RequestFactory().get("/")
    request.user = world.staff_pekanbaru
    forms = {
        "hub page": lambda **kw: hub_forms.HubPageForm(instance=world.hub_riau, **kw),
        "hub team member": hub_forms.HubTeamMemberForm,
        "hub event": hub_forms.HubEventForm,
        "hub document": hub_forms.HubDocumentForm,
        "partner university": lambda **kw: hub_forms.PartnerUniversityForm(hub=world.hub_riau, **kw),
        "hub designation": hub_forms.HubDesignationForm,
        "hub status": hub_forms.HubStatusForm,
        "create innovation": lambda **kw: innovation_forms.CreateInnovationForm(agencies=agencies, **kw),
        "evidence": innovation_forms.EvidenceForm,
        "award": innovation_forms.AwardForm,
        "return": innovation_forms.ReturnForm,
        "archive": innovation_forms.ArchiveForm,
        "replication request": lambda **kw: replication_forms.ReplicationRequestForm(agencies=agencies, **kw),
        "replication request, one agency": lambda **kw: replication_forms.ReplicationRequestForm(
            agencies=agencies.filter(pk=world.pekanbaru.pk), **kw
        ),
        "replication decision": replication_forms.DecisionForm,
        "replication withdraw": replication_forms.WithdrawForm,
        "replication agreement": replication_forms.AgreementForm,
        "mentoring session": lambda **kw: replication_forms.MentoringSessionForm(hub=world.hub_riau, **kw),
        "progress report": replication_forms.ProgressReportForm,
        "implement": replication_forms.ImplementForm,
        "evaluation": replication_forms.EvaluationForm,
        "sign in": account_views.SignInForm,
        "access request": account_views.AccessRequestForm,
        "registration": account_views.RegistrationForm,
        "access decision": account_views.DecisionForm,
        "appoint officer": account_views.AppointOfficerForm,
        "password change": lambda **kw: PasswordChangeForm(world.staff_pekanbaru, **kw),
        "password reset": PasswordResetForm,
        "password reset confirm": lambda **kw: SetPasswordForm(world.staff_pekanbaru, **kw),
        "replication filter": lambda **kw: PublicReplicationFilter(kw.get("data"), request=request).form,
    }
    for section in innovation_forms.SECTIONS:
        forms[f"section {section}"] = innovation_forms.section_form_class(section)
    return forms


def check_field(bound, html):
    """``html`` is the markup of one visible field: the portal's field template, and nothing else."""
    tree = parse(html)
    wrappers = [n for n in tree.children if n.tag == "div"]
    assert len(wrappers) == 1 and "field" in wrappers[0].classes(), html
    wrapper = wrappers[0]
    field_id = bound.auto_id
    controls = [n for n in wrapper.walk() if n.tag in ("input", "select", "textarea")]
    assert controls, html
    described = f"{field_id}_helptext" if bound.help_text else None
    errors = f"{field_id}_error" if bound.errors else None
    describedby_ids = {described, errors} - {None}

    if bound.use_fieldset:
        # A group of radios or checkboxes: a fieldset named by its legend, described as a whole.
        (fieldset,) = wrapper.find_all("fieldset")
        assert fieldset.children[0].tag == "legend", html
        if describedby_ids:
            assert set(fieldset.attrs["aria-describedby"].split()) == describedby_ids, html
        for control in controls:
            (label,) = tree.find_all("label", **{"for": control.attrs["id"]})
            assert control in label.walk() or control.parent is label.parent, html
    else:
        (control,) = controls
        assert control.attrs["id"] == field_id, html
        (label,) = wrapper.find_all("label")
        assert label.attrs["for"] == field_id, html
        order = [n for n in wrapper.children if n in (label, control)]
        if bound.widget_type == "checkbox":
            assert "field-checkbox" in wrapper.classes(), html
            assert order == [control, label], "a checkbox comes before its label"
        else:
            assert "field-checkbox" not in wrapper.classes(), html
            assert order == [label, control], "the label comes before its input"
        if describedby_ids:
            assert set(control.attrs.get("aria-describedby", "").split()) == describedby_ids, html
        else:
            assert "aria-describedby" not in control.attrs, html
        if errors:
            assert control.attrs.get("aria-invalid") == "true", html

    help_nodes = wrapper.find_all(cls="helptext")
    if described:
        (help_node,) = help_nodes
        assert help_node.attrs["id"] == described, html
        assert help_node.tag == "div", html
    else:
        assert not help_nodes, html
    error_lists = wrapper.find_all("ul", cls="errorlist")
    if errors:
        (error_list,) = error_lists
        assert error_list.attrs["id"] == errors, html
        # The errors come after the input and its help text.
        position = list(wrapper.walk())
        assert position.index(error_list) > max(position.index(c) for c in controls), html
    else:
        assert not error_lists, html


def test_the_portal_renderer_is_the_default(settings):
    assert settings.FORM_RENDERER == "jipp.forms.PortalFormRenderer"
    renderer = get_default_renderer()
    assert isinstance(renderer, PortalFormRenderer)
    assert renderer.form_template_name == "jipp/forms/form.html"
    assert renderer.field_template_name == "jipp/forms/field.html"


@pytest.mark.parametrize("bound", [False, True], ids=["blank", "submitted empty"])
def test_every_form_and_field_goes_through_the_portal_templates(world, bound):
    for name, make in all_forms(world).items():
        form = make(data={}) if bound else make()
        assert isinstance(form.renderer, PortalFormRenderer), name
        if bound:
            form.is_valid()
        html = form.render()
        tree = parse(html)
        visible = form.visible_fields()
        wrappers = [n for n in tree.children if n.tag == "div" and "field" in n.classes()]
        assert len(wrappers) == len(visible), name
        for field in visible:
            check_field(field, field.as_field_group())
            assert str(field.as_field_group()) in html, name
        for field in form.hidden_fields():
            (hidden,) = tree.find_all("input", name=field.html_name)
            assert hidden.attrs["type"] == "hidden", name
            assert not any(a.tag == "div" and "field" in a.classes() for a in hidden.ancestors()), name
        alerts = [n for n in tree.children if n.attrs.get("role") == "alert"]
        top_errors = form.non_field_errors() or any(f.errors for f in form.hidden_fields())
        if top_errors:
            (alert,) = alerts
            assert alert.tag == "div" and "notice" in alert.classes(), name
            assert alert.find_all("ul", cls="errorlist"), name
        else:
            assert not alerts, name


def test_non_field_and_hidden_field_errors_come_first_as_an_alert(world):
    form = hub_forms.HubDocumentForm(data={"kind": "other", "title": "Perda"})
    assert not form.is_valid()
    tree = parse(form.render())
    first = next(n for n in tree.children if n.tag == "div")
    assert first.attrs == {"class": "notice", "role": "alert"}
    assert "nonfield" in first.find_all("ul")[0].classes()

    stale = innovation_forms.ReturnForm(data={"comment": "Fix it", "version": "x"})
    assert not stale.is_valid()
    html = stale.render()
    (alert,) = parse(html).find_all(role="alert")
    assert alert.tag == "div" and alert.find_all("li")
    start = html.index('role="alert"')
    assert "version" in html[start : html.index('<div class="field">')]


def test_help_text_is_escaped_unless_marked_safe(world):
    form = hub_forms.HubTeamMemberForm()
    form.fields["name"].help_text = "<script>alert(1)</script>"
    html = str(form["name"].as_field_group())
    assert "<script>" not in html and "&lt;script&gt;" in html
    # Django's password rules are an HTML list, marked safe: they stay a list.
    html = str(SetPasswordForm(world.staff_pekanbaru)["new_password1"].as_field_group())
    assert '<div class="helptext" id="id_new_password1_helptext"><ul>' in html


def test_pages_render_fields_only_through_the_renderer():
    """No template renders a field's label or input by hand, or keeps the old include."""
    root = Path(settings.BASE_DIR)
    offenders = []
    paths = [path for top in ("templates", "jipp", "hubs", "innovations", "replication")
             for path in (root / top).rglob("*.html")]  # fmt: skip
    for path in paths:
        text = path.read_text()
        relative = path.relative_to(root).as_posix()
        if relative.startswith("templates/jipp/forms/"):
            continue
        for needle in ("_form_fields.html", ".label_tag", ".legend_tag", "field.errors }}", ".help_text"):
            if needle in text:
                offenders.append(f"{relative}: {needle}")
    assert not offenders


def test_sign_in_page_fields_use_the_field_template(client, world):
    response = client.post("/akun/masuk/", {"username": "nobody", "password": "wrong"})
    html = response.content.decode()
    assert '<div class="field">\n  <label for="id_username">' in html
    assert '<div class="field">\n  <label for="id_password">' in html
    # Its errors not tied to a field: the same alert as {{ form }} draws (jipp/forms/errors.html).
    assert '<div class="notice" role="alert"><ul class="errorlist nonfield">' in html


def test_rendered_template_names(world):
    form = hub_forms.HubStatusForm()
    assert render_to_string("jipp/forms/field.html", {"field": form["status"]}).strip() == str(
        form["status"].as_field_group()
    )
