from django.utils import translation

from accelerator.caching import kept


def test_a_kept_value_is_built_once_per_key_and_again_when_a_part_or_the_language_changes():
    built = []

    def build():
        built.append(1)
        return f"value {len(built)}"

    assert kept("thing", (1, "v1"), build) == "value 1"
    assert kept("thing", (1, "v1"), build) == "value 1"
    assert kept("thing", (1, "v2"), build) == "value 2"  # the data's version moved
    assert kept("other", (1, "v2"), build) == "value 3"  # another name, another value
    with translation.override("es"):
        assert kept("thing", (1, "v2"), build) == "value 4"
    assert len(built) == 4

