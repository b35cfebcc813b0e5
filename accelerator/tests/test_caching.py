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



def test_threads_that_miss_the_same_key_together_wait_for_one_build():
    import threading
    import time

    built = []
    start = threading.Barrier(8)

    def build():
        built.append(1)
        time.sleep(0.05)  # long enough for the others to arrive while it builds
        return "body"

    results = []

    def ask():
        start.wait()
        results.append(kept("stampede", ("v1",), build))

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == ["body"] * 8 and len(built) == 1
