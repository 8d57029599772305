"""AuditHistory: simple-history's audit trail with its manager class built once per model."""
import pytest

from apps.people.models import Person
from apps.posyandu.models import Posyandu

pytestmark = pytest.mark.django_db


def test_the_history_manager_class_is_built_once_and_the_trail_still_records(demo_posyandu, persona):
    person = Person(name="Rina Oktaviani", sex="P", region=demo_posyandu.village, posyandu=demo_posyandu)
    person.save()
    assert type(person.history) is type(Person.objects.first().history)  # noqa: E721 - the class itself
    # The class only joins the manager to the queryset; each model's manager still reads its own table.
    assert Posyandu.history.model is not person.history.model
    assert person.history.model._meta.db_table == "people_historicalperson"
    person.name = "Rina Oktaviani Putri"
    person.save()
    assert [h.name for h in person.history.order_by("history_id")] == ["Rina Oktaviani", "Rina Oktaviani Putri"]
    assert person.history.first().prev_record.name == "Rina Oktaviani"
