"""The form that adds a staff note under an application, an initiative or a report."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .services.notes import secretariat_people


class PersonChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.full_name} <{obj.email}>" if obj.full_name else obj.email


class StaffNoteForm(forms.Form):
    text = forms.CharField(
        label=_("Note"),
        widget=forms.Textarea(attrs={"rows": 4, "cols": 80}),
        help_text=_(
            "Seen only by the secretariat. Name a colleague with @ and the start of their "
            "email address (@ana for ana@example.org) to send them the note."
        ),
        error_messages={"required": _("Write the note before adding it.")},
    )
    notify_people = PersonChoiceField(
        label=_("Notify"),
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
        help_text=_("Members of the secretariat who receive the note by email."),
    )
    is_for_reviewers = forms.BooleanField(
        label=_("Also show it to the application's reviewers"), required=False
    )

    def __init__(self, *args, with_reviewers: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["notify_people"].queryset = secretariat_people()
        if not with_reviewers:
            del self.fields["is_for_reviewers"]
