"""The option values a tap sends back: made, ticked, confirmed and read by one module."""

from bot import buttons
from bot.conversation.fill import said_value


def test_a_value_is_kind_and_argument_and_reads_back():
    assert buttons.value("task", "my_cap") == "task:my_cap"
    assert buttons.value("yes") == "yes"
    assert buttons.parts("task:my_cap") == ("task", "my_cap")
    assert buttons.parts("yes") == ("yes", "")


def test_ticked_years_are_confirmed_as_one_message_and_none_when_nothing_is_ticked():
    ticked = [buttons.toggle(2025), buttons.toggle(2027)]
    assert all(buttons.is_toggle(v) for v in ticked)
    assert not buttons.is_toggle("years:all") and not buttons.is_toggle("yes")
    assert buttons.chosen(ticked) == "years:2025,2027"
    assert buttons.chosen([]) == "years:none"


def test_the_conversation_reads_a_confirmed_selection_as_the_years_picked():
    assert said_value(buttons.chosen([buttons.toggle(2025), buttons.toggle(2026)])).picked == [2025, 2026]
    assert said_value(buttons.value(buttons.CHOSEN, "all")).choice == "all"


def test_the_choices_offered_are_read_from_their_values():
    offered = ["pick:waiting_fixed", "task:my_cap", "pick:waiting_variable"]
    assert buttons.arguments(offered, buttons.PICK) == ["waiting_fixed", "waiting_variable"]
