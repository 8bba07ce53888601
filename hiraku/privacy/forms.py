from django import forms
from django.utils.translation import gettext_lazy as _

from .anonymise.pipeline import OPERATIONS
from .models import Decision, ReasonCode

EXAMPLE_OPS = """[
  {"op": "drop_columns", "columns": ["氏名"]},
  {"op": "age_bands", "column": "年齢", "scheme": "three", "into": "年齢3区分"},
  {"op": "mesh_counts", "lat": "緯度", "lon": "経度", "size_m": 250, "group_by": ["年齢3区分"]},
  {"op": "suppress_small_cells", "row_key": "mesh_code", "column_key": "年齢3区分", "threshold": 3}
]"""


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=Decision.choices, widget=forms.RadioSelect
    )
    reason_code = forms.ChoiceField(label=_("Reason (city policy)"), choices=ReasonCode.choices)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )


class AnonymiseForm(forms.Form):
    name = forms.CharField(label=_("Name of the new resource"), max_length=200)
    ops = forms.CharField(
        label=_("Operations (JSON)"),
        widget=forms.Textarea(attrs={"rows": 12, "spellcheck": "false"}),
        initial=EXAMPLE_OPS,
        help_text=_("Known operations: ") + ", ".join(OPERATIONS),
    )
