"""Every date field of every form renders its value as ISO, which is all a browser's date
input accepts: a locale date (16/01/2024) shows as empty and a form saved unchanged would
submit no date at all."""

from __future__ import annotations

import inspect
from datetime import date

import pytest
from django import forms
from django.utils import translation

import articles.forms
import positions.forms


def _date_fields() -> list[tuple[str, str, forms.Field]]:
    found: list[tuple[str, str, forms.Field]] = []
    for module in (articles.forms, positions.forms):
        for name, form in inspect.getmembers(module, inspect.isclass):
            if issubclass(form, forms.BaseForm) and form.__module__ == module.__name__:
                for field_name, field in getattr(form, "base_fields", {}).items():
                    if isinstance(field, forms.DateField):
                        found.append((name, field_name, field))
    return found


def test_the_project_has_date_fields_to_check() -> None:
    names = {(form, field) for form, field, _ in _date_fields()}
    assert {("StatementForm", "stated_on"), ("NewStatementForm", "stated_on"),
            ("UploadForm", "published")} <= names


@pytest.mark.parametrize(("form", "name", "field"), _date_fields(), ids=lambda v: str(v))
def test_a_date_field_renders_iso_in_a_date_input(form: str, name: str, field: forms.Field) -> None:
    with translation.override("en-gb"):
        html = field.widget.render(name, date(2024, 1, 16))
    if isinstance(field, positions.forms.MonthField):
        # A month facet: the browser's month input, whose value is ISO year and month.
        assert 'type="month"' in html and 'value="2024-01"' in html, f"{form}.{name} renders {html}"
        return
    assert 'type="date"' in html, f"{form}.{name} is not a date input"
    assert 'value="2024-01-16"' in html, f"{form}.{name} renders {html}"
