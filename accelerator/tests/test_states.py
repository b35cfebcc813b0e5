from accelerator.templatetags.states import state


def test_a_state_has_one_colour_everywhere_and_open_or_draft_is_never_mistaken_for_done_or_waiting():
    assert state("published") == "state state-ok"  # not grey like a draft
    assert state("draft") == "state state-muted"
    assert state("open") == "state state-muted"  # an open item is not yet a warning; overdue ones are flagged
    assert state("overdue") == state("not_eligible") == "state state-alert"
    assert state("changes_requested") == "state state-warn"
    assert state("something new") == "state state-muted"
