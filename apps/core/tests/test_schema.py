"""The whole OpenAPI schema generates, validates, and raises no warning (a warning there is a
wrong or ambiguous schema for API users: clashing component or enum names, untyped fields)."""
from django.core.management import call_command


def test_the_whole_api_schema_is_valid_without_warnings(tmp_path):
    out = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    text = out.read_text()
    assert "/api/visits/" in text and "TrainingParticipant" in text and "SenseScreeningEnum" in text
