"""The house council (husråd): its seats, house rules with recorded votes, and
meetings. Every rule for them lives in this package: seats.py, rules.py and
meetings.py; who may do what is answered in collaboration/permissions.py.

- every signed-in person reads the council page, the rules in progress and
  the meetings; the adopted rules are public (``adopted_rules``);
- coordinators edit the seats. A seat's end is not before its start; a person
  holds one seat at a time (periods may not overlap); the council has one chair
  at a time; and when ``Centre.one_vote_per_actor`` is on, an actor has one
  voting seat (chair or member) at a time: its other people sit as substitutes;
- council members (any current seat) and coordinators propose rules;
- coordinators and the council's current chair record votes, repeal rules and
  edit meetings;
- a vote counts for, against and abstentions (whole numbers, 0 or more, at
  least one vote in all) on a date not in the future nor before the proposal.
  It may not hold more votes than there were voting members that day: the
  current seats with the role chair or member (``voting_members``). A
  substitute votes only in place of an absent member, so substitutes never
  raise the limit. With ``one_vote_per_actor`` the limit is the number of
  distinct actors those seats represent (a seat that represents no actor
  counts on its own). The rule is adopted if more vote for than against,
  otherwise rejected; a decided rule cannot be voted again;
- only an adopted rule is repealed, on a date not before its adoption;
- a vote or repeal held at a meeting must carry the meeting's date, and is
  recorded as one of the meeting's decisions, linked to the rule;
- published minutes cannot be empty, and are published only once the meeting
  has been held; publishing sets ``minutes_published_on`` (the digest reads it).

Every write raises ``ValidationError`` with a message a person can act on and
saves nothing when it does."""

from .meetings import meeting_save
from .rules import adopted_rules, rule_propose, rule_repeal, rule_vote
from .seats import VOTING_ROLES, count_votes, seat_save, voting_members

__all__ = [
    "VOTING_ROLES",
    "adopted_rules",
    "count_votes",
    "meeting_save",
    "rule_propose",
    "rule_repeal",
    "rule_vote",
    "seat_save",
    "voting_members",
]
