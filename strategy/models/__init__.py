from .history import Draft, PublishedEdition, Revision
from .maturity import MaturityRating
from .plan import Action, Component, Goal, Measure, Section, Strategy
from .review import Comment, CommentThread

UNIT_MODELS = {model.UNIT_KIND: model for model in (Section, Component, Goal, Action, Measure)}

__all__ = [
    "UNIT_MODELS", "Action", "Comment", "CommentThread", "Component", "Draft", "Goal", "MaturityRating",
    "Measure", "PublishedEdition", "Revision", "Section", "Strategy",
]
