"""Reads of the date polls: who may answer a meeting's poll, and its results (counts per date, who
answered what, the person's own answers); the writes are in meetings.polls."""

from dataclasses import dataclass

from django.db.models import Prefetch

from groups import access
from meetings.models import DatePoll, Meeting, PollAnswer, PollOption


def may_answer(user, meeting: Meeting) -> bool:
    if not user.is_authenticated or not access.can_view(user, meeting):
        return False
    ring_id = meeting.audience_id or meeting.space_id
    return ring_id in access.ring_space_ids(user) or access.is_participant(user, meeting)


@dataclass
class OptionResult:
    option: PollOption
    yes: int
    maybe: int
    no: int
    chosen: bool


@dataclass
class PersonRow:
    name: str
    answers: list[PollAnswer.Answer | None]


@dataclass
class PollResults:
    poll: DatePoll
    options: list[OptionResult]
    people: list[PersonRow]
    own: dict[int, str]


def poll_results(*, poll: DatePoll, user) -> PollResults:
    """Counts per date and who answered what, in two queries whatever the number of answers."""
    options = list(
        poll.options.prefetch_related(
            Prefetch(
                "answers",
                queryset=PollAnswer.objects.select_related("user").order_by("user__name", "pk"),
            )
        )
    )
    rows: dict[int, PersonRow] = {}
    own: dict[int, str] = {}
    for index, option in enumerate(options):
        for answer in option.answers.all():
            row = rows.setdefault(answer.user_id, PersonRow(answer.user.name, [None] * len(options)))
            row.answers[index] = PollAnswer.Answer(answer.answer)
            if answer.user_id == user.pk:
                own[option.pk] = answer.answer
    results = []
    for option in options:
        given = [answer.answer for answer in option.answers.all()]
        results.append(
            OptionResult(
                option=option,
                yes=given.count(PollAnswer.Answer.YES),
                maybe=given.count(PollAnswer.Answer.IF_NEED_BE),
                no=given.count(PollAnswer.Answer.NO),
                chosen=option.pk == poll.chosen_option_id,
            )
        )
    return PollResults(
        poll=poll, options=results, people=sorted(rows.values(), key=lambda r: r.name), own=own
    )
