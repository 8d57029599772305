"""BootstrapFormMixin: each widget gets the Bootstrap class that draws it properly."""
from django import forms

from apps.core.forms import BootstrapFormMixin


class Sample(BootstrapFormMixin, forms.Form):
    name = forms.CharField()
    kind = forms.ChoiceField(choices=[("a", "A"), ("b", "B")])
    agreed = forms.BooleanField(required=False)
    topics = forms.MultipleChoiceField(choices=[("gizi", "Gizi"), ("kb", "KB")], widget=forms.CheckboxSelectMultiple)
    side = forms.ChoiceField(choices=[("l", "Kiri"), ("r", "Kanan")], widget=forms.RadioSelect)


def test_each_widget_gets_the_class_that_draws_it():
    form = Sample()
    html = {name: str(form[name]) for name in form.fields}
    assert 'class="form-control"' in html["name"]
    assert 'class="form-select"' in html["kind"]
    assert 'class="form-check-input"' in html["agreed"]
    # A list of checkboxes or radios: no full-width text-box class on the options or their wrapper.
    for name in ("topics", "side"):
        assert html[name].count("<input") == 2 and "form-control" not in html[name] and "class=" not in html[name]
