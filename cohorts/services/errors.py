from django.core.exceptions import ValidationError


class RuleViolation(ValidationError):
    """A business rule refused the change. Views show it next to the field it names."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.field = field
