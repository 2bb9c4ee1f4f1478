"""Forms of the public site: the funding explorer's filters (a GET form, no JavaScript)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from grants.selectors.funding import DEFAULT_SORT, SORTS

SORT_LABELS = {
    "-year": _("Newest first"),
    "year": _("Oldest first"),
    "-amount": _("Largest amount first"),
    "amount": _("Smallest amount first"),
}


class FundingFilterForm(forms.Form):
    """Which grants the explorer adds up and lists. A value that does not fit is refused with
    a message next to its field and the others still apply; what was typed stays typed."""

    edition = forms.ChoiceField(label=_("Edition"), required=False)
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)
    country = forms.ChoiceField(label=_("Country"), required=False)
    theme = forms.ChoiceField(label=_("Theme"), required=False)
    min = forms.DecimalField(
        label=_("Smallest amount"),
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
        localize=True,
    )
    max = forms.DecimalField(
        label=_("Largest amount"),
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
        localize=True,
    )
    sort = forms.ChoiceField(label=_("Order"), required=False)

    def __init__(self, data, *, editions, countries, themes):
        super().__init__(data)
        self.fields["edition"].choices = [("", _("All editions"))] + [
            (edition.slug, edition.title) for edition in editions
        ]
        years = sorted({edition.year for edition in editions}, reverse=True)
        self.fields["year"].choices = [("", _("All years"))] + [(y, str(y)) for y in years]
        self.fields["country"].choices = [("", _("All countries"))] + list(countries)
        self.fields["theme"].choices = [("", _("All themes"))] + [
            (theme.slug, theme.name) for theme in themes
        ]
        self.fields["sort"].choices = [(key, SORT_LABELS[key]) for key in SORTS]
        for field in self.fields.values():
            css = "form-select" if isinstance(field, forms.ChoiceField) else "form-control"
            field.widget.attrs["class"] = css
        for name in ("min", "max"):
            self.fields[name].widget.attrs["inputmode"] = "decimal"

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("min"), cleaned.get("max")
        if low is not None and high is not None and low > high:
            self.add_error(
                "max", _("The largest amount must not be less than the smallest amount.")
            )
        return cleaned

    def filters(self) -> dict:
        """The filters that were given and valid, as ``funded_grants`` takes them."""
        if not self.is_bound:
            return {}
        self.is_valid()
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["aria-invalid"] = "true"
                attrs["aria-describedby"] = f"id_{name}-error"
                attrs["class"] += " is-invalid"
        cleaned = getattr(self, "cleaned_data", {})
        return {
            "edition": cleaned.get("edition") or "",
            "year": cleaned.get("year"),
            "country": cleaned.get("country") or "",
            "theme": cleaned.get("theme") or "",
            "amount_min": cleaned.get("min"),
            "amount_max": cleaned.get("max"),
        }

    def chosen_sort(self) -> str:
        self.is_valid()
        return getattr(self, "cleaned_data", {}).get("sort") or DEFAULT_SORT
